"""Lists kept in spreadsheets: ``{from: PATH, sheet: NAME}`` in place of any list of a file.

A hidden-danger register, training records or a participants list usually live in a
workbook. In a unit or meeting file any list may be written as ``{from: ledgers/隐患台账.xlsx,
sheet: 隐患台账}`` (PATH relative to the file, ``sheet`` optional). The header row is matched to
the schema's fields by key, English title or Chinese title; each further non-blank row is an
item. Cell values are handed to the schema step as a person typed them (text, or a date for
a date cell), so conversion of ``一般``, ``2024/3/5`` or ``132万`` happens in one place
(:mod:`compliance.values` via :mod:`compliance.schema`), for YAML and sheets alike. Every
item remembers its row and every field its column, so diagnostics and findings name the cell.

A list inside the items (a person's training records, a plan's drills) comes from a second
sheet of the same workbook named by its title (``培训记录``), or from ``training: {from:...,
sheet: ...}`` in the mapping; each of its rows names its parent by a key column (``姓名``).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compliance.diagnostics import ERROR, WARNING, Diagnostic
from compliance.loader import Document, PathT, format_path, load_file
from compliance.schema import close_matches, load_schema, validate_document
from compliance.schemaview import resolve_ref

if TYPE_CHECKING:  # imported when a list is read from a sheet: a plain YAML check needs none
    from compliance.ledger_table import Table

__all__ = ["PARENT_KEYS", "load_document", "resolve"]

PARENT_KEYS = ("id", "name", "title", "post")  # how a nested row names its parent row


def resolve(root: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Follow local ``$ref``s."""
    resolved: dict[str, Any] = resolve_ref(root, schema)
    return resolved


def load_document(path: Path, display: str, schema_name: str) -> Document:
    """Load a YAML file, read the lists it takes from sheets, validate and convert it."""
    doc = load_file(path, display)
    if isinstance(doc.data, dict):
        root = load_schema(schema_name)
        _Expander(doc, root, path.parent).walk(doc.data, root, ())
    return validate_document(doc, schema_name)


