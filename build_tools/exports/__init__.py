"""Exports for other tools: quizzes for Moodle (XML, GIFT) and Canvas (QTI).

May import the content stages and :mod:`build_tools.util`; never the build or
Sphinx.
"""
