"""Every shipped rule's pass and fail cases, one parametrised test (as `compliance rules test`)."""

from __future__ import annotations

import pytest

from compliance.rulepack import load_pack
from compliance.rulestest import CaseResult, run_pack_tests

PACKS = ["cn-work-safety", "iso45001"]
_RESULTS: dict[str, tuple[list[CaseResult], list[str]]] = {}


def _run(name: str) -> tuple[list[CaseResult], list[str]]:
    if name not in _RESULTS:
        results, problems = run_pack_tests(load_pack(name))
        _RESULTS[name] = (results, [str(p) for p in problems])
    return _RESULTS[name]


def _cases() -> list[tuple[str, int]]:
    return [(name, i) for name in PACKS for i in range(len(_run(name)[0]))]


@pytest.mark.parametrize(("pack", "index"), _cases())
def test_rule_case(pack: str, index: int) -> None:
    case = _run(pack)[0][index]
    assert case.ok, f"{case.file}:{case.line}: {case.rule} {case.name}: {case.detail}"


@pytest.mark.parametrize("pack", PACKS)
def test_every_rule_has_pass_and_fail_cases(pack: str) -> None:
    assert _run(pack)[1] == []
