"""Formats of ``compliance diff``: text, JSON, CSV and an xlsx workbook of a :class:`Comparison`.

Every fixed text goes through the gettext catalogue; under ``zh`` statuses, severities and
areas are shown by their Chinese labels (rule ids and unit ids are identifiers, kept).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

from compliance.areas import SEVERITIES
from compliance.i18n import AREA_LABELS, N_, SEVERITY_LABELS, label, translations
from compliance.progress import STATUSES, Comparison

CHANGE_LABELS = {
    "new": N_("New"),
    "regressed": N_("Regressed"),
    "persisting": N_("Persisting"),
    "waived": N_("Waived"),
    "resolved": N_("Resolved"),
    "added": N_("Added"),
    "expired": N_("Expired"),
    "removed": N_("Removed"),
    "changed": N_("Changed"),
}


def _delta(old: float | None, new: float | None) -> float | None:
    return None if old is None or new is None else round(new - old, 1)


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _signed(value: float | None) -> str:
    return "" if value is None else f"{value:+.1f}"


def to_data(c: Comparison) -> dict[str, Any]:
    """The comparison as plain JSON data (the ``--format json`` document)."""
    return {
        "results": [{"file": f, "as_of": d.isoformat()} for f, d in c.results],
        "old": {
            "file": c.old.file,
            "as_of": c.old.as_of.isoformat(),
            "rule_pack": list(c.old.pack),
        },
        "new": {
            "file": c.new.file,
            "as_of": c.new.as_of.isoformat(),
            "rule_pack": list(c.new.pack),
        },
        "rule_pack_changed": c.pack_changed,
        "rule_changes": [
            {
                "rule": r.rule,
                "change": r.change,
                "fields": [{"field": k, "old": o, "new": n} for k, o, n in r.fields],
            }
            for r in c.rule_changes
        ],
        "summary": {
            "by_status": {s: sum(n.values()) for s, n in c.counts().items()},
            "by_status_and_severity": c.counts(),
            "group_score": {
                "old": c.old.group_score,
                "new": c.new.group_score,
                "delta": _delta(c.old.group_score, c.new.group_score),
            },
        },
        "findings": (ch.record() for ch in c.changes),
        "units": (
            {
                "id": s.unit,
                "name": s.name,
                "old": s.old,
                "new": s.new,
                "delta": s.delta,
                "areas": {
                    a: {"old": o, "new": n, "delta": _delta(o, n)} for a, (o, n) in s.areas.items()
                },
            }
            for s in c.scores
        ),
        "units_added": c.units_added,
        "units_removed": c.units_removed,
        "waivers": [
            {
                "status": w.status,
                "unit": w.unit,
                "rule": w.rule,
                "item": w.item or None,
                "expires": w.record.get("expires"),
                "approved_by": w.record.get("approved_by"),
            }
            for w in c.waivers
        ],
    }


STREAMED = ("findings", "units")


def to_json(c: Comparison, lang: str) -> Iterator[str]:
    """The comparison as a JSON document, in pieces: the long lists (findings, units) one
    compact object a line, so a comparison of thousands of units is never one big text."""
    yield "{"
    for i, (key, value) in enumerate(to_data(c).items()):
        yield ("," if i else "") + "\n  " + json.dumps(key) + ": "
        if key in STREAMED:
            first = True
            for item in value:
                yield ("[" if first else ",") + "\n    " + json.dumps(item, ensure_ascii=False)
                first = False
            yield "[]" if first else "\n  ]"
        else:
            text = json.dumps(value, indent=2, ensure_ascii=False)
            yield text.replace("\n", "\n  ")
    yield "\n}\n"


def to_text(c: Comparison, lang: str) -> Iterator[str]:
    """What a compliance officer reads: counts, the findings by status, scores, waivers."""
    _ = translations(lang).gettext
    counts = {s: sum(n.values()) for s, n in c.counts().items()}
    lines = [
        _("Progress from %(old)s (%(old_file)s) to %(new)s (%(new_file)s), %(n)d results")
        % {
            "old": c.old.as_of.isoformat(),
            "old_file": c.old.file,
            "new": c.new.as_of.isoformat(),
            "new_file": c.new.file,
            "n": len(c.results),
        },
        _(
            "Findings: %(new)d new, %(regressed)d regressed, %(persisting)d persisting, "
            "%(waived)d waived, %(resolved)d resolved"
        )
        % counts,
        "",
    ]
    sev_label = {k: label(SEVERITY_LABELS, k, lang) for k in SEVERITY_LABELS}
    for status in STATUSES:
        items = [ch for ch in c.changes if ch.status == status]
        if not items:
            continue
        lines.append(
            _("%(status)s (%(n)d)")
            % {"status": label(CHANGE_LABELS, status, lang), "n": len(items)}
        )
        for n, ch in enumerate(items):
            if n % 1000 == 999:  # written as they are made: thousands of findings
                yield "\n".join(lines) + "\n"
                lines = []
            f = ch.finding
            since = ""
            if ch.first_seen is not None:
                since = "  " + _("(open since %(date)s, %(days)d days)") % {
                    "date": ch.first_seen.isoformat(),
                    "days": ch.days_open or 0,
                }
            item = f"  [{f.item}]" if f.item else ""
            sev = sev_label.get(f.severity, f.severity)
            lines.append(f"  {sev}  {f.unit}  {f.rule}{item}  {f.message}{since}")
        lines.append("")
    lines.append(_("Scores"))
    for s in c.scores:
        moved = [
            f"{label(AREA_LABELS, a, lang)} {_num(o)} → {_num(n)}"
            for a, (o, n) in s.areas.items()
            if o != n and o is not None and n is not None
        ]
        detail = f"  ({_('; ').join(moved)})" if moved else ""
        change = f" ({_signed(s.delta)})" if s.delta else ""
        lines.append(f"  {s.unit}  {s.name}  {_num(s.old)} → {_num(s.new)}{change}{detail}")
    g_old, g_new = c.old.group_score, c.new.group_score
    delta = _delta(g_old, g_new)
    lines.append(
        "  "
        + _("Group mean score: %(old)s → %(new)s") % {"old": _num(g_old), "new": _num(g_new)}
        + (f" ({_signed(delta)})" if delta else "")
    )
    if c.units_added:
        lines.append("  " + _("Units added: %(units)s") % {"units": ", ".join(c.units_added)})
    if c.units_removed:
        lines.append(
            "  "
            + _("Units not in the new result: %(units)s") % {"units": ", ".join(c.units_removed)}
        )
    if c.waivers:
        lines += ["", _("Waivers")]
        for w in c.waivers:
            item = f" [{w.item}]" if w.item else ""
            lines.append(
                f"  {label(CHANGE_LABELS, w.status, lang)}  {w.unit}  {w.rule}{item}  "
                + _("approved by %(who)s, until %(date)s")
                % {"who": w.record.get("approved_by"), "date": w.record.get("expires")}
            )
    if c.pack_changed:
        lines += ["", pack_warning(c, lang)]
    yield "\n".join(lines) + "\n"


FIELD_LABELS = {
    "severity": N_("Severity"),
    "area": N_("Area"),
    "title": N_("Title"),
    "basis": N_("Basis"),
}


def _field_value(name: str, value: Any, lang: str) -> str:
    if name == "severity":
        return label(SEVERITY_LABELS, value, lang)
    if name == "area":
        return label(AREA_LABELS, value, lang)
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("en") or "")
    return "" if value is None else str(value)


def pack_warning(c: Comparison, lang: str) -> str:
    """One line: the results come from different rule packs, and which rules differ."""
    _ = translations(lang).gettext
    described = []
    for r in c.rule_changes:
        fields = _("; ").join(
            f"{label(FIELD_LABELS, k, lang)} {_field_value(k, o, lang)} → {_field_value(k, n, lang)}"
            for k, o, n in r.fields
        )
        described.append(
            f"{r.rule} ({label(CHANGE_LABELS, r.change, lang)}{_(': ') + fields if fields else ''})"
        )
    return _(
        "rule pack differs: %(old)s %(old_version)s → %(new)s %(new_version)s; "
        "rules that changed: %(rules)s"
    ) % {
        "old": c.old.pack[0],
        "old_version": c.old.pack[1],
        "new": c.new.pack[0],
        "new_version": c.new.pack[1],
        "rules": _(", ").join(described) or _("none"),
    }


def _rows(c: Comparison, lang: str) -> tuple[list[str], Iterator[list[Any]]]:
    """The findings sheet / CSV: a header and one row per finding change."""
    _ = translations(lang).gettext
    head = [
        _("Status"),
        _("Severity"),
        _("Unit"),
        _("Rule"),
        _("Area"),
        _("Item"),
        _("Title"),
        _("Message"),
        _("Open since"),
        _("Days open"),
        _("File"),
        _("Line"),
        _("Fingerprint"),
    ]
    status = {k: label(CHANGE_LABELS, k, lang) for k in CHANGE_LABELS}
    sev = {k: label(SEVERITY_LABELS, k, lang) for k in SEVERITY_LABELS}
    rows = (
        [
            status[ch.status],
            sev.get(ch.finding.severity, ch.finding.severity),
            ch.finding.unit,
            ch.finding.rule,
            label(AREA_LABELS, ch.finding.area, lang),
            ch.finding.item or "",
            ch.finding.title,
            ch.finding.message,
            ch.first_seen.isoformat() if ch.first_seen else "",
            ch.days_open if ch.days_open is not None else "",
            ch.finding.file,
            ch.finding.line,
            ch.fingerprint,
        ]
        for ch in c.changes
    )
    return head, rows


def to_csv(c: Comparison, lang: str) -> Iterator[str]:
    """One row per finding change (UTF-8 with BOM so Excel reads Chinese)."""
    import csv

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    head, rows = _rows(c, lang)
    buf.write("\ufeff")
    w.writerow(head)
    for n, row in enumerate(rows):
        w.writerow(row)
        if n % 1000 == 999:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def to_xlsx(c: Comparison, lang: str) -> bytes:
    """A workbook: summary, findings, scores, waivers (and rule changes when packs differ)."""
    from compliance.spreadsheet import new_workbook, save, sheet

    _ = translations(lang).gettext
    wb = new_workbook()
    counts = c.counts()
    summary: list[list[Any]] = [
        [_("Old result"), c.old.file, c.old.as_of.isoformat()],
        [_("New result"), c.new.file, c.new.as_of.isoformat()],
        [],
        [_("Status"), *(label(SEVERITY_LABELS, s, lang) for s in SEVERITIES), _("Total")],
    ]
    for status in STATUSES:
        n = counts[status]
        summary.append([label(CHANGE_LABELS, status, lang), *n.values(), sum(n.values())])
    summary += [[], [_("Group mean score"), c.old.group_score, c.new.group_score]]
    if c.pack_changed:
        summary += [[], [pack_warning(c, lang)]]
    sheet(wb, _("Summary"), summary[0], summary[1:])
    head, rows = _rows(c, lang)
    sheet(wb, _("Finding changes"), head, rows)
    areas = sorted({a for s in c.scores for a in s.areas})
    score_head = [_("Unit"), _("Unit name"), _("Old score"), _("New score"), _("Change")]
    score_head += [label(AREA_LABELS, a, lang) + " " + _("(change)") for a in areas]
    score_rows = [
        [
            s.unit,
            s.name,
            s.old,
            s.new,
            s.delta,
            *(_delta(*s.areas.get(a, (None, None))) for a in areas),
        ]
        for s in c.scores
    ]
    sheet(wb, _("Scores"), score_head, score_rows)
    waiver_head = [_("Status"), _("Unit"), _("Rule"), _("Item"), _("Approved by"), _("Expires")]
    waiver_rows = [
        [
            label(CHANGE_LABELS, w.status, lang),
            w.unit,
            w.rule,
            w.item,
            w.record.get("approved_by"),
            w.record.get("expires"),
        ]
        for w in c.waivers
    ]
    sheet(wb, _("Waivers"), waiver_head, waiver_rows)
    units = [
        {"id": uid, "name": u.name, "hidden_danger_stats": u.record.get("hidden_danger_stats")}
        for uid, u in c.new.units.items()
    ]
    if any(u["hidden_danger_stats"] for u in units):  # results of older versions have none
        from compliance.dangerstats import group_stats
        from compliance.stats_formats import add_sheet

        add_sheet(wb, group_stats(units, "quarter"), lang)
    return save(wb, c.new.as_of)


def iter_xlsx(c: Comparison, lang: str) -> Iterator[bytes]:
    """The workbook as a format of ``diff`` (see ``names.DIFF_FORMATS``): binary, one piece."""
    yield to_xlsx(c, lang)
