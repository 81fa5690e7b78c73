"""Problems with input files: small value objects with a position, and the exception that carries them.

Every problem a user sees about a file (a syntax error, a wrong type, an unknown key, a broken
rule) is a :class:`Diagnostic` printed as ``file:line:col: level: message``, sorted by position.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import click

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in one file, at a 1-based line and column (0 when unknown)."""

    file: str
    line: int
    column: int
    level: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.level}: {self.message}"

    @property
    def is_error(self) -> bool:
        """True for errors, False for warnings."""
        return self.level == ERROR


class InputError(click.ClickException):
    """Bad input: one or more diagnostics, at least one of them an error. Exit status 2."""

    exit_code = 2

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    def show(self, file: object = None) -> None:
        """Print one line a diagnostic, without Click's 'Error:' prefix."""
        for d in self.diagnostics:
            click.echo(str(d), err=True)


class UsageProblem(click.ClickException):
    """A bad option value or a missing file named on the command line. Exit status 2."""

    exit_code = 2

    def show(self, file: object = None) -> None:
        """Print ``compliance: error: message``."""
        click.echo(f"compliance: error: {self.message}", err=True)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    """True when any diagnostic is an error."""
    return any(d.is_error for d in diagnostics)
