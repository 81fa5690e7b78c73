"""The rows of one sheet as the items of one list: header matching and cell values.

The header row is found among the first rows (a caption above it is skipped) and matched to
the item's fields by key, English title or Chinese title (``spelling`` compares them without
case, spaces or a trailing ``*``). Each further non-blank row becomes an item; each cell is
shaped for the schema step (:func:`cell_value`), which converts text for YAML and sheets alike.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import TYPE_CHECKING, Any, NamedTuple

from compliance.diagnostics import ERROR, WARNING, Diagnostic
from compliance.ledgers import resolve
from compliance.loader import PathT
from compliance.schema import close_matches

if TYPE_CHECKING:
    from compliance.ledgers import _Expander

_SPLIT = re.compile(r"\s*(?:\r?\n|；|;)\s*")  # one cell holding several lines of a text list
_DECOR = re.compile(r"(\*|（必填）|\(必填\)|\(required\))$")
_PAREN = re.compile(r"\s*[（(][^（()）]*[)）]$")


class SheetRows(NamedTuple):
    """Where the items of a list read from a sheet are: the sheet row of each item, the
    column of each field (see :mod:`compliance.ledgers`)."""

    file: str
    sheet: str  # "" for a CSV file
    header_row: int
    rows: list[int]
    columns: dict[str, int]
    headers: dict[str, str] = {}  # noqa: RUF012 - field -> its header as written, for messages


HEADER_SEARCH = 10  # title rows above the header (a workbook's caption) are skipped


def spelling(text: str) -> str:
    """A header as compared: NFKC, no spaces, case-folded, without a trailing ``*``."""
    s = unicodedata.normalize("NFKC", text).strip()
    s = _DECOR.sub("", s).strip()
    return re.sub(r"\s+", "", s).casefold()


_NAMES: dict[int, dict[str, str]] = {}  # by id of the (cached, long-lived) items schema


def field_names(root: dict[str, Any], items: dict[str, Any]) -> dict[str, str]:
    """Every accepted header spelling of an item's fields -> the field's key."""
    cached = _NAMES.get(id(items))
    if cached is not None:
        return cached
    table: dict[str, str] = {}
    for key, sub in items.get("properties", {}).items():
        words = [key, key.replace("_", " "), sub.get("title", ""), sub.get("x-title-zh", "")]
        words += [_PAREN.sub("", w) for w in words[2:]]  # 整改资金 for 整改资金（元）
        for word in words:
            if word:
                table.setdefault(spelling(word), key)
    _NAMES[id(items)] = table
    return table


class Table:
    """Reads the rows of one sheet into items of one list."""

    def __init__(
        self,
        owner: _Expander,
        display: str,
        sheet: str,
        root: dict[str, Any],
        items_schema: dict[str, Any],
        path: PathT,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.owner = owner
        self.display = display
        self.sheet = sheet
        self.root = root
        self.items_schema = items_schema
        self.path = path
        self.extra = extra or {}
        self.header_row = 0
        self.columns: dict[str, int] = {}
        self.headers: dict[str, str] = {}
        self.extra_columns: dict[str, int] = {}
        self.rows: list[int] = []
        self.extra_values: list[dict[str, Any]] = []

    def diag(self, level: str, row: int, col: int, message: str) -> None:
        from compliance.loader import cell_name

        self.owner.doc.diagnostics.append(
            Diagnostic(self.display, row, col, level, message, self.sheet, cell_name(row, col))
            if self.sheet
            else Diagnostic(self.display, row, col, level, message)
        )

    def read(self, rows: Any) -> list[Any] | None:
        from compliance.sheets import MAX_ROWS, SheetProblem, normalise_cell

        if self.items_schema.get("type") != "object":
            return self._read_texts(rows)
        names = field_names(self.root, self.items_schema)
        extra_names = {
            s: k
            for k, sub in self.extra.items()
            for s in (
                spelling(k),
                spelling(sub.get("title", "")),
                spelling(sub.get("x-title-zh", "")),
            )
        }
        head: list[tuple[int, tuple[Any, ...]]] = []
        rows = iter(rows)
        for number, values in rows:
            if any(normalise_cell(v) is not None for v in values):
                head.append((number, values))
                if len(head) >= HEADER_SEARCH:
                    break
        if not head:  # an empty ledger is an empty list, not an error
            self.owner.doc.sheets[self.path] = SheetRows(self.display, self.sheet, 1, [], {})
            return []

        def score(values: tuple[Any, ...]) -> int:
            return sum(
                1
                for v in values
                if isinstance(v, str) and (spelling(v) in names or spelling(v) in extra_names)
            )

        best = max(range(len(head)), key=lambda i: (score(head[i][1]), -i))
        if score(head[best][1]) == 0:
            sample = "、".join(
                sub.get("x-title-zh", k)
                for k, sub in list(self.items_schema["properties"].items())[:3]
            )
            raise SheetProblem(
                f"no header row found: the first row should name the columns, e.g. {sample}",
                sheet=self.sheet,
                cell=f"A{head[0][0]}",
                row=head[0][0],
            )
        self.header_row, header = head[best]
        fields: dict[int, str] = {}
        extras: dict[int, str] = {}
        for col, raw in enumerate(header, start=1):
            text = normalise_cell(raw)
            if text is None:
                continue
            key = names.get(spelling(str(text)))
            if key is None and spelling(str(text)) in extra_names:
                extras[col] = extra_names[spelling(str(text))]
                self.extra_columns[extras[col]] = col
                continue
            if key is None:
                titles = [
                    s.get("x-title-zh", k) for k, s in self.items_schema["properties"].items()
                ]
                hint = close_matches(str(text), titles, 1, 0.5) or close_matches(
                    spelling(str(text)), list(names), 1
                )
                tip = f"; did you mean '{hint[0]}'?" if hint else ""
                self.diag(WARNING, self.header_row, col, f"unknown column '{text}' is ignored{tip}")
            elif key in self.columns:
                self.diag(
                    WARNING,
                    self.header_row,
                    col,
                    f"column '{text}' repeats an earlier column and is ignored",
                )
            else:
                fields[col] = key
                self.columns[key] = col
                self.headers[key] = str(text)
        missing = [k for k in self.items_schema.get("required", []) if k not in self.columns]
        if missing:
            props = self.items_schema["properties"]
            shown = ", ".join(f"{props[k].get('x-title-zh', k)} ({k})" for k in missing)
            self.diag(ERROR, self.header_row, 1, f"missing required column: {shown}")
            return None
        schemas = {
            k: resolve(self.root, self.items_schema["properties"][k]) for k in fields.values()
        }
        items: list[dict[str, Any]] = []
        data_rows = [(n, v) for n, v in head[best + 1 :]]

        def all_rows() -> Any:
            yield from data_rows
            yield from rows

        for number, values in all_rows():
            item: dict[str, Any] = {}
            owner: dict[str, Any] = {}
            for col, key in fields.items():
                if col <= len(values):
                    value = cell_value(normalise_cell(values[col - 1]), schemas[key])
                    if value is not None:
                        item[key] = value
            for col, key in extras.items():
                if col <= len(values):
                    owner[key] = normalise_cell(values[col - 1])
            if not item and not any(v is not None for v in owner.values()):
                continue  # a blank row
            if len(items) >= MAX_ROWS:
                raise SheetProblem(
                    f"the sheet has more than {MAX_ROWS:,} rows of data: split it",
                    sheet=self.sheet,
                    cell=f"A{number}",
                    row=number,
                )
            items.append(item)
            self.rows.append(number)
            if extras:
                self.extra_values.append(owner)
        if not self.extra:
            self.owner.doc.sheets[self.path] = SheetRows(
                self.display, self.sheet, self.header_row, self.rows, self.columns, self.headers
            )
        return items

    def _read_texts(self, rows: Any) -> list[Any]:
        """A list of texts (decisions, requirements): the first column, one item a row."""
        from compliance.sheets import normalise_cell

        out: list[Any] = []
        numbers: list[int] = []
        header = {spelling(self.path[-1] if isinstance(self.path[-1], str) else "")}
        for number, values in rows:
            value = normalise_cell(values[0]) if values else None
            if value is None:
                continue
            if not out and spelling(str(value)) in header | self._list_titles():
                self.header_row = number
                continue
            out.append(_text(value))
            numbers.append(number)
        self.owner.doc.sheets[self.path] = SheetRows(
            self.display, self.sheet, self.header_row, numbers, {}
        )
        return out

    def _list_titles(self) -> set[str]:
        node: Any = self.root
        for part in self.path:
            if isinstance(part, int):
                node = resolve(self.root, node.get("items", {}))
            else:
                node = resolve(self.root, node.get("properties", {}).get(part, {}))
        return {spelling(node.get("title", "") or "-"), spelling(node.get("x-title-zh", "") or "-")}


def _text(value: Any) -> str:
    """A cell's value as text for a text field: 12.0 -> ``12``, a date -> ``2024-03-05``."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def cell_value(value: Any, schema: dict[str, Any]) -> Any:
    """A normalised cell value, shaped for the schema step (which converts text)."""
    if value is None:
        return None
    typ = schema.get("type")
    fmt = schema.get("format")
    if typ == "array":  # several texts in one cell, one a line
        return [p for p in _SPLIT.split(_text(value)) if p]
    if typ == "string" and fmt == "date":
        if isinstance(value, dt.datetime):
            return value.date()
        return value if isinstance(value, dt.date) else _text(value)
    if typ == "string" and fmt == "time":
        if isinstance(value, (dt.datetime, dt.time)):
            return f"{value.hour:02d}:{value.minute:02d}"
        return _text(value)
    if (
        typ in ("integer", "number")
        and isinstance(value, (int, float))
        and not isinstance(value, bool)
    ):
        return int(value) if isinstance(value, float) and value.is_integer() else value
    if typ == "boolean" and isinstance(value, bool):
        return value
    return _text(value)
