"""The schemas say what the tool accepts: an independent validator agrees with the tool.

Every sample and every corpus file is read the way an editor reads it (YAML 1.2 core types:
``09:00`` and ``2024-03-05`` are text, ``812`` a number, ``yes`` text) and validated with the
``jsonschema`` package against the schema ``compliance schema KIND`` prints, formats
asserted; the tool validates the same file with its own walk. Both must give the same
verdict. Files the tool refuses before any schema applies (YAML syntax, duplicate keys,
aliases, tags, encodings) cannot be judged by a schema and are only checked to be refused.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from compliance.loader import load_file
from compliance.schema import validate_document
from tests.conftest import ROOT, SAMPLES, run_cli

CORPUS = ROOT / "tests" / "corpus"
KIND_OF_COMMAND = {"check": "unit", "rules": "pack", "meeting": "meeting", "config": "config"}


def documents() -> Iterator[tuple[str, Path]]:
    """(schema kind, file) for every sample, shipped pack file and corpus file."""
    for path in sorted(SAMPLES.glob("*.yaml")):
        yield ("config" if path.name == "compliance.yaml" else "unit"), path
    for path in sorted((SAMPLES / "meetings").glob("*.meeting.yaml")):
        yield "meeting", path
    for path in sorted((ROOT / "rules").glob("*/*.yaml")):
        yield "pack", path
    expected = yaml.safe_load((CORPUS / "expected.yaml").read_text("utf-8"))
    for name, case in sorted(expected.items()):
        kind = KIND_OF_COMMAND.get(case["command"])
        path = CORPUS / name
        if kind is None:  # templates: no schema
            continue
        for file in sorted(path.glob("*.yaml")) if path.is_dir() else [path]:
            yield kind, file


# -- YAML 1.2 core schema, as editors (yaml-language-server) read plain scalars --------------
_STR = "tag:yaml.org,2002:str"
_INT12 = re.compile(r"[-+]?[0-9]+")
_FLOAT12 = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")


def _plain(text: str) -> Any:
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return text.lower() == "true"
    if _INT12.fullmatch(text):
        return int(text)
    if re.fullmatch(r"0o[0-7]+", text):
        return int(text[2:], 8)
    if re.fullmatch(r"0x[0-9a-fA-F]+", text):
        return int(text[2:], 16)
    if _FLOAT12.fullmatch(text):
        return float(text)
    if re.fullmatch(r"[-+]?\.(inf|Inf|INF)", text):
        return -math.inf if text.startswith("-") else math.inf
    return text


def _value(node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return {str(_value(k)): _value(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_value(v) for v in node.value]
    if node.style or node.tag != _STR:  # quoted, block, or an explicit tag: text
        return node.value
    return _plain(node.value)


def editor_view(path: Path) -> Any:
    """The file's data as a YAML 1.2 editor sees it."""
    node = yaml.compose(path.read_bytes(), Loader=yaml.BaseLoader)
    return None if node is None else _value(node)


def tool_verdict(kind: str, path: Path) -> tuple[bool, list[str]] | None:
    """(accepted, errors) of the tool's schema step; None when refused before it."""
    doc = load_file(path, path.name)
    if doc.data is None or any(d.is_error for d in doc.diagnostics):
        return None
    doc = validate_document(doc, kind)
    errors = [str(d) for d in doc.diagnostics if d.is_error]
    return not errors, errors


@pytest.fixture(scope="module")
def printed() -> dict[str, jsonschema.protocols.Validator]:
    """A validator per kind, for the schema the tool prints."""
    out = {}
    for kind in ("unit", "meeting", "pack", "config"):
        result = run_cli("schema", kind)
        assert result.exit_code == 0
        schema = json.loads(result.stdout)
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        out[kind] = cls(schema, format_checker=_formats())
    return out


_RFC3339_TIME = re.compile(
    r"([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})", re.I
)


def _formats() -> jsonschema.FormatChecker:
    """Every format asserted; 'time' as RFC 3339 says even without its optional package."""
    checker = jsonschema.FormatChecker()
    if "time" not in checker.checkers:
        checker.checks("time")(
            lambda value: not isinstance(value, str) or bool(_RFC3339_TIME.fullmatch(value))
        )
    return checker


def test_tool_and_independent_validator_agree(
    printed: dict[str, jsonschema.protocols.Validator],
) -> None:
    compared, refused, disagreements = 0, 0, []
    for kind, path in documents():
        verdict = tool_verdict(kind, path)
        if verdict is None:
            refused += 1
            continue
        accepted, errors = verdict
        schema_errors = [
            f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in printed[kind].iter_errors(editor_view(path))
        ]
        compared += 1
        if accepted != (not schema_errors):
            disagreements.append(
                f"{path.relative_to(ROOT)} ({kind}): tool {errors or 'accepts'}, "
                f"schema {schema_errors[:3] or 'accepts'}"
            )
    assert not disagreements, "\n".join(disagreements)
    assert compared >= 40 and refused >= 8  # samples, packs and most of the corpus


@pytest.mark.parametrize(
    ("kind", "text", "accepted"),
    [
        ("meeting", None, True),  # the sample meetings: '09:00' is a time
        ("unit", "valid_on: 2024年3月5日", True),
        ("unit", "valid_on: 2024-3-5", True),
        ("unit", "valid_on: 2024-02-30", False),
        ("unit", "valid_on: 1899-12-31", False),
        ("unit", "valid_on: 24/3/5", False),
        ("unit", 'employees: "812"', True),
        ("unit", 'employees: "-3"', False),
        ("unit", "employees: 8.5", False),
        ("unit", "employees: many", False),
        ("unit", "nickname: Old Plant", True),  # unknown keys are warnings, not errors
        ("unit", "short_name: 13800138000", True),  # a number typed in a text field
    ],
)
def test_known_disagreements_are_gone(
    printed: dict[str, jsonschema.protocols.Validator],
    tmp_path: Path,
    kind: str,
    text: str | None,
    accepted: bool,
) -> None:
    if text is None:
        paths = sorted((SAMPLES / "meetings").glob("*.meeting.yaml"))
    else:
        base = (SAMPLES / "wind-01.yaml").read_text("utf-8")
        key, value = text.split(": ", 1)
        if key == "valid_on":
            base = re.sub(rf"(?m)^{key}: .*$", f"{key}: {value}", base, count=1)
        else:  # a key of unit: replace its line, or the employees line for a new key
            old = key if re.search(rf"(?m)^  {key}: ", base) else "employees"
            base = re.sub(rf"(?m)^  {old}: .*$", f"  {key}: {value}", base, count=1)
        paths = [tmp_path / "u.yaml"]
        paths[0].write_text(base, "utf-8")
    for path in paths:
        verdict = tool_verdict(kind, path)
        assert verdict is not None and verdict[0] is accepted, verdict
        errors = list(printed[kind].iter_errors(editor_view(path)))
        assert (not errors) is accepted, [e.message for e in errors]
