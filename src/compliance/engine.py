"""Evaluate a rule pack over loaded unit descriptions: findings, waivers, per-rule outcomes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from compliance.accountable import plan_facts
from compliance.checks import Context, Failure, RuleRefused
from compliance.diagnostics import ERROR, WARNING, Diagnostic
from compliance.findings import (
    EXPIRED_BASIS,
    EXPIRED_MESSAGE,
    EXPIRED_TEXTS,
    WAIVER_EXPIRED,
    Finding,
    Location,
    RuleOutcome,
    UnitResult,
    content_identity,
    fingerprint,
)
from compliance.i18n import N_, text_in
from compliance.labels import code_label, display_path
from compliance.loader import Document, PathT, format_path
from compliance.names import LANGS
from compliance.paths import MISSING, get
from compliance.rulepack import Message, Pack, Rule

_KEY_FIELDS = ("id", "post", "name", "title", "holder")
# Who answers for an item, in order of preference (hazard owner, post holder, task owner...)
_OWNER_FIELDS = ("owner", "responsible", "head", "chair", "led_by", "name")
MISSING_TEXT = N_("(missing)")
YES_NO = (N_("no"), N_("yes"))


def is_empty_value(value: Any) -> bool:
    """Not recorded: the key is missing or has no value. An empty list is a record ("none")."""
    return value is MISSING or value is None


def show(value: Any, lang: str) -> str:
    """A value as a message quotes it."""
    if value is None or value is MISSING:
        return text_in(MISSING_TEXT, lang)
    if isinstance(value, bool):
        return text_in(YES_NO[value], lang)
    if isinstance(value, float):
        return (
            f"{value:,.2f}".rstrip("0").rstrip(".") if not value.is_integer() else f"{int(value):,}"
        )
    if isinstance(value, int):  # amounts get separators; years and counts stay plain
        return f"{value:,}" if abs(value) >= 100_000 else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(show(v, lang) for v in value)
    if isinstance(value, dict):
        return "{…}"
    return str(value)


def render_message(msg: Message, lang: str, root: Any, item: Any, special: dict[str, Any]) -> str:
    """Fill a message's placeholders with concrete values."""
    text = msg.texts[lang]
    if "{" not in text:
        return text
    out = text.replace("{{", "\x00").replace("}}", "\x01")
    for name, (scope, parts) in msg.fields.items():
        token = "{" + name + "}"
        if token not in out:
            continue
        if scope == "special":
            value = special.get(name)
            if lang == "zh" and name == "path" and isinstance(value, str):
                value = display_path(value, lang)
            elif lang == "zh" and name == "actual" and special.get("path"):
                value = _labelled(value, lambda v: code_label(special["path"], v, lang))
        else:
            value = get(item if scope == "item" else root, parts)
            if lang == "zh" and name in msg.labels:
                value = _labelled(value, msg.labels[name].get)
        out = out.replace(token, show(value, lang))
    return out.replace("\x00", "{").replace("\x01", "}")


def _labelled(value: Any, label: Callable[[str], str | None]) -> Any:
    """A code (or a list of codes) replaced by its label; other values unchanged."""
    if isinstance(value, str):
        return label(value) or value
    if isinstance(value, list):
        return [(label(v) or v) if isinstance(v, str) else v for v in value]
    return value


def responsible_for(root: dict[str, Any], item: Any) -> str | None:
    """The person who answers for a finding: the item's owner if it names one, else the
    unit's safety contact, else its principal person in charge."""
    if isinstance(item, dict):
        for name in _OWNER_FIELDS:
            value = item.get(name)
            if isinstance(value, str) and value.strip():
                return value
    meta = root.get("unit", {})
    for who in ("safety_contact", "principal"):
        person = meta.get(who) or {}
        if person.get("name"):
            return str(person["name"])
    return None


def item_key(rule: Rule, item: Any, index: int) -> str:
    """What names an item: the rule's ``key`` field, a usual key field, or its position."""
    return _named_key(rule, item) or f"#{index + 1}"


def _named_key(rule: Rule, item: Any) -> str | None:
    if rule.key is not None:
        value = get(item, rule.key)
        if value is not MISSING and value is not None:
            return show(value, "en")
    if isinstance(item, dict):
        for name in _KEY_FIELDS:
            value = item.get(name)
            if isinstance(value, str) and value.strip():
                return value
    return None


