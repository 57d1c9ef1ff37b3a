"""Content stage: the gazetteer, the places the article names, with coordinates.

:mod:`model` (the places, their kinds and where the article names them) and
:mod:`gazetteer` (reading and checking the file, finding the mentions).  May
import :mod:`build_tools.article` and :mod:`build_tools.util`; never the
build, Sphinx or the drawing code.
"""
