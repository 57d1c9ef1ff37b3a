"""Exports for other tools: quizzes for Moodle (XML, GIFT) and Canvas (QTI), flashcards.

:mod:`lms` (the quiz files), :mod:`flashcards` (the glossary as CSV and an
Anki deck).  May import the content stages and :mod:`build_tools.util`;
never the build or Sphinx.
"""
