"""Evaluating rules: one finding per failing item, positions, messages, waivers, scores."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from compliance.rulepack import Pack, load_pack
from compliance.runner import CheckResult, run_check

PACK = """\
pack: {name: t, version: "1"}
rules:
  - id: RESP-03
    area: responsibility
    title: {en: Posts signed, zh: 岗位签字}
    severity: major
    basis: {en: Work Safety Law Art. 22, zh: 《安全生产法》第二十二条}
    rationale: r
    remediation: m
    for_each: responsibility.posts
    key: post
    require: {field: signed_on, within: 12 months}
    message:
      en: "post '{item.post}': responsibility statement signed {item.signed_on}, more than 12 months before {as_of}"
      zh: "岗位“{item.post}”：责任书签订于 {item.signed_on}，距 {as_of} 已超过 12 个月"
  - id: RESP-07
    area: responsibility
    title: Safety institution
    severity: critical
    basis: Work Safety Law Art. 24
    rationale: r
    remediation: m
    when: {field: unit.employees, gt: 100}
    require:
      any:
        - {present: responsibility.safety_department.name}
        - {field: responsibility.full_time_safety_managers, ge: 1}
    message: "{unit.employees} employees and no safety institution or full-time safety manager"
  - id: RISK-04
    area: risks
    title: Nothing open past its deadline
    severity: critical
    basis: Hidden Danger Provisions Art. 15
    rationale: r
    remediation: m
    for_each: risks.hidden_dangers
    where: {field: status, ne: closed}
    require: {field: deadline, ge: as_of}
    locate: deadline
    message: "hazard {item.id} open past its deadline {item.deadline}"
  - id: QUAL-02
    area: quality
    title: refresher hours
    severity: minor
    basis: b
    rationale: r
    remediation: m
    for_each: quality.staff
    where: {field: role, in: [principal, safety_manager]}
    require:
      sum: training
      of: hours
      where: {field: date, within: 12 months}
      ge: 12
    message: "{item.name}: {actual} h of training in the last 12 months, 12 h required"
"""

UNIT = """\
unit:
  id: coal-01
  name: Beiyuan Coal Plant
  kind: coal
  employees: 820
valid_on: 2026-11-01
responsibility:
  posts:
    - post: Boiler operator
      signed_on: 2022-11-03
    - post: Shift supervisor
      signed_on: 2026-03-01
    - post: Electrician
      responsible: Zhang Wei
risks:
  hidden_dangers:
    - {id: HD-01, description: Leaking valve, status: closed, deadline: 2025-01-01}
    - {id: HD-02, description: Missing guard, status: open, deadline: 2026-10-01}
    - {id: HD-03, description: Cable tray, status: open, deadline: 2026-12-31}
quality:
  staff:
    - name: Wang Qiang
      role: principal
      training:
        - {date: 2026-05-01, hours: 8}
        - {date: 2025-01-01, hours: 40}
    - name: Li Na
      role: staff
