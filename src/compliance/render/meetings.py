"""Meeting documents (notice, sign-in sheet, minutes) from a meeting file and check results."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from compliance.areas import AREAS, severity_rank
from compliance.meetings import Meeting, adopted_references, matters_arising, proposals
from compliance.render.documents import Options, area_chart, new_assets, prepare, write_formats
from compliance.render.history import minutes_view

DOCUMENTS = {
    "notice": "meeting_notice.html.j2",
    "signin": "meeting_signin.html.j2",
    "minutes": "meeting_minutes.html.j2",
}
WORST_GAPS = 10


def _localise(item: dict[str, Any], lang: str, key: str = "title") -> dict[str, Any]:
    other = (item.get("i18n") or {}).get(lang) or {}
    return {**item, key: other.get("message", item[key])}


def situation(result: dict[str, Any], lang: str) -> dict[str, Any]:
    """The current safety situation: ranking with area scores, worst gaps, open major dangers."""
    units = sorted(result["units"], key=lambda u: (-u["score"], u["id"]))
    names = {u["id"]: u["name"] for u in units}
    same_lang = result.get("lang") == lang
    worst = []
    for f in sorted(
        (
            f
            for f in result["findings"]
            if not f["waived"] and f["severity"] in ("critical", "major")
        ),
        key=lambda f: (severity_rank(f["severity"]), f["unit"], f["rule"]),
    )[:WORST_GAPS]:
        texts = f if same_lang else {**f, **((f.get("i18n") or {}).get(lang) or {})}
        worst.append(
            {
                "rule": f["rule"],
                "severity": f["severity"],
                "unit": names.get(f["unit"], f["unit"]),
                "message": texts["message"],
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


def meeting_context(
    meeting: Meeting, result: dict[str, Any] | None, opts: Options, limit: int = 20
) -> dict[str, Any]:
    """Everything the three meeting templates use."""
    data = meeting.data
    m = data["meeting"]
    lang = opts.lang
    b = opts.branding
    participants = data.get("participants") or []
    attendance = {
        k: [p for p in participants if p.get("attendance") == k]
        for k in ("present", "apologies", "absent")
    }
    refs = adopted_references(meeting, result)
    actions = []
    for i, a in enumerate(data.get("actions") or []):
        ref = refs.get(a.get("finding") or "")
        actions.append(
            {
                **a,
                "id": a.get("id") or str(i + 1),
                "status": a.get("status", "open"),
                "ref": ref,
                "stale": bool(a.get("finding")) and result is not None and ref is None,
            }
        )
    proposed: list[dict[str, Any]] = []
    more = 0
    if result is not None:
        proposed, more = proposals(meeting, result, b.deadlines, limit)
        if result.get("lang") != lang:
            proposed = [_localise(p, lang) for p in proposed]
    number = m.get("document_number") or b.document_number(
        kind="MTG", year=str(meeting.date.year), date=meeting.date.strftime("%Y%m%d"), unit="GROUP"
    )
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
        "meeting": m,
        "participants": participants,
        "attendance": attendance,
        "agenda": data.get("agenda") or [],
        "requirements": data.get("requirements") or [],
        "decisions": data.get("decisions") or [],
        "actions": actions,
        "proposed": proposed,
        "proposed_more": more,
        "arising": matters_arising(meeting),
        "previous": {"title": prev.data["meeting"]["title"], "date": prev.date} if prev else None,
        "previous_approved": data.get("previous_minutes_approved"),
        "other_business": data.get("other_business") or [],
        "next_meeting": data.get("next_meeting"),
        "distribution": data.get("distribution") or [],
        "situation": situation(result, lang) if result is not None else None,
        "since_meeting": minutes_view(opts.progress) if result and opts.progress else None,
        "areas": list(AREAS),
        "charts": {},
    }


def _version() -> str:
    from compliance import __version__

    return __version__


def render_meeting(
    document: str, meeting: Meeting, result: dict[str, Any] | None, opts: Options, limit: int = 20
) -> list[Path]:
    """Render one meeting document (notice, signin or minutes) in every requested format."""
    assets = new_assets(opts)
    ctx = meeting_context(meeting, result, opts, limit)
    if opts.branding.logo is not None:
        ctx["org"]["logo"] = assets.file_src(opts.branding.logo)
    if ctx["situation"] and document == "minutes":
        overall = {
            "areas": {
                a: {"score": _mean([u["areas"][a]["score"] for u in ctx["situation"]["units"]])}
                for a in AREAS
            }
        }
        ctx["charts"]["areas"] = assets.add("areas.png", area_chart(overall, opts.lang))
    doc = prepare(DOCUMENTS[document], ctx, opts, assets)
    stem = meeting.file.name.removesuffix(".yaml").removesuffix(".meeting")
    return write_formats(doc, f"{stem}-{document}", opts)


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None
