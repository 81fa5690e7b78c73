"""Check loaded data against a JSON Schema and turn text into the types the schema names.

The loader keeps every scalar as text. This step walks the data with the schema and converts
text to an integer, number, boolean or date only where the schema says so, so ``09:30`` in a
text field stays ``"09:30"`` and ``no`` is a boolean only in a boolean field. It reports every
problem at once with the path of the bad key and its position; unknown keys are warnings
with a "did you mean".

Why not the ``jsonschema`` package here: it validates but cannot convert, and it runs an
order of magnitude slower than this walk over a group of a thousand units. It serves in the
test suite to check that the shipped schema is itself valid and that it agrees with this walk.
The subset of JSON Schema understood here is what the shipped schemas use: ``type`` (one or a
list), ``properties``, ``required``, ``additionalProperties``, ``items``, ``enum``,
``minimum``, ``maximum``, ``minLength``, ``pattern``, ``format: date|time`` and local ``$ref``.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from pathlib import Path
from typing import Any, NamedTuple

from compliance.diagnostics import ERROR, WARNING, Diagnostic
from compliance.loader import Document, PathT, format_path
from compliance.schemaview import resolve_ref
from compliance.values import (
    MAX_DIGITS,
    MAX_YEAR,
    MIN_YEAR,
    enum_choices,
    enum_code,
    human_number,
    looks_numeric,
    number_hint,
    parse_date,
    plain_number,
    truth,
    units_of,
)

__all__ = ["MAX_DIGITS", "MAX_YEAR", "MIN_YEAR", "parse_date"]  # re-exported for older callers

_TIME = r"([01]?\d|2[0-3]):([0-5]\d)"  # compiled on first use (re's cache): start-up counts

_KIND = {
    dict: "a mapping",
    list: "a list",
    str: "text",
    bool: "a yes/no value",
    int: "a number",
    float: "a number",
    dt.date: "a date",
    type(None): "nothing",
}
_WANT = {
    "object": "a mapping of keys",
    "array": "a list",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "nothing",
}


_SCHEMAS = Path(__file__).parent / "schemas"


@functools.cache
def load_schema(name: str) -> dict[str, Any]:
    """The packaged schema ``name`` (``unit``, ``pack``, ``meeting``...) as a dict."""
    data: dict[str, Any] = json.loads(schema_bytes(name))
    return data


def schema_bytes(name: str) -> bytes:
    """The bytes of the packaged schema ``name``: the file beside this module (a checkout or an
    install), through importlib.resources only when the package is not on disk. Reading the
    file directly spares a check the import of importlib.resources and its readers."""
    try:
        return (_SCHEMAS / f"{name}.schema.json").read_bytes()
    except OSError:
        from importlib import resources

        return resources.files("compliance.schemas").joinpath(f"{name}.schema.json").read_bytes()


def schema_json(name: str) -> str:
    """The schema as ``compliance schema`` prints it (see :mod:`compliance.schema_export`).

    In unit and meeting files every list may also be ``{from: PATH, sheet: NAME}`` (a ledger
    workbook, read by :mod:`compliance.ledgers` before validation); the printed schema says so,
    so that an editor does not flag it.
    """
    from compliance.schema_export import published_schema

    schema = json.loads(json.dumps(published_schema(name)))  # a copy: cached schemas stay
    if name in ("unit", "meeting"):
        schema["$defs"]["ledger"] = _LEDGER
        _allow_ledgers(schema)
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


_LEDGER = {
    "type": "object",
    "description": "The list kept in a workbook: PATH relative to this file (.xlsx or .csv).",
    "required": ["from"],
    "properties": {"from": {"type": "string"}, "sheet": {"type": "string"}},
}


def _allow_ledgers(node: Any) -> None:
    if isinstance(node, dict):
        for key, sub in (node.get("properties") or {}).items():
            if isinstance(sub, dict) and sub.get("type") == "array":
                node["properties"][key] = {
                    k: v for k, v in sub.items() if k in ("title", "x-title-zh", "description")
                } | {"anyOf": [sub, {"$ref": "#/$defs/ledger"}]}
        for value in node.values():
            _allow_ledgers(value)
    elif isinstance(node, list):
        for value in node:
            _allow_ledgers(value)


class Validator:
    """Walks one document with one schema, converting values and collecting diagnostics."""

    def __init__(self, schema: dict[str, Any], doc: Document) -> None:
        self.root = schema
        self.doc = doc

    def _emit(self, level: str, path: PathT, message: str, at_key: bool = False) -> None:
        place = self.doc.place(path, at_key)
        where = place.label or format_path(path)  # a sheet's column header, else the data path
        text = f"{where}: {message}" if where else message
        self.doc.diagnostics.append(Diagnostic(*place[:3], level, text, *place[3:5]))

    def _resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        resolved: dict[str, Any] = resolve_ref(self.root, schema)
        return resolved

    def validate(self, value: Any, schema: dict[str, Any], path: PathT) -> Any:
        """Return ``value`` converted per ``schema``; report problems at ``path``."""
        schema = self._resolve(schema)
        types = schema.get("type")
        if types == "string" and type(value) is str and _PLAIN_TEXT.isdisjoint(schema):
            return value  # the usual text field: what the steps below would conclude
        allowed = [types] if isinstance(types, str) else list(types or [])
        if value is None:
            if "null" not in allowed and allowed:
                self._emit(ERROR, path, f"expected {_WANT[allowed[0]]}, found nothing")
            return value
        if "enum" in schema and isinstance(value, str):
            # 一般, 已整改, 出席...: a Chinese label or another spelling names the code
            code = enum_code(schema, value)
            value = value if code is None else code
        value, ok = self._convert(value, allowed, schema, path)
        if not ok:
            return value
        if "enum" in schema and value not in schema["enum"]:
            choices = enum_choices(schema)
            hint = close_matches(str(value), [str(c) for c in schema["enum"]], 1)
            extra = f" (did you mean '{hint[0]}'?)" if hint else ""
            self._emit(ERROR, path, f"'{value}' is not one of: {choices}{extra}")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if "minimum" in schema and value < schema["minimum"]:
                self._emit(ERROR, path, f"{value} is below the minimum {schema['minimum']}")
            if "maximum" in schema and value > schema["maximum"]:
                self._emit(ERROR, path, f"{value} is above the maximum {schema['maximum']}")
        if isinstance(value, str):
            if len(value.strip()) < schema.get("minLength", 0):
                self._emit(ERROR, path, "must not be empty")
            pattern = schema.get("pattern")
            if pattern and not _pattern(pattern).search(value):
                # x-pattern-message says in words what the regular expression means
                wording: str = (
                    schema.get("x-pattern-message")
                    or f"does not have the expected form ({pattern})"
                )
                self._emit(ERROR, path, f"'{value}' {wording}")
        if isinstance(value, dict):
            return self._object(value, schema, path)
        if isinstance(value, list) and "items" in schema:
            for i, item in enumerate(value):
                value[i] = self.validate(item, schema["items"], (*path, i))
        return value

    def _convert(
        self, value: Any, allowed: list[str], schema: dict[str, Any], path: PathT
    ) -> tuple[Any, bool]:
        """Convert text to the schema's scalar type; check containers' kinds."""
        if not allowed:
            return value, True
        if isinstance(value, dict):
            if "object" in allowed:
                return value, True
        elif isinstance(value, list):
            if "array" in allowed:
                return value, True
        elif isinstance(value, str):
            for t in allowed:
                converted = self._from_text(value, t, schema)
                if isinstance(converted, _Problem):
                    self._emit(ERROR, path, converted.message)
                    return value, False
                if converted is not _FAIL:
                    return converted, True
        else:  # already typed (data built in code, not from YAML)
            if any(_matches(value, t) for t in allowed):
                return value, True
        found = _KIND.get(type(value), type(value).__name__)
        shown = f" '{value}'" if isinstance(value, str) else ""
        want = " or ".join(_WANT[t] for t in allowed)
        hint = ""
        if isinstance(value, str) and allowed in (["integer"], ["number"]):
            hint = f": {number_hint(schema)}"  # say what to write
        elif isinstance(value, str) and allowed == ["boolean"]:
            hint = ": write yes or no (是 or 否)"
        self._emit(ERROR, path, f"expected {want}, found {found}{shown}{hint}")
        return value, False

    @staticmethod
    def _from_text(text: str, typ: str, schema: dict[str, Any]) -> Any:
        s = text.strip()
        if typ == "string":
            fmt = schema.get("format")
            if fmt == "date":
                parsed = parse_date(s)
                return _Problem(parsed) if isinstance(parsed, str) else parsed
            if fmt == "time":
                m = re.fullmatch(_TIME, s)
                if not m:
                    return _Problem(f"'{text}' is not a time: write it as HH:MM, for example 09:30")
                return f"{int(m[1]):02d}:{m[2]}"
            return text
        if typ in ("integer", "number"):
            if len(s) > MAX_DIGITS and looks_numeric(s):
                return _Problem(
                    f"'{s[:20]}…' is a number of {len(s)} characters; at most {MAX_DIGITS}"
                )
            number = plain_number(s, typ == "integer")
            if number is None:  # 1,500,000 / 132万 / 32学时
                human = human_number(s, typ == "integer", units_of(schema))
                if isinstance(human, str):
                    return _Problem(human)
                number = human
            if number is not None:
                return number
        if typ == "boolean":
            flag = truth(s)
            if flag is not None:
                return flag
        return _FAIL

    def _object(self, value: dict[str, Any], schema: dict[str, Any], path: PathT) -> Any:
        props: dict[str, Any] = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key in list(value):
            sub = (*path, key)
            if key in props:
                value[key] = self.validate(value[key], props[key], sub)
            elif isinstance(extra, dict):
                value[key] = self.validate(value[key], extra, sub)
            elif extra is False:
                hint = close_matches(key, list(props), 1, 0.6)
                tip = f"; did you mean '{hint[0]}'?" if hint else ""
                if path in self.doc.flow and not hint:
                    tip = "; in {...} a comma inside a value starts a new key: put the value in quotes"
                self._emit(WARNING, sub, f"unknown key '{key}' is ignored{tip}", at_key=True)
                del value[key]
        for key in schema.get("required", []):
            if key not in value or value[key] is None:
                if key in value:
                    continue  # already reported as "found nothing"
                where = "at the top level" if not path else "here"
                self._emit(ERROR, path, f"missing required key '{key}' {where}", at_key=True)
        return value


# what a string schema may check beyond its type; text under a schema with none of these is
# valid as it is
_PLAIN_TEXT = frozenset({"enum", "format", "minLength", "pattern"})


class _Fail:
    """Marks text that does not convert to the type tried."""


class _Problem(NamedTuple):
    """Text of the right shape but an impossible value (``2024-02-30``): report it as such."""

    message: str


_FAIL: Any = _Fail()


def _matches(value: Any, typ: str) -> bool:
    if typ == "string":
        return isinstance(value, (str, dt.date))
    if typ == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if typ == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if typ == "boolean":
        return isinstance(value, bool)
    return False


def validate_document(doc: Document, schema_name: str) -> Document:
    """Validate and convert ``doc.data`` in place against the packaged schema ``schema_name``."""
    if doc.data is None:
        return doc
    if not isinstance(doc.data, dict):
        found = _KIND.get(type(doc.data), "a value")
        doc.error(1, 1, f"expected a mapping of keys at the top level, found {found}")
        doc.data = None
        return doc
    schema = load_schema(schema_name)
    doc.data = Validator(schema, doc).validate(doc.data, schema, ())
    doc.diagnostics.sort()
    if any(d.is_error for d in doc.diagnostics):
        doc.data = None
    return doc


def fill_defaults(value: Any, schema: dict[str, Any], root: dict[str, Any] | None = None) -> Any:
    """Give every key the schema knows a value (None when absent), recursively.

    Templates run with StrictUndefined so that a typo in a template is an error; optional
    data must therefore be present as None rather than missing.
    """
    root = root or schema
    schema = resolve_ref(root, schema)
    if isinstance(value, dict):
        for key, sub in schema.get("properties", {}).items():
            value[key] = fill_defaults(value.get(key), sub, root)
    elif isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            value[i] = fill_defaults(item, schema["items"], root)
    return value


@functools.lru_cache(maxsize=64)
def _pattern(source: str) -> re.Pattern[str]:
    """A schema pattern with JSON Schema's meaning: ``$`` is the very end of the text.

    In Python ``$`` also matches before a final newline, so ``"plant\\n"`` would pass
    ``^[a-z]+$`` and name a report file with a newline in it.
    """
    if source.endswith("$") and not source.endswith("\\$"):
        source = source[:-1] + r"\Z"
    return re.compile(source)


def close_matches(word: str, choices: list[str], n: int = 1, cutoff: float = 0.6) -> list[str]:
    """Close matches for a "did you mean" (difflib is imported only when needed)."""
    import difflib

    return difflib.get_close_matches(word, choices, n, cutoff)
