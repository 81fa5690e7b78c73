"""Read the rows of one sheet of an ``.xlsx`` workbook or a ``.csv`` file, safely and lazily.

A ledger arrives as rows of cell values (text, numbers, dates, booleans). This module knows
files, not the schema: it refuses what cannot be read with one clear sentence (an old
``.xls``, a password-protected workbook, a zip bomb, an unknown encoding, a missing sheet),
streams rows with openpyxl's read-only mode so a 100,000-row sheet stays in bounded memory,
copies the value of a vertically merged cell down its range, and names every formula cell
that has no cached value. :mod:`compliance.ledgers` matches the rows to the schema.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from compliance.loader import cell_name

MAX_UNCOMPRESSED = 512 * 1024 * 1024  # a whole workbook, unpacked
MAX_PART = 128 * 1024 * 1024  # one part (shared strings are held in memory by openpyxl)
MAX_CSV_BYTES = 128 * 1024 * 1024
MAX_BOOK_BYTES = 128 * 1024 * 1024  # the .xlsx file itself (compressed)
MAX_ROWS = 200_000  # data rows of one sheet; 100,000 are read in bounded memory
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: .xls, .et, or an encrypted .xlsx
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
_EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
)
_COORD = re.compile(r"([A-Z]{1,3})(\d+)")


class SheetProblem(Exception):
    """A ledger that cannot be read; ``cell`` (``F12``) and ``row`` when one cell is at fault."""

    def __init__(self, message: str, sheet: str = "", cell: str = "", row: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.sheet = sheet
        self.cell = cell
        self.row = row


class Rows(NamedTuple):
    """The rows of one sheet: its name ("" for CSV) and (row number, values) pairs."""

    sheet: str
    rows: Iterator[tuple[int, tuple[Any, ...]]]
    sheets: list[str]  # every sheet of the workbook, for nested lists


def open_rows(path: Path, sheet: str | None) -> Rows:
    """The rows of ``sheet`` (default: the first visible one) of an .xlsx or .csv file."""
    suffix = path.suffix.lower()
    if suffix in (".xls", ".et", ".ett", ".wps"):
        raise SheetProblem(f"{suffix} files cannot be read: open it and save it as .xlsx")
    if suffix == ".csv":
        if sheet:
            raise SheetProblem("a .csv file has no sheets: remove 'sheet'")
        return Rows("", _csv_iter(*_csv_text(_read(path, MAX_CSV_BYTES))), [])
    if suffix not in (".xlsx", ".xlsm"):
        raise SheetProblem(f"cannot read {suffix or 'a file without suffix'}: use .xlsx or .csv")
    return _xlsx_rows(_read(path, MAX_BOOK_BYTES), sheet)


def _read(path: Path, limit: int) -> bytes:
    """The file's bytes through the one safe reader (regular file, bounded size)."""
    from compliance.inputs import read_input

    try:
        return read_input(path, limit)
    except OSError as exc:
        raise SheetProblem(f"cannot read it: {exc.strerror or exc}") from None


def _check_workbook(raw: bytes) -> None:
    if raw.startswith(_OLE):
        if _ENCRYPTED in raw[: 1 << 20]:  # the directory of a compound file is near the start
            raise SheetProblem(
                "the workbook is password-protected (encrypted): save a copy without a password"
            )
        raise SheetProblem("this is an old .xls workbook, not .xlsx: open it and save it as .xlsx")
    if not raw.startswith(b"PK"):
        raise SheetProblem("not an .xlsx workbook (it is not a zip file): save it as .xlsx")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            total = 0
            for info in zf.infolist():
                total += info.file_size
                if info.file_size > MAX_PART or total > MAX_UNCOMPRESSED:
                    raise SheetProblem(
                        f"the workbook unpacks to more than {MAX_UNCOMPRESSED // 2**20} MB "
                        f"(or one part to more than {MAX_PART // 2**20} MB): refused as unsafe"
                    )
    except zipfile.BadZipFile as exc:
        raise SheetProblem(
            f"not a readable .xlsx workbook ({exc}): save it again as .xlsx"
        ) from None


