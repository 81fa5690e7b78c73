"""A unit's waivers: which apply to the pack checked, which are active or expired, and the
finding an expired one makes (``WAIVER-EXPIRED``).

Decided once here: the engine matches findings against :class:`Waivers`, and the unit's
waiver register in the result (``units[].waivers``) is :meth:`Waivers.register`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from compliance.diagnostics import WARNING, Diagnostic
from compliance.findings import (
    EXPIRED_BASIS,
    EXPIRED_MESSAGE,
    EXPIRED_TEXTS,
    WAIVER_EXPIRED,
    Finding,
    Location,
    fingerprint,
)
from compliance.i18n import text_in
from compliance.loader import Document
from compliance.names import LANGS
from compliance.rulepack import Pack

if TYPE_CHECKING:  # the result types cost start-up time to build; only mypy needs them
    from compliance.result import FindingWaiver, WaiverEntry


def waiver_status(waiver: dict[str, Any], as_of: dt.date) -> str:
    """``active`` while the as-of date is on or before the waiver's expiry, else ``expired``.

    The one place this is decided: the engine's waiver matching and the result's register.
    """
    return "active" if waiver["expires"] >= as_of else "expired"


class Waivers:
    """A unit's waivers that apply to the pack checked, split into active and expired at the
    as-of date. A waiver for another pack (``pack:`` naming one outside the chain), or of a
    rule the pack does not have, neither applies nor expires: it is in neither list."""

    def __init__(self, doc: Document, pack: Pack, as_of: dt.date) -> None:
        self.active: list[tuple[int, dict[str, Any]]] = []
        self.expired: list[tuple[int, dict[str, Any]]] = []
        self.warnings: list[Diagnostic] = []
        for i, w in enumerate(doc.data.get("waivers", []) or []):
            if w.get("pack") and w["pack"] not in pack.chain:
                continue  # a waiver for another pack (the unit is checked against several)
            if w["rule"] not in pack.rules:
                if not w.get("pack"):  # most likely a typo in the rule id
                    self.warnings.append(
                        doc.problem(
                            ("waivers", i, "rule"),
                            f"waivers[{i}].rule: waiver names rule '{w['rule']}', which is not in "
                            f"pack {pack.name} (add 'pack:' if it is meant for another pack)",
                            WARNING,
                        )
                    )
                continue  # a waiver of a rule that is not checked neither applies nor expires
            active = waiver_status(w, as_of) == "active"
            (self.active if active else self.expired).append((i, w))

    def register(self) -> list[WaiverEntry]:
        """The unit's waiver register in the result: the waivers that apply to this pack, in
        file order, each marked active or expired."""
        entries = sorted(
            [(i, w, "active") for i, w in self.active]
            + [(i, w, "expired") for i, w in self.expired],
            key=lambda entry: entry[0],
        )
        return [
            {
                "rule": w["rule"],
                "item": w.get("item"),
                "reason": w.get("reason"),
                "approved_by": w.get("approved_by"),
                "approved_on": _iso(w.get("approved_on")),
                "expires": _iso(w.get("expires")),
                "status": status,
            }
            for _, w, status in entries
        ]

    def match(self, rule: str, key: str | None) -> dict[str, Any] | None:
        """The active waiver covering this rule (and item), if any."""
        for _, w in self.active:
            if w["rule"] == rule and (w.get("item") is None or w.get("item") == key):
                return w
        return None


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def waiver_record(w: dict[str, Any]) -> FindingWaiver:
    """The waiver covering a finding, as the finding's record carries it (dates as text)."""
    return cast("FindingWaiver", {k: _iso(v) for k, v in w.items()})


def expired_finding(doc: Document, unit: str, pack: Pack, index: int, w: dict[str, Any]) -> Finding:
    """The ``WAIVER-EXPIRED`` finding of the waiver at ``waivers[index]``: a minor finding
    that counts in every total but not in scores (the rule it waived applies again)."""
    rule = pack.rules.get(w["rule"])
    place = doc.place(("waivers", index, "expires"), nearest_key=True)
    exp = w["expires"].isoformat()
    facts = {"rule": w["rule"], "date": exp, "by": w["approved_by"]}
    texts = {
        lang: {
            "title": text_in(EXPIRED_TEXTS["title"], lang),
            "message": text_in(EXPIRED_MESSAGE, lang) % facts,
            "basis": text_in(EXPIRED_BASIS, lang),
            "remediation": text_in(EXPIRED_TEXTS["remediation"], lang),
        }
        for lang in LANGS
    }
    return Finding(
        unit=unit,
        rule=WAIVER_EXPIRED,
        area=rule.area if rule else "concepts",
        severity="minor",
        location=Location(
            place.file,
            place.line,
            place.column,
            f"waivers[{index}].expires",
            place.sheet,
            place.cell,
        ),
        fingerprint=fingerprint(unit, WAIVER_EXPIRED, f"{w['rule']}:{w.get('item') or ''}"),
        texts=texts,
        item=w["rule"],
        scored=False,
    )
