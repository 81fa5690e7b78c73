"""Meeting files: load and validate, carry open action items forward, propose new ones.

A meeting file (``*.meeting.yaml``, schema ``compliance schema meeting``) describes one safety
meeting. Its ``previous`` key names the previous meeting's file: the open action items of
those minutes become "matters arising" here, flagged when past due at this meeting's date.
Check results (the JSON contract) add the current safety situation, and critical and major
findings become proposed action items until an action adopts them by fingerprint.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compliance.areas import severity_rank
from compliance.diagnostics import Diagnostic, InputError
from compliance.loader import Document, load_file
from compliance.rulepack import display_path
from compliance.schema import fill_defaults, load_schema, validate_document

PROPOSE_SEVERITIES = ("critical", "major")
MEETING_SUFFIX = ".meeting.yaml"


@dataclass
class Meeting:
    """A validated meeting file, with its previous meeting when it names one."""

    file: Path
    doc: Document
    data: dict[str, Any]
    previous: Meeting | None = None
    warnings: list[Diagnostic] = field(default_factory=list)

    @property
    def date(self) -> dt.date:
        """The meeting's date."""
        day: dt.date = self.data["meeting"]["date"]
        return day


def load_meeting(path: Path, follow_previous: bool = True) -> Meeting:
    """Load and validate a meeting file (and its previous one); raise on errors."""
    doc = validate_document(load_file(path, display_path(path)), "meeting")
    problems = list(doc.diagnostics)
    if doc.data is None:
        raise InputError(problems)
    meeting = Meeting(path, doc, doc.data, warnings=[d for d in problems if not d.is_error])
    fill_defaults(meeting.data, load_schema("meeting"))
    ref = doc.data.get("previous")
    if ref and follow_previous:
        if not str(ref).endswith(MEETING_SUFFIX):
            message = f"previous: must name a meeting file (*{MEETING_SUFFIX}), not {ref}"
            raise InputError([*problems, doc.problem(("previous",), message)])
        try:
            prev_path = (path.parent / ref).resolve()
            found = prev_path.is_file()
        except (OSError, ValueError):  # a NUL byte, a name too long...
            found = False
            prev_path = path
        if not found:
            raise InputError([*problems, doc.problem(("previous",), f"previous: no file at {ref}")])
        if prev_path == path.resolve():
            raise InputError(
                [*problems, doc.problem(("previous",), "previous: names this file itself")]
            )
        try:
            meeting.previous = load_meeting(prev_path, follow_previous=False)
        except InputError as exc:
            raise InputError([*problems, *exc.diagnostics]) from None
        if meeting.previous.date >= meeting.date:
            when = f"that meeting ({meeting.previous.date}) is not before this one ({meeting.date})"
            raise InputError([*problems, doc.problem(("previous",), f"previous: {when}")])
        meeting.warnings += meeting.previous.warnings
    return meeting


def matters_arising(meeting: Meeting) -> list[dict[str, Any]]:
    """Open action items of the previous minutes, each flagged when past due at this meeting."""
    if meeting.previous is None:
        return []
    out = []
    for i, action in enumerate(meeting.previous.data.get("actions") or []):
        status = action.get("status") or "open"
        if status == "done":
            continue
        out.append(
            {
                **action,
                "id": action.get("id") or f"{i + 1}",
                "status": status,
                "overdue": action["due"] < meeting.date,
            }
        )
    return out


def proposals(
    meeting: Meeting, result: dict[str, Any], deadlines: dict[str, int], limit: int = 20
) -> tuple[list[dict[str, Any]], int]:
    """Action items proposed from open critical and major findings not yet adopted.

    Returns the proposals (worst first, at most ``limit``) and how many more were left out.
    """
    adopted = {a.get("finding") for a in meeting.data.get("actions") or [] if a.get("finding")}
    names = {u["id"]: u["name"] for u in result["units"]}
    scores = {u["id"]: u["score"] for u in result["units"]}
    candidates = [
        f
        for f in result["findings"]
        if not f["waived"]
        and f["severity"] in PROPOSE_SEVERITIES
        and f["fingerprint"] not in adopted
    ]
    candidates.sort(
        key=lambda f: (
            severity_rank(f["severity"]),
            scores.get(f["unit"], 100),
            f["unit"],
            f["rule"],
        )
    )
    out = []
    for f in candidates[:limit]:
        out.append(
            {
                "title": f["message"],
                "rule": f["rule"],
                "severity": f["severity"],
                "unit": names.get(f["unit"], f["unit"]),
                "owner": f.get("responsible") or "",
                "due": meeting.date + dt.timedelta(days=deadlines.get(f["severity"], 30)),
                "finding": f["fingerprint"],
                "status": "proposed",
                "i18n": f.get("i18n", {}),
            }
        )
    return out, max(0, len(candidates) - limit)


def adopted_references(
    meeting: Meeting, result: dict[str, Any] | None
) -> dict[str, dict[str, Any]]:
    """For actions that adopt a finding: the finding's rule, unit and severity, by fingerprint."""
    if result is None:
        return {}
    wanted = {a.get("finding") for a in meeting.data.get("actions") or []}
    names = {u["id"]: u["name"] for u in result["units"]}
    return {
        f["fingerprint"]: {
            "rule": f["rule"],
            "unit": names.get(f["unit"], f["unit"]),
            "severity": f["severity"],
        }
        for f in result["findings"]
        if f["fingerprint"] in wanted
    }
