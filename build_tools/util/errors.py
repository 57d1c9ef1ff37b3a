"""Our own error type: a problem in the input, with where it is and how to fix it."""

from __future__ import annotations


class BuildError(Exception):
    """Bad input: a message naming the file and line, never a traceback.

    :param message: what is wrong and how to fix it
    :param path: the file the problem is in
    :param line: the 1-based line of that file
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = self.path or ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        return f"{where}: {self.message}" if where else self.message
