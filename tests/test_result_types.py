"""The typed result contract (``compliance.result``) and the JSON Schema ``compliance schema
result`` prints say the same keys: every property the schema declares for an object is a key
of the matching TypedDict and the other way round, and what the schema requires the
TypedDict requires. The TypedDict may require more: it types what this version writes, the
schema what a consumer may rely on.

Objects are matched by walking both at once from ``Result``: a list's items, an optional
value, a mapping's values (``dict[str, X]`` for keys that are data: rule ids, areas,
languages, periods) and a TypedDict's keys.
"""

from __future__ import annotations

import copy
import json
import types
from collections.abc import Iterator
from pathlib import Path
from typing import (
    Any,
    NotRequired,
    Union,
    get_args,
    get_origin,
    get_type_hints,
    is_typeddict,
)

import pytest

import compliance
from compliance import result as contract

SCHEMA_FILE = Path(compliance.__file__).parent / "schemas" / "result.schema.json"


def _schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SCHEMA_FILE.read_text("utf-8"))
    return data


def _unwrapped(hint: Any) -> Any:
    """``X | None`` and ``Optional[X]`` as ``X`` (a nullable value is the same object)."""
    if get_origin(hint) in (Union, types.UnionType):
        rest = [a for a in get_args(hint) if a is not type(None)]
        if len(rest) == 1:
            return rest[0]
    return hint


def mismatches(schema: dict[str, Any], hint: Any, where: str = "$") -> Iterator[str]:
    """Where ``schema`` and the type ``hint`` disagree on an object's keys, one line each."""
    hint = _unwrapped(hint)
    origin = get_origin(hint)
    if is_typeddict(hint):
        declared = schema.get("properties")
        if declared is None:
            yield f"{where}: {hint.__name__} has keys, the schema declares no properties"
            return
        keys = get_type_hints(hint)  # NotRequired[...] stripped: the value's type
        for key in sorted(set(declared) - set(keys)):
            yield f"{where}.{key}: in the schema, not in {hint.__name__}"
        for key in sorted(set(keys) - set(declared)):
            yield f"{where}.{key}: in {hint.__name__}, not in the schema"
        for key in sorted(set(schema.get("required", [])) - hint.__required_keys__):
            yield f"{where}.{key}: required by the schema, optional in {hint.__name__}"
        for key in sorted(set(declared) & set(keys)):
            yield from mismatches(declared[key], keys[key], f"{where}.{key}")
    elif origin is dict:
        # keys that are data: every value the schema describes is one of the mapping's values
        value = get_args(hint)[1]
        extra = schema.get("additionalProperties")
        subs = [*schema.get("properties", {}).items()]
        if isinstance(extra, dict):
            subs.append(("*", extra))
        if not subs:
            yield f"{where}: a mapping in the type, the schema describes no values"
        for key, sub in subs:
            yield from mismatches(sub, value, f"{where}.{key}")
    elif origin is list or origin is Iterator:
        if "items" not in schema:
            yield f"{where}: a list in the type, not in the schema"
        else:
            yield from mismatches(schema["items"], get_args(hint)[0], f"{where}[]")
    elif "properties" in schema or "items" in schema:
        yield f"{where}: an object or list in the schema, {hint!r} in the type"


def test_the_result_types_and_the_schema_declare_the_same_keys() -> None:
    assert list(mismatches(_schema(), contract.Result)) == []


def test_the_streamed_parts_are_the_result_in_pieces() -> None:
    assert list(mismatches(_schema(), contract.ResultParts)) == []
    assert get_type_hints(contract.ResultParts).keys() == get_type_hints(contract.Result).keys()


def test_the_walk_reaches_every_typed_record() -> None:
    """The comparison is only as good as its reach: it visits every TypedDict of the module."""
    seen: set[str] = set()

    def visit(hint: Any) -> None:
        hint = _unwrapped(hint)
        if is_typeddict(hint):
            if hint.__name__ not in seen:
                seen.add(hint.__name__)
                for sub in get_type_hints(hint).values():
                    visit(sub)
        else:
            for arg in get_args(hint):
                visit(arg)

    visit(contract.Result)
    typed = {
        name
        for name, value in vars(contract).items()
        if is_typeddict(value) and value.__module__ == contract.__name__
    }
    # ResultParts is checked above; Schedule is spread into RulePackRecord
    assert typed - seen == {"ResultParts", "Schedule"}
    schedule = get_type_hints(contract.Schedule)
    pack = get_type_hints(contract.RulePackRecord)
    assert {k: pack[k] for k in schedule} == schedule


def _edited(path: list[str], edit: Any) -> dict[str, Any]:
    schema = copy.deepcopy(_schema())
    node = schema
    for key in path:
        node = node[key]
    edit(node)
    return schema


_UNIT = ["properties", "units", "items", "properties"]
_PERIOD = [*_UNIT, "hidden_danger_stats", "additionalProperties", "properties"]


@pytest.mark.parametrize(
    ("path", "edit", "expected"),
    [
        (  # a key added to the schema deep down, not to the type
            [*_PERIOD, "general", "properties"],
            lambda n: n.update(reported={"type": "integer"}),
            "$.units[].hidden_danger_stats.*.general.reported: in the schema, not in LevelStats",
        ),
        (  # a key of the type dropped from the schema
            [*_UNIT, "three_year_action", "properties", "by_year", "additionalProperties"],
            lambda n: n["properties"].pop("on_time"),
            "$.units[].three_year_action.by_year.*.on_time: in YearTasks, not in the schema",
        ),
        (  # the schema requiring what the type leaves optional
            ["properties", "findings", "items"],
            lambda n: n["required"].append("plan"),
            "$.findings[].plan: required by the schema, optional in FindingRecord",
        ),
        (  # a nested object described as a plain value
            [*_UNIT, "exposure", "properties"],
            lambda n: n.update(rules={"type": "string"}),
            "$.units[].exposure.rules: a list in the type, not in the schema",
        ),
    ],
)
def test_a_key_on_one_side_only_is_named(path: list[str], edit: Any, expected: str) -> None:
    assert list(mismatches(_edited(path, edit), contract.Result)) == [expected]


def test_optional_keys_are_known_at_run_time() -> None:
    """``__required_keys__`` is what the comparison trusts; it must say what ``NotRequired``
    says (it does not when the module postpones its annotations, under Python 3.11)."""
    for name, value in vars(contract).items():
        if is_typeddict(value) and value.__module__ == contract.__name__:
            hints = get_type_hints(value, include_extras=True)
            marked = {k for k, h in hints.items() if get_origin(h) is NotRequired}
            assert value.__optional_keys__ == marked, name
