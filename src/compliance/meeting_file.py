"""Meeting files: load and validate, carry open action items forward, propose new ones.

A meeting file (``*.meeting.yaml``, schema ``compliance schema meeting``) describes one safety
meeting. Its ``previous`` key names the previous meeting's file: the open action items of
those minutes become "matters arising" here, flagged when past due at this meeting's date.
Check results (the JSON contract) add the current safety situation, and critical and major
findings become proposed action items (an attachment of the minutes, asked for with
``--propose``) until an action adopts them, by rule id and item or by fingerprint.

An action of this file under the id of an open item of the previous minutes is not a new item:
it updates that item's status and note (a warning says where both files disagree otherwise), so
a carried-over item is listed once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compliance.areas import severity_rank
from compliance.diagnostics import WARNING, Diagnostic, InputError, display_path
from compliance.findings import localise
from compliance.ledgers import load_document
from compliance.loader import Document, load_file
from compliance.names import SERIOUS_SEVERITIES
from compliance.result import FindingRecord, Result
from compliance.schema import fill_defaults, load_schema

MEETING_SUFFIX = ".meeting.yaml"
ACTION_REQUIRED = ("title", "owner", "due")
DECISION_KINDS = ("finds", "requires", "decides")


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
    doc = load_document(path, display_path(path), "meeting")
    problems = list(doc.diagnostics)
    if doc.data is None:
        # The file as written (validation dropped it): incomplete actions are reported with the
        # schema's errors when there is no previous file, as then nothing can be an update.
        raw = load_file(path, display_path(path)).data if doc.data is None else None
        if isinstance(raw, dict) and not raw.get("previous"):
            problems = sorted(problems + _incomplete_actions(doc, raw, set()))
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
    problems = _check_links(meeting, follow_previous)
    if any(p.is_error for p in problems):
        raise InputError([*meeting.warnings, *problems])
    meeting.warnings += problems
    return meeting


def _check_links(meeting: Meeting, checked_previous: bool) -> list[Diagnostic]:
    """Actions complete or updating a carried-over item; venues named in ``venues``."""
    data, doc = meeting.data, meeting.doc
    out: list[Diagnostic] = []
    carried = {a["id"]: a for a in _open_previous(meeting)}
    for i, action in enumerate(data.get("actions") or []):
        old = carried.get(action.get("id") or "")
        if old is not None:
            for key in ("title", "owner", "unit", "due"):
                if action.get(key) is not None and action[key] != old.get(key):
                    out.append(
                        doc.problem(
                            ("actions", i, key),
                            f"actions[{i}].{key}: differs from item {old['id']} of the previous "
                            f"minutes ({old.get(key)}); this file's value is used",
                            WARNING,
                        )
                    )
    if checked_previous or not data.get("previous"):
        # (a previous file loaded on its own may update older items: only its successor knows)
        out += _incomplete_actions(doc, data, set(carried))
    lines = data["meeting"].get("title_lines")
    if lines and "".join(lines) != data["meeting"]["title"]:
        out.append(
            doc.problem(
                ("meeting", "title_lines"),
                "meeting.title_lines: the lines do not join to the title; write the title's "
                "text cut into lines, nothing added or left out",
            )
        )
    venues = {v["name"] for v in data["meeting"].get("venues") or []}
    for i, person in enumerate(data.get("participants") or []):
        venue = person.get("venue")
        if venue and venue not in venues:
            known = ", ".join(sorted(venues)) or "none listed"
            out.append(
                doc.problem(
                    ("participants", i, "venue"),
                    f"participants[{i}].venue: '{venue}' is not one of the venues ({known})",
                )
            )
    return out


def _incomplete_actions(doc: Document, data: Any, carried: set[str]) -> list[Diagnostic]:
    """Actions that are neither complete (title, owner, due) nor updates of carried items."""
    out = []
    actions = data.get("actions") if isinstance(data, dict) else None
    for i, action in enumerate(actions if isinstance(actions, list) else []):
        if not isinstance(action, dict) or action.get("id") in carried:
            continue
        ident = action.get("id")
        hint = f" (no open item {ident} of the previous minutes to update)" if ident else ""
        for key in ACTION_REQUIRED:
            if action.get(key) is None:
                message = f"actions[{i}]: missing required key '{key}' here{hint}"
                out.append(doc.problem(("actions", i), message))
    return out


def _open_previous(meeting: Meeting) -> list[dict[str, Any]]:
    """The previous minutes' action items that are not done, with their ids filled in."""
    if meeting.previous is None:
        return []
    out = []
    for i, action in enumerate(meeting.previous.data.get("actions") or []):
        if (action.get("status") or "open") == "done" or action.get("due") is None:
            continue  # done, or an update of an item older than the previous meeting
        out.append({**action, "id": action.get("id") or f"{i + 1}"})
    return out


