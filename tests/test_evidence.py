"""Issue 13: no pass without evidence (not assessed, --strict), veto items, legal exposure,
rules in force over time and ``rules diff`` — through the CLI, its JSON and its text."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from compliance.needs import derive_needs, drop_guards
from tests.conftest import MINIMAL_UNIT, SAMPLES, run_cli

AS_OF = "2026-11-28"

PACK = """\
pack: {name: evidence-test, version: "1"}
rules:
  - id: QUAL-01
    area: quality
    severity: critical
    veto: true
    penalty:
      basis: {en: "Work Safety Law Art. 97(7)", zh: "《安全生产法》第九十七条第（七）项"}
      min_cny: 0
      max_cny: 100000
    title: Special-operations workers certified
    basis: Work Safety Law Art. 30
    rationale: r
    remediation: r
    message: "{item.name}: no certificate"
    when: {present: quality.special_operations}
    for_each: quality.special_operations
    key: name
    require: {present: certificate_no}
  - id: RISK-01
    area: risks
    severity: major
    penalty:
      basis: {en: "Work Safety Law Art. 102", zh: "《安全生产法》第一百零二条"}
      min_cny: 0
      max_cny: 50000
    title: Hidden dangers closed by their deadline
    basis: Work Safety Law Art. 41
    rationale: r
    remediation: r
    message: "{item.id}: overdue"
    for_each: risks.hidden_dangers
    where: {field: status, ne: closed}
    key: id
    require: {field: deadline, ge: as_of}
  - id: RISK-02
    area: risks
    severity: minor
    effective_on: 2027-01-01
    title: A rule of next year
    basis: group policy
    rationale: r
    remediation: r
    message: "not yet"
    require: {present: risks.risk_register}
"""

WORKERS = """\
quality:
  special_operations:
    - {name: Qian Lei, operation: Welding}
    - {name: Zhao Qiang, operation: Electrician, certificate_no: T1101}
risks:
  hidden_dangers:
    - {id: HD-1, description: Guard rail, level: general, found_on: 2026-01-05,
       deadline: 2026-03-01, status: open}
    - {id: HD-2, description: Drum level, level: general, found_on: 2026-01-05,
       deadline: 2026-03-01, status: rectifying}
