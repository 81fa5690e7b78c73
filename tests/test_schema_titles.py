"""Every unit and meeting field has the titles spreadsheets, the starter and xlsx output use."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from compliance.schema import load_schema


def _properties(node: Any, path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if not isinstance(node, dict):
        return
    for key, sub in (node.get("properties") or {}).items():
        yield f"{path}.{key}", sub
        yield from _properties(sub, f"{path}.{key}")
    if "items" in node:
        yield from _properties(node["items"], path + "[]")


def _all(name: str) -> list[tuple[str, dict[str, Any]]]:
    schema = load_schema(name)
    found = list(_properties(schema, name))
    for key, sub in schema.get("$defs", {}).items():
        found += list(_properties(sub, f"{name}.$defs.{key}"))
    return found


@pytest.mark.parametrize("name", ["unit", "meeting"])
def test_every_property_has_english_and_chinese_titles_and_a_description(name: str) -> None:
    props = _all(name)
    assert len(props) > 40
    for path, sub in props:
        for key in ("title", "x-title-zh", "description"):
            assert isinstance(sub.get(key), str) and sub[key].strip(), f"{path} lacks {key}"
        assert "\n" not in sub["description"], path


@pytest.mark.parametrize("name", ["unit", "meeting"])
def test_every_enumeration_has_a_chinese_label_per_code_and_unambiguous_aliases(
    name: str,
) -> None:
    enums = [(p, s) for p, s in _all(name) if "enum" in s]
    assert enums
    for path, sub in enums:
        codes = [str(c) for c in sub["enum"]]
        labels = sub.get("x-enum-zh") or {}
        assert sorted(labels) == sorted(codes), f"{path}: labels {labels} for codes {codes}"
        spelled: dict[str, str] = {}
        aliases = sub.get("x-enum-aliases") or {}
        assert set(aliases) <= set(codes), path
        for code in codes:
            for word in [code, labels[code], *aliases.get(code, [])]:
                assert spelled.setdefault(word, code) == code, f"{path}: '{word}' names two codes"


def test_titles_within_one_list_item_are_distinct_so_headers_match_one_field() -> None:
    for name in ("unit", "meeting"):
        for path, sub in [(name, load_schema(name)), *_all(name)]:
            node = sub.get("items", sub)
            seen: dict[str, str] = {}
            for key, field in (node.get("properties") or {}).items():
                for word in (key, field["title"].casefold(), field["x-title-zh"]):
                    assert seen.setdefault(word, key) == key, f"{path}: '{word}' is two fields"
