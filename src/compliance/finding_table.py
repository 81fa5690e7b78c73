"""Findings as rows of a table, with localised headers and values: shared by CSV and xlsx.

Under ``--lang zh`` the headers are Chinese, areas and severities are their Chinese labels,
yes/no is 是/否 and a data path reads as the Chinese titles of its fields
(``双重预防机制 › 隐患排查治理台账 第2条 › 整改期限``), so no English code shows through.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, cast

from compliance.i18n import N_
from compliance.result import FindingRecord

# JSON field -> English header (a gettext msgid). CSV keeps the first fifteen, in this order.
CSV_COLUMNS = (
    "unit",
    "rule",
    "area",
    "severity",
    "title",
    "message",
    "file",
    "line",
    "column",
    "path",
    "item",
    "fingerprint",
    "waived",
    "basis",
    "remediation",
    "sheet",
    "cell",
)
SHEET_COLUMNS = (
    "unit",
    "rule",
    "area",
    "severity",
    "title",
    "message",
    "basis",
    "remediation",
    "item",
    "responsible",
    "file",
    "sheet",
    "cell",
    "line",
    "column",
    "path",
    "fingerprint",
    "waived",
    "waiver_approved_by",
    "waiver_expires",
)
HEADERS = {
    "unit": N_("Unit"),
    "rule": N_("Rule"),
    "area": N_("Area"),
    "severity": N_("Severity"),
    "title": N_("Rule title"),
    "message": N_("Problem found"),
    "basis": N_("Basis"),
    "remediation": N_("Remediation"),
    "item": N_("Item"),
    "responsible": N_("Responsible"),
    "file": N_("Data file"),
    "sheet": N_("Worksheet"),
    "cell": N_("Worksheet cell"),
    "line": N_("Line or row"),
    "column": N_("Column number"),
    "path": N_("Data path"),
    "fingerprint": N_("Finding fingerprint"),
    "waived": N_("Waived"),
    "waiver_approved_by": N_("Approved by"),
    "waiver_expires": N_("Expires"),
}
_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def headers(columns: tuple[str, ...], lang: str, keys_in_english: bool = False) -> list[str]:
    """Column headers: the JSON keys (English CSV, unchanged), else translated titles."""
    if lang == "en" and keys_in_english:
        return list(columns)
    from compliance.i18n import translations

    tr = translations(lang)
    return [tr.gettext(HEADERS[c]) for c in columns]


def values(finding: FindingRecord, columns: tuple[str, ...], lang: str) -> list[Any]:
    """One finding's cells, localised for ``lang``."""
    from compliance.i18n import AREA_LABELS, SEVERITY_LABELS, label

    loc = finding["location"]
    waiver: Mapping[str, Any] = finding.get("waiver") or {}
    out: list[Any] = []
    for col in columns:
        value: Any
        if col in ("file", "line", "column", "sheet", "cell"):
            value = cast(Mapping[str, Any], loc).get(col)
        elif col == "path":
            value = loc["path"] if lang == "en" else readable_path(loc["path"])
        elif col == "area":
            value = finding["area"] if lang == "en" else label(AREA_LABELS, finding["area"], lang)
        elif col == "severity":
            sev = finding["severity"]
            value = sev if lang == "en" else label(SEVERITY_LABELS, sev, lang)
        elif col == "waived":
            value = (
                ("yes" if finding["waived"] else "no")
                if lang == "en"
                else ("是" if finding["waived"] else "否")
            )
        elif col == "waiver_approved_by":
            value = waiver.get("approved_by")
        elif col == "waiver_expires":
            value = waiver.get("expires")
        else:
            value = cast(Mapping[str, Any], finding).get(col)
        out.append(value)
    return out


def readable_path(path: str, schema_name: str = "unit") -> str:
    """``risks.hidden_dangers[1].deadline`` -> ``双重预防机制 › 隐患排查治理台账 第2条 › 整改期限``."""
    from compliance.ledgers import resolve
    from compliance.schema import load_schema

    root = load_schema(schema_name)
    node: Any = root
    words: list[str] = []
    for m in _PART.finditer(path):
        if m[2] is not None:
            if words:
                words[-1] += f" 第{int(m[2]) + 1}条"
            node = resolve(root, node.get("items", {})) if isinstance(node, dict) else {}
            continue
        key = m[1]
        props = node.get("properties", {}) if isinstance(node, dict) else {}
        sub = props.get(key)
        if sub is None:
            words.append(key)
            node = {}
            continue
        words.append(sub.get("x-title-zh") or key)
        node = resolve(root, sub)
    return " › ".join(words)
