"""Nothing is skipped in silence: entries of a units folder that are not checked are named,
counted in the result, and listed in the summary and the group report; a malformed saved
result is one line and exit status 2."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest

from tests.conftest import SAMPLES, run_cli

Write = Callable[[str, str], Path]


@pytest.fixture
def units(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A units folder with one good unit and every kind of entry that cannot be checked."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "units"
    folder.mkdir()
    shutil.copy(SAMPLES / "solar-01.yaml", folder / "solar-01.yaml")
    (folder / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    (folder / "loop-a.yaml").symlink_to(folder / "loop-b.yaml")
    (folder / "loop-b.yaml").symlink_to(folder / "loop-a.yaml")
    os.mkfifo(folder / "pipe.yaml")
    (tmp_path / "elsewhere").mkdir()
    (folder / "linked").symlink_to(tmp_path / "elsewhere")
    (folder / "locked").mkdir()
    (folder / "locked" / "wind.yaml").write_text("unit: {}\n")
    # tests run as root, whom permission bits do not stop: make the folder unreadable here
    real_scandir = os.scandir

    def scandir(path: Any = ".") -> Any:
        if os.path.basename(os.fspath(path)) == "locked":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    return folder


SKIPPED = {
    "units/gone.yaml": "symbolic link leads nowhere (its target is missing): not checked",
    "units/linked": "symbolic link to a folder: not followed, the files in it are not checked",
    "units/locked": "folder cannot be read (Permission denied): the files in it are not checked",
    "units/loop-a.yaml": "symbolic links form a loop: not checked",
    "units/loop-b.yaml": "symbolic links form a loop: not checked",
    "units/pipe.yaml": "is a FIFO (named pipe), not a regular file: not checked",
}


def test_every_entry_passed_over_is_a_warning_and_counted(units: Path) -> None:
    result = run_cli("check", "units", "--format", "json", "--fail-on", "never")
    assert result.exit_code == 0  # warnings: the unit that could be read is still checked
    warnings = [ln for ln in result.stderr.splitlines() if ": warning: " in ln]
    assert warnings == [f"{path}:0:0: warning: {why}" for path, why in SKIPPED.items()]
    data = json.loads(result.stdout)
    assert data["summary"]["units"] == 1
    assert data["summary"]["skipped"] == list(SKIPPED)
    assert data["summary"]["failed_files"] == []


def test_text_summary_names_what_was_passed_over(units: Path) -> None:
    result = run_cli("check", "units", "--fail-on", "never")
    last = result.stdout.strip().splitlines()[-1]
    assert last == "Passed over (not checked): " + ", ".join(SKIPPED)


def test_group_report_names_every_file_not_checked(write: Write, tmp_path: Path) -> None:
    """Today a broken file was missing from the group report without a word."""
    folder = tmp_path / "units"
    folder.mkdir()
    shutil.copy(SAMPLES / "solar-01.yaml", folder / "solar-01.yaml")
    write("units/broken.yaml", "unit: [\n")
    (folder / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    out = tmp_path / "out"
    result = run_cli(
        "report", str(folder), "--as-of", "2026-11-28", "--format", "docx", "--out", str(out)
    )
    assert result.exit_code == 2  # the broken file
    document = docx.Document(str(out / "group-report.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "These files could not be checked and are not in this report:" in text
    assert f"{folder / 'broken.yaml'} — has errors" in text
    assert f"{folder / 'gone.yaml'} — passed over" in text


def _saved(tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "good.json"
    result = run_cli(
        "check", str(SAMPLES / "coal-01.yaml"), "--as-of", "2026-11-28", "--format", "json",
        "-o", str(path), "--fail-on", "never",
    )  # fmt: skip
    assert result.exit_code == 0
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


def _break_units(d: dict[str, Any]) -> None:
    d["units"] = 5


def _break_score(d: dict[str, Any]) -> None:
    d["units"][0]["score"] = "high"


def _break_severity(d: dict[str, Any]) -> None:
    del d["findings"][0]["severity"]


def _break_catalog(d: dict[str, Any]) -> None:
    d["rule_pack"]["catalog"][0]["title"] = "no languages"


def _break_as_of(d: dict[str, Any]) -> None:
    d["as_of"] = "yesterday"


@pytest.mark.parametrize(
    ("damage", "what"),
    [
        (_break_units, "units (a list)"),
        (_break_score, "units[0].score"),
        (_break_severity, "findings[0].severity"),
        (_break_catalog, "rule_pack.catalog[0].title.en"),
        (_break_as_of, "as_of (a YYYY-MM-DD date)"),
    ],
)
def test_malformed_saved_result_is_one_line_and_exit_2(
    tmp_path: Path, damage: Callable[[dict[str, Any]], None], what: str
) -> None:
    data = _saved(tmp_path)
    damage(data)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), "utf-8")
    result = run_cli("report", "--from", str(bad), "--format", "docx", "--out", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{bad}:1:1: error: not a result of 'compliance check --format json' (malformed: {what})"
    ]
