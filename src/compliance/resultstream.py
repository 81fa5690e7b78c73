"""Read a saved ``check --format json`` result piece by piece, without holding all of it.

A result of 5,000 units is hundreds of megabytes of text; ``json.load`` would build every
finding's dict at once. :func:`read_result` walks the top-level object and hands over the
elements of the big arrays (``units``, ``findings``) one at a time, each decoded by the
standard library's C scanner, so only the caller's reduced records stay in memory.
A malformed file is an :class:`~compliance.diagnostics.InputError` with its line and column.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from compliance.diagnostics import ERROR, Diagnostic, InputError

STREAMED = frozenset({"units", "findings"})
_CHUNK = 1 << 20
_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class _Buffer:
    """A window on the file: text not yet consumed, with the line count of what was dropped."""

    def __init__(self, fh: TextIO, file: str) -> None:
        self.fh = fh
        self.file = file
        self.text = ""
        self.pos = 0
        self.eof = False
        self.base = 0  # offset in the file of ``text[0]`` (in characters)
        self.lines_before = 0  # newlines in the text already dropped
        self.last_newline = -1  # file offset of the last dropped newline

    def more(self) -> bool:
        """Read another chunk (dropping what was consumed); False at the end of the file."""
        if self.eof:
            return False
        dropped = self.text[: self.pos]
        newlines = dropped.count("\n")
        if newlines:
            self.lines_before += newlines
            self.last_newline = self.base + dropped.rfind("\n")
        self.base += self.pos
        chunk = self.fh.read(_CHUNK)
        self.text = self.text[self.pos :] + chunk
        self.pos = 0
        self.eof = not chunk
        return bool(chunk)

    def fail(self, message: str, at: int | None = None) -> InputError:
        """An error at offset ``at`` of the current text (default: where reading stopped)."""
        at = self.pos if at is None else at
        before = self.text[:at]
        newlines = before.count("\n")
        line = self.lines_before + newlines + 1
        col = at - before.rfind("\n") if newlines else self.base + at - self.last_newline
        return InputError([Diagnostic(self.file, line, col, ERROR, message)])

    def skip_space(self) -> str:
        """Skip white space; the next character ('' at the end of the file)."""
        while True:
            m = _SPACE.match(self.text, self.pos)
            self.pos = m.end() if m else self.pos
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self.more():
                return ""

    def expect(self, chars: str) -> str:
        """Consume one of ``chars`` (after white space) and return it."""
        c = self.skip_space()
        if not c or c not in chars:
            what = repr(c) if c else "end of file"
            raise self.fail(f"not JSON: expected {' or '.join(repr(x) for x in chars)}, got {what}")
        self.pos += 1
        return c

    def value(self) -> Any:
        """Decode the next JSON value, reading more of the file until it is complete."""
        self.skip_space()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as exc:
                if not self.eof:  # perhaps only cut off by the chunk: read on, decode again
                    self.more()
                    continue
                raise self.fail(f"not JSON: {exc.msg}", exc.pos) from None
            if end == len(self.text) and not self.eof:  # a number may go on in the next chunk
                self.more()
                continue
            self.pos = end
            return value


def read_result(path: Path) -> Iterator[tuple[str, Any, bool]]:
    """The top-level members of a result: ``(key, value, False)``, or for the big arrays one
    ``(key, element, True)`` per element. Raises ``InputError`` on malformed JSON."""
    file = str(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            yield from _members(_Buffer(fh, file))
    except UnicodeDecodeError as exc:
        raise InputError([Diagnostic(file, 0, 0, ERROR, f"cannot read result: {exc}")]) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError([Diagnostic(file, 0, 0, ERROR, f"cannot read result: {reason}")]) from None


def _members(buf: _Buffer) -> Iterator[tuple[str, Any, bool]]:
    if buf.skip_space() != "{":
        raise buf.fail("not a result of 'compliance check --format json' (not a JSON object)")
    buf.pos += 1
    if buf.skip_space() == "}":
        buf.pos += 1
    else:
        while True:
            if buf.skip_space() != '"':
                raise buf.fail("not JSON: expected a key in double quotes")
            key = buf.value()
            buf.expect(":")
            if key in STREAMED and buf.skip_space() == "[":
                buf.pos += 1
                if buf.skip_space() == "]":
                    buf.pos += 1
                    yield key, [], False  # an empty list is still there
                else:
                    while True:
                        start = buf.pos
                        element = buf.value()
                        if not isinstance(element, dict):
                            raise buf.fail(f"{key}: expected objects in the list", start)
                        yield key, element, True
                        if buf.expect(",]") == "]":
                            break
            else:
                yield key, buf.value(), False
            if buf.expect(",}") == "}":
                break
    if buf.skip_space():
        raise buf.fail("not JSON: extra data after the result")
