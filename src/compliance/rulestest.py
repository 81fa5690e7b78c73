"""Run the pass and fail cases that ship with a rule pack (``compliance rules test PACK``).

A folder pack keeps its cases in ``tests/RULE-ID.yaml``::

    rule: RESP-03
    as_of: 2026-06-30       # a case may give its own as_of
    base: {}                # optional: part of a unit merged under every case
    cases:
      - name: every post signed this year
        expect: pass        # pass | fail | n/a | not_assessed | upcoming | retired
        unit: {responsibility: {posts: [{post: Boiler operator, signed_on: 2026-03-01}]}}
      - name: one statement is stale
        expect: fail
        findings: 1                                   # optional: how many findings
        paths:                                        # optional: where they point
          - responsibility.posts[0].signed_on
        message_contains: Boiler operator             # optional: text of the first message
        unit: {responsibility: {posts: [{post: Boiler operator, signed_on: 2024-03-01}]}}

Each case's unit is a minimal valid unit (``unit``: id, name, kind; ``valid_on``) deep-merged
with ``base`` and the case's ``unit``, validated against the unit schema, and checked with
that one rule alone. Every rule of the pack needs at least one passing and one failing case.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compliance.diagnostics import ERROR, Diagnostic, display_path
from compliance.engine import check_unit
from compliance.loader import Document, load_file
from compliance.rulemodel import Pack
from compliance.schema import parse_date, validate_document

SKELETON: dict[str, Any] = {
    "unit": {"id": "test-unit", "name": "Test unit", "kind": "coal", "employees": "50"},
}


@dataclass
class CaseResult:
    """The outcome of one case."""

    rule: str
    name: str
    file: str
    line: int
    ok: bool
    detail: str = ""


# what a case may expect: a rule not yet (or no longer) in force on the case's date is not checked
_EXPECT = ("pass", "fail", "n/a", "not_assessed", "upcoming", "retired")


def merge(base: Any, over: Any) -> Any:
    """Deep-merge mappings; anything else in ``over`` replaces what ``base`` has."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = merge(base.get(k), v) if k in base else copy.deepcopy(v)
        return out
    return copy.deepcopy(over)


def test_files(pack: Pack) -> list[Path]:
    """Case files of the pack itself: ``tests/`` in a folder pack, ``NAME.tests/`` beside a file."""
    head = Path(pack.file)
    folder = head.parent / "tests" if head.name == "pack.yaml" else head.with_suffix(".tests")
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def run_pack_tests(pack: Pack) -> tuple[list[CaseResult], list[Diagnostic]]:
    """Run every case file beside the pack; also report rules that lack a pass or fail case."""
    results: list[CaseResult] = []
    problems: list[Diagnostic] = []
    covered: dict[str, set[str]] = {}
    for path in test_files(pack):
        doc = load_file(path, display_path(path), within=path.parent)  # no link out of tests/
        if doc.data is None or not isinstance(doc.data, dict):
            problems += doc.diagnostics or [Diagnostic(doc.file, 1, 1, ERROR, "expected a mapping")]
            continue
        rid = str(doc.data.get("rule", ""))
        if rid not in pack.rules:
            problems.append(doc.problem(("rule",), f"case file names unknown rule '{rid}'"))
            continue
        for res in run_case_file(doc, pack):
            results.append(res)
            if res.ok:
                covered.setdefault(rid, set()).add(res.detail)
    for rid, rule in pack.rules.items():
        kinds = covered.get(rid, set())
        missing = [k for k in ("pass", "fail") if k not in kinds]
        if missing and rule.pack == pack.name:
            problems.append(
                Diagnostic(
                    rule.file,
                    rule.line,
                    1,
                    ERROR,
                    f"{rid}: no working '{' and '.join(missing)}' case in tests/{rid}.yaml",
                )
            )
    return results, problems


