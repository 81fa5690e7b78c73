"""Write a ledger workbook for one list of the schema: blank (the starter) or filled (export).

Everything comes from the schema's annotations, never from a hand-written layout: the header
row holds each field's title in the chosen language (``*`` marks a required column), columns
get widths by kind, enumerations a drop-down of their labels, dates a date format and date
validation, a nested list (training records, drills) a second sheet whose first column names
the parent row, and a last sheet explains every column. The reader
(:mod:`compliance.ledgers`) accepts exactly what is written here, so a ledger round-trips.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from compliance.i18n import N_
from compliance.ledgers import PARENT_KEYS, resolve

ROWS_PREPARED = 500  # drop-downs and formats reach this far in a blank ledger
_WIDE = ("description", "measures", "scope", "content", "controls", "hazard", "contingency_plan")


class Ledger(NamedTuple):
    """One list of a unit or meeting file kept as a workbook."""

    path: tuple[str, ...]  # ('risks', 'hidden_dangers')
    schema: dict[str, Any]  # the array's schema (annotated)
    items: dict[str, Any]  # the items' schema, resolved

    def title(self, lang: str) -> str:
        """The ledger's title: 隐患排查治理台账 / Hidden dangers."""
        return str(self.schema.get("x-title-zh" if lang == "zh" else "title") or self.path[-1])


def ledgers_of(root: dict[str, Any]) -> list[Ledger]:
    """Every list of mappings a file may hold outside list items, in schema order."""
    out: list[Ledger] = []

    def walk(node: dict[str, Any], path: tuple[str, ...]) -> None:
        for key, sub in node.get("properties", {}).items():
            annotated = sub
            sub = resolve(root, sub)
            if sub.get("type") == "object":
                walk(sub, (*path, key))
            elif sub.get("type") == "array":
                items = resolve(root, sub["items"])
                if items.get("type") == "object":
                    merged = {**sub, **{k: v for k, v in annotated.items() if k != "$ref"}}
                    out.append(Ledger((*path, key), merged, items))

    walk(root, ())
    return out


def ledger_stem(ledger: Ledger, lang: str) -> str:
    """A ledger's file name without suffix: 隐患排查治理台账 / hidden_dangers."""
    if lang == "zh":
        return sheet_title(ledger.title("zh"))
    return sheet_title(ledger.title("en")).lower().replace(" ", "_").replace("'", "")


