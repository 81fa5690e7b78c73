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
from importlib import resources
from typing import Any, NamedTuple

from compliance.diagnostics import ERROR, WARNING, Diagnostic
from compliance.loader import Document, PathT, format_path

_INT = re.compile(r"[+-]?\d+")
_NUM = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DATE_ZH = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")
MAX_DIGITS = 30  # longer numbers are typing accidents (and int() refuses >4300 digits)
MIN_YEAR, MAX_YEAR = (
    1900,
    2999,
)  # a date outside is a typo in this domain, and keeps date arithmetic safe
_TRUE = frozenset({"true", "yes", "on", "y", "是", "有"})
_FALSE = frozenset({"false", "no", "off", "n", "否", "无"})

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


@functools.cache
def load_schema(name: str) -> dict[str, Any]:
    """The packaged schema ``name`` (``unit``, ``pack``, ``meeting``...) as a dict."""
    text = resources.files("compliance.schemas").joinpath(f"{name}.schema.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def schema_json(name: str) -> str:
    """The packaged schema as pretty JSON, for editors."""
    return json.dumps(load_schema(name), indent=2, ensure_ascii=False) + "\n"


def parse_date(text: str) -> dt.date | str:
    """Parse ``YYYY-MM-DD`` (or ``YYYY年M月D日``); return an error message on failure."""
    m = _DATE.fullmatch(text.strip()) or _DATE_ZH.fullmatch(text.strip())
    if not m:
        return f"'{text}' is not a date: write it as YYYY-MM-DD, for example 2024-03-05"
    try:
        day = dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError as exc:
        return f"'{text}' is not a real date ({exc})"
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        return f"'{text}' is outside the years {MIN_YEAR}–{MAX_YEAR}"
    return day


class Validator:
    """Walks one document with one schema, converting values and collecting diagnostics."""

    def __init__(self, schema: dict[str, Any], doc: Document) -> None:
        self.root = schema
        self.doc = doc

    def _emit(self, level: str, path: PathT, message: str, at_key: bool = False) -> None:
        line, col = self.doc.key_mark(path) if at_key else self.doc.mark(path)
        where = format_path(path)
        text = f"{where}: {message}" if where else message
        self.doc.diagnostics.append(Diagnostic(self.doc.file, line, col, level, text))

    def _resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            ref = schema["$ref"]
            if not ref.startswith("#/"):
                raise ValueError(f"only local $ref is supported: {ref}")
            node: Any = self.root
            for part in ref[2:].split("/"):
                node = node[part]
            schema = node
        return schema

    def validate(self, value: Any, schema: dict[str, Any], path: PathT) -> Any:
        """Return ``value`` converted per ``schema``; report problems at ``path``."""
        schema = self._resolve(schema)
        types = schema.get("type")
        allowed = [types] if isinstance(types, str) else list(types or [])
        if value is None:
            if "null" not in allowed and allowed:
                self._emit(ERROR, path, f"expected {_WANT[allowed[0]]}, found nothing")
            return value
        value, ok = self._convert(value, allowed, schema, path)
        if not ok:
            return value
        if "enum" in schema and value not in schema["enum"]:
            choices = ", ".join(str(c) for c in schema["enum"])
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
            if pattern and not re.search(pattern, value):
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
        self._emit(ERROR, path, f"expected {want}, found {found}{shown}")
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
                m = _TIME.fullmatch(s)
                if not m:
                    return _Problem(f"'{text}' is not a time: write it as HH:MM, for example 09:30")
                return f"{int(m[1]):02d}:{m[2]}"
            return text
        if typ in ("integer", "number") and len(s) > MAX_DIGITS and _NUM.fullmatch(s):
            return _Problem(f"'{s[:20]}…' is a number of {len(s)} characters; at most {MAX_DIGITS}")
        if typ == "integer" and _INT.fullmatch(s):
            return int(s)
        if typ == "number" and _NUM.fullmatch(s):
            return int(s) if _INT.fullmatch(s) else float(s)
        if typ == "boolean":
            low = s.lower()
            if low in _TRUE:
                return True
            if low in _FALSE:
                return False
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
    while "$ref" in schema:
        node: Any = root
        for part in schema["$ref"][2:].split("/"):
            node = node[part]
        schema = node
    if isinstance(value, dict):
        for key, sub in schema.get("properties", {}).items():
            value[key] = fill_defaults(value.get(key), sub, root)
    elif isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            value[i] = fill_defaults(item, schema["items"], root)
    return value


def close_matches(word: str, choices: list[str], n: int = 1, cutoff: float = 0.6) -> list[str]:
    """Close matches for a "did you mean" (difflib is imported only when needed)."""
    import difflib

    return difflib.get_close_matches(word, choices, n, cutoff)