def run_case_file(doc: Document, pack: Pack) -> list[CaseResult]:
    """Run the cases of one loaded case file."""
    data = doc.data
    rid = str(data["rule"])
    one = Pack(
        pack.name, pack.version, pack.title, pack.description, pack.file, {rid: pack.rules[rid]}
    )
    as_of_raw = data.get("as_of", "2026-06-30")
    as_of = parse_date(str(as_of_raw))
    out: list[CaseResult] = []
    if isinstance(as_of, str):
        line = doc.mark(("as_of",))[0]
        return [CaseResult(rid, "as_of", doc.file, line, False, as_of)]
    for i, case in enumerate(data.get("cases") or []):
        line = doc.mark(("cases", i))[0]
        name = str(case.get("name", f"case {i + 1}"))
        case_as_of = parse_date(str(case["as_of"])) if "as_of" in case else as_of
        if isinstance(case_as_of, str):
            out.append(CaseResult(rid, name, doc.file, line, False, case_as_of))
            continue
        try:
            out.append(
                _run_case(doc, one, rid, case_as_of, data.get("base") or {}, case, name, line)
            )
        except Exception as exc:  # a broken case must show as a failure, not stop the run
            out.append(CaseResult(rid, name, doc.file, line, False, f"{type(exc).__name__}: {exc}"))
    return out


def _run_case(
    doc: Document,
    pack: Pack,
    rid: str,
    as_of: dt.date,
    base: Any,
    case: dict[str, Any],
    name: str,
    line: int,
) -> CaseResult:
    expect = str(case.get("expect", ""))
    if expect not in _EXPECT:
        return CaseResult(rid, name, doc.file, line, False, f"expect must be {', '.join(_EXPECT)}")
    unit = merge(merge({**SKELETON, "valid_on": as_of.isoformat()}, base), case.get("unit") or {})
    udoc = Document(f"{doc.file}#{name}", data=_as_text(unit))
    _number_lines(udoc.data, (), udoc.marks, [0])
    validate_document(udoc, "unit")
    if udoc.diagnostics:  # a warning too: a mistyped key would make the case test nothing
        errs = "; ".join(f"{d.level}: {d.message}" for d in udoc.diagnostics)
        return CaseResult(rid, name, doc.file, line, False, f"case unit is invalid: {errs}")
    result, _ = check_unit(udoc, pack, as_of)
    outcome = result.outcomes.get(rid)
    status = outcome.status if outcome is not None else pack.rules[rid].in_force(as_of)
    findings = [f for f in result.findings if f.rule == rid]
    got = "pass" if status == "waived" else status
    if got != expect:
        msgs = "; ".join(f.text("message") for f in findings)
        return CaseResult(
            rid, name, doc.file, line, False, f"expected {expect}, got {got} {msgs}".rstrip()
        )
    if "findings" in case and int(case["findings"]) != len(findings):
        return CaseResult(
            rid,
            name,
            doc.file,
            line,
            False,
            f"expected {case['findings']} findings, got {len(findings)}",
        )
    if "paths" in case:
        paths = [f.location.path for f in findings]
        if sorted(str(p) for p in case["paths"]) != sorted(paths):
            return CaseResult(
                rid, name, doc.file, line, False, f"expected paths {case['paths']}, got {paths}"
            )
    if "message_contains" in case:
        wanted = str(case["message_contains"])
        if not findings or wanted not in findings[0].text("message") + findings[0].text(
            "message", "zh"
        ):
            got_msg = findings[0].text("message") if findings else "(no finding)"
            return CaseResult(
                rid, name, doc.file, line, False, f"message lacks '{wanted}': {got_msg}"
            )
    return CaseResult(rid, name, doc.file, line, True, expect)


def _number_lines(
    value: Any, path: tuple[Any, ...], marks: dict[Any, Any], line: list[int]
) -> None:
    """Give every value of a case's unit a line in document order, as if it were a file, so
    that findings sort by item order as they do for real files."""
    line[0] += 1
    marks[path] = (line[0], 1)
    if isinstance(value, dict):
        for k, v in value.items():
            _number_lines(v, (*path, k), marks, line)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _number_lines(v, (*path, i), marks, line)


def _as_text(value: Any) -> Any:
    """Turn already-typed values back into text so the unit schema converts them as in a file."""
    if isinstance(value, dict):
        return {str(k): _as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_text(v) for v in value]
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
