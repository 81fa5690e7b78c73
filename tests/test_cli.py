"""The command line as a user meets it: exit codes, one-line errors, formats, help."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli
from tests.test_engine import PACK, UNIT

Write = Callable[[str, str], Path]


@pytest.fixture
def setup(write: Write) -> tuple[str, Path]:
    pack = write("pack.yaml", PACK)
    unit = write("units/coal-01.yaml", UNIT)
    return str(pack), unit


def test_version_and_module_entry() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "compliance", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "compliance, version 0.1.0"


def test_help_is_light_and_has_examples() -> None:
    code = (
        "import sys\nfrom compliance.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print('HEAVY' if {'weasyprint', 'docx', 'jinja2'} & set(sys.modules) else 'LIGHT')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("LIGHT")
    for cmd in (
        ["check"],
        ["schema"],
        ["rules"],
        ["rules", "list"],
        ["rules", "show"],
        ["rules", "test"],
        ["diff"],
        ["stats"],
    ):
        result = run_cli(*cmd, "--help")
        assert result.exit_code == 0
        assert "Examples:" in result.output, cmd


def test_exit_codes_follow_fail_on(setup: tuple[str, Path]) -> None:
    pack, unit = setup
    base = ["check", str(unit), "--rules", pack, "--as-of", "2026-11-28"]
    assert run_cli(*base).exit_code == 1
    assert run_cli(*base, "--fail-on", "never").exit_code == 0
    assert run_cli(*base, "--fail-on", "critical").exit_code == 1
    clean = UNIT.replace("employees: 820", "employees: 20").split("responsibility:")[0]
    unit.write_text(clean, encoding="utf-8")
    assert run_cli(*base, "--fail-on", "info").exit_code == 0


@pytest.mark.parametrize("fail_on", ["minor", "never"])
def test_check_as_a_program_ends_like_in_process(
    setup: tuple[str, Path], write: Write, fail_on: str
) -> None:
    """Run as the program, 'check' ends without the interpreter's teardown: the same output,
    the same exit status (1 with findings, 0 with --fail-on never, 2 with a bad file)."""
    pack, unit = setup
    bad = write("units/bad.yaml", "unit: [\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    for path, status in ((unit, 1 if fail_on == "minor" else 0), (bad, 2)):
        args = ["check", str(path), "--rules", pack, "--as-of", "2026-11-28", "--fail-on", fail_on]
        inside = run_cli(*args)
        out = subprocess.run(
            [sys.executable, "-m", "compliance", *args], capture_output=True, text=True, env=env
        )
        assert (out.returncode, out.stdout, out.stderr) == (status, inside.stdout, inside.stderr)
        assert "Summary: " in out.stdout


def test_bad_file_gives_one_line_and_others_are_still_checked(
    setup: tuple[str, Path], write: Write
) -> None:
    pack, unit = setup
    bad = write(
        "units/bad.yaml", "unit:\n  id: bad\n  name: Bad\n  kind: coal\nvalid_on: 2024-02-30\n"
    )
    result = run_cli("check", str(unit.parent), "--rules", pack, "--as-of", "2026-11-28")
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"{bad}:5:11: error: valid_on: '2024-02-30' is not a real date (day is out of range for month)"
    ]
    assert "coal-01  Beiyuan Coal Plant" in result.stdout
    assert f"Files with errors (not checked): {bad}" in result.stdout


def test_bad_as_of_and_unknown_pack() -> None:
    result = run_cli("check", "samples", "--as-of", "2026-13-01")
    assert result.exit_code == 2
    assert (
        result.stderr.strip()
        == "compliance: error: --as-of: '2026-13-01' is not a real date (month must be in 1..12)"
    )
    result = run_cli("check", "samples", "--rules", "no-such-pack")
    assert result.exit_code == 2
    assert result.stderr.startswith("compliance: error: no rule pack 'no-such-pack' (packs found: ")


def test_missing_path(setup: tuple[str, Path]) -> None:
    pack, _ = setup
    result = run_cli("check", "nowhere.yaml", "--rules", pack)
    assert result.exit_code == 2
    assert result.stderr.strip() == "nowhere.yaml:0:0: error: no such file or folder"


def test_json_contract(setup: tuple[str, Path], tmp_path: Path) -> None:
    pack, unit = setup
    out = tmp_path / "out" / "result.json"
    result = run_cli(
        "check",
        str(unit),
        "--rules",
        pack,
        "--as-of",
        "2026-11-28",
        "--format",
        "json",
        "--output",
        str(out),
    )
    assert result.exit_code == 1
    data = json.loads(out.read_text("utf-8"))
    assert data["as_of"] == "2026-11-28"
    catalog = data["rule_pack"].pop("catalog")
    assert catalog[0]["title"] == {"en": "Posts signed", "zh": "岗位签字"}
    assert [r["id"] for r in catalog] == ["RESP-03", "RESP-07", "RISK-04", "QUAL-02"]
    # issue 13 added the schedule of the rules: all four in force, none upcoming or retired
    assert data["rule_pack"].pop("upcoming") == data["rule_pack"].pop("retired") == []
    assert data["rule_pack"].pop("in_force") == 4
    assert data["rule_pack"] == {
        "name": "t",
        "version": "1",
        "title": "t",
        "chain": ["t"],
        "rules": 4,
    }
    (u,) = data["units"]
    assert {k: u[k] for k in ("id", "name", "parent", "file")} == {
        "id": "coal-01",
        "name": "Beiyuan Coal Plant",
        "parent": None,
        "file": str(unit),
    }
    assert set(u["areas"]) == {
        "concepts",
        "responsibility",
        "planning",
        "rule_of_law",
        "standards",
        "quality",
        "risks",
    }
    assert set(u["areas"]["risks"]) >= {"score", "passed", "failed"}
    f = data["findings"][0]
    assert set(f) >= {
        "unit",
        "rule",
        "area",
        "severity",
        "title",
        "message",
        "basis",
        "remediation",
        "location",
        "fingerprint",
        "waived",
    }
    assert set(f["location"]) == {"file", "line", "column", "path"}
    assert data["summary"]["findings"] == 5
    assert data["summary"]["by_severity"] == {"critical": 2, "major": 2, "minor": 1, "info": 0}


def test_same_inputs_give_same_bytes(setup: tuple[str, Path], tmp_path: Path) -> None:
    pack, unit = setup
    outs = []
    for name in ("a.json", "b.json"):
        run_cli(
            "check",
            str(unit),
            "--rules",
            pack,
            "--as-of",
            "2026-11-28",
            "--format",
            "json",
            "-o",
            str(tmp_path / name),
        )
        outs.append((tmp_path / name).read_bytes())
    assert outs[0] == outs[1]


def test_junit_sarif_csv(setup: tuple[str, Path]) -> None:
    pack, unit = setup
    base = ["check", str(unit), "--rules", pack, "--as-of", "2026-11-28", "--format"]
    junit = ET.fromstring(run_cli(*base, "junit").stdout)
    suite = junit.find("testsuite")
    assert suite is not None and suite.get("name") == "coal-01"
    assert suite.get("tests") == "4" and suite.get("failures") == "4"
    failure = suite.find("testcase/failure")
    assert failure is not None and "coal-01.yaml:" in (failure.text or "")

    sarif = json.loads(run_cli(*base, "sarif").stdout)
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    assert len(results) == 5
    region = results[1]["locations"][0]["physicalLocation"]["region"]
    assert (results[1]["ruleId"], region) == ("RESP-03", {"startLine": 10, "startColumn": 18})

    text = run_cli(*base, "csv").stdout
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [r["rule"] for r in rows] == ["RESP-07", "RESP-03", "RESP-03", "RISK-04", "QUAL-02"]
    assert rows[1]["path"] == "responsibility.posts[0].signed_on" and rows[1]["line"] == "10"


def test_text_output_groups_by_unit_and_area(setup: tuple[str, Path]) -> None:
    pack, unit = setup
    out = run_cli(
        "check", str(unit), "--rules", pack, "--as-of", "2026-11-28", "--lang", "zh"
    ).stdout
    lines = out.splitlines()
    assert lines[0].startswith("coal-01  Beiyuan Coal Plant")
    assert lines[1] == "  安全责任  (得分 11.1)"
    assert (
        f"{unit}:10:18: 重要   RESP-03  岗位“Boiler operator”：责任书签订于 2022-11-03" in lines[3]
    )
    assert lines[-1].startswith("汇总： 1 家单位，5 项问题 (2 严重、2 重要、1 一般)，豁免 0 项；")
    assert "\x1b[" not in out  # no colour when not on a terminal


def test_schema_command_prints_json() -> None:
    schema = json.loads(run_cli("schema").stdout)
    assert schema["title"] == "Work-safety unit description"
    assert "risks" in schema["properties"]


def test_rules_list_show_test(setup: tuple[str, Path], write: Write) -> None:
    pack, _ = setup
    listing = run_cli("rules", "list", "--rules", pack).stdout.splitlines()
    assert listing[1].split()[:3] == ["RESP-03", "major", "responsibility"]
    shown = run_cli("rules", "show", "resp-03", "--rules", pack, "--lang", "zh").stdout
    assert "Basis:       《安全生产法》第二十二条" in shown
    missing = run_cli("rules", "show", "RISK-4", "--rules", pack)
    assert (
        missing.exit_code == 2
        and "no rule RISK-4 in pack t; did you mean RISK-04?" in missing.stderr
    )
    result = run_cli("rules", "test", pack)
    assert result.exit_code == 1
    assert "RESP-03: no working 'pass and fail' case in tests/RESP-03.yaml" in result.stderr


def test_internal_errors_are_one_line(
    monkeypatch: pytest.MonkeyPatch, setup: tuple[str, Path]
) -> None:
    import compliance.runner

    def boom(*args: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(compliance.runner, "run_check", boom)
    pack, unit = setup
    from click.testing import CliRunner

    from compliance.cli import main

    result = CliRunner().invoke(main, ["check", str(unit), "--rules", pack])
    assert result.exit_code == 3
    assert result.stderr.strip() == (
        "compliance: error: internal error: RuntimeError: kaboom (run with --debug for details)"
    )


def test_readme_commands_are_the_real_ones() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    ci = (ROOT / ".ci" / "run").read_text("utf-8").strip().splitlines()[-1]
    assert ci in readme


def test_sample_group_is_complete() -> None:
    """The samples: six kinds of unit, a tree, one clean unit, one in Chinese, waivers."""
    from tests.conftest import SAMPLES

    result = run_cli(
        "check", str(SAMPLES), "--as-of", "2026-11-28", "--format", "json", "--fail-on", "never"
    )
    assert result.exit_code == 0
    assert result.stderr == ""  # no error and no warning in any sample file
    data = json.loads(result.stdout)
    units = {u["id"]: u for u in data["units"]}
    kinds = {u["kind"] for u in units.values()}
    assert {"coal", "hydro", "wind", "solar", "maintenance", "headquarters"} <= kinds
    coal = next(u for u in units.values() if u["kind"] == "coal")
    assert coal["employees"] > 100
    clean = [
        u
        for u in units.values()
        if u["score"] == 100.0 and not any(f["unit"] == u["id"] for f in data["findings"])
    ]
    assert len(clean) == 1
    chinese = [
        p
        for p in SAMPLES.glob("*.yaml")
        if sum(1 for c in p.read_text("utf-8") if "\u4e00" <= c <= "\u9fff") > 2000
    ]
    assert chinese, "one unit is written in Chinese"
    statuses = {w["status"] for u in units.values() for w in u["waivers"]}
    assert statuses == {"active", "expired"}
    assert any(f["rule"] == "WAIVER-EXPIRED" for f in data["findings"])
    assert {r["unit"] for r in data["rollups"]} >= {"hq"}
    assert len({f["rule"] for f in data["findings"]}) >= 20  # a realistic mix of gaps
