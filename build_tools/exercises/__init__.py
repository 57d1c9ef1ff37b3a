"""Content stage: the review exercises of every chapter.

The exercise files' schema and checks, the kinds generated from the
chronology and the glossary, the review sections and the answer key.  May
import the other content stages, :mod:`build_tools.article` and
:mod:`build_tools.util`; never the build, Sphinx or the drawing code.
"""
