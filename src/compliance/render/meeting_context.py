"""The context of the meeting documents (notice, sign-in sheet, minutes): what their templates see.

Built from a meeting file and, optionally, a check result; no pictures and no I/O (the
renderer, ``render/meetings.py``, adds the charts and writes the documents).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from compliance import i18n
from compliance.areas import AREAS, severity_rank
from compliance.findings import localise
from compliance.meeting_file import (
    DECISION_KINDS,
    Meeting,
    adopted_references,
    decisions,
    matters_arising,
    proposals,
    updates,
)
from compliance.names import SERIOUS_SEVERITIES
from compliance.render import titles
from compliance.render.documents import Options
from compliance.render.history import minutes_view
from compliance.render.limits import NAME_CHARS, clip
from compliance.result import Result

WORST_GAPS = 10
SPARE_ROWS = 5  # blank rows after the names of a sign-in sheet, for people not expected
# English labels of the meeting codes that the shared status labels lack (Chinese: x-enum-zh).
CODE_LABELS = {
    "finds": i18n.N_("The meeting found"),
    "requires": i18n.N_("The meeting required"),
    "decides": i18n.N_("The meeting decided"),
    "member": i18n.N_("Present"),
    "observer": i18n.N_("In attendance"),
}


def situation(result: Result, lang: str) -> dict[str, Any]:
    """The current safety situation: ranking with area scores, worst gaps, open major dangers."""
    units = sorted(result["units"], key=lambda u: (-u["score"], u["id"]))
    names = {u["id"]: u["name"] for u in units}
    worst = []
    for f in sorted(
        (f for f in result["findings"] if not f["waived"] and f["severity"] in SERIOUS_SEVERITIES),
        key=lambda f: (severity_rank(f["severity"]), f["unit"], f["rule"]),
    )[:WORST_GAPS]:
        worst.append(
            {
                "rule": f["rule"],
                "severity": f["severity"],
                "unit": names.get(f["unit"], f["unit"]),
                "message": localise(f, lang)["message"],
            }
        )
    dangers = [
        {**h, "unit": u["name"]}
        for u in units
        for h in u.get("open_hidden_dangers", [])
        if h.get("level") == "major"
    ]
    return {
        "as_of": dt.date.fromisoformat(result["as_of"]),
        "pack": result["rule_pack"],
        "units": units,
        "summary": result["summary"],
        "worst": worst,
        "dangers": dangers,
    }


def enum_labeller(lang: str) -> Any:
    """``enum(path, code)``: a meeting code's label; under zh the schema's ``x-enum-zh`` label.

    ``path`` names the field in the meeting schema (``actions.status``,
    ``participants.attendance``...); unknown codes fall back to the shared status labels.
    """
    from compliance.schema import load_schema

    tables: dict[str, dict[str, str]] = {}

    def walk(node: dict[str, Any], path: str) -> None:
        if "x-enum-zh" in node:
            tables[path] = node["x-enum-zh"]
        for key, child in (node.get("properties") or {}).items():
            walk(child, f"{path}.{key}" if path else key)
        items = node.get("items")
        if isinstance(items, dict):
            walk(items, path)

    walk(load_schema("meeting"), "")

    def enum(path: str, code: str | None) -> str:
        if code is None:
            return ""
        if lang == "zh" and code in tables.get(path, {}):
            return tables[path][code]
        if code in CODE_LABELS:
            return i18n.label(CODE_LABELS, code, lang)
        return i18n.label(i18n.STATUS_LABELS, code, lang)

    return enum


_DIGITS = "零一二三四五六七八九"


def _(lang: str, text: str) -> str:
    """A fixed text in ``lang`` from the message catalog."""
    return i18n.translations(lang).gettext(text)


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 23 -> 二十三 (for 一、 and （一） headings, up to 99)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return f"{_DIGITS[tens] if tens > 1 else ''}十{_DIGITS[ones] if ones else ''}"


def _attendance(participants: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """出席 (present members), 列席 (present observers), 请假 (apologies), 缺席 (absent)."""
    present = [p for p in participants if p.get("attendance", "present") == "present"]
    return {
        "present": present,
        "members": [p for p in present if p.get("attended_as") != "observer"],
        "observers": [p for p in present if p.get("attended_as") == "observer"],
        "apologies": [p for p in participants if p.get("attendance") == "apologies"],
        "absent": [p for p in participants if p.get("attendance") == "absent"],
    }


def _signin_row(person: dict[str, Any]) -> dict[str, Any]:
    """A participant as the sign-in sheet shows them: overlong texts shortened, so that every
    row fits on a page (a row never breaks across pages)."""
    shown = {k: clip(person.get(k), NAME_CHARS) for k in ("name", "unit", "post", "phone")}
    return {**person, **{k: v for k, v in shown.items() if v is not None}}


def _sheets(data: dict[str, Any], main_place: str) -> list[dict[str, Any]]:
    """One sign-in sheet per venue: the main one first, then each branch venue in order."""
    participants = [_signin_row(p) for p in data.get("participants") or []]
    venues = data["meeting"].get("venues") or []
    sheets: list[dict[str, Any]] = [
        {
            "name": None,
            "place": main_place,
            "people": [p for p in participants if not p.get("venue")],
        }
    ]
    for v in venues:
        people = [p for p in participants if p.get("venue") == v["name"]]
        sheets.append({"name": v["name"], "place": v.get("place") or "", "people": people})
    for number, sheet in enumerate(sheets, start=1):
        # a whole sheet; a long sheet's PDF takes slices of it (render/signin_parts.py)
        sheet.update(number=number, venues=len(sheets), first=1, spare=SPARE_ROWS)
        sheet.update(continued=False, anchors=False)
    return sheets


def meeting_context(
    meeting: Meeting,
    result: Result | None,
    opts: Options,
    limit: int = 20,
    propose: bool = False,
) -> dict[str, Any]:
    """Everything the three meeting templates use."""
    data = meeting.data
    m = data["meeting"]
    lang = opts.lang
    b = opts.branding
    participants = data.get("participants") or []
    refs = adopted_references(meeting, result)
    carried = updates(meeting)
    actions = []
    for i, a in enumerate(data.get("actions") or []):
        if a.get("id") in carried:
            continue  # an update of a carried-over item: shown under matters arising
        adopted = refs.get(i, [])
        wanted = bool(a.get("finding") or a.get("adopts"))
        actions.append(
            {
                **a,
                "id": a.get("id") or str(i + 1),
                "status": a.get("status", "open"),
                "refs": adopted,
                "ref": adopted[0] if adopted else None,
                "stale": wanted and result is not None and not adopted,
            }
        )
    proposed: list[dict[str, Any]] = []
    more = 0
    if result is not None and propose:
        proposed, more = proposals(meeting, result, b.deadlines, lang, limit)
    year, day = str(meeting.date.year), meeting.date.strftime("%Y%m%d")
    number = m.get("document_number") or b.document_number(
        kind="MTG", year=year, date=day, unit="GROUP"
    )
    minutes_number = m.get("minutes_number") or b.document_number(
        kind="MIN", year=year, date=day, unit="GROUP"
    )
    title = m["title"]
    notice_title = _(lang, "Notice of the %(title)s") % {"title": title}
    if lang == "zh":
        minutes_title = titles.minutes_title(title)
    else:
        minutes_title = _(lang, "Minutes of the %(title)s") % {"title": title}
    if lang != "zh":
        notice_lines = [notice_title]
    elif m.get("title_lines"):  # checked on loading: they join to the title
        notice_lines = titles.wrap_lines(list(m["title_lines"]), notice_title, title)
    else:
        notice_lines = titles.break_title(notice_title)
    opening_args = {
        "date": i18n.format_date(meeting.date, lang, _(lang, "d MMMM y")),
        "chair": m.get("chair") or "",
        "place": m.get("place") or "",
        "title": title,
    }
    if m.get("chair") and m.get("place"):
        text = "On %(date)s, %(chair)s chaired the %(title)s at %(place)s. The minutes follow."
    elif m.get("chair"):
        text = "On %(date)s, %(chair)s chaired the %(title)s. The minutes follow."
    else:
        text = "On %(date)s, the %(title)s was held. The minutes follow."
    prev = meeting.previous
    return {
        "kind": "meeting",
        "lang": lang,
        "org": {
            "name": m.get("issuing_body") or b.org_name(lang),
            "logo": None,
            "primary": b.primary,
        },
        "confidentiality": b.confidentiality.get(lang, ""),
        "created": f"{meeting.date.isoformat()}T00:00:00Z",
        "tool_version": _version(),
        "number": number,
        "minutes_number": minutes_number,
        "notice_title": notice_title,
        "notice_lines": notice_lines,
        "minutes_title": minutes_title,
        "minutes_mark": titles.minutes_title(m["issuing_body"]),
        "minutes_lines": titles.break_title(minutes_title) if lang == "zh" else [minutes_title],
        "opening": _(lang, text) % opening_args,
        "signin_title": _(lang, "%(title)s: sign-in sheet") % {"title": title},
        "meeting": m,
        "participants": participants,
        "attendance": _attendance(participants),
        "sheets": _sheets(data, m.get("place") or ""),
        "frames": 0,  # pages of running header and footer only (a long sign-in sheet's PDF)
        "agenda": data.get("agenda") or [],
        "requirements": data.get("requirements") or [],
        "decisions": decisions(meeting),
        "decision_kinds": list(DECISION_KINDS),
        "actions": actions,
        "proposed": proposed,
        "proposed_more": more,
        "arising": matters_arising(meeting),
        "previous": {"title": prev.data["meeting"]["title"], "date": prev.date} if prev else None,
        "previous_approved": data.get("previous_minutes_approved"),
        "other_business": data.get("other_business") or [],
        "next_meeting": data.get("next_meeting"),
        "distribution": data.get("distribution") or [],
        "addressees": m.get("addressees") or data.get("distribution") or [],
        "situation": situation(result, lang) if result is not None else None,
        "since_meeting": minutes_view(opts.progress) if result and opts.progress else None,
        "areas": list(AREAS),
        "charts": {},
        "enum": enum_labeller(lang),
        "cn": chinese_number,
    }


def _version() -> str:
    from compliance import __version__

    return __version__