def item_identities(rule: Rule, items: list[Any]) -> list[str]:
    """What each item's fingerprint is made from, independent of the item's position.

    A named key as such; an item without one, a digest of its content (its position ``#3``
    would change when an item is added before it); a key used by several items gets its
    occurrence number after the first (``HD-01``, ``HD-01\x1f2``), so no two findings share
    a fingerprint.
    """
    out: list[str] = []
    seen: dict[str, int] = {}
    for item in items:
        ident = _named_key(rule, item)
        if ident is None:
            ident = content_identity(item)
        n = seen[ident] = seen.get(ident, 0) + 1
        out.append(ident if n == 1 else f"{ident}\x1f{n}")
    return out


def _key_field(rule: Rule, item: Any) -> PathT | None:
    """The field that gave an item its key (``None`` for a positional key)."""
    if rule.key is not None and get(item, rule.key) not in (MISSING, None):
        return tuple(rule.key)
    if isinstance(item, dict):
        for name in _KEY_FIELDS:
            value = item.get(name)
            if isinstance(value, str) and value.strip():
                return (name,)
    return None


def duplicate_keys(doc: Document, rule: Rule, reported: set[PathT]) -> list[Diagnostic]:
    """Items of a ``for_each`` list that share a key: an error naming both lines.

    Findings, waivers and fingerprints name an item by its key; two hidden dangers both
    numbered ``HD-017`` would otherwise be one item to a waiver and one fingerprint twice.
    ``reported`` holds the items already diagnosed (several rules walk the same list).
    """
    if rule.for_each is None:
        return []
    parts = rule.for_each[1]
    items = get(doc.data, parts)
    if not isinstance(items, list):
        return []
    first: dict[str, int] = {}
    problems = []
    for i, item in enumerate(items):
        field = _key_field(rule, item)
        if field is None:
            continue
        key = item_key(rule, item, i)
        if key not in first:
            first[key] = i
            continue
        path = (*parts, i, *field)
        if path in reported:
            continue
        reported.add(path)
        other = (*parts, first[key], *field)
        line = doc.locate(other)[0]
        name = format_path(field)
        problems.append(
            doc.problem(
                path,
                f"{format_path(path)}: '{key}' is already the {name} of "
                f"{format_path((*parts, first[key]))} (line {line}); give each item its own "
                f"{name}: findings, waivers and fingerprints name items by it",
            )
        )
    return problems


def unique_fingerprints(unit: str, findings: list[Finding]) -> None:
    """Make repeated fingerprints (items with the same key) distinct, in file order."""
    seen: dict[str, int] = {}
    for f in findings:
        n = seen[f.fingerprint] = seen.get(f.fingerprint, 0) + 1
        if n > 1:
            f.fingerprint = fingerprint(unit, f.rule, f"{f.item or ''}\x1e{n}")


def waiver_status(waiver: dict[str, Any], as_of: dt.date) -> str:
    """``active`` while the as-of date is on or before the waiver's expiry, else ``expired``.

    The one place this is decided: the engine's waiver matching and the result's register.
    """
    return "active" if waiver["expires"] >= as_of else "expired"


class Waivers:
    """A unit's waivers, split into active and expired at the as-of date."""

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

    def match(self, rule: str, key: str | None) -> dict[str, Any] | None:
        """The active waiver covering this rule (and item), if any."""
        for _, w in self.active:
            if w["rule"] == rule and (w.get("item") is None or w.get("item") == key):
                return w
        return None


def _record_waiver(w: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in w.items()}


