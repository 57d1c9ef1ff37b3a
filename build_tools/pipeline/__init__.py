"""The build: what to rebuild, the stages in order, Sphinx and TeX, publishing.

The only code that reads the article's folder and writes the outputs.  May
import every stage; only :mod:`build_tools.cli` imports it.  Its modules:

- :mod:`~build_tools.pipeline.build`: :func:`run_build`, the stages in order
- :mod:`~build_tools.pipeline.config`: the configuration, targets, errors, report
- :mod:`~build_tools.pipeline.inputs`: reading the article and its companion files
- :mod:`~build_tools.pipeline.render`: the render stage, one companion part at a time
- :mod:`~build_tools.pipeline.figures`: the drawn figures, cached by their inputs
- :mod:`~build_tools.pipeline.plan`: fingerprints and stamps (what to rebuild)
- :mod:`~build_tools.pipeline.sources`: writing the Sphinx source folders
- :mod:`~build_tools.pipeline.runners`: running Sphinx and latexmk
- :mod:`~build_tools.pipeline.publish`: staging and swapping in the outputs, the lock
- :mod:`~build_tools.pipeline.processes` and :mod:`~build_tools.pipeline.worker`:
  the subprocesses
"""
