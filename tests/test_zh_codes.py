"""Under ``--lang zh`` no English code or YAML path shows through, in any output.

Every Chinese output of the Chinese samples is scanned: the check's terminal text and CSV,
the gap reports (PDF text via pypdf, DOCX text via python-docx) and the meeting documents.
A status or severity code (``rectifying``, ``in_progress``, ``major``) or a path into a unit
or meeting file (``risks.hidden_dangers[2].verified_by``) is a defect: fields are named by
their Chinese titles, values by their Chinese labels.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from compliance.labels import code_label, display_path, localize_text
from compliance.schema import load_schema
from tests.conftest import SAMPLES, run_cli
from tests.test_reports import docx_text, pdf_text

AS_OF = "2026-11-28"
UNIT = SAMPLES / "coal-01.yaml"  # the Chinese sample unit (the others are written in English)
MEETING = SAMPLES / "meetings" / "2026-q4-conference.meeting.yaml"  # the Chinese meeting


def _codes() -> set[str]:
    """Every enumeration code of the unit and meeting schemas, and the tool's own codes."""
    found = {"critical", "major", "minor", "info", "pass", "fail", "waived"}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            found.update(str(c) for c in node.get("enum", []) if isinstance(c, str))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(load_schema("unit"))
    walk(load_schema("meeting"))
    return found


def _roots() -> set[str]:
    return set(load_schema("unit")["properties"]) | set(load_schema("meeting")["properties"])


CODES = _codes()
CODE = re.compile(
    r"(?<![A-Za-z0-9_\-/.])("
    + "|".join(sorted(CODES, key=len, reverse=True))
    + r")(?![A-Za-z0-9_\-])"
)
PATH = re.compile(r"(?<![A-Za-z0-9_\-/])([a-z_]+)(?:\[\d*\])?(?:\.[a-z_]+(?:\[\d*\])?)+")


def leaks(text: str) -> list[str]:
    """The codes and YAML paths in ``text``."""
    found = [m[0] for m in CODE.finditer(text)]
    found += [m[0] for m in PATH.finditer(text) if m[1] in _roots()]
    return found


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("zh")
    texts: dict[str, str] = {}
    common = ("--as-of", AS_OF, "--lang", "zh")
    check = run_cli("check", str(UNIT), *common, "--fail-on", "never")
    assert check.exit_code == 0, check.stderr
    texts["check.txt"] = check.stdout
    csv = run_cli("check", str(UNIT), *common, "--fail-on", "never", "--format", "csv")
    texts["check.csv"] = csv.stdout
    report = run_cli(
        "report", str(UNIT), *common, "--config", str(SAMPLES / "compliance.yaml"),
        "--out", str(out / "reports"),
    )  # fmt: skip
    assert report.exit_code == 0, report.stderr
    meeting = run_cli(
        "meeting", "all", str(MEETING), "--units", str(UNIT), *common, "--out", str(out / "meet")
    )
    assert meeting.exit_code == 0, meeting.stderr
    for folder, prefix in (("reports", ""), ("meet", "meeting/")):
        for path in sorted((out / folder).iterdir()):
            if path.suffix == ".pdf":
                texts[prefix + path.name] = pdf_text(path)
            elif path.suffix == ".docx":
                texts[prefix + path.name] = docx_text(path)
    return texts


@pytest.mark.slow
def test_every_zh_output_is_scanned(outputs: dict[str, str]) -> None:
    names = set(outputs)
    assert {"check.txt", "check.csv"} <= names
    assert {"unit-report-coal-01.zh.pdf", "unit-report-coal-01.zh.docx"} <= names
    assert {"group-report.zh.pdf", "group-report.zh.docx"} <= names
    assert sum(1 for n in names if n.startswith("meeting/")) >= 6, names


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    [
        "check.txt",
        "check.csv",
        "unit-report-coal-01.zh.pdf",
        "unit-report-coal-01.zh.docx",
        "group-report.zh.pdf",
        "group-report.zh.docx",
    ],
)
def test_no_code_or_path_in_zh_check_and_reports(outputs: dict[str, str], name: str) -> None:
    assert leaks(outputs[name]) == []


@pytest.mark.slow
def test_no_code_or_path_in_zh_meeting_documents(outputs: dict[str, str]) -> None:
    found = {n: leaks(t) for n, t in outputs.items() if n.startswith("meeting/")}
    assert found and all(v == [] for v in found.values()), found


def test_the_scan_finds_what_it_looks_for() -> None:
    # a scan that finds nothing because it looks for nothing would pass every output
    text = "（状态：rectifying）缺少 risks.hidden_dangers[2].verified_by；重要 major"
    assert leaks(text) == ["rectifying", "major", "risks.hidden_dangers[2].verified_by"]
    assert leaks("samples/coal-01.yaml:806:17 RISK-05 HX-YH-2026-006 GB/T 33000-2016") == []


def test_paths_and_codes_by_their_chinese_names() -> None:
    assert display_path("risks.hidden_dangers[2].verified_by", "zh").endswith("（第 3 项）／验收人")
    assert display_path("risks.hidden_dangers[2].verified_by", "en") == (
        "risks.hidden_dangers[2].verified_by"
    )
    assert code_label("risks.hidden_dangers[0].status", "rectifying", "zh") == "整改中"
    assert code_label("risks.hidden_dangers[0].level", "major", "zh").startswith("重大")
    text = localize_text("在 responsibility.posts[].signed_on 中填写 done", "zh")
    assert leaks(text) == [] and "签订日期" in text
    # a Chinese character right before or after a path still ends it
    glued = localize_text("缺少risks.hidden_dangers[2].verified_by中；状态rectifying", "zh")
    assert leaks(glued) == [] and "验收人中" in glued and "整改中" in glued
    assert localize_text("{item.status} 与 coal-01.yaml", "zh") == "{item.status} 与 coal-01.yaml"
    # English text is left alone, even where a Chinese text would be rewritten
    assert localize_text("fill in responsibility.posts[].signed_on", "zh") == (
        "fill in responsibility.posts[].signed_on"
    )


@pytest.mark.slow
def test_report_quotes_labels_not_codes(outputs: dict[str, str]) -> None:
    text = outputs["check.txt"]
    assert "（状态：整改中）" in text  # RISK-05 quotes the hidden danger's status by its label
    assert "（进度：进行中）" in text  # PLAN-04 the task's status
    assert "严重   RISK-05" in text  # the severity column