def check_unit(doc: Document, pack: Pack, as_of: dt.date) -> tuple[UnitResult, list[Diagnostic]]:
    """Evaluate every rule of ``pack`` on one validated unit document."""
    data: dict[str, Any] = doc.data
    meta = data["unit"]
    result = UnitResult(
        id=meta["id"],
        name=meta["name"],
        parent=meta.get("parent"),
        kind=meta["kind"],
        file=doc.file,
        data=data,
    )
    ctx = Context(data, as_of)
    waivers = Waivers(doc, pack, as_of)
    problems: list[Diagnostic] = []
    reported: set[PathT] = set()
    for rule in pack.rules.values():
        if rule.in_force(as_of) != "in_force":
            continue  # upcoming or retired: listed with the pack, not checked
        problems += duplicate_keys(doc, rule, reported)
        outcome = RuleOutcome()
        result.outcomes[rule.id] = outcome
        try:
            _evaluate(rule, doc, data, ctx, outcome, result, waivers, as_of)
        except RuleRefused as exc:
            outcome.applicable = False
            outcome.passed = outcome.failed = outcome.waived = 0
            result.findings = [f for f in result.findings if f.rule != rule.id]
            problems.append(
                Diagnostic(rule.file, rule.line, 1, ERROR, f"{rule.id}: expression refused: {exc}")
            )
    for i, w in waivers.expired:
        result.findings.append(_expired_finding(doc, result.id, pack, i, w, as_of))
    result.findings.sort(key=Finding.sort_key)
    unique_fingerprints(result.id, result.findings)
    return result, waivers.warnings + problems


def _evaluate(
    rule: Rule,
    doc: Document,
    data: dict[str, Any],
    ctx: Context,
    outcome: RuleOutcome,
    result: UnitResult,
    waivers: Waivers,
    as_of: dt.date,
) -> None:
    """Evaluate one rule on one unit, adding its findings and outcome."""
    if rule.when is not None and rule.when(ctx, data, ()) is not None:
        outcome.applicable = False
        return
    # no pass without evidence: a rule that finds nothing wrong only because the data it
    # reads is not recorded is "not assessed" (a failure stays a failure)
    outcome.missing = tuple(format_path(p) for p in rule.needs if is_empty_value(get(data, p)))
    if rule.for_each is None:
        failure = rule.require(ctx, data, ())
        _tally(result, doc, rule, outcome, waivers, failure, data, None, (), None, None, as_of)
        return
    parts = rule.for_each[1]
    found = get(data, parts)
    items = found if isinstance(found, list) else []
    identities = item_identities(rule, items)
    for i, item in enumerate(items):
        base = (*parts, i)
        if rule.where is not None and rule.where(ctx, item, base) is not None:
            continue
        failure = rule.require(ctx, item, base)
        _tally(
            result,
            doc,
            rule,
            outcome,
            waivers,
            failure,
            data,
            item,
            base,
            item_key(rule, item, i),
            identities[i],
            as_of,
        )


def _tally(
    result: UnitResult,
    doc: Document,
    rule: Rule,
    outcome: RuleOutcome,
    waivers: Waivers,
    failure: Failure | None,
    root: Any,
    item: Any,
    base: PathT,
    key: str | None,
    identity: str | None,
    as_of: dt.date,
) -> None:
    if failure is None:
        outcome.passed += 1
        return
    path = (*base, *rule.locate) if rule.locate is not None else failure.path
    place = doc.place(path, nearest_key=True)
    special = {"actual": failure.actual, "as_of": as_of, "path": format_path(path), "key": key}
    texts: dict[str, dict[str, str]] = {}
    for lang in LANGS:
        texts[lang] = {
            "title": rule.title[lang],
            "message": render_message(rule.message, lang, root, item, special),
            "basis": rule.basis[lang],
            "remediation": rule.remediation[lang],
            "rationale": rule.rationale[lang],
        }
    waiver = waivers.match(rule.id, key)
    plan = plan_facts(root, item, format_path(path), rule.stop_work, as_of)
    finding = Finding(
        unit=result.id,
        rule=rule.id,
        area=rule.area,
        severity=rule.severity,
        location=Location(
            place.file, place.line, place.column, format_path(path), place.sheet, place.cell
        ),
        fingerprint=fingerprint(result.id, rule.id, identity),
        texts=texts,
        item=key,
        responsible=plan["responsible"] or responsible_for(root, item),
        plan=plan,
        waived=waiver is not None,
        waiver=_record_waiver(waiver) if waiver else None,
        veto=rule.veto,
    )
    if waiver is not None:
        outcome.waived += 1
    else:
        outcome.failed += 1
    result.findings.append(finding)


def _expired_finding(
    doc: Document, unit: str, pack: Pack, index: int, w: dict[str, Any], as_of: dt.date
) -> Finding:
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
