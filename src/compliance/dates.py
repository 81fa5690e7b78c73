"""Dates relative to the as-of date: periods such as ``12 months`` and ``as_of - 6 months``."""

from __future__ import annotations

import datetime as dt
import re

_PERIOD = re.compile(r"\s*(\d+)\s*(day|days|week|weeks|month|months|year|years)\s*")
_REL = re.compile(r"\s*(as_of|year_start|year_end)\s*(?:([+-])(.+))?")


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months, clamped to the month's last day."""
    total = day.year * 12 + (day.month - 1) + months
    year, month = divmod(total, 12)
    return dt.date(year, month + 1, min(day.day, _days_in(year, month + 1)))


def _days_in(year: int, month: int) -> int:
    """The number of days of ``month`` (1 to 12) in ``year``: ``calendar.monthrange`` without
    importing :mod:`calendar`, whose import was a noticeable part of a check's start-up."""
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def parse_period(text: str) -> tuple[int, str] | None:
    """``'12 months'`` -> ``(12, 'months')``; None when not a period."""
    m = _PERIOD.fullmatch(text)
    if not m:
        return None
    unit = m[2] if m[2].endswith("s") else m[2] + "s"
    return int(m[1]), unit


def shift(day: dt.date, amount: int, unit: str) -> dt.date:
    """Move ``day`` by ``amount`` days, weeks, months or years (negative goes back)."""
    if unit == "days":
        return day + dt.timedelta(days=amount)
    if unit == "weeks":
        return day + dt.timedelta(weeks=amount)
    if unit == "months":
        return add_months(day, amount)
    return add_months(day, 12 * amount)


def relative_date(text: str) -> tuple[str, int, str] | None:
    """Parse ``as_of - 12 months`` into ``('as_of', -12, 'months')``; None if not of that form."""
    m = _REL.fullmatch(text)
    if not m:
        return None
    if not m[2]:
        return m[1], 0, "days"
    period = parse_period(m[3])
    if period is None:
        return None
    amount, unit = period
    return m[1], -amount if m[2] == "-" else amount, unit


def resolve_relative(spec: tuple[str, int, str], as_of: dt.date) -> dt.date:
    """The date that a parsed relative date names, for a given as-of date."""
    anchor, amount, unit = spec
    if anchor == "year_start":
        base = dt.date(as_of.year, 1, 1)
    elif anchor == "year_end":
        base = dt.date(as_of.year, 12, 31)
    else:
        base = as_of
    return shift(base, amount, unit)
