"""``compliance check --format xlsx``: findings, the rectification register and scores as a workbook.

Three sheets: the findings (every field of the JSON record a column, autofilter, frozen
header, a colour per severity), the rectification register (整改台账: unit, item, problem,
basis and the "five implementations" — responsible department and person, measures, funds,
deadline, interim and contingency measures — then status and acceptance, left blank to be
filled in) and the scores of units and areas. Cells hold typed values (numbers, dates, text);
text from the data that starts with ``=`` is stored as text, never as a formula. The bytes
are the same for the same result: workbook timestamps and zip entry times are fixed.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from compliance.areas import AREAS, severity_rank
from compliance.finding_table import SHEET_COLUMNS, headers, values
from compliance.i18n import N_
from compliance.result import Result
from compliance.runner import CheckResult

_FILLS = {"critical": "F8CBAD", "major": "FFE699", "minor": "DDEBF7", "info": "EDEDED"}
_HEADER_FILL = "D9E1F2"
REGISTER = (
    ("no", N_("No."), 6),
    ("unit", N_("Unit"), 18),
    ("rule", N_("Rule"), 12),
    ("severity", N_("Severity"), 9),
    ("item", N_("Item"), 16),
    ("message", N_("Problem found"), 50),
    ("basis", N_("Basis"), 30),
    ("department", N_("Responsible department"), 16),
    ("responsible", N_("Person responsible for rectification"), 14),
    ("measures", N_("Rectification measures"), 40),
    ("funds", N_("Rectification funds (CNY)"), 14),
    ("deadline", N_("Rectification deadline"), 14),
    ("interim", N_("Interim and contingency measures"), 30),
    ("status", N_("Rectification status"), 12),
    ("accepted_by", N_("Accepted by"), 12),
    ("accepted_on", N_("Accepted on"), 13),
    ("fingerprint", N_("Finding fingerprint"), 18),
)
_STATUS = {"en": ["open", "rectifying", "closed"], "zh": ["未整改", "整改中", "已整改"]}


def iter_xlsx(result: CheckResult, lang: str, colour: bool = False) -> Iterator[bytes]:
    """The workbook as an output format (see ``names.OUTPUT_FORMATS``): binary, one piece."""
    yield to_xlsx(result, lang)


def to_xlsx(result: CheckResult, lang: str) -> bytes:
    """The workbook as bytes (deterministic for the same result and as-of date)."""
    import openpyxl

    from compliance.i18n import translations

    _ = translations(lang).gettext
    data = result.to_json(lang)
    wb = openpyxl.Workbook()
    ws: Any = wb.active
    ws.title = _("Findings list")
    _findings_sheet(ws, data, lang)
    _register_sheet(wb.create_sheet(_("Rectification register")), data, lang)
    _scores_sheet(wb.create_sheet(_("Scores of units and areas")), data, lang)
    stamp = dt.datetime.combine(result.as_of, dt.time(0))
    return workbook_bytes(wb, stamp)


def workbook_bytes(wb: Any, stamp: dt.datetime) -> bytes:
    """A workbook saved to bytes that depend only on its content and ``stamp``."""
    wb.properties.creator = "compliance"
    wb.properties.created = stamp
    buf = io.BytesIO()
    wb.save(buf)
    return _fixed_times(buf.getvalue(), stamp)


def _put(ws: Any, row: int, col: int, value: Any) -> Any:
    """Write a typed value; text is always text (a leading '=' never makes a formula)."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        value = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", value)  # not allowed in XML
        cell.value = value
        cell.data_type = "s"
    else:
        cell.value = value
    if isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def _header(ws: Any, titles: list[str], widths: list[int]) -> None:
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    fill = PatternFill("solid", fgColor=_HEADER_FILL)
    for col, (title, width) in enumerate(zip(titles, widths, strict=True), start=1):
        cell = _put(ws, 1, col, title)
        cell.font = Font(bold=True)
        cell.fill = fill
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"


