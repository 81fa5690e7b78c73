"""Read a YAML file into plain data, keeping the line and column of every key and value.

Why not ``yaml.safe_load``: PyYAML resolves scalars by YAML 1.1 rules (``09:30`` -> 570,
``no`` -> False, ``010`` -> 8) and lets the last of two duplicate keys win silently. Here
every scalar stays the text the person wrote (plain ``null``/``~``/empty becomes None); the
schema step later turns text into numbers, booleans or dates only where the schema says so.

The builder walks libyaml's event stream (the C parser when available), so no node trees
are kept: only a flat table of positions keyed by path. It refuses non-standard tags
(``!!python/object``...), merge keys, duplicate keys, nesting deeper than
``yamlevents.MAX_DEPTH`` and documents whose alias expansion exceeds ``yamlevents.MAX_NODES`` nodes
("billion laughs"). Files larger than :data:`MAX_BYTES` are refused before parsing.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import yaml

from compliance.diagnostics import ERROR, Diagnostic
from compliance.inputs import YAML_LIMIT, TooLarge, read_input
from compliance.plain import Plain
from compliance.yamlevents import EventBuilder

if TYPE_CHECKING:  # lists read from sheets: only a unit that has some imports the module
    from compliance.ledger_table import SheetRows

try:  # the C parser is about nine times faster; fall back to pure Python where absent
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = YAML_LIMIT

PathT = tuple[str | int, ...]
Mark = tuple[int, int]


class Place(NamedTuple):
    """A position for a message: file, line, column and, for a cell of a sheet, its name."""

    file: str
    line: int
    column: int
    sheet: str = ""
    cell: str = ""
    label: str = ""  # the column's header, which names the field better than a data path


class Document(Plain):
    """A loaded file: its data, positions of values and keys by path, and its problems."""

    _fields = ("file", "data", "marks", "key_marks", "diagnostics", "flow", "sheets")

    def __init__(
        self,
        file: str,
        data: Any = None,
        marks: dict[PathT, Mark] | None = None,
        key_marks: dict[PathT, Mark] | None = None,
        diagnostics: list[Diagnostic] | None = None,
        flow: set[PathT] | None = None,  # mappings written inline as {...}
        sheets: dict[PathT, SheetRows] | None = None,  # lists read from sheets
    ) -> None:
        self.file = file
        self.data = data
        self.marks: dict[PathT, Mark] = {} if marks is None else marks
        self.key_marks: dict[PathT, Mark] = {} if key_marks is None else key_marks
        self.diagnostics: list[Diagnostic] = [] if diagnostics is None else diagnostics
        self.flow: set[PathT] = set() if flow is None else flow
        self.sheets: dict[PathT, SheetRows] = {} if sheets is None else sheets

    def mark(self, path: PathT) -> Mark:
        """Position of the value at ``path``, or of its nearest existing ancestor."""
        p = tuple(path)
        while p:
            if p in self.marks:
                return self.marks[p]
            p = p[:-1]
        return self.marks.get((), (1, 1))

    def locate(self, path: PathT) -> Mark:
        """Position of ``path`` as a finding points at it: the value when present, else the
        key of its nearest existing parent (where the missing entry belongs)."""
        p = tuple(path)
        if p in self.marks:
            return self.marks[p]
        while p:
            p = p[:-1]
            if p in self.key_marks:
                return self.key_marks[p]
            if p in self.marks:
                return self.marks[p]
        return (1, 1)

    def key_mark(self, path: PathT) -> Mark:
        """Position of the key that introduces ``path`` (falls back to :meth:`mark`)."""
        return self.key_marks.get(tuple(path)) or self.mark(path)

    def error(self, line: int, column: int, message: str) -> None:
        """Record an error at a position."""
        self.diagnostics.append(Diagnostic(self.file, line, column, ERROR, message))

    def problem(self, path: PathT, message: str, level: str = ERROR) -> Diagnostic:
        """A diagnostic about the value at ``path`` (or its nearest existing ancestor)."""
        p = self.place(path)
        return Diagnostic(p.file, p.line, p.column, level, message, p.sheet, p.cell)

    def place(
        self, path: PathT, at_key: bool = False, mark: Mark | None = None, nearest_key: bool = False
    ) -> Place:
        """Where ``path`` is: its cell when it was read from a sheet, else its YAML position.

        ``mark`` is the YAML position already looked up by the caller, if any; with
        ``nearest_key`` a missing path points at :meth:`locate`'s nearest parent key.
        """
        if self.sheets:
            for n in range(len(path) - 1, -1, -1):
                src = self.sheets.get(path[:n])
                if src is None:
                    continue
                index = path[n]
                if not isinstance(index, int) or not 0 <= index < len(src.rows):
                    break
                row = src.rows[index]
                name = path[n + 1] if len(path) > n + 1 else None
                col = src.columns.get(name, 1) if isinstance(name, str) else 1
                label = (
                    src.headers.get(name, "")
                    if isinstance(name, str) and n + 2 == len(path)
                    else ""
                )
                return Place(src.file, row, col, src.sheet, cell_name(row, col), label)
        if mark is None:
            mark = self.locate(path) if nearest_key else None
        line, col = mark or (self.key_mark(path) if at_key else self.mark(path))
        return Place(self.file, line, col)


def column_letter(col: int) -> str:
    """1 -> ``A``, 27 -> ``AA``."""
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def cell_name(row: int, col: int) -> str:
    """(12, 6) -> ``F12``."""
    return f"{column_letter(col)}{row}"


def format_path(path: PathT) -> str:
    """``('hazards', 4, 'deadline')`` -> ``hazards[4].deadline``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def decode(raw: bytes, doc: Document) -> str | None:
    """Decode file bytes as UTF-8 (with or without BOM) or BOM-marked UTF-16; else report."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            doc.error(
                1,
                1,
                f"file starts with a UTF-16 byte-order mark but is not valid UTF-16 ({exc.reason})",
            )
            return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8", errors="replace")
        line = good.count("\n") + 1
        col = len(good) - (good.rfind("\n") + 1) + 1
        try:
            raw.decode("gb18030")
            found = "it looks like GBK/GB18030 (a Chinese Windows encoding)"
        except UnicodeDecodeError:
            found = "its encoding is unknown"
        doc.error(line, col, f"file is not UTF-8: {found}; save it as UTF-8 and try again")
        return None


def load_file(path: Path, display: str | None = None, within: Path | None = None) -> Document:
    """Load one YAML file (that must resolve inside ``within``, when given). Problems go to
    ``Document.diagnostics``; ``data`` is None on error."""
    doc = Document(display or str(path))
    raw = read_document(path, doc, within)
    text = decode(raw, doc) if raw is not None else None
    if text is not None:
        load_text(text, doc)
    return doc


def read_document(path: Path, doc: Document, within: Path | None = None) -> bytes | None:
    """The bytes of a YAML input (regular file, at most :data:`MAX_BYTES`, inside ``within``
    when given); None and an error in ``doc`` when it cannot or must not be read."""
    try:
        return read_input(path, MAX_BYTES, within)
    except TooLarge as exc:
        doc.error(1, 1, str(exc.strerror))
    except OSError as exc:
        doc.error(0, 0, f"cannot read file: {exc.strerror or exc}")
    return None


def load_text(text: str, doc: Document) -> Document:
    """Parse YAML text into ``doc`` (data, marks, diagnostics)."""
    if len(text.encode("utf-8", errors="replace")) > MAX_BYTES:
        doc.error(1, 1, f"text is over the limit of {MAX_BYTES:,} bytes")
        return doc
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        doc.error(1, 1, "file is empty: expected a mapping of keys and values")
        return doc
    builder = EventBuilder(doc)
    feed = builder.feed
    parser: Any = None
    try:
        # the parser's own loop, not yaml.parse's generator (which asks each event twice):
        # a unit file is thousands of events
        parser = _Loader(text)  # the pure-Python reader already refuses characters here
        event = parser.get_event()
        while event is not None:
            feed(event)
            if builder.stopped:
                break
            event = parser.get_event()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        msg = exc.problem or exc.context or "syntax error"
        if _char_at(text, line, col) == "\t" or "'\\t'" in msg:
            msg += " (a tab: tabs are not allowed for indentation, use spaces)"
        doc.error(line, col, f"YAML syntax: {msg}")
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, by offset
        before = text[: exc.position]
        line = before.count("\n") + 1
        col = len(before) - (before.rfind("\n") + 1) + 1
        doc.error(line, col, f"character U+{exc.character:04X} is not allowed in YAML: delete it")
    except yaml.YAMLError as exc:
        doc.error(1, 1, "YAML: " + str(exc).splitlines()[0])
    finally:
        if parser is not None:
            parser.dispose()
    if any(d.level == ERROR for d in doc.diagnostics):
        doc.data = None
    elif doc.data is None:  # '~', 'null' or a bare '---'
        doc.error(1, 1, "file holds no data (only null): expected a mapping of keys and values")
    return doc


def _char_at(text: str, line: int, col: int) -> str:
    """The character at a 1-based position, or '' past the end."""
    lines = text.split("\n")
    if 0 < line <= len(lines) and 0 < col <= len(lines[line - 1]):
        return lines[line - 1][col - 1]
    return ""