class _Expander:
    """Walks a document with its schema and replaces ``{from: ...}`` lists by sheet rows."""

    def __init__(self, doc: Document, root: dict[str, Any], base: Path) -> None:
        self.doc = doc
        self.root = root
        self.base = base

    def problem(self, path: PathT, message: str, level: str = ERROR) -> None:
        where = format_path(path)
        self.doc.diagnostics.append(self.doc.problem(path, f"{where}: {message}", level))

    def walk(self, value: Any, schema: dict[str, Any], path: PathT) -> None:
        schema = resolve(self.root, schema)
        if not isinstance(value, dict):
            return
        for key, sub in schema.get("properties", {}).items():
            if key not in value:
                continue
            sub = resolve(self.root, sub)
            here = (*path, key)
            item = value[key]
            if sub.get("type") == "array":
                if isinstance(item, dict) and "from" in item:
                    items = self.read_list(item, sub, here)
                    if items is None:
                        del value[key]  # the reason is reported; no second "found nothing"
                    else:
                        value[key] = items
                elif isinstance(item, list) and _has_lists(self.root, sub["items"]):
                    for i, element in enumerate(item):
                        self.walk(element, sub["items"], (*here, i))
            elif sub.get("type") == "object":
                self.walk(item, sub, here)

    def _book(self, spec: dict[str, Any], path: PathT) -> tuple[Path, str] | None:
        ref = spec.get("from")
        if not isinstance(ref, str) or not ref.strip():
            self.problem(
                (*path, "from"), "'from' names a .xlsx or .csv file, e.g. ledgers/台账.xlsx"
            )
            return None
        if Path(ref).is_absolute() or ref.startswith("~"):
            self.problem((*path, "from"), f"'{ref}': write a path relative to this file")
            return None
        target = self.base / ref
        try:
            mode = target.stat().st_mode
        except (OSError, ValueError):
            self.problem((*path, "from"), f"no file at {ref} (relative to this file)")
            return None
        if not stat.S_ISREG(mode):  # a folder, a device, a pipe: never opened
            self.problem((*path, "from"), f"{ref} is not a regular file")
            return None
        # shown beside the unit file as the person wrote it: ledgers/隐患台账.xlsx
        shown = os.path.normpath(os.path.join(os.path.dirname(self.doc.file), ref))
        return target, Path(shown).as_posix()

    def read_list(self, spec: dict[str, Any], schema: dict[str, Any], path: PathT) -> Any:
        """The items of the sheet ``spec`` names (None, and a diagnostic, when unreadable)."""
        from compliance.ledger_table import Table
        from compliance.sheets import SheetProblem, open_rows

        items_schema = resolve(self.root, schema["items"])
        nested = _nested_lists(self.root, items_schema)
        for key in spec:
            if key not in ("from", "sheet") and key not in nested:
                hint = close_matches(key, ["from", "sheet", *nested], 1)
                tip = f"; did you mean '{hint[0]}'?" if hint else ""
                self.problem((*path, key), f"unknown key '{key}' is ignored{tip}", WARNING)
        found = self._book(spec, path)
        if found is None:
            return None
        target, display = found
        sheet = spec.get("sheet")
        sheet = None if sheet is None else str(sheet)
        try:
            rows = open_rows(target, sheet)
            reader = Table(self, display, rows.sheet, self.root, items_schema, path)
            items = reader.read(rows.rows)
            if items is None:
                return None
            for key, sub in nested.items():
                child = spec.get(key)
                child_sheet = _default_sheet(sub, rows.sheets) if child is None else None
                if child is None and child_sheet is None:
                    continue
                self._read_children(
                    child if isinstance(child, dict) else {"sheet": child_sheet},
                    target,
                    display,
                    (key, sub),
                    items,
                    reader,
                    path,
                )
        except SheetProblem as exc:
            self._sheet_problem(exc, display, path)
            return None
        return items

    def _sheet_problem(self, exc: Any, display: str, path: PathT) -> None:
        if exc.cell:
            row = exc.row or 0
            self.doc.diagnostics.append(
                Diagnostic(display, row, 0, ERROR, exc.message, exc.sheet, exc.cell)
            )
        else:
            where = f"{display}:{exc.sheet}" if exc.sheet else display
            self.problem((*path, "from"), f"{where}: {exc.message}")

    def _read_children(
        self,
        spec: dict[str, Any],
        book: Path,
        display: str,
        nested: tuple[str, dict[str, Any]],
        parents: list[dict[str, Any]],
        parent_table: Table,
        path: PathT,
    ) -> None:
        from compliance.ledger_table import SheetRows, Table
        from compliance.sheets import SheetProblem, open_rows

        key, sub = nested
        if "from" in spec:
            found = self._book(spec, (*path, key))
            if found is None:
                return
            book, display = found
        sheet = spec.get("sheet")
        rows = open_rows(book, None if sheet is None else str(sheet))
        items_schema = resolve(self.root, sub["items"])
        parent_props = parent_table.items_schema.get("properties", {})
        extra = {k: parent_props[k] for k in PARENT_KEYS if k in parent_props}
        table = Table(self, display, rows.sheet, self.root, items_schema, (*path, key), extra)
        children = table.read(rows.rows)
        if children is None:
            return
        link = next((k for k in PARENT_KEYS if k in table.extra_columns), None)
        if link is None:
            names = " or ".join(
                f"{extra[k].get('x-title-zh', k)} ({k})" for k in extra if k in PARENT_KEYS
            )
            raise SheetProblem(
                f"each row must name its parent in a column {names}",
                sheet=rows.sheet,
                cell=f"A{table.header_row}",
                row=table.header_row,
            )
        index: dict[str, int] = {}
        for i, parent in enumerate(parents):
            index.setdefault(_key_text(parent.get(link)), i)
        per_parent: dict[int, tuple[list[dict[str, Any]], list[int]]] = {}
        for child, row, owner in zip(children, table.rows, table.extra_values, strict=True):
            wanted = _key_text(owner.get(link))
            if wanted not in index:
                col = table.extra_columns[link]
                from compliance.loader import cell_name

                raise SheetProblem(
                    f"no row of the parent sheet has {link} '{wanted}'",
                    sheet=rows.sheet,
                    cell=cell_name(row, col),
                    row=row,
                )
            bucket = per_parent.setdefault(index[wanted], ([], []))
            bucket[0].append(child)
            bucket[1].append(row)
        parent_path = path
        for i, (kids, kid_rows) in per_parent.items():
            parents[i][key] = kids
            self.doc.sheets[(*parent_path, i, key)] = SheetRows(
                display, rows.sheet, table.header_row, kid_rows, table.columns, table.headers
            )


def _key_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _default_sheet(sub: dict[str, Any], sheets: list[str]) -> str | None:
    """The sheet of a nested list when not named: one titled like the list."""
    from compliance.ledger_table import spelling

    wanted = {spelling(w) for w in (sub.get("x-title-zh", ""), sub.get("title", "")) if w}
    return next((s for s in sheets if spelling(s) in wanted), None)


def _nested_lists(root: dict[str, Any], items: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The item's own fields that are lists of mappings (training records, drills)."""
    out = {}
    for key, sub in items.get("properties", {}).items():
        sub = resolve(root, sub)
        if sub.get("type") == "array" and resolve(root, sub["items"]).get("type") == "object":
            out[key] = sub
    return out


def _has_lists(root: dict[str, Any], items: dict[str, Any]) -> bool:
    """True when items hold lists (or mappings) that may themselves come from sheets."""
    items = resolve(root, items)
    return any(
        resolve(root, s).get("type") in ("array", "object")
        and not _is_text_list(root, resolve(root, s))
        for s in items.get("properties", {}).values()
    )


def _is_text_list(root: dict[str, Any], schema: dict[str, Any]) -> bool:
    return schema.get("type") == "array" and resolve(root, schema["items"]).get("type") != "object"