def _findings_sheet(ws: Any, data: Result, lang: str) -> None:
    from openpyxl.styles import PatternFill

    widths = {"message": 60, "title": 30, "basis": 30, "remediation": 40, "path": 30, "file": 24}
    _header(ws, headers(SHEET_COLUMNS, lang), [widths.get(c, 12) for c in SHEET_COLUMNS])
    sev_col = SHEET_COLUMNS.index("severity") + 1
    row = 1
    for f in data["findings"]:
        row += 1
        for col, value in enumerate(values(f, SHEET_COLUMNS, lang), start=1):
            _put(ws, row, col, _date_or(value) if col == len(SHEET_COLUMNS) else value)
        ws.cell(row=row, column=sev_col).fill = PatternFill("solid", fgColor=_FILLS[f["severity"]])
    ws.auto_filter.ref = ws.dimensions


def _date_or(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _register_sheet(ws: Any, data: Result, lang: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    from compliance.i18n import SEVERITY_LABELS, label, translations

    _ = translations(lang).gettext
    _header(ws, [_(t) for _k, t, _w in REGISTER], [w for _k, _t, w in REGISTER])
    open_ = [f for f in data["findings"] if not f["waived"]]
    open_.sort(key=lambda f: (severity_rank(f["severity"]), f["unit"], f["rule"], f["item"] or ""))
    keys = [k for k, _t, _w in REGISTER]
    for n, f in enumerate(open_, start=1):
        sev = f["severity"] if lang == "en" else label(SEVERITY_LABELS, f["severity"], lang)
        known = {
            "no": n,
            "unit": f["unit"],
            "rule": f["rule"],
            "severity": sev,
            "item": f["item"],
            "message": f["message"],
            "basis": f["basis"],
            "responsible": f["responsible"],
            "measures": f["remediation"],
            "fingerprint": f["fingerprint"],
        }
        for col, key in enumerate(keys, start=1):
            cell = _put(ws, n + 1, col, known.get(key))
            if key in ("deadline", "accepted_on"):
                cell.number_format = "yyyy-mm-dd"
    last = max(len(open_) + 1, 200)  # room to add rows by hand
    status = DataValidation(type="list", formula1='"' + ",".join(_STATUS[lang]) + '"')
    status.add(f"{_col(keys.index('status'))}2:{_col(keys.index('status'))}{last}")
    dates = DataValidation(type="date", operator="greaterThan", formula1="1")
    for key in ("deadline", "accepted_on"):
        dates.add(f"{_col(keys.index(key))}2:{_col(keys.index(key))}{last}")
    money = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")
    money.add(f"{_col(keys.index('funds'))}2:{_col(keys.index('funds'))}{last}")
    for dv in (status, dates, money):
        ws.add_data_validation(dv)
    ws.auto_filter.ref = f"A1:{_col(len(keys) - 1)}{len(open_) + 1}"


def _col(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


def _scores_sheet(ws: Any, data: Result, lang: str) -> None:
    from compliance.i18n import AREA_LABELS, label, translations

    _ = translations(lang).gettext
    titles = [_("Unit"), _("Unit name"), _("Parent unit"), _("Score")]
    titles += [label(AREA_LABELS, a, lang) for a in AREAS]
    _header(ws, titles, [16, 24, 16, 9] + [12] * len(AREAS))
    row = 1
    for u in data["units"]:
        row += 1
        cells = [u["id"], u["name"], u["parent"], u["score"]]
        cells += [u["areas"][a]["score"] if a in u["areas"] else None for a in AREAS]
        for col, value in enumerate(cells, start=1):
            _put(ws, row, col, value)
    ws.auto_filter.ref = ws.dimensions


def _fixed_times(raw: bytes, stamp: dt.datetime) -> bytes:
    """Rewrite the zip with fixed entry times and the core properties' dates set to ``stamp``."""
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            body = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = body.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rf"\g<1>{iso}\g<2>", text
                )
                body = text.encode("utf-8")
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            zout.writestr(fixed, body)
    return out.getvalue()
