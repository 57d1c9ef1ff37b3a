"""Content stage: the terms a student must know, each defined and linked.

Loading and checking the glossary file, linking terms in the text, the
glossary page.  May import :mod:`build_tools.article` and
:mod:`build_tools.util`; never the build, Sphinx or the drawing code.
"""