"""
AS_OF = dt.date(2026, 11, 28)


@pytest.fixture
def pack(write: Callable[[str, str], Path]) -> Pack:
    return load_pack(str(write("pack.yaml", PACK)))


def run(write: Callable[[str, str], Path], pack: Pack, unit: str) -> CheckResult:
    path = write("units/coal-01.yaml", unit)
    return run_check([str(path)], pack, AS_OF)


def test_one_finding_per_failing_item_with_position(
    write: Callable[[str, str], Path], pack: Pack
) -> None:
    result = run(write, pack, UNIT)
    got = [
        (f.rule, f.location.line, f.location.column, f.location.path, f.text("message"))
        for f in result.findings
    ]
    assert got == [
        (
            "RESP-07",
            7,
            1,
            "responsibility.safety_department.name",
            "820 employees and no safety institution or full-time safety manager",
        ),
        (
            "RESP-03",
            10,
            18,
            "responsibility.posts[0].signed_on",
            "post 'Boiler operator': responsibility statement signed 2022-11-03, more than 12 months before 2026-11-28",
        ),
        (
            "RESP-03",
            13,
            7,
            "responsibility.posts[2].signed_on",
            "post 'Electrician': responsibility statement signed (missing), more than 12 months before 2026-11-28",
        ),
        (
            "RISK-04",
            18,
            71,
            "risks.hidden_dangers[1].deadline",
            "hazard HD-02 open past its deadline 2026-10-01",
        ),
        (
            "QUAL-02",
            25,
            9,
            "quality.staff[0].training",
            "Wang Qiang: 8 h of training in the last 12 months, 12 h required",
        ),
    ]
    zh = result.findings[1].text("message", "zh")
    assert zh == "岗位“Boiler operator”：责任书签订于 2022-11-03，距 2026-11-28 已超过 12 个月"


def test_applicability(write: Callable[[str, str], Path], pack: Pack) -> None:
    result = run(write, pack, UNIT.replace("employees: 820", "employees: 80"))
    assert "RESP-07" not in {f.rule for f in result.findings}
    assert result.units["coal-01"].record["rules"]["RESP-07"] == "n/a"


def test_fingerprints_are_stable_and_distinct(
    write: Callable[[str, str], Path], pack: Pack
) -> None:
    first = [f.fingerprint for f in run(write, pack, UNIT).findings]
    moved = UNIT.replace("valid_on: 2026-11-01", "valid_on: 2026-11-01\n# a comment moves lines")
    assert [f.fingerprint for f in run(write, pack, moved).findings] == first
    assert len(set(first)) == len(first)


def test_waivers(write: Callable[[str, str], Path], pack: Pack) -> None:
    unit = (
        UNIT
        + """\
waivers:
  - rule: RISK-04
    item: HD-02
    reason: Guard on order, temporary barrier in place
    approved_by: Liu Yang, deputy general manager
    expires: 2027-01-31
  - rule: RESP-07
    reason: Merged with the group's safety department
    approved_by: Chen Gang
    expires: 2026-06-30
"""
    )
    result = run(write, pack, unit)
    risk = [f for f in result.findings if f.rule == "RISK-04"]
    assert [(f.waived, f.waiver and f.waiver["approved_by"]) for f in risk] == [
        (True, "Liu Yang, deputy general manager")
    ]
    expired = [f for f in result.findings if f.rule == "WAIVER-EXPIRED"]
    assert [(f.location.path, f.text("message")) for f in expired] == [
        (
            "waivers[1].expires",
            "waiver of RESP-07 expired on 2026-06-30 (approved by Chen Gang); the rule applies again",
        )
    ]
    # the expired waiver does not apply: RESP-07 is reported and open
    assert [f.waived for f in result.findings if f.rule == "RESP-07"] == [False]
    summary = result.to_json()["summary"]
    assert summary["waived"] == 1


def test_waiver_register_lists_only_the_waivers_of_the_pack_checked(
    write: Callable[[str, str], Path], pack: Pack
) -> None:
    unit = (
        UNIT
        + """\
waivers:
  - rule: RISK-04
    pack: iso45001
    item: HD-02
    reason: Meant for the other pack's check
    approved_by: Sun Li
    expires: 2027-01-31
  - rule: RESP-07
    pack: iso45001
    reason: Expired, but for the other pack
    approved_by: Sun Li
    expires: 2026-06-30
  - rule: RESP-03
    pack: t
    item: Boiler operator
    reason: Statement being re-signed
    approved_by: Liu Yang
    expires: 2027-01-31
  - rule: RESP-99
    reason: A rule this pack does not have
    approved_by: Liu Yang
    expires: 2027-01-31
