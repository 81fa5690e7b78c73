"""Output formats of ``compliance check``: each is a small function of the result.

Machine formats are built from the JSON contract's records, so they never disagree.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, cast

import click

from compliance.areas import AREAS, SEVERITIES, severity_rank
from compliance.diagnostics import literal
from compliance.labels import path_label
from compliance.names import OUTPUT_FORMATS
from compliance.runner import CheckResult

if TYPE_CHECKING:  # the result types cost start-up time to build; only mypy needs them
    from compliance.result import FindingRecord, Result, UnitRecord

_COLOURS = {"critical": "red", "major": "yellow", "minor": "cyan", "info": "white"}


def iter_json(result: CheckResult, lang: str, colour: bool = False) -> Iterator[str]:
    """The JSON contract as pieces of text, written as they are made.

    Units and findings are dumped one at a time, so a check of thousands of units never
    holds the whole document in memory; the text is the same as ``json.dumps(indent=2)``.
    """
    parts = result.json_parts(lang)
    yield "{"
    for i, (key, value) in enumerate(parts.items()):
        yield ("," if i else "") + "\n  " + json.dumps(key) + ": "
        if key in ("units", "findings"):
            first = True
            for item in cast(Iterator[Any], value):
                yield ("[" if first else ",") + "\n    " + _dump(item, "    ")
                first = False
            yield "[]" if first else "\n  ]"
        else:
            yield _dump(value, "  ")
    yield "\n}\n"


def _dump(value: Any, indent: str) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + indent)


def where(loc: Mapping[str, Any]) -> str:
    """``file:line:col`` of a JSON location, or ``book.xlsx:sheet!F12`` for a cell."""
    if loc.get("cell") and loc.get("sheet"):
        return f"{loc['file']}:{loc['sheet']}!{loc['cell']}"
    return f"{loc['file']}:{loc['line']}:{loc['column']}"


def to_json(result: CheckResult, lang: str) -> str:
    """The JSON contract as one text (for small results and tests)."""
    return "".join(iter_json(result, lang))


def to_text(result: CheckResult, lang: str, colour: bool = False) -> str:
    """What a person reads: findings grouped by unit and area, then a summary."""
    from compliance.i18n import AREA_LABELS, SEVERITY_LABELS, label, translations

    tr = translations(lang)
    _ = tr.gettext

    def style(text: str, **kw: Any) -> str:
        return click.style(text, **kw) if colour else text

    data: Result = _literal_tree(result.to_json(lang))  # data never drives the terminal
    lines: list[str] = []
    by_unit: dict[str, list[FindingRecord]] = {}
    for f in data["findings"]:
        by_unit.setdefault(f["unit"], []).append(f)
    for unit in data["units"]:
        head = f"{unit['id']}  {unit['name']}  ({unit['file']})"
        lines.append(
            style(head, bold=True) + "  " + _("score %(score).1f") % {"score": unit["score"]}
        )
        lines += _unit_extras(unit, tr, style, lang)
        found = by_unit.get(unit["id"], [])
        open_ = [f for f in found if not f["waived"]]
        if not open_:
            lines.append("  " + style(_("no findings"), fg="green"))
        for area in AREAS:
            items = [f for f in open_ if f["area"] == area]
            if not items:
                continue
            score = _("score %(score).1f") % {"score": unit["areas"][area]["score"]}
            lines.append(f"  {label(AREA_LABELS, area, lang)}  ({score})")
            items.sort(key=lambda f: (severity_rank(f["severity"]), f["location"]["line"]))
            for f in items:
                loc = f["location"]
                sev_text = (
                    f"{f['severity']:<8}"
                    if lang == "en"
                    else f"{label(SEVERITY_LABELS, f['severity'], lang):<4}"
                )
                sev = style(
                    sev_text,
                    fg=_COLOURS[f["severity"]],
                    bold=f["severity"] == "critical",
                )
                lines.append(f"    {where(loc)}: {sev} {f['rule']}  {f['message']}")
        waived = [f for f in found if f["waived"]]
        if waived:
            lines.append("  " + _("waived:"))
            for f in waived:
                w: Mapping[str, Any] = f.get("waiver") or {}
                until = _("approved by %(who)s, until %(date)s") % {
                    "who": w.get("approved_by"),
                    "date": w.get("expires"),
                }
                lines.append(f"    {f['rule']}  {f['message']}  ({until})")
        lines.append("")
    for r in data["rollups"]:
        units = tr.ngettext("%(n)d unit", "%(n)d units", len(r["units"])) % {"n": len(r["units"])}
        lines.append(
            _("roll-up %(unit)s (%(units)s): score %(score).1f")
            % {"unit": r["unit"], "units": units, "score": r["score"]}
        )
    s = data["summary"]
    sev = _(", ").join(
        f"{n} {label(SEVERITY_LABELS, k, lang).lower()}" for k, n in s["by_severity"].items() if n
    )
    units = tr.ngettext("%(n)d unit", "%(n)d units", s["units"]) % {"n": s["units"]}
    findings = tr.ngettext("%(n)d finding", "%(n)d findings", s["findings"]) % {"n": s["findings"]}
    summary = _(
        "%(units)s, %(findings)s%(severities)s, %(waived)s waived; mean score %(score)s; "
        "rules %(pack)s %(version)s, as of %(date)s"
    ) % {
        "units": units,
        "findings": findings,
        "severities": f" ({sev})" if sev else "",
        "waived": s["waived"],
        "score": "—" if s["score"] is None else f"{s['score']:.1f}",
        "pack": data["rule_pack"]["name"],
        "version": data["rule_pack"]["version"],
        "date": data["as_of"],
    }
    for up in data["rule_pack"].get("upcoming", []):
        lines.append(
            _("upcoming rule %(rule)s (in force from %(date)s, not checked): %(title)s")
            % {"rule": up["id"], "date": up["effective_on"], "title": up["title"][lang]}
        )
    lines.append(style(_("Summary:"), bold=True) + " " + summary)
    vetoed = [u["id"] for u in data["units"] if u.get("veto")]
    if vetoed:
        text = _("Failed by a veto item, whatever the score: %(units)s")
        lines.append(style(text % {"units": ", ".join(vetoed)}, fg="red"))
    if s["failed_files"]:
        lines.append(
            style(_("Files with errors (not checked):"), fg="red")
            + " "
            + ", ".join(s["failed_files"])
        )
    if s["skipped"]:
        lines.append(
            style(_("Passed over (not checked):"), fg="yellow") + " " + ", ".join(s["skipped"])
        )
    return "\n".join(lines) + "\n"


def _literal_tree(value: Any) -> Any:
    """Every string inside ``value`` with control characters and escapes made visible."""
    if isinstance(value, str):
        return literal(value)
    if isinstance(value, dict):
        return {k: _literal_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_literal_tree(v) for v in value]
    return value


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert(value: Any) -> Any:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula.

    ``=HYPERLINK(...)`` or ``@SUM(...)`` in a unit name would otherwise be a live formula in
    Excel or LibreOffice; a leading apostrophe is the usual way to say "text".
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _unit_extras(unit: UnitRecord, tr: Any, style: Any, lang: str) -> list[str]:
    """Veto, legal exposure and rules not assessed of one unit, for the text format."""
    _ = tr.gettext
    lines = []
    if unit.get("veto"):
        text = _("VETO: fails whatever its score (open veto items: %(rules)s)")
        lines.append("  " + style(text % {"rules": ", ".join(unit["vetoed_by"])}, fg="red"))
    exposure = unit.get("exposure") or {}
    if exposure.get("rules"):
        lines.append(
            "  "
            + tr.ngettext(
                "legal exposure: CNY %(min)s to %(max)s (%(n)d provision)",
                "legal exposure: CNY %(min)s to %(max)s (%(n)d provisions)",
                len(exposure["rules"]),
            )
            % {
                "min": f"{exposure['min_cny']:,.0f}",
                "max": f"{exposure['max_cny']:,.0f}",
                "n": len(exposure["rules"]),
            }
        )
    missing = unit.get("not_assessed") or []
    if missing:
        listed = _(", ").join(
            f"{m['rule']} ({_(', ').join(path_label(p, lang) for p in m['missing'])})"
            for m in missing
        )
        lines.append(
            "  " + style(_("not assessed, data not recorded:"), fg="yellow") + " " + listed
        )
    return lines


def to_csv(result: CheckResult, lang: str) -> str:
    """One row a finding, for spreadsheets (UTF-8 with BOM so Excel reads Chinese)."""
    import csv

    from compliance.finding_table import CSV_COLUMNS, headers, values

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    # English keeps the JSON keys as headers (scripts read them); Chinese gets titles and labels
    w.writerow(headers(CSV_COLUMNS, lang, keys_in_english=True))
    for f in result.to_json(lang)["findings"]:
        row = values(f, CSV_COLUMNS, lang)
        w.writerow(_inert("" if v is None else v) for v in row)
    return "\ufeff" + buf.getvalue()


def iter_text(result: CheckResult, lang: str, colour: bool = False) -> Iterator[str]:
    """The text format as an output format (see ``names.OUTPUT_FORMATS``)."""
    yield to_text(result, lang, colour=colour)


def iter_csv(result: CheckResult, lang: str, colour: bool = False) -> Iterator[str]:
    """The CSV format as an output format (see ``names.OUTPUT_FORMATS``)."""
    yield to_csv(result, lang)


Formatter = Callable[..., Iterator[str] | Iterator[bytes]]


def formatter(name: str) -> Formatter:
    """The function of output format ``name``, imported from where ``names`` says it lives."""
    function: Formatter = OUTPUT_FORMATS[name].load()
    return function


def threshold_reached(result: CheckResult, fail_on: str) -> bool:
    """True when an open finding is at least as severe as ``fail_on``, or is a veto item
    (a unit with an open veto item fails whatever its severity); ``never``: never."""
    if fail_on == "never":
        return False
    limit = list(SEVERITIES).index(fail_on)
    return any(
        not f.waived and (f.veto or severity_rank(f.severity) <= limit) for f in result.findings
    )