def updates(meeting: Meeting) -> dict[str, dict[str, Any]]:
    """This file's actions that update a carried-over item, by the item's id."""
    carried = {a["id"] for a in _open_previous(meeting)}
    return {a["id"]: a for a in meeting.data.get("actions") or [] if a.get("id") in carried}


def new_actions(meeting: Meeting) -> list[dict[str, Any]]:
    """This file's own action items (updates of carried-over items left out)."""
    carried = updates(meeting)
    return [a for a in meeting.data.get("actions") or [] if a.get("id") not in carried]


def decisions(meeting: Meeting) -> list[dict[str, Any]]:
    """The decisions as objects (``text``, ``kind``, ``lead_unit``, ``deadline``), in order."""
    out = []
    for d in meeting.data.get("decisions") or []:
        item = {"text": d} if isinstance(d, str) else dict(d)
        for key in ("lead_unit", "deadline"):
            item.setdefault(key, None)
        item["kind"] = item.get("kind") or "decides"
        out.append(item)
    return out


def matters_arising(meeting: Meeting) -> list[dict[str, Any]]:
    """Open action items of the previous minutes, each flagged when past due at this meeting."""
    changed = updates(meeting)
    out = []
    for action in _open_previous(meeting):
        change = {k: v for k, v in changed.get(action["id"], {}).items() if v is not None}
        item = {**action, **change}
        status = item.get("status") or "open"
        item["status"] = status
        item["overdue"] = status != "done" and item["due"] < meeting.date
        item["updated"] = action["id"] in changed
        out.append(item)
    return out


def _adopted(meeting: Meeting, result: Result) -> dict[int, list[FindingRecord]]:
    """For each action (by index) the open findings it adopts: by fingerprint or rule and item."""
    out: dict[int, list[FindingRecord]] = {}
    by_fp = {f["fingerprint"]: f for f in result["findings"]}
    for i, action in enumerate(meeting.data.get("actions") or []):
        found: list[FindingRecord] = []
        if action.get("finding") in by_fp:
            found.append(by_fp[action["finding"]])
        pick = action.get("adopts")
        if pick:
            found += [
                f
                for f in result["findings"]
                if f["rule"] == pick["rule"]
                and (pick.get("item") is None or f.get("item") == pick["item"])
                and (pick.get("unit") is None or f["unit"] == pick["unit"])
                and f not in found
            ]
        out[i] = found
    return out


def proposals(
    meeting: Meeting,
    result: Result,
    deadlines: dict[str, int],
    lang: str,
    limit: int = 20,
) -> tuple[list[dict[str, Any]], int]:
    """Action items proposed from open critical and major findings not yet adopted.

    Returns the proposals (worst first, at most ``limit``) and how many more were left out;
    each is titled by its finding's message in ``lang``.
    """
    adopted = {f["fingerprint"] for found in _adopted(meeting, result).values() for f in found}
    names = {u["id"]: u["name"] for u in result["units"]}
    scores = {u["id"]: u["score"] for u in result["units"]}
    candidates = [
        f
        for f in result["findings"]
        if not f["waived"]
        and f["severity"] in SERIOUS_SEVERITIES
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
                "title": localise(f, lang)["message"],
                "rule": f["rule"],
                "item": f.get("item") or "",
                "severity": f["severity"],
                "unit": names.get(f["unit"], f["unit"]),
                "owner": f.get("responsible") or "",
                "due": meeting.date + dt.timedelta(days=deadlines.get(f["severity"], 30)),
                "finding": f["fingerprint"],
                "status": "proposed",
            }
        )
    return out, max(0, len(candidates) - limit)


def adopted_references(meeting: Meeting, result: Result | None) -> dict[int, list[dict[str, Any]]]:
    """For each action (by index in the file): rule, item, unit and severity of what it adopts."""
    if result is None:
        return {}
    names = {u["id"]: u["name"] for u in result["units"]}
    return {
        i: [
            {
                "rule": f["rule"],
                "item": f.get("item") or "",
                "unit": names.get(f["unit"], f["unit"]),
                "severity": f["severity"],
                "fingerprint": f["fingerprint"],
            }
            for f in found
        ]
        for i, found in _adopted(meeting, result).items()
    }
