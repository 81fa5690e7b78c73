"""Report context for issue 13: veto items, legal exposure, rules not assessed with the data
warnings of the unit's file, and rules not yet in force.

Everything is read from the JSON result with defaults, so a result saved before these fields
existed still renders (with empty sections).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from compliance.labels import path_label

# the validator's unknown-key warning, the data warning users see most, said in Chinese
_UNKNOWN_KEY = re.compile(
    r"^(?:[^:]*: )?unknown key '([^']*)' is ignored(?:; did you mean '([^']*)'\?)?"
)


def _text(value: Any, lang: str) -> str:
    """A text of the result: a ``{en, zh}`` mapping or plain text."""
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("en") or "")
    return "" if value is None else str(value)


def warning_text(message: str, lang: str) -> str:
    """A data warning in ``lang`` (the unknown-key warning is translated; others as written)."""
    m = _UNKNOWN_KEY.match(message)
    if lang != "zh" or m is None:
        return message
    hint = f"；是否应为“{m[2]}”？" if m[2] else ""
    return f"未知键“{m[1]}”已忽略{hint}"


def unit_extras(
    result: Mapping[str, Any], unit: Mapping[str, Any], rules: list[dict[str, Any]], lang: str
) -> dict[str, Any]:
    """What the unit report shows beyond findings: veto, exposure, evidence, upcoming rules."""
    by_id = {r["id"]: r for r in rules}
    exposure = unit.get("exposure") or {"min_cny": 0, "max_cny": 0, "rules": []}
    return {
        "veto": bool(unit.get("veto")),
        "vetoed_by": [
            {"id": rid, "title": by_id.get(rid, {}).get("title", "")}
            for rid in unit.get("vetoed_by", [])
        ],
        "exposure": {
            "min_cny": exposure["min_cny"],
            "max_cny": exposure["max_cny"],
            "rules": [
                {
                    "id": e["rule"],
                    "title": by_id.get(e["rule"], {}).get("title", ""),
                    "basis": _text(e["basis"], lang),
                    "min_cny": e["min_cny"],
                    "max_cny": e["max_cny"],
                }
                for e in exposure["rules"]
            ],
        },
        "not_assessed": [
            {
                "id": n["rule"],
                "title": by_id.get(n["rule"], {}).get("title", ""),
                "severity": by_id.get(n["rule"], {}).get("severity", "info"),
                "area": by_id.get(n["rule"], {}).get("area", "concepts"),
                "missing": n["missing"],
                "missing_labels": [path_label(p, lang) for p in n["missing"]],
            }
            for n in unit.get("not_assessed", [])
        ],
        "data_warnings": [
            {**d, "text": warning_text(d["message"], lang)}
            for d in result.get("diagnostics", [])
            if d["file"] == unit["file"]
        ],
        "upcoming": upcoming(result, lang),
    }


def upcoming(result: Mapping[str, Any], lang: str) -> list[dict[str, Any]]:
    """The pack's rules not yet in force on the as-of date, with their dates and titles."""
    return [
        {
            **r,
            "title": _text(r.get("title"), lang),
            "effective_on": dt.date.fromisoformat(r["effective_on"]),
        }
        for r in result["rule_pack"].get("upcoming", [])
    ]


def ranking_key(unit: dict[str, Any]) -> tuple[bool, float, str]:
    """Group ranking: a vetoed unit fails whatever its score, so it ranks after every other."""
    return (bool(unit.get("veto")), -unit["score"], unit["id"])
