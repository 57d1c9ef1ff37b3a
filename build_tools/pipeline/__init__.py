"""The build: what to rebuild, the stages in order, Sphinx and TeX, publishing.

The only code that reads the article's folder and writes the outputs.  May
import every stage; only :mod:`build_tools.cli` imports it.
"""
