"""Content stage: the gazetteer, the places the article names, with coordinates.

May import :mod:`build_tools.article` and :mod:`build_tools.util`; never the
build, Sphinx or the drawing code.
"""
