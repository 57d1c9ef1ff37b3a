"""Content stage: the dated events of the article, in order.

Modules: :mod:`~.model` (the data types and the small queries the drawing
needs), :mod:`~.dates` (the date reader), :mod:`~.sentences` (sentences,
labels, key words), :mod:`~.extract` (events from the article, the war span),
:mod:`~.overrides` (the editor's overrides file), :mod:`~.disagreements`
(where the article disagrees with itself, the editor's report), :mod:`~.page`
(the chronology page) and :mod:`~.exports` (JSON).  The timeline figure is
drawn by :mod:`build_tools.figures.timeline`.

May import :mod:`build_tools.article` and :mod:`build_tools.util`; never the
build, Sphinx or the drawing code.
"""
