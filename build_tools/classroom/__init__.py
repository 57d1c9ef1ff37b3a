"""Print for the classroom: worksheets and keys, the teacher's guide.

May import the content stages and :mod:`build_tools.util`; never the build or
Sphinx.
"""
