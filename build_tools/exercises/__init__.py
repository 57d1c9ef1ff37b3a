"""Content stage: the review exercises of every chapter.

Modules: ``model`` (the data types, levels and kinds), ``schema`` (the
exercise files' fields), ``check`` (reading a file against the article),
``quotes`` (finding a quote in the article), ``generate`` (the ordering and
matching exercises, numbering), ``myst`` (MyST pieces), ``review`` (a chapter's
Review section), ``answers`` (solutions and the answer key), ``exports``
(``exercises.json``, the coverage report) and ``part`` (all of it for one book).

May import the other content stages, :mod:`build_tools.article` and
:mod:`build_tools.util`; never the build, Sphinx or the drawing code.
"""
