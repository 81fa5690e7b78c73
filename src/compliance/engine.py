"""Evaluate a rule pack over one loaded unit: findings, waivers applied, per-rule outcomes.

The pieces live beside it: :mod:`compliance.rulemessages` fills a rule's message,
:mod:`compliance.itemkeys` names list items, :mod:`compliance.waivers` decides which waivers
apply, :mod:`compliance.accountable` who answers for a finding.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from compliance.accountable import plan_facts, responsible_for
from compliance.checks import Context, Failure, RuleRefused
from compliance.diagnostics import ERROR, Diagnostic
from compliance.findings import Finding, Location, RuleOutcome, UnitResult, fingerprint
from compliance.itemkeys import duplicate_keys, item_identities, item_key, unique_fingerprints
from compliance.loader import Document, PathT, format_path
from compliance.names import LANGS
from compliance.paths import get
from compliance.rulemessages import is_empty_value, render_message
from compliance.rulepack import Pack, Rule
from compliance.waivers import Waivers, expired_finding, waiver_record


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
    # lists already searched for shared keys, with the rule key: another rule walking the
    # same list by the same key would only find what is already reported
    searched: set[tuple[PathT, PathT | None]] = set()
    for rule in pack.rules.values():
        if rule.in_force(as_of) != "in_force":
            continue  # upcoming or retired: listed with the pack, not checked
        if rule.for_each is not None and (rule.for_each[1], rule.key) not in searched:
            searched.add((rule.for_each[1], rule.key))
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
        result.findings.append(expired_finding(doc, result.id, pack, i, w))
    result.waivers = waivers.register()
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
    identities: list[str] | None = None  # made at the first failure: most rules find none
    for i, item in enumerate(items):
        base = (*parts, i)
        if rule.where is not None and rule.where(ctx, item, base) is not None:
            continue
        failure = rule.require(ctx, item, base)
        if failure is None:
            outcome.passed += 1
            continue
        if identities is None:
            identities = item_identities(rule, items)
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
        waiver=waiver_record(waiver) if waiver else None,
        veto=rule.veto,
    )
    if waiver is not None:
        outcome.waived += 1
    else:
        outcome.failed += 1
    result.findings.append(finding)
