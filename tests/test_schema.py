"""The unit schema converts text to the types it names, and says precisely what is wrong."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import jsonschema
import pytest

from compliance.ledgers import load_document
from compliance.loader import Document, load_text
from compliance.schema import load_schema, schema_json, validate_document
from compliance.unitfiles import collect_files
from tests.conftest import MINIMAL_UNIT, SAMPLES


def check(text: str) -> Document:
    return validate_document(load_text(text, Document("u.yaml")), "unit")


def lines(doc: Document) -> list[str]:
    return [str(d) for d in doc.diagnostics]


def test_values_become_the_types_the_schema_names() -> None:
    doc = check(
        MINIMAL_UNIT.replace("employees: 50", "employees: 010\n  capacity_mw: 1.10")
        + "standards:\n  two_tickets: {work_tickets: yes, operation_tickets: no}\n"
        + "responsibility:\n  posts:\n    - {post: 'no', responsible: 09:30, signed_on: 2026-03-05}\n"
    )
    assert lines(doc) == []
    assert doc.data["unit"]["employees"] == 10
    assert doc.data["unit"]["capacity_mw"] == 1.1
    assert doc.data["standards"]["two_tickets"] == {
        "work_tickets": True,
        "operation_tickets": False,
    }
    post = doc.data["responsibility"]["posts"][0]
    assert post == {"post": "no", "responsible": "09:30", "signed_on": dt.date(2026, 3, 5)}
    assert doc.data["valid_on"] == dt.date(2026, 6, 1)


def test_chinese_date_form_is_accepted() -> None:
    doc = check(MINIMAL_UNIT.replace("valid_on: 2026-06-01", "valid_on: 2026年6月1日"))
    assert doc.data["valid_on"] == dt.date(2026, 6, 1)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "2024-02-30",
            "u.yaml:6:11: error: valid_on: '2024-02-30' is not a real date (day is out of range for month)",
        ),
        (
            "24/3/5",
            "u.yaml:6:11: error: valid_on: '24/3/5' is not a date: write it as YYYY-MM-DD, for example 2024-03-05",
        ),
        (
            "next week",
            "u.yaml:6:11: error: valid_on: 'next week' is not a date: write it as YYYY-MM-DD, for example 2024-03-05",
        ),
    ],
)
def test_impossible_and_ambiguous_dates(value: str, message: str) -> None:
    assert lines(check(MINIMAL_UNIT.replace("2026-06-01", value))) == [message]


def test_wrong_types_name_the_path() -> None:
    doc = check(MINIMAL_UNIT.replace("employees: 50", "employees: about 800") + "risks: [1, 2]\n")
    assert lines(doc) == [
        "u.yaml:5:14: error: unit.employees: expected a whole number, found text 'about 800': write a whole number, for example 62, 1,500 or 15万 or 62人",
        "u.yaml:7:8: error: risks: expected a mapping of keys, found a list",
    ]
    assert doc.data is None


def test_yes_no_only_in_boolean_fields() -> None:
    doc = check(MINIMAL_UNIT + "standards:\n  two_tickets: {work_tickets: maybe}\n")
    assert lines(doc) == [
        "u.yaml:8:31: error: standards.two_tickets.work_tickets: expected true or false, found text 'maybe': write yes or no (是 or 否)"
    ]


def test_unknown_key_is_a_warning_with_a_suggestion() -> None:
    doc = check(MINIMAL_UNIT + "responsibility:\n  postss: []\n")
    assert lines(doc) == [
        "u.yaml:8:3: warning: responsibility.postss: unknown key 'postss' is ignored; did you mean 'posts'?"
    ]
    assert doc.data is not None and "postss" not in doc.data["responsibility"]


def test_missing_required_keys_and_enum_suggestion() -> None:
    doc = check("unit:\n  id: x\n  kind: coall\n")
    assert lines(doc) == [
        "u.yaml:1:1: error: missing required key 'valid_on' at the top level",
        "u.yaml:1:1: error: unit: missing required key 'name' here",
        "u.yaml:3:9: error: unit.kind: 'coall' is not one of: coal, gas, hydro, wind, solar, "
        "nuclear, maintenance, headquarters, other (or 燃煤发电、燃气发电、水力发电、风力发电、光伏发电、核电、检修、总部机关、其他) (did you mean 'coal'?)",
    ]


def test_top_level_must_be_a_mapping() -> None:
    assert lines(check("- a\n- b\n")) == [
        "u.yaml:1:1: error: expected a mapping of keys at the top level, found a list"
    ]


def test_unit_id_cannot_name_a_path() -> None:
    doc = check(MINIMAL_UNIT.replace("id: plant-a", "id: ../etc/passwd"))
    assert len(doc.diagnostics) == 1
    assert doc.diagnostics[0].message.startswith(
        "unit.id: '../etc/passwd' is not a valid unit id: use letters, digits"
    )


def test_waiver_needs_reason_and_approver() -> None:
    doc = check(MINIMAL_UNIT + "waivers:\n  - rule: PLAN-05\n    expires: 2026-12-31\n")
    assert lines(doc) == [
        "u.yaml:8:5: error: waivers[0]: missing required key 'approved_by' here",
        "u.yaml:8:5: error: waivers[0]: missing required key 'reason' here",
    ]


def test_shipped_schemas_are_valid_json_schema() -> None:
    for name in ("unit", "pack"):
        schema = json.loads(schema_json(name))
        jsonschema.Draft202012Validator.check_schema(schema)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def test_samples_agree_with_jsonschema() -> None:
    """What our walk accepts, the reference implementation accepts too (editors use it)."""
    validator = jsonschema.Draft202012Validator(load_schema("unit"))
    files, _ = collect_files([str(SAMPLES)])
    assert len(files) >= 6
    for path in files:
        doc = load_document(path, path.name, "unit")  # lists from ledgers read in
        assert [d for d in doc.diagnostics] == [], path
        errors = [e.message for e in validator.iter_errors(_jsonable(doc.data))]
        assert errors == [], path
