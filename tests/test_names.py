"""No report silently overwrites another; two items with one key are reported, not merged."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_UNIT, SAMPLES, run_cli

Write = Callable[[str, str], Path]
AS_OF = "2026-11-28"


def unit(uid: str, name: str = "Plant A") -> str:
    return MINIMAL_UNIT.replace("id: plant-a", f"id: {uid}").replace("Plant A", name)


@pytest.mark.parametrize("uid", ['"plant."', '"plant\\n"', '"-plant"', '".plant"', '"plant-"'])
def test_ids_are_validated_strictly(write: Write, uid: str) -> None:
    path = write("u.yaml", unit(uid))
    result = run_cli("check", str(path), "--as-of", AS_OF)
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()  # one line, even for an id with a newline
    assert line.startswith(f"{path}:2:7: error: unit.id: ")
    assert line.endswith(
        "is not a valid unit id: use letters, digits, '-', '_' and '.' "
        "(at most 64, starting and ending with a letter or digit)"
    )


@pytest.mark.parametrize("uid", ["a", "coal-01", "HX.plant_2", "x" * 64])
def test_ordinary_ids_are_accepted(write: Write, uid: str) -> None:
    result = run_cli("check", str(write("u.yaml", unit(uid))), "--as-of", AS_OF)
    assert result.exit_code in (0, 1), result.stderr


def test_ids_differing_only_in_case_are_an_error_naming_both_files(
    write: Write, tmp_path: Path
) -> None:
    first = write("units/a.yaml", unit("plant", "First plant"))
    second = write("units/b.yaml", unit("Plant", "Second plant"))
    out = tmp_path / "out"
    result = run_cli(
        "report",
        str(tmp_path / "units"),
        "--as-of",
        AS_OF,
        "--out",
        str(out),
        "--format",
        "docx",
        "--no-group",
    )
    assert result.exit_code == 2
    assert (
        f"{second}:2:7: error: unit.id: 'Plant' and 'plant' ({first}:2) would write the same "
        "report file 'unit-report-Plant': ids must differ in more than letter case"
    ) in result.stderr
    assert [p.name for p in out.iterdir()] == ["unit-report-plant.docx"]


def test_saved_result_with_clashing_ids_writes_neither(write: Write, tmp_path: Path) -> None:
    saved = tmp_path / "result.json"
    assert run_cli(
        "check",
        str(SAMPLES / "wind-01.yaml"),
        str(SAMPLES / "solar-01.yaml"),
        "--as-of",
        AS_OF,
        "--format",
        "json",
        "-o",
        str(saved),
    ).exit_code in (0, 1)
    data = json.loads(saved.read_text("utf-8"))
    ids = [u["id"] for u in data["units"]]
    data["units"][1]["id"] = ids[0].upper()  # e.g. from a hand-edited or foreign result
    saved.write_text(json.dumps(data), "utf-8")
    out = tmp_path / "out"
    result = run_cli(
        "report", "--from", str(saved), "--out", str(out), "--format", "docx", "--no-group"
    )
    assert result.exit_code == 2
    assert (
        f"unit '{ids[0]}': its report would have the same file name as that of unit '{ids[0].upper()}'"
        in result.stderr
    )
    assert (
        f"unit '{ids[0].upper()}': its report would have the same file name as that of unit '{ids[0]}'"
        in result.stderr
    )
    assert not out.exists() or list(out.iterdir()) == []


DANGERS = """\
risks:
  hidden_dangers:
    - id: HD-017
      description: Guard missing on conveyor 3
      found_on: 2026-01-04
      level: major
      owner: Fang Yong
      deadline: 2026-02-15
      status: rectifying
    - id: HD-017
      description: Handrail loose on stair 2
      found_on: 2026-01-05
      level: major
      owner: Kong Wenjie
      deadline: 2026-02-16
      status: rectifying
"""


def test_two_items_with_one_key_are_reported_with_both_lines(write: Write) -> None:
    path = write("u.yaml", MINIMAL_UNIT + DANGERS)
    result = run_cli("check", str(path), "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 2
    errors = [ln for ln in result.stderr.splitlines() if ": error: " in ln]
    assert errors == [
        f"{path}:16:11: error: risks.hidden_dangers[1].id: 'HD-017' is already the id of "
        "risks.hidden_dangers[0] (line 9); give each item its own id: findings, waivers and "
        "fingerprints name items by it"
    ]
    findings = json.loads(result.stdout)["findings"]
    prints = [f["fingerprint"] for f in findings]
    assert len(prints) == len(set(prints))  # every finding keeps its own fingerprint
    lines = {f["location"]["line"] for f in findings if f["item"] == "HD-017"}
    assert {9, 16} <= lines or {14, 21} <= lines  # both items have their findings
