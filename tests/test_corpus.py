"""The corpus of bad inputs: for each, exactly what the user sees (tests/corpus/expected.yaml).

Unit files, rule packs, meeting files, configurations and templates that are malformed or
hostile each give one precise line per problem (``file:line:col: error|warning: ...``), the
documented exit status, and never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from compliance.diagnostics import display_path
from tests.conftest import ROOT, SAMPLES, run_cli

CORPUS = ROOT / "tests" / "corpus"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((CORPUS / "expected.yaml").read_text("utf-8"))
SOLAR = str(SAMPLES / "solar-01.yaml")


def _args(kind: str, path: Path, out: Path) -> list[str]:
    commands = {
        "check": ["check", str(path), "--as-of", "2026-11-28", "--fail-on", "never"],
        "rules": [
            "check",
            SOLAR,
            "--rules",
            str(path),
            "--as-of",
            "2026-11-28",
            "--fail-on",
            "never",
        ],
        "meeting": ["meeting", "notice", str(path), "--format", "docx", "--out", str(out)],
        "config": [
            "report",
            SOLAR,
            "--config",
            str(path),
            "--format",
            "docx",
            "--no-group",
            "--out",
            str(out),
        ],
        "templates": [
            "report",
            SOLAR,
            "--templates",
            str(path),
            "--format",
            "docx",
            "--no-group",
            "--out",
            str(out),
        ],
    }
    return commands[kind]


def test_every_corpus_file_has_an_expectation() -> None:
    present = {
        str(p.relative_to(CORPUS))
        for folder in ("units", "packs", "meetings", "config", "templates")
        for p in (CORPUS / folder).iterdir()
    }
    assert present == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_input(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # positions are printed relative to the working folder
    case = EXPECTED[name]
    path = CORPUS / name
    result = run_cli(*_args(case["command"], path, tmp_path / "out"))
    shown = display_path(path)
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [line.replace("{path}", shown) for line in case["stderr"]]
    assert result.exit_code == case["exit"]
    if case["exit"] == 2 and case["command"] in ("meeting", "config", "templates"):
        # nothing written half-way for the document that failed
        out = tmp_path / "out"
        assert not out.exists() or not [p for p in out.iterdir() if p.suffix in (".pdf", ".docx")]
