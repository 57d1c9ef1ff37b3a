"""Shared helpers with no stage of their own: errors, file writes, YAML reading.

:mod:`errors` (the error a user can fix, with file and line), :mod:`fileio`
(writes only what changed), :mod:`yamlfile` (companion files read with the
line of every value, and the field checks all of them share).  May import
nothing else of ours.
"""
