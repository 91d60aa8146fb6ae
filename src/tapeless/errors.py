"""The exceptions tapeless raises: one hierarchy, rooted at :class:`TapelessError`.

Errors found while reading a function (before anything runs) are :class:`SourceError`
subclasses: their message names the file, line and column, shows the source line with a
caret under the construct, and says what to write instead.
"""

from __future__ import annotations

from dataclasses import dataclass


class TapelessError(Exception):
    """Base class of every exception raised by tapeless."""


@dataclass(frozen=True)
class Location:
    """Where a construct stands in the user's source."""

    filename: str
    lineno: int
    col: int
    line: str  # the whole source line, as in the file

    def __str__(self) -> str:
        return f"{self.filename}:{self.lineno}:{self.col + 1}"


class SourceError(TapelessError):
    """A construct in the user's function that tapeless refuses, with its location."""

    def __init__(self, message: str, location: Location | None = None, hint: str | None = None):
        self.message = message
        self.location = location
        self.hint = hint
        super().__init__(self._format())

    def _format(self) -> str:
        text = self.message
        loc = self.location
        if loc is not None:
            line = loc.line.rstrip("\n")
            stripped = line.lstrip()
            indent = len(line) - len(stripped)
            caret = " " * max(loc.col - indent, 0) + "^"
            text = f"{loc}: {self.message}\n    {stripped}\n    {caret}"
        if self.hint:
            text += f"\nhint: {self.hint}"
        return text

    @property
    def filename(self):
        return self.location.filename if self.location else None

    @property
    def lineno(self):
        return self.location.lineno if self.location else None

    @property
    def col(self):
        """Column of the construct, counted from 1 as editors do."""
        return self.location.col + 1 if self.location else None


class UnsupportedSyntax(SourceError):
    """Python syntax outside the subset tapeless differentiates (``yield``, ``try``, ...)."""


class MissingRule(SourceError):
    """A call to a function tapeless has no derivative rule for."""


class NonDifferentiable(SourceError):
    """A differentiable value reaches a place whose derivative tapeless cannot give."""


class SourceUnavailable(TapelessError):
    """The function's source cannot be read (a builtin, a function typed into a bare REPL)."""


class ArgumentError(TapelessError, TypeError):
    """A wrong ``wrt`` or a wrong argument to a gradient function."""


class OutputError(TapelessError, ValueError):
    """The differentiated function returned something that is not a scalar."""


class RuleError(TapelessError, TypeError):
    """A derivative rule template that cannot be used (wrong parameters, unknown names)."""


class InternalError(TapelessError):
    """A bug in tapeless. Please report it with the function that triggered it."""
