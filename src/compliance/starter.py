"""``compliance init``: a commented unit file and blank ledgers for a new unit (or a meeting).

The unit file and the ledgers are generated from the schema's annotations: each section and
field gets its title and, in comments, what it means, what to write (dates, drop-down values)
and which article of the Work Safety Law asks for it. Scalar fields are written as comments to
fill in; every list points at its blank ledger, so ``compliance check DIR`` on a fresh starter
gives findings (the unit is empty), never an error.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from compliance.i18n import N_
from compliance.ledger_book import Ledger, build_workbook, enum_labels, ledger_stem, ledgers_of
from compliance.ledgers import resolve
from compliance.schema import load_schema

# Which article of the Work Safety Law (2021) asks for a list: (number, Chinese numeral)
LAW = {
    "culture_activities": (3, "三"),
    "leaders": (21, "二十一"),
    "posts": (22, "二十二"),
    "emergency_plans": (81, "八十一"),
    "safety_rules": (21, "二十一"),
    "contractors": (49, "四十九"),
    "staff": (28, "二十八"),
    "special_operations": (30, "三十"),
    "risk_register": (41, "四十一"),
    "hidden_dangers": (41, "四十一"),
    "major_inspections": (41, "四十一"),
    "operating_procedures": (21, "二十一"),
}
_ID = re.compile(r"[^A-Za-z0-9_.-]+")


def _(lang: str) -> Callable[[str], str]:
    from compliance.i18n import translations

    return translations(lang).gettext


def ledger_file(ledger: Ledger, lang: str) -> str:
    """``ledgers/隐患排查治理台账.xlsx`` (zh) or ``ledgers/hidden_dangers.xlsx`` (en)."""
    return f"ledgers/{ledger_stem(ledger, lang)}.xlsx"


def _law(key: str, lang: str) -> str:
    if key not in LAW:
        return ""
    n, zh = LAW[key]
    return _(lang)(N_("asked for by the Work Safety Law, Article %(n)s")) % {
        "n": zh if lang == "zh" else n
    }


def _hint(schema: dict[str, Any], lang: str) -> str:
    gt = _(lang)
    if "enum" in schema:
        return gt(N_("one of: %(values)s")) % {"values": gt(", ").join(enum_labels(schema, lang))}
    if schema.get("format") == "date":
        return gt(N_("date, YYYY-MM-DD"))
    if schema.get("type") == "boolean":
        return gt(N_("yes or no"))
    if schema.get("type") in ("integer", "number"):
        return gt(N_("a number")) + (f" ({schema['x-unit']})" if schema.get("x-unit") else "")
    return ""


def _comment(schema: dict[str, Any], lang: str) -> str:
    title = schema.get("x-title-zh") if lang == "zh" else schema.get("title")
    parts = [str(title or "")]
    if lang == "en" and schema.get("description"):
        parts = [str(schema["description"]).rstrip(".")]
    hint = _hint(schema, lang)
    if hint:
        parts.append(hint)
    sep = "；" if lang == "zh" else "; "
    return sep.join(p for p in parts if p)


def _merged(root: dict[str, Any], sub: dict[str, Any]) -> dict[str, Any]:
    return {**resolve(root, sub), **{k: v for k, v in sub.items() if k != "$ref"}}


def unit_yaml(root: dict[str, Any], lang: str, unit_id: str, kind: str, today: dt.date) -> str:
    """The commented starter unit file."""
    gt = _(lang)
    files = {led.path: ledger_file(led, lang) for led in ledgers_of(root)}
    kind_schema = resolve(root, root["$defs"]["unit"])["properties"]["kind"]
    kind_value = (kind_schema.get("x-enum-zh") or {}).get(kind, kind) if lang == "zh" else kind
    out = [
        "# " + gt(N_("Work-safety description of one unit, for the compliance tool.")),
        "# "
        + gt(N_("Fill in this file and the ledgers in ledgers/, then run: compliance check .")),
        "# "
        + gt(N_("Dates: YYYY-MM-DD, e.g. 2024-03-05 (2024/3/5 and 2024年3月5日 are read too).")),
        "# " + gt(N_("Remove the # in front of a line to fill it in; keep the indentation.")),
        "schema_version: 1",
    ]
    fixed = {
        "id": unit_id,
        "name": gt(N_("(name of the unit)")),
        "kind": kind_value,
    }

    def emit(node: dict[str, Any], path: tuple[str, ...], indent: str, active: bool) -> None:
        for key, sub in node.get("properties", {}).items():
            schema = _merged(root, sub)
            here = (*path, key)
            note = _comment(schema, lang)
            if here == ("schema_version",):
                continue
            if here == ("valid_on",):
                out.append(f"{indent}valid_on: {today.isoformat()}  # {note}")
                continue
            if schema.get("type") == "object":
                has_list = any(p[: len(here)] == here for p in files)
                if not path:
                    out.append("")
                    out.append(f"# {note}")
                lead = indent if has_list or here == ("unit",) else indent + "# "
                out.append(f"{lead}{key}:" + ("" if not path else f"  # {note}"))
                emit(schema, here, indent + "  ", has_list)
            elif here in files:
                law = _law(key, lang)
                if law:
                    out.append(f"{indent}# {law}")
                out.append(f"{indent}{key}: {{from: {files[here]}}}  # {note}")
            elif path == ("unit",) and key in fixed:
                out.append(f"{indent}{key}: {fixed[key]}  # {note}")
            else:
                out.append(f"{indent}# {key}:  # {note}")

    emit(root, (), "", True)
    return "\n".join(out) + "\n"


def write_unit_starter(folder: Path, lang: str, kind: str, today: dt.date) -> list[Path]:
    """Write ``folder/unit.yaml`` and ``folder/ledgers/*.xlsx``; return the files written."""
    from compliance.output import write_atomic

    root = load_schema("unit")
    unit_id = _ID.sub("-", folder.resolve().name).strip("-.") or "unit-01"
    if not re.match(r"^[A-Za-z0-9]", unit_id):
        unit_id = "unit-01"
    stamp = dt.datetime.combine(today, dt.time(0))
    written = []
    for led in ledgers_of(root):
        target = folder / ledger_file(led, lang)
        write_atomic(target, build_workbook(led, root, lang, [], stamp))
        written.append(target)
    target = folder / "unit.yaml"
    write_atomic(target, unit_yaml(root, lang, unit_id[:64], kind, today).encode("utf-8"))
    return [target, *written]


def write_meeting_starter(path: Path, lang: str, today: dt.date) -> list[Path]:
    """Write a starter meeting file and, beside it, its participants workbook."""
    from compliance.output import write_atomic

    gt = _(lang)
    root = load_schema("meeting")
    participants = next(led for led in ledgers_of(root) if led.path == ("participants",))
    book_name = ("参会人员" if lang == "zh" else "participants") + ".xlsx"
    book = path.parent / book_name
    stamp = dt.datetime.combine(today, dt.time(0))
    write_atomic(book, build_workbook(participants, root, lang, [], stamp))
    kind = "安全生产委员会会议" if lang == "zh" else "safety_committee"
    title = gt(N_("(title of the meeting)"))
    body = gt(N_("(body that convenes the meeting)"))
    first = gt(N_("(first item of the agenda)"))
    text = "\n".join(
        [
            "# "
            + gt(N_("Safety meeting: notice, sign-in sheet and minutes are made from this file.")),
            "# " + gt(N_("Participants are listed in the workbook beside this file; fill it in.")),
            "meeting:",
            f"  title: {title}",
            f"  kind: {kind}",
            f"  date: {today.isoformat()}",
            f"  issuing_body: {body}",
            "  # place:",
            "  # chair:",
            f"participants: {{from: {book_name}}}",
            "agenda:",
            f"  - title: {first}",
            "",
        ]
    )
    write_atomic(path, text.encode("utf-8"))
    return [path, book]
