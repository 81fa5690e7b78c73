"""Values as people type them: dates, numbers with separators, 万/亿 and units, enum labels.

The same rules apply to YAML and to spreadsheet cells, because both arrive at the schema step
(:mod:`compliance.schema`) as text. A person writes ``2024/3/5``, ``2024年3月5日``,
``1,500,000``, ``132万``, ``32学时`` or ``一般``; this module reads them, and says precisely
what to write when it cannot. Ambiguous forms (``24/3/5``: which is the year?) stay errors.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from typing import Any

MIN_YEAR, MAX_YEAR = 1900, 2999  # a date outside is a typo in this domain
MAX_DIGITS = 30  # longer numbers are typing accidents (and int() refuses >4300 digits)

# Four-digit year first, then month and day, separated by - / . or written 年月日; Excel and
# CSV exports may add a midnight time, which carries no information for a date field.
# Compiled on first use (re's cache): the usual 2024-03-05 is read without it, and compiling
# it is start-up time.
_DATE = (
    r"(\d{4})\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?)"
    r"(?:[ T]0{1,2}:00(?::00(?:\.0+)?)?)?"
)
_INT = re.compile(r"[+-]?\d+")
_NUM = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
# 1,500,000 / 1500000 / 1.5 / 132万 / 1.2亿 / 32学时 / 1,500,000元
# (compiled on first use, by re's cache: most checks read no such number)
_HUMAN_NUM = r"([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(万|亿)?"
_SCALE = {"万": 10_000, "亿": 100_000_000}
TRUE_WORDS = frozenset({"true", "yes", "on", "y", "是", "有", "√", "✓", "✔"})
FALSE_WORDS = frozenset({"false", "no", "off", "n", "否", "无", "×", "✗", "✘"})


def parse_date(text: str) -> dt.date | str:
    """Parse a date written with a four-digit year; return an error message on failure.

    Accepted: ``2024-03-05``, ``2024/3/5``, ``2024.3.5``, ``2024年3月5日`` (full-width digits
    too), with an optional midnight time as spreadsheets export it.
    """
    s = unicodedata.normalize("NFKC", text).strip()
    if len(s) == 10 and s.isascii() and s[4] == s[7] == "-" and (s[:4] + s[5:7] + s[8:]).isdigit():
        year, month, day_ = s[:4], s[5:7], s[8:]  # 2024-03-05, as _DATE reads it
    else:
        m = re.fullmatch(_DATE, s)
        if not m:
            return f"'{text}' is not a date: write it as YYYY-MM-DD, for example 2024-03-05"
        year = m[1]
        month, day_ = (m[2], m[3]) if m[2] else (m[4], m[5])
    try:
        day = dt.date(int(year), int(month), int(day_))
    except ValueError as exc:
        return f"'{text}' is not a real date ({exc})"
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        return f"'{text}' is outside the years {MIN_YEAR}–{MAX_YEAR}"
    return day


def looks_numeric(s: str) -> bool:
    """True for a number written plainly, without converting it (it may be huge)."""
    return _NUM.fullmatch(s) is not None


def plain_number(s: str, integer: bool) -> int | float | None:
    """A number written plainly (``42``, ``-1.5``, ``1e3``), or None."""
    if integer:
        return int(s) if _INT.fullmatch(s) else None
    if _NUM.fullmatch(s):
        return int(s) if _INT.fullmatch(s) else float(s)
    return None


def units_of(schema: dict[str, Any]) -> list[str]:
    """The unit words a field accepts after its number (``x-unit`` and ``x-unit-aliases``)."""
    unit = schema.get("x-unit")
    if not unit:
        return []
    return [unit, *schema.get("x-unit-aliases", [])]


def human_number(text: str, integer: bool, units: list[str]) -> int | float | str | None:
    """Read ``1,500,000``, ``132万``, ``32学时``; None when it is no number at all.

    Returns an error message (str) when the text is a number of the wrong kind (a fraction
    where a whole number is needed).
    """
    s = unicodedata.normalize("NFKC", text).strip()
    for unit in sorted(units, key=len, reverse=True):  # longest first: 万元 before 元
        if s.casefold().endswith(unit.casefold()) and len(s) > len(unit):
            s = s[: -len(unit)].rstrip()
            break
    m = re.fullmatch(_HUMAN_NUM, s)
    if not m:
        return None
    digits = m[2].replace(",", "") + (m[3] or "")
    if len(digits) > MAX_DIGITS:
        return f"'{text[:20]}…' is a number of {len(digits)} characters; at most {MAX_DIGITS}"
    scale = _SCALE.get(m[4] or "", 1)
    value: int | float
    if m[3]:
        value = float(digits) * scale
        if value.is_integer() and (integer or scale > 1):
            value = int(value)
    else:
        value = int(digits) * scale
    if m[1] == "-":
        value = -value
    if integer and not isinstance(value, int):
        return f"'{text}' is not a whole number"
    return value


def number_hint(schema: dict[str, Any]) -> str:
    """What to write in a number field, for an error message."""
    units = units_of(schema)
    if schema.get("type") == "integer":
        tail = f" or 62{units[0]}" if units else ""
        return f"write a whole number, for example 62, 1,500 or 15万{tail}"
    tail = f" or 32{units[0]}" if units else ""
    return f"write a number, for example 1500000, 1,500,000 or 150万{tail}"


def truth(text: str) -> bool | None:
    """是/否, yes/no, true/false, √/×... as a boolean; None when it is neither."""
    low = unicodedata.normalize("NFKC", text).strip().casefold()
    if low in TRUE_WORDS:
        return True
    if low in FALSE_WORDS:
        return False
    return None


def _spelling(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


@functools.lru_cache(maxsize=256)
def _enum_table(codes: tuple[Any, ...], labels: tuple[tuple[str, str], ...], aliases: Any) -> Any:
    table: dict[str, Any] = {}
    by_text = {str(c): c for c in codes}
    for code in codes:
        table[_spelling(str(code))] = code
    for code, label in labels:
        table.setdefault(_spelling(label), by_text.get(code, code))
    for code, words in aliases:
        for word in words:
            table.setdefault(_spelling(word), by_text.get(code, code))
    return table


def enum_code(schema: dict[str, Any], text: str) -> Any:
    """The code ``text`` names in an enumeration (code, Chinese label or alias), or None."""
    table = _enum_table(
        tuple(schema["enum"]),
        tuple((schema.get("x-enum-zh") or {}).items()),
        tuple((k, tuple(v)) for k, v in (schema.get("x-enum-aliases") or {}).items()),
    )
    return table.get(_spelling(text))


def enum_choices(schema: dict[str, Any]) -> str:
    """``present, apologies, absent`` and, when labelled, ``(or 出席, 请假, 缺席)``."""
    codes = ", ".join(str(c) for c in schema["enum"])
    labels = schema.get("x-enum-zh") or {}
    if not labels:
        return codes
    zh = "、".join(labels[str(c)] for c in schema["enum"] if str(c) in labels)
    return f"{codes} (or {zh})"
