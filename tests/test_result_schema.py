"""``compliance schema result`` describes the JSON result, and every result the tool writes
validates against it; the config and result schemas explain every field."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.conftest import MINIMAL_UNIT, RULES, SAMPLES, run_cli

ROOT = SAMPLES.parent
AS_OF = "2026-11-28"


def printed(kind: str) -> dict[str, Any]:
    result = run_cli("schema", kind)
    assert result.exit_code == 0, result.stderr
    schema: dict[str, Any] = json.loads(result.stdout)
    return schema


def _closed(node: Any) -> Any:
    """The schema with every described object closed: an undocumented field is an error.

    The printed schema leaves objects open (fields are only ever added), so this stricter
    copy is what tells the test that the schema documents every field the tool writes.
    """
    if isinstance(node, list):
        return [_closed(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _closed(v) for k, v in node.items()}
    if "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    return out


@pytest.fixture(scope="module")
def validators() -> tuple[jsonschema.Draft202012Validator, jsonschema.Draft202012Validator]:
    schema = printed("result")
    jsonschema.Draft202012Validator.check_schema(schema)
    checker = jsonschema.FormatChecker()
    return (
        jsonschema.Draft202012Validator(schema, format_checker=checker),
        jsonschema.Draft202012Validator(_closed(copy.deepcopy(schema)), format_checker=checker),
    )


def _runs(tmp: Path) -> Iterator[tuple[str, list[str]]]:
    dup = tmp / "dup"
    dup.mkdir()
    (dup / "a.yaml").write_text(MINIMAL_UNIT, "utf-8")
    (dup / "b.yaml").write_text(MINIMAL_UNIT.replace("employees: 50", "employees: x"), "utf-8")
    ledgers = tmp / "csv"  # cells of a CSV file: "sheet": null in findings and diagnostics
    ledgers.mkdir()
    lists = "risks:\n  hidden_dangers: {from: %s}\n"
    (ledgers / "a.yaml").write_text(MINIMAL_UNIT + lists % "a.csv", "utf-8")
    (ledgers / "a.csv").write_text(
        "隐患编号,隐患描述,隐患等级,整改期限\nH1,护栏缺失,重大,2026-01-01\n", "utf-8"
    )
    (ledgers / "b.yaml").write_text(
        MINIMAL_UNIT.replace("plant-a", "plant-b") + lists % "b.csv", "utf-8"
    )
    (ledgers / "b.csv").write_text("隐患编号,隐患描述,整改期限\nH1,护栏缺失,someday\n", "utf-8")
    yield "samples", [str(SAMPLES)]
    yield "samples in Chinese", [str(SAMPLES), "--lang", "zh"]
    yield "iso45001 pack", [str(SAMPLES), "--rules", "iso45001"]
    yield "a bad file beside a good one", [str(dup)]
    yield "the corpus of bad units", [str(ROOT / "tests" / "corpus" / "units")]
    yield "no unit at all", [str(dup / "b.yaml")]
    yield "ledgers in CSV files", [str(ledgers)]
    yield "a policy pack", [str(SAMPLES / "coal-01.yaml"), "--rules", str(RULES / "cn-work-safety")]


@pytest.mark.slow
def test_every_result_validates(
    tmp_path: Path,
    validators: tuple[jsonschema.Draft202012Validator, jsonschema.Draft202012Validator],
) -> None:
    documented, closed = validators
    for label, args in _runs(tmp_path):
        out = tmp_path / "result.json"
        result = run_cli("check", *args, "--as-of", AS_OF, "--format", "json", "-o", str(out))
        assert result.exit_code in (0, 1, 2), (label, result.stderr)
        data = json.loads(out.read_text("utf-8"))
        for validator in (documented, closed):
            errors = [
                f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
                for e in validator.iter_errors(data)
            ]
            assert errors == [], (label, errors[:5])
        if label == "ledgers in CSV files":  # what the run is for: cells without a sheet
            assert any(f["location"].get("cell") for f in data["findings"])
            assert [(d.get("sheet"), d.get("cell")) for d in data["diagnostics"]] == [(None, "C2")]
        if label == "samples":
            assert any(f["rule"] == "WAIVER-EXPIRED" for f in data["findings"])
            assert any(f["waived"] for f in data["findings"])


def test_a_wrong_result_does_not_validate(
    validators: tuple[jsonschema.Draft202012Validator, jsonschema.Draft202012Validator],
) -> None:
    documented, _ = validators
    result = run_cli("check", str(SAMPLES / "wind-01.yaml"), "--as-of", AS_OF, "--format", "json")
    data = json.loads(result.stdout)
    data["findings"][0]["severity"] = "severe"
    data["summary"].pop("failed_files")
    messages = sorted(e.message for e in documented.iter_errors(data))
    assert messages == [
        "'failed_files' is a required property",
        "'severe' is not one of ['critical', 'major', 'minor', 'info']",
    ]


def _properties(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        for key, sub in node.get("properties", {}).items():
            yield f"{path}.{key}".lstrip("."), sub
        for key, sub in node.items():
            if key in ("properties", "$defs"):
                for name, child in sub.items():
                    yield from _properties(child, f"{path}.{name}".lstrip("."))
            elif key in ("items", "additionalProperties") and isinstance(sub, dict):
                yield from _properties(sub, f"{path}[]")


@pytest.mark.parametrize("kind", ["config", "result"])
def test_every_field_has_titles_and_a_description(kind: str) -> None:
    fields = list(_properties(printed(kind)))
    assert len(fields) >= (17 if kind == "config" else 100)
    missing = [
        path
        for path, sub in fields
        if not all(
            isinstance(sub.get(k), str) and sub[k] for k in ("title", "x-title-zh", "description")
        )
    ]
    assert missing == []
