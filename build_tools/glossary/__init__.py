"""Content stage: the terms a student must know, each defined and linked.

:mod:`model` (the data types), :mod:`load` (reading and checking the data
file against the article), :mod:`linking` (term links, where terms appear),
:mod:`page` (the glossary page and its JSON), :mod:`part` (all the book gets
from the glossary).  May import :mod:`build_tools.article` and
:mod:`build_tools.util`; never the exports, the build, Sphinx or the drawing
code.
"""
