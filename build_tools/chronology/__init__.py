"""Content stage: the dated events of the article, in order.

Reading dates from sentences, editorial overrides, the places where the
article disagrees with itself, the chronology page and its data exports.
May import :mod:`build_tools.article` and :mod:`build_tools.util`; never the
build, Sphinx or the drawing code.
"""
