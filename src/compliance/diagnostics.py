"""Problems with input files: small value objects with a position, and the exception that carries them.

Every problem a user sees about a file (a syntax error, a wrong type, an unknown key, a broken
rule) is a :class:`Diagnostic` printed as ``file:line:col: level: message``, sorted by position.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

import click

# control characters (a unit name could clear the screen or forge a summary line), line
# separators, bidirectional overrides (text shown in another order than stored) and the
# surrogates that stand for the bytes of a file name that is not UTF-8. None of them is
# printable (str.isprintable), so most texts never need the pattern: it is compiled on first
# use (re's cache), as compiling its ranges took half a millisecond of every start-up.
_UNSAFE = r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"


def _escape(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte of a file name (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return repr(char)[1:-1] if code < 0xD800 or code > 0xDFFF else f"\\u{code:04x}"


def path_text(name: str) -> str:
    """A file name as valid text: bytes that are not UTF-8 shown as ``\\xff``."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def display_path(path: Path) -> str:
    """A path as the user should see it: relative to the working folder when below it.

    Bytes of a file name that are not UTF-8 are shown as ``\\xff``: the name stays valid
    text in every output format (JSON, XML, terminal) instead of crashing the encoder.
    """
    try:
        shown = str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        shown = str(path)
    return path_text(shown)


def literal(text: str, keep: str = "") -> str:
    """``text`` safe to print on a terminal: every character shown, none interpreted.

    Escape sequences and control characters from the data appear as ``\\x1b``, ``\\n``...;
    the characters in ``keep`` (a newline in a multi-line text) are left as they are.
    """
    if text.isprintable() or re.search(_UNSAFE, text) is None:  # nothing to show differently
        return text
    return re.sub(_UNSAFE, lambda m: m[0] if m[0] in keep else _escape(m[0]), text)


ERROR = "error"
WARNING = "warning"


class Diagnostic(NamedTuple):
    """One problem in one file, at a 1-based line and column (0 when unknown).

    A named tuple: cheap to create, and sorted by file, line and column as tuples are."""

    file: str
    line: int
    column: int
    level: str
    message: str
    sheet: str = ""  # data from a workbook: the sheet and the cell (``F12``); line is the row
    cell: str = ""

    def __str__(self) -> str:
        # one problem, one line: a newline or control character from the data is shown escaped
        return f"{literal(self.where)}: {self.level}: {literal(compact(self.message))}"

    @property
    def where(self) -> str:
        """``file:line:col``, or ``book.xlsx:sheet!F12`` for a cell of a workbook."""
        if self.sheet and self.cell:
            return f"{self.file}:{self.sheet}!{self.cell}"
        return f"{self.file}:{self.line}:{self.column}"

    @property
    def is_error(self) -> bool:
        """True for errors, False for warnings."""
        return self.level == ERROR


# a quoted value, not the gap between two; compiled on first use (re's cache), as the other
# patterns a check of valid files never needs: compiling costs start-up time
_QUOTED = r"(?<!\w)'([^']*)'(?!\w)"
SHOWN = 60  # characters of a quoted value from the data shown in a message
LONGEST = 400  # characters of a whole message


def compact(message: str) -> str:
    """A message as shown: each quoted value from the data cut to its first line and
    :data:`SHOWN` characters, the whole to :data:`LONGEST`, so that a file which failed to
    parse (``/etc/shadow`` behind a link, say) is not echoed beyond a short excerpt."""

    def cut(m: re.Match[str]) -> str:
        value = m[1]
        first = value.split("\n", 1)[0]
        if first == value and len(value) <= SHOWN:
            return m[0]
        return f"'{first[: SHOWN - 1]}…'"

    out = re.sub(_QUOTED, cut, message)
    return out if len(out) <= LONGEST else out[: LONGEST - 1] + "…"


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
        click.echo(f"compliance: error: {literal(self.message)}", err=True)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    """True when any diagnostic is an error."""
    return any(d.is_error for d in diagnostics)