"""


@pytest.fixture
def pack(write: Callable[[str, str], Path]) -> Path:
    return write("pack.yaml", PACK)


def check_json(*args: str) -> tuple[int, dict[str, Any], str]:
    result = run_cli("check", *args, "--as-of", AS_OF, "--format", "json", "--fail-on", "never")
    return result.exit_code, json.loads(result.stdout), result.stderr


def test_misspelt_section_is_not_assessed_not_passed(
    pack: Path, write: Callable[[str, str], Path]
) -> None:
    unit = write(
        "unit.yaml", MINIMAL_UNIT + WORKERS.replace("  special_operations", "  specal_operations")
    )
    code, data, stderr = check_json(str(unit), "--rules", str(pack))
    assert code == 0
    assert "unit.yaml:8:3: warning: quality.specal_operations: unknown key" in stderr
    (u,) = data["units"]
    assert u["rules"]["QUAL-01"] == "not_assessed"
    assert u["not_assessed"] == [{"rule": "QUAL-01", "missing": ["quality.special_operations"]}]
    assert u["areas"]["quality"]["not_assessed"] == 1
    assert u["areas"]["quality"]["passed"] == 0
    assert u["areas"]["quality"]["score"] == 0.0  # not credited: counts as not met
    assert data["summary"]["not_assessed"] == 1
    assert not any(f["rule"] == "QUAL-01" for f in data["findings"])
    text = run_cli("check", str(unit), "--rules", str(pack), "--as-of", AS_OF, "--fail-on", "never")
    assert "not assessed, data not recorded: QUAL-01 (quality.special_operations)" in text.stdout


def test_empty_list_is_evidence_of_none(pack: Path, write: Callable[[str, str], Path]) -> None:
    unit = write("unit.yaml", MINIMAL_UNIT + "quality:\n  special_operations: []\n")
    _, data, _ = check_json(str(unit), "--rules", str(pack))
    assert data["units"][0]["rules"]["QUAL-01"] == "pass"
    assert data["units"][0]["not_assessed"] == [
        {"rule": "RISK-01", "missing": ["risks.hidden_dangers"]}
    ]


def test_strict_makes_warnings_errors(pack: Path, write: Callable[[str, str], Path]) -> None:
    unit = write("unit.yaml", MINIMAL_UNIT + "qualty: {}\n")
    loose = run_cli(
        "check", str(unit), "--rules", str(pack), "--as-of", AS_OF, "--fail-on", "never"
    )
    assert loose.exit_code == 0
    strict = run_cli(
        "check", str(unit), "--rules", str(pack), "--as-of", AS_OF, "--fail-on", "never", "--strict"
    )
    assert strict.exit_code == 2
    assert "unit.yaml:7:1: error: qualty: unknown key 'qualty' is ignored" in strict.stderr


def test_strict_report_exits_2_but_writes(
    pack: Path, write: Callable[[str, str], Path], tmp_path: Path
) -> None:
    unit = write("unit.yaml", MINIMAL_UNIT + "qualty: {}\n")
    out = tmp_path / "out"
    args = ["report", str(unit), "--rules", str(pack), "--as-of", AS_OF, "--format", "docx"]
    result = run_cli(*args, "--out", str(out), "--no-group", "--strict")
    assert result.exit_code == 2
    assert "error: qualty: unknown key" in result.stderr
    assert (out / "unit-report-plant-a.docx").is_file()


def test_veto_and_exposure(pack: Path, write: Callable[[str, str], Path]) -> None:
    unit = write("unit.yaml", MINIMAL_UNIT + WORKERS)
    _, data, _ = check_json(str(unit), "--rules", str(pack))
    (u,) = data["units"]
    assert u["veto"] is True
    assert u["vetoed_by"] == ["QUAL-01"]
    assert [f["veto"] for f in data["findings"] if f["rule"] == "QUAL-01"] == [True]
    # two overdue hidden dangers, one rule: the fine range counts once
    assert u["exposure"]["min_cny"] == 0
    assert u["exposure"]["max_cny"] == 150000
    assert [e["rule"] for e in u["exposure"]["rules"]] == ["QUAL-01", "RISK-01"]
    assert data["summary"]["vetoed"] == 1
    catalog = {r["id"]: r for r in data["rule_pack"]["catalog"]}
    assert catalog["QUAL-01"]["penalty"]["max_cny"] == 100000
    text = run_cli("check", str(unit), "--rules", str(pack), "--as-of", AS_OF).stdout
    assert "VETO: fails whatever its score (open veto items: QUAL-01)" in text
    assert "legal exposure: CNY 0 to 150,000 (2 provisions)" in text
    assert text.rstrip().endswith("Failed by a veto item, whatever the score: plant-a")


def test_waived_veto_finding_does_not_veto(pack: Path, write: Callable[[str, str], Path]) -> None:
    waiver = (
        "waivers:\n  - {rule: QUAL-01, reason: Left the company, approved_by: Li Ming,"
        " expires: 2027-01-31}\n"
    )
    unit = write("unit.yaml", MINIMAL_UNIT + WORKERS + waiver)
    _, data, _ = check_json(str(unit), "--rules", str(pack))
    assert data["units"][0]["veto"] is False
    assert data["units"][0]["exposure"]["max_cny"] == 50000


def test_upcoming_rule_is_listed_not_checked(pack: Path, write: Callable[[str, str], Path]) -> None:
    unit = write("unit.yaml", MINIMAL_UNIT + WORKERS)
    _, data, _ = check_json(str(unit), "--rules", str(pack))
    assert "RISK-02" not in data["units"][0]["rules"]
    assert [r["id"] for r in data["rule_pack"]["upcoming"]] == ["RISK-02"]
    assert data["rule_pack"]["upcoming"][0]["effective_on"] == "2027-01-01"
    assert data["rule_pack"]["in_force"] == 2
    later = run_cli(
        "check", str(unit), "--rules", str(pack), "--as-of", "2027-02-01", "--format", "json"
    )
    assert json.loads(later.stdout)["units"][0]["rules"]["RISK-02"] == "fail"
    text = run_cli("check", str(unit), "--rules", str(pack), "--as-of", AS_OF).stdout
    assert "upcoming rule RISK-02 (in force from 2027-01-01, not checked)" in text


@pytest.mark.parametrize(
    ("old", "new", "at", "message"),
    [
        (
            "min_cny: 0\n      max_cny: 100000",
            "min_cny: 200000\n      max_cny: 100000",
            "min_cny: 200000",
            "error: QUAL-01: min_cny 200000 is above max_cny 100000",
        ),
        (
            "effective_on: 2027-01-01",
            "effective_on: 2027-01-01\n    until: 2026-01-01",
            "until: 2026-01-01",
            "error: RISK-02: until 2026-01-01 is before effective_on 2027-01-01",
        ),
        (
            "veto: true",
            "vetoo: true",
            "vetoo: true",
            "warning: rules[0].vetoo: unknown key 'vetoo' is ignored; did you mean 'veto'?",
        ),
        (
            "veto: true",
            "veto: sure",
            "veto: sure",
            "error: rules[0].veto: expected true or false, found text 'sure'",
        ),
    ],
)
def test_bad_pack_keys(
    write: Callable[[str, str], Path], old: str, new: str, at: str, message: str
) -> None:
    text = PACK.replace(old, new, 1)
    path = write("pack.yaml", text)
    lines = text.splitlines()
    line = next(i for i, ln in enumerate(lines, 1) if at in ln)
    col = lines[line - 1].index(at.split(":")[0]) + 1
    result = run_cli("rules", "list", "--rules", str(path))
    assert result.exit_code == (0 if message.startswith("warning") else 2)
    reported = [ln for ln in result.stderr.splitlines() if message in ln]
    assert len(reported) == 1
    # the error points at the key (or, for a bad range, its value) on the right line
    assert reported[0].startswith(f"{path}:{line}:")
    assert int(reported[0].split(":")[2]) >= col


def test_needs_must_name_unit_fields(write: Callable[[str, str], Path]) -> None:
    path = write(
        "pack.yaml",
        PACK.replace("    key: name\n", "    key: name\n    needs: [quality.special_ops]\n", 1),
    )
    result = run_cli("rules", "list", "--rules", str(path))
    assert result.exit_code == 2
    assert (
        "error: QUAL-01: unknown field 'special_ops' in path 'quality.special_ops'; did you mean 'special_operations'?"
        in result.stderr
    )


def test_needs_derived_from_conditions() -> None:
    assert derive_needs(
        {
            "for_each": "quality.staff",
            "require": {"every": "training", "require": {"present": "date"}},
        }
    ) == (("quality", "staff"),)
    # one branch of 'any' may pass on data that is there: only what both need is needed
    assert (
        derive_needs(
            {
                "require": {
                    "any": [
                        {"count": "risks.hidden_dangers", "le": 0},
                        {"present": "risks.risk_register"},
                    ]
                }
            }
        )
        == ()
    )
    assert derive_needs({"require": {"absent": "planning.funding.overdue"}}) == (
        ("planning", "funding"),
    )
    assert derive_needs(
        {
            "require": {
                "all": [
                    {"sum": "quality.staff", "of": "employees", "ge": 1},
                    {"every": "$.rule_of_law.violations", "require": {"present": "x"}},
                ]
            }
        }
    ) == (("quality", "staff"), ("rule_of_law", "violations"))
    # a 'present' guard on a needed list is not an applicability condition
    needs = (("quality", "staff"),)
    assert drop_guards({"present": "quality.staff"}, needs) is None
    assert drop_guards(
        {"all": [{"present": "quality.staff"}, {"field": "unit.kind", "eq": "coal"}]}, needs
    ) == {"all": [{"field": "unit.kind", "eq": "coal"}]}
    assert drop_guards({"present": "quality"}, needs) == {"present": "quality"}


def test_rules_diff(pack: Path, write: Callable[[str, str], Path]) -> None:
    new = write(
        "new.yaml",
        """\
        pack: {name: evidence-new, version: "2", extends: pack.yaml}
        disable: [RISK-02]
        override:
          RISK-01: {severity: critical, veto: true}
        rules:
          - id: QUAL-02
            area: quality
            severity: major
            title: Certificates not expired
            basis: Work Safety Law Art. 30
            rationale: r
            remediation: r
            message: "{item.name}: expired"
            for_each: quality.special_operations
            require: {field: expires, ge: as_of}
        """,
    )
    unit = write("units/unit.yaml", MINIMAL_UNIT + WORKERS)
    text = run_cli("rules", "diff", str(pack), str(new), str(unit.parent), "--as-of", AS_OF)
    assert text.exit_code == 0, text.stderr
    lines = text.stdout.splitlines()
    assert "added (1): QUAL-02" in lines
    assert "removed (1): RISK-02" in lines
    assert "  RISK-01: severity, veto" in lines
    assert any(ln.startswith("  plant-a: QUAL-02 (added); score") for ln in lines)
    js = run_cli(
        "rules", "diff", str(pack), str(new), str(unit.parent), "--as-of", AS_OF, "--format", "json"
    )
    data = json.loads(js.stdout)
    assert data["changed"] == [{"rule": "RISK-01", "fields": ["severity", "veto"]}]
    (u,) = data["units"]
    assert u["unit"] == "plant-a"
    assert [(r["rule"], r["change"]) for r in u["rules"]] == [("QUAL-02", "added")]
    assert u["veto"] is False  # vetoed before (QUAL-01) and after: not newly


def test_sample_exposure_matches_catalog() -> None:
    _, data, _ = check_json(str(SAMPLES))
    catalog = {r["id"]: r for r in data["rule_pack"]["catalog"]}
    for u in data["units"]:
        failing = {f["rule"] for f in data["findings"] if f["unit"] == u["id"] and not f["waived"]}
        priced = [rid for rid in catalog if rid in failing and catalog[rid]["penalty"]]
        assert [e["rule"] for e in u["exposure"]["rules"]] == priced
        assert u["exposure"]["max_cny"] == sum(catalog[r]["penalty"]["max_cny"] for r in priced)
        assert u["veto"] == any(catalog[r]["veto"] for r in failing if r in catalog)


def test_strict_meeting(tmp_path: Path) -> None:
    source = SAMPLES / "meetings" / "2026-q4-conference.meeting.yaml"
    meeting = tmp_path / "m.meeting.yaml"
    meeting.write_text(source.read_text("utf-8") + "agendaa: []\n", "utf-8")
    args = ["meeting", "signin", str(meeting), "--format", "docx", "--out", str(tmp_path / "out")]
    loose = run_cli(*args)
    assert loose.exit_code == 0, loose.stderr
    assert ":1: warning: agendaa: unknown key 'agendaa' is ignored" in loose.stderr
    strict = run_cli(*args, "--strict")
    assert strict.exit_code == 2
    assert ":1: error: agendaa: unknown key 'agendaa' is ignored" in strict.stderr


def test_dates_survive_the_pack_cache(pack: Path, tmp_path: Path, monkeypatch: Any) -> None:
    import datetime as dt

    from compliance.rulepack import load_pack

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("COMPLIANCE_NO_CACHE", raising=False)
    first, second = load_pack(str(pack)), load_pack(str(pack))  # the second from the cache
    entries = (tmp_path / "cache" / "compliance" / "packs").glob("*.bin")
    assert len([e for e in entries if not e.name.startswith("compiled-")]) == 1
    for loaded in (first, second):
        assert loaded.rules["RISK-02"].effective_on == dt.date(2027, 1, 1)
        assert loaded.rules["RISK-02"].in_force(dt.date(2026, 11, 28)) == "upcoming"


def test_open_veto_item_fails_the_check_whatever_fail_on(
    write: Callable[[str, str], Path],
) -> None:
    info = PACK.replace("severity: critical", "severity: info", 1)
    unit = write(
        "unit.yaml",
        MINIMAL_UNIT
        + "quality:\n  special_operations:\n    - {name: Qian Lei, operation: Welding}\n"
        + "risks:\n  hidden_dangers: []\n",
    )
    for text, veto_code in ((info, 1), (info.replace("veto: true", "veto: false"), 0)):
        pack = write("pack.yaml", text)
        args = ["check", str(unit), "--rules", str(pack), "--as-of", AS_OF]
        assert run_cli(*args, "--fail-on", "critical").exit_code == veto_code
        assert run_cli(*args, "--fail-on", "never").exit_code == 0
