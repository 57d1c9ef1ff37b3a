"""Content stage: the numbers the article states, for the book's data figures.

:mod:`model` (the charts, their rows and figures, and the rows in words) and
:mod:`load` (reading the figures file, each number checked against its quote
in the article) and :mod:`draft` (drafting that file from the article's own
tables and sentences).  May import :mod:`build_tools.article` and
:mod:`build_tools.util`; never the build, Sphinx or the drawing code.
"""
