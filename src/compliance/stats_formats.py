"""Formats of the hidden-danger statistics table (``compliance stats``, a sheet of ``diff``).

The table is :func:`compliance.dangerstats.group_stats`: per unit and for the group, by level,
found / rectified / rate / funds, and the dynamic clearing of major hidden dangers.
"""

from __future__ import annotations

import json
from typing import Any

from compliance.dangerstats import LEVELS
from compliance.i18n import translations


def _measures(lang: str) -> tuple[dict[str, str], list[str], list[str]]:
    _ = translations(lang).gettext
    level = {"general": _("General hidden dangers"), "major": _("Major hidden dangers")}
    per_level = [_("Found"), _("Rectified"), _("Rectification rate, %"), _("Funds (10,000 CNY)")]
    clearing = [_("Carried over"), _("Cleared"), _("Still open"), _("Overdue")]
    return level, per_level, clearing


def header(lang: str) -> list[str]:
    """Column titles of the table (one row: level, then measure)."""
    _ = translations(lang).gettext
    level, per_level, clearing = _measures(lang)
    sep = _(": ")
    cols = [_("Unit"), _("Unit name")]
    for lv in LEVELS:
        cols += [f"{level[lv]}{sep}{m}" for m in per_level]
    cols += [f"{_('Major: dynamic clearing')}{sep}{m}" for m in clearing]
    return cols


def rows(table: dict[str, Any], lang: str) -> list[list[Any]]:
    """One row per unit, then the group total."""
    _ = translations(lang).gettext
    out = []
    for row in [*table["units"], {"id": "", "name": _("Group total"), **table["group"]}]:
        cells: list[Any] = [row["id"], row["name"]]
        for lv in LEVELS:
            c = row[lv]
            cells += [c["found"], c["rectified"], c["rate"], round(c["funds_cny"] / 10000, 2)]
        m = row["major"]
        cells += [m["carried_over"], m["cleared"], m["open"], m["overdue"]]
        out.append(cells)
    return out


def title(table: dict[str, Any], lang: str) -> str:
    """``Hidden-danger statistics, this quarter 2026-10-01 – 2026-11-28``."""
    _ = translations(lang).gettext
    period = _("This quarter") if table["period"] == "quarter" else _("This year")
    return f"{_('Hidden-danger statistics')} — {period} {table['from']} – {table['to']}"


def to_text(table: dict[str, Any], lang: str, as_of: str = "") -> str:
    """The table as text: per unit (and for the group) a line per level and one for clearing
    (``as_of``, the result's date, is not needed: the table carries its period)."""
    _ = translations(lang).gettext
    level, per_level, clearing = _measures(lang)
    lines = [title(table, lang), ""]

    def show(names: list[str], values: list[Any]) -> str:
        return "  ".join(
            f"{n} {'—' if v is None else v}" for n, v in zip(names, values, strict=True)
        )

    for cells in rows(table, lang):
        lines.append(f"{cells[1]}" + (f" ({cells[0]})" if cells[0] else ""))
        lines.append(f"  {level['general']}{_(': ')}{show(per_level, cells[2:6])}")
        lines.append(f"  {level['major']}{_(': ')}{show(per_level, cells[6:10])}")
        lines.append(f"  {_('Major: dynamic clearing')}{_(': ')}{show(clearing, cells[10:14])}")
    return "\n".join(lines) + "\n"


def to_json(table: dict[str, Any], lang: str, as_of: str = "") -> str:
    """The table as JSON (counts, rates in per cent, funds in CNY); ``as_of`` as for text."""
    return json.dumps(table, indent=2, ensure_ascii=False) + "\n"


def add_sheet(wb: Any, table: dict[str, Any], lang: str) -> None:
    """Add the table as a sheet of a workbook."""
    from compliance.spreadsheet import sheet

    _ = translations(lang).gettext
    sheet(wb, _("Hidden-danger statistics"), header(lang), rows(table, lang))


def to_xlsx(table: dict[str, Any], lang: str, as_of: str) -> bytes:
    """A workbook with the one table, dated ``as_of`` (the result's as-of date, ISO)."""
    import datetime as dt

    from compliance.spreadsheet import new_workbook, save

    wb = new_workbook()
    add_sheet(wb, table, lang)
    return save(wb, dt.date.fromisoformat(as_of))
