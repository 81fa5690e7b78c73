"""Small xlsx workbooks with openpyxl (imported lazily), written deterministically.

openpyxl stamps the workbook with the current time and its zip members with the clock;
:func:`save` sets both from the as-of date, so the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl import Workbook

_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_MAX_TITLE = 31  # Excel's limit on sheet names
_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


def new_workbook() -> Workbook:
    """An empty workbook (the default sheet removed; :func:`sheet` adds them)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    return wb


def sheet(wb: Workbook, title: str, head: Sequence[Any], rows: Iterable[Sequence[Any]]) -> None:
    """Add a sheet with a bold, frozen header row and columns wide enough to read."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title.translate(_FORBIDDEN)[:_MAX_TITLE])
    ws.append(list(head))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = [_width(h) for h in head]
    for row in rows:
        ws.append(list(row))
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # data, not a formula: nothing from a unit file runs in Excel
        for i, v in enumerate(row[: len(widths)]):
            widths[i] = max(widths[i], _width(v))
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(max(w + 2, 8), 60)
    ws.freeze_panes = "A2"


def _width(value: Any) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)  # CJK characters are double width


def save(wb: Workbook, when: dt.date) -> bytes:
    """The workbook as bytes, with its dates and zip timestamps fixed to ``when``."""
    stamp = dt.datetime(when.year, when.month, when.day)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "compliance"
    raw = io.BytesIO()
    wb.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps 'modified' with the clock
                data = _MODIFIED.sub(
                    rb"\g<1>" + stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>", data
                )
            dst.writestr(fixed, data)
    return out.getvalue()