def nested_of(root: dict[str, Any], items: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The item's own lists of mappings (a person's training records, a plan's drills)."""
    out = []
    for key, sub in items.get("properties", {}).items():
        sub = resolve(root, sub)
        if sub.get("type") == "array" and resolve(root, sub["items"]).get("type") == "object":
            out.append((key, sub))
    return out


def sheet_title(text: str) -> str:
    """A valid sheet name: at most 31 characters, none of ``[]:*?/\\``."""
    clean = "".join("_" if c in "[]:*?/\\" else c for c in text)
    return clean[:31] or "Sheet"


def header_text(key: str, schema: dict[str, Any], lang: str, required: bool) -> str:
    """A column's header: its title in ``lang``, with ``*`` when the column is required."""
    title = schema.get("x-title-zh" if lang == "zh" else "title") or key
    return f"{title}*" if required else str(title)


def enum_labels(schema: dict[str, Any], lang: str) -> list[str]:
    """What the drop-down of an enumeration offers: Chinese labels, or the codes."""
    codes = [str(c) for c in schema["enum"]]
    if lang == "zh":
        labels = schema.get("x-enum-zh") or {}
        return [labels.get(c, c) for c in codes]
    return codes


def cell_for(value: Any, schema: dict[str, Any], lang: str) -> Any:
    """A field's value as a typed cell: dates stay dates, enums show their label."""
    if value is None:
        return None
    if "enum" in schema and lang == "zh":
        return (schema.get("x-enum-zh") or {}).get(str(value), value)
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return value


class _Columns(NamedTuple):
    keys: list[str]
    schemas: list[dict[str, Any]]


def _columns(root: dict[str, Any], items: dict[str, Any]) -> _Columns:
    keys, schemas = [], []
    for key, sub in items.get("properties", {}).items():
        resolved = resolve(root, sub)
        if (
            resolved.get("type") == "array"
            and resolve(root, resolved["items"]).get("type") == "object"
        ):
            continue  # a nested list has its own sheet
        keys.append(key)
        schemas.append({**resolved, **{k: v for k, v in sub.items() if k != "$ref"}})
    return _Columns(keys, schemas)


def write_sheet(
    ws: Any,
    root: dict[str, Any],
    items: dict[str, Any],
    lang: str,
    rows: list[dict[str, Any]],
    parent: tuple[str, dict[str, Any]] | None = None,
    parent_values: list[Any] | None = None,
) -> None:
    """Header, formats, drop-downs and rows of one list on one sheet."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    cols = _columns(root, items)
    required = set(items.get("required", []))
    heads = [
        header_text(k, s, lang, k in required) for k, s in zip(cols.keys, cols.schemas, strict=True)
    ]
    kinds = list(cols.schemas)
    keys = list(cols.keys)
    if parent is not None:  # the first column names the parent row
        heads.insert(0, header_text(parent[0], parent[1], lang, True))
        kinds.insert(0, parent[1])
        keys.insert(0, parent[0])
    fill = PatternFill("solid", fgColor="D9E1F2")
    last = max(ROWS_PREPARED, len(rows) + 1)
    for col, (head, schema) in enumerate(zip(heads, kinds, strict=True), start=1):
        cell = ws.cell(row=1, column=col, value=head)
        cell.data_type = "s"
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = get_column_letter(col)
        key = keys[col - 1]
        width = 40 if key in _WIDE else 13 if schema.get("format") == "date" else 16
        ws.column_dimensions[letter].width = width
        span = f"{letter}2:{letter}{last}"
        if "enum" in schema:
            labels = enum_labels(schema, lang)
            dv = DataValidation(
                type="list", formula1='"' + ",".join(labels) + '"', allow_blank=True
            )
            dv.add(span)
            ws.add_data_validation(dv)
        elif schema.get("type") == "boolean":
            choices = "是,否" if lang == "zh" else "yes,no"
            dv = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
            dv.add(span)
            ws.add_data_validation(dv)
        elif schema.get("format") == "date":
            ws.column_dimensions[letter].number_format = "yyyy-mm-dd"
            dv = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True)
            dv.error = "YYYY-MM-DD"
            dv.add(span)
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    for r, item in enumerate(rows, start=2):
        values = [
            cell_for(item.get(k), s, lang) for k, s in zip(cols.keys, cols.schemas, strict=True)
        ]
        if parent is not None and parent_values is not None:
            values.insert(0, parent_values[r - 2])
        for c, value in enumerate(values, start=1):
            if value is None:
                continue
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text from the data is never a formula
            elif isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"


INSTRUCTIONS = N_("Instructions for this ledger")
_INSTRUCTION_HEADS = (
    N_("Column of the ledger"),
    N_("Required column"),
    N_("What to write"),
    N_("Meaning of the column"),
)


def write_instructions(ws: Any, root: dict[str, Any], items: dict[str, Any], lang: str) -> None:
    """A sheet that explains every column: required or not, what to write, what it means."""
    from openpyxl.styles import Alignment, Font

    from compliance.i18n import translations

    _ = translations(lang).gettext
    ws.append([_(h) for h in _INSTRUCTION_HEADS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    required = set(items.get("required", []))
    for key, sub in items.get("properties", {}).items():
        schema = {**resolve(root, sub), **{k: v for k, v in sub.items() if k != "$ref"}}
        ws.append(
            [
                header_text(key, schema, lang, False),
                "*" if key in required else "",
                _what_to_write(schema, lang),
                _meaning(schema, lang),
            ]
        )
    for letter, width in zip("ABCD", (20, 8, 40, 60), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.data_type = "s"


def _meaning(schema: dict[str, Any], lang: str) -> str:
    if lang == "zh":
        return str(schema.get("x-title-zh", ""))
    return str(schema.get("description", ""))


def _what_to_write(schema: dict[str, Any], lang: str) -> str:
    from compliance.i18n import translations

    _ = translations(lang).gettext
    if "enum" in schema:
        return _("one of: %(values)s") % {"values": _(", ").join(enum_labels(schema, lang))}
    if schema.get("format") == "date":
        return _("a date, e.g. 2024-03-05 or 2024年3月5日")
    if schema.get("type") == "boolean":
        return _("yes or no")
    if schema.get("type") in ("integer", "number"):
        unit = schema.get("x-unit")
        text = _("a number, e.g. 1500 or 1,500 or 15万")
        return f"{text} ({unit})" if unit else text
    if schema.get("type") == "array":
        return _("one entry a line")
    return _("any text")


def parent_key(items: dict[str, Any], parents: list[dict[str, Any]]) -> str | None:
    """The field that names a parent row on a nested sheet: present and distinct in all."""
    props = items.get("properties", {})
    for key in PARENT_KEYS:
        if key not in props:
            continue
        values = [p.get(key) for p in parents]
        if all(v is not None for v in values) and len({str(v) for v in values}) == len(values):
            return key
    required = [k for k in PARENT_KEYS if k in props and k in items.get("required", [])]
    return required[0] if required and not parents else None


def build_workbook(
    ledger: Ledger, root: dict[str, Any], lang: str, rows: list[dict[str, Any]], stamp: dt.datetime
) -> bytes:
    """The ledger workbook of one list (blank when ``rows`` is empty), as bytes.

    Raises ValueError when nested rows cannot name their parents (no distinct id or name).
    """
    import openpyxl

    from compliance.formats_xlsx import workbook_bytes
    from compliance.i18n import translations

    wb = openpyxl.Workbook()
    ws: Any = wb.active
    ws.title = sheet_title(ledger.title(lang))
    write_sheet(ws, root, ledger.items, lang, rows)
    for key, sub in nested_of(root, ledger.items):
        kids = [(p, c) for p in rows for c in p.get(key) or []]
        link = parent_key(ledger.items, rows if kids else [])
        if link is None:
            raise ValueError(f"{'.'.join(ledger.path)}: no distinct id or name names each {key}")
        annotated = ledger.items["properties"][key]
        link_schema = {
            **resolve(root, ledger.items["properties"][link]),
            **{k: v for k, v in ledger.items["properties"][link].items() if k != "$ref"},
        }
        title = annotated.get("x-title-zh" if lang == "zh" else "title") or key
        child = wb.create_sheet(sheet_title(str(title)))
        write_sheet(
            child,
            root,
            resolve(root, sub["items"]),
            lang,
            [c for _p, c in kids],
            parent=(link, link_schema),
            parent_values=[p[link] for p, _c in kids],
        )
    write_instructions(
        wb.create_sheet(translations(lang).gettext(INSTRUCTIONS)), root, ledger.items, lang
    )
    return workbook_bytes(wb, stamp)
