"""Print for the classroom: worksheets and keys, the teacher's guide.

:mod:`worksheets` (the LaTeX of the worksheets and keys, the pipeline's calls),
:mod:`cutting` (the compiled PDF cut per chapter), :mod:`teacher` (the
teacher's guide).  May import the content stages and :mod:`build_tools.util`;
never the build or Sphinx.
"""
