"""Drawing: every figure the book prints, and all the matplotlib code.

Maps: :mod:`maps` (a map's request and drawing), :mod:`mapgeometry` (the
projection, windows, clipping), :mod:`basemap` (country outlines from
Natural Earth via :mod:`topojson`), :mod:`labels` (placing labels clear),
:mod:`furniture` (ticks, scale bar, north arrow) and :mod:`mapstyle`.
:mod:`charts` draws the article's numbers; :mod:`timeline` the chronology,
:mod:`poster` (with :mod:`posterlayout`) its wall poster; :mod:`cover` the
EPUB cover; :mod:`plotting` is the shared style and :mod:`plan` says which
figures a book gets, with their captions.  May import
:mod:`build_tools.article`, :mod:`build_tools.util` and the content stages'
``model`` modules only; never a content stage's loading, the build or Sphinx.
"""
