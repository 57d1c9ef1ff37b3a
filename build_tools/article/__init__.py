"""The article and its model: parsing the Markdown, rendering its chapters.

:mod:`model` (frozen dataclasses, no I/O), :mod:`seed` (``parse_seed(text) ->
Article``), :mod:`render` (MyST text of the chapters, introduction and front
matter, and the escaping of article text into MyST).  May import
:mod:`build_tools.util` only.
"""
