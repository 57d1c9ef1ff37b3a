"""Drawing: every figure the book prints, and all the matplotlib code.

Maps (Natural Earth via :mod:`topojson`), the article's numbers as charts,
the timeline and its wall poster, the EPUB cover, the shared style
(:mod:`plotting`), and :mod:`plan` (which figures a book gets, their captions).
May import the content stages' models (``*.model``, the gazetteer, the
charts' data) and :mod:`build_tools.util`; never a content stage's
internals, the build or Sphinx.
"""