def _xlsx_rows(raw: bytes, sheet: str | None) -> Rows:
    _check_workbook(raw)
    import warnings

    import openpyxl  # lazily: only a check with a workbook pays for it

    try:
        with warnings.catch_warnings():  # openpyxl warns about styles and extensions it skips
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise SheetProblem(f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from None
    names = list(wb.sheetnames)
    if sheet is None:
        visible = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
        if not visible:
            wb.close()
            raise SheetProblem("the workbook has no visible worksheet")
        ws = visible[0]
    elif sheet in names:
        ws = wb[sheet]  # a hidden sheet named on purpose is read
    else:
        wb.close()
        shown = ", ".join(names)
        raise SheetProblem(f"no sheet named '{sheet}'; the workbook has: {shown}")
    if not hasattr(ws, "iter_rows"):
        wb.close()
        raise SheetProblem(f"'{ws.title}' is a chart, not a worksheet", sheet=ws.title)
    merges, uncached = _scan_sheet_xml(wb, ws)
    return Rows(ws.title, _sheet_rows(wb, ws, merges, uncached), names)


def _scan_sheet_xml(wb: Any, ws: Any) -> tuple[list[tuple[int, int, int, int]], set[str]]:
    """Merged ranges and formula cells without a cached value, read from the sheet's XML.

    openpyxl's read-only mode reports neither, so the part is scanned: first as bytes (cheap),
    and parsed (with defusedxml) only when it holds a formula or a merge.
    """
    archive = wb._archive
    part = ws._worksheet_path
    found_f = found_m = False
    tail = b""
    with archive.open(part) as fh:
        while chunk := fh.read(1 << 20):
            data = tail + chunk
            found_f = found_f or b"<f>" in data or b"<f " in data or b":f>" in data
            found_m = found_m or b"mergeCell " in data
            tail = data[-16:]
    if not (found_f or found_m):
        return [], set()
    from defusedxml.ElementTree import iterparse

    merges: list[tuple[int, int, int, int]] = []
    uncached: set[str] = set()
    with archive.open(part) as fh:
        for _, elem in iterparse(fh, events=("end",)):
            tag = elem.tag.rsplit("}", 1)[-1]
            if tag == "c":
                has_f = has_v = False
                for child in elem:
                    name = child.tag.rsplit("}", 1)[-1]
                    has_f = has_f or name == "f"
                    has_v = has_v or (name in ("v", "is") and bool(child.text or len(child)))
                if has_f and not has_v:
                    uncached.add(elem.get("r", ""))
                elem.clear()
            elif tag == "row":
                elem.clear()
            elif tag == "mergeCell":
                ref = elem.get("ref", "")
                if ":" in ref:
                    a, b = ref.split(":", 1)
                    ma, mb = _COORD.fullmatch(a), _COORD.fullmatch(b)
                    if ma and mb:
                        merges.append(
                            (int(ma[2]), _col_index(ma[1]), int(mb[2]), _col_index(mb[1]))
                        )
    return merges, uncached


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _sheet_rows(
    wb: Any, ws: Any, merges: list[tuple[int, int, int, int]], uncached: set[str]
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    title = ws.title
    # a vertically merged cell (one location for several hazards) holds its value in the top
    # row only: a person reads it as the value of every row of the range
    carry: dict[int, tuple[int, Any]] = {}  # column -> (last row of the range, value)
    starts: dict[int, list[tuple[int, int]]] = {}
    for r1, c1, r2, _c2 in merges:
        if r2 > r1:
            starts.setdefault(r1, []).append((c1, r2))
    try:
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            if uncached:
                for col, value in enumerate(values, start=1):
                    if value is None and cell_name(number, col) in uncached:
                        raise SheetProblem(
                            "the formula in this cell has no saved value: open the workbook "
                            "in Excel or WPS and save it, or type the value",
                            sheet=title,
                            cell=cell_name(number, col),
                            row=number,
                        )
            if carry or number in starts:
                row = list(values)
                for col, last in starts.get(number, []):
                    if col <= len(row):
                        carry[col] = (last, row[col - 1])
                for col, (last, value) in list(carry.items()):
                    if number > last:
                        del carry[col]
                    elif col <= len(row) and row[col - 1] is None:
                        row[col - 1] = value
                values = tuple(row)
            for col, value in enumerate(values, start=1):
                if isinstance(value, str) and value in _EXCEL_ERRORS:
                    raise SheetProblem(
                        f"the cell holds the Excel error {value}: correct the formula or type the value",
                        sheet=title,
                        cell=cell_name(number, col),
                        row=number,
                    )
            yield number, values
    finally:
        wb.close()


def _decode_csv(raw: bytes) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SheetProblem("the file is UTF-16 ('Unicode text'): save it as 'CSV UTF-8'")
    if b"\x00" in raw:
        raise SheetProblem("the file holds NUL bytes, it is not a text CSV: save it as 'CSV UTF-8'")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:  # what Excel on Chinese Windows writes for "CSV (comma delimited)"
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        raise SheetProblem(
            "the file is neither UTF-8 nor GB18030 (GBK): save it as 'CSV UTF-8'"
        ) from None


def _csv_text(raw: bytes) -> tuple[str, str]:
    """The decoded text and its delimiter (a tab when the first line has tabs, no commas)."""
    text = _decode_csv(raw)
    first = text.split("\n", 1)[0]
    return text, "\t" if "\t" in first and "," not in first else ","


def _csv_iter(text: str, delimiter: str) -> Iterator[tuple[int, tuple[Any, ...]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, values in enumerate(reader, start=1):
            yield number, tuple(values)
    except csv.Error as exc:
        raise SheetProblem(f"not a readable CSV file ({exc})") from None


def normalise_cell(value: Any) -> Any:
    """A cell's value as a person meant it: trimmed text, None for blank, dates as dates."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip(" \t\r\n\u3000\u00a0")
        return text or None
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value
