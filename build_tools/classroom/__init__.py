"""Print for the classroom: worksheets and keys, the teacher's guide.

:mod:`worksheet_content` (what the worksheets and keys say, for either engine),
:mod:`worksheets` (their LaTeX, the pipeline's calls), :mod:`worksheets_typst`
(their Typst, compiled in-process by the ``typst`` package; template
``worksheet-template.typ``), :mod:`cutting` (the compiled PDF cut per chapter), :mod:`teacher` (the
teacher's guide).  May import the content stages and :mod:`build_tools.util`;
never the build or Sphinx.
"""