"""
    )
    result = run(write, pack, unit)
    data = result.to_json()
    # the other pack's waiver neither covers the finding nor shows as applied or expired
    assert [f["waived"] for f in data["findings"] if f["rule"] == "RISK-04"] == [False]
    assert not [f for f in data["findings"] if f["rule"] == "WAIVER-EXPIRED"]
    assert [(w["rule"], w["item"], w["status"]) for w in data["units"][0]["waivers"]] == [
        ("RESP-03", "Boiler operator", "active")
    ]
    assert [(f["item"], f["waived"]) for f in data["findings"] if f["rule"] == "RESP-03"] == [
        ("Boiler operator", True),
        ("Electrician", False),
    ]
    assert [d["message"] for d in data["diagnostics"]] == [
        "waivers[3].rule: waiver names rule 'RESP-99', which is not in pack t "
        "(add 'pack:' if it is meant for another pack)"
    ]


def test_scores_follow_the_documented_formula(
    write: Callable[[str, str], Path], pack: Pack
) -> None:
    unit = run(write, pack, UNIT).units["coal-01"]
    # RESP-03 major 1/3 passed, RESP-07 critical 0, RISK-04 critical 1/2 (HD-01 closed is filtered out),
    # QUAL-02 minor 0/1 (Li Na is staff: filtered out)
    resp = 100 * (5 * (1 / 3) + 10 * 0) / 15
    assert unit.areas["responsibility"]["score"] == round(resp, 1)
    assert unit.areas["risks"]["score"] == 50.0
    assert unit.areas["quality"]["score"] == 0.0
    assert unit.areas["planning"]["score"] == 100.0
    total = 100 * (5 * (1 / 3) + 10 * 0 + 10 * 0.5 + 2 * 0) / (5 + 10 + 10 + 2)
    assert unit.score == round(total, 1)
    assert unit.areas["responsibility"]["failed"] == 2


def test_group_tree_rollups_and_problems(write: Callable[[str, str], Path], pack: Pack) -> None:
    base = "unit:\n  id: {id}\n  name: {id}\n  kind: {kind}\n{parent}valid_on: 2026-11-01\n"
    write("g/hq.yaml", base.format(id="hq", kind="headquarters", parent=""))
    write("g/wind.yaml", base.format(id="wind", kind="wind", parent="  parent: hq\n"))
    write("g/solar.yaml", base.format(id="solar", kind="solar", parent="  parent: nowhere\n"))
    write("g/dup.yaml", base.format(id="wind", kind="wind", parent=""))
    folder = Path(write("g/x.txt", "")).parent
    result = run_check([str(folder)], pack, AS_OF)
    msgs = [str(d).replace(f"{folder}/", "") for d in result.diagnostics]
    # files are read in sorted order: dup.yaml takes the id first, wind.yaml is the duplicate
    assert msgs == [
        "solar.yaml:5:11: warning: unit.parent: 'nowhere' is not among the checked units",
        "wind.yaml:2:7: error: unit.id: 'wind' is already the id of dup.yaml:2",
    ]
    assert result.failed_files == [str(folder / "wind.yaml")]
    assert sorted(result.units) == ["hq", "solar", "wind"]
    assert result.units["wind"].file.endswith("dup.yaml")
    assert result.to_json()["rollups"] == []  # dup.yaml's 'wind' has no parent


def test_parent_cycle_is_an_error(write: Callable[[str, str], Path], pack: Pack) -> None:
    base = (
        "unit:\n  id: {id}\n  name: {id}\n  kind: wind\n  parent: {parent}\nvalid_on: 2026-11-01\n"
    )
    write("c/a.yaml", base.format(id="a", parent="b"))
    b = write("c/b.yaml", base.format(id="b", parent="a"))
    result = run_check([str(b.parent)], pack, AS_OF)
    assert [d.message for d in result.diagnostics] == [
        "unit.parent: parents form a cycle: a -> b -> a",
        "unit.parent: parents form a cycle: b -> a -> b",
    ]
    assert result.has_errors and sorted(result.units) == ["a", "b"]


def test_safety_funds_follow_the_units_industry() -> None:
    """The power-generation rates never apply to the maintenance company (a construction
    company for safety costs); its own rates do, and a short extraction names the amount due."""
    from tests.conftest import SAMPLES

    pack = load_pack("cn-work-safety")
    result = run_check([str(SAMPLES)], pack, dt.date(2026, 11, 28))
    rules = {uid: u.record["rules"] for uid, u in result.units.items()}
    assert rules["maint-01"]["PLAN-05"] == "n/a"
    assert rules["maint-01"]["PLAN-13"] == "pass"
    assert rules["coal-01"]["PLAN-05"] == "pass" and rules["coal-01"]["PLAN-13"] == "n/a"
    assert rules["hq"]["PLAN-05"] == "n/a"  # headquarters does not generate power
    (wind,) = [f for f in result.findings if f.rule == "PLAN-05" and f.unit == "wind-01"]
    assert "less than the 2,278,000 CNY required" in wind.text("message")
    assert "应提取金额 2,278,000 元" in wind.text("message", "zh")
