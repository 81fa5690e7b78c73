"""The schemas as ``compliance schema`` prints them: what the tool accepts, for other validators.

The packaged schemas drive this tool's own validation walk (``compliance.schema``), which reads
every YAML scalar as text and converts it where the schema names a type: ``"812"`` is a
number in a number field, ``yes`` a yes/no value, ``2024年3月5日`` a date, ``09:00`` a time;
an unknown key is a warning. An editor or ``jsonschema`` reads the same file differently
(YAML 1.2 types, ``format`` assertions, ``additionalProperties: false`` as an error), so the
printed schema says the tool's view in plain JSON Schema: typed fields also accept the text
forms the tool converts, ``format: date|time`` become the patterns the tool parses, text
fields accept what YAML would read as a number or yes/no, and unknown keys are allowed
(``x-unknown-keys: warning``). ``tests/test_schema_agreement.py`` checks that both agree on
every sample and corpus file.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from compliance import schema as tool

# Text forms the validation walk converts (compliance.schema._INT, _NUM, _DATE, _DATE_ZH,
# _TIME, MAX_DIGITS, the yes/no words). ECMA-262 syntax: editors compile these in JavaScript.
_SPACE = "[ \\t]*"
_INTEGER = f"^{_SPACE}[+-]?[0-9]{{1,{tool.MAX_DIGITS}}}{_SPACE}$"
_NATURAL = f"^{_SPACE}\\+?[0-9]{{1,{tool.MAX_DIGITS}}}{_SPACE}$"  # for minimum >= 0
_NUMBER = (
    f"^(?=.{{0,{tool.MAX_DIGITS}}}$){_SPACE}[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)"
    f"([eE][+-]?[0-9]+)?{_SPACE}$"
)
_YEAR = "(19[0-9]{2}|2[0-9]{3})"  # compliance.schema.MIN_YEAR to MAX_YEAR
_MONTH_DAY = (  # a day that exists in its month (29 February is allowed in every year)
    "((0?[13578]|1[02])[-月](0?[1-9]|[12][0-9]|3[01])"
    "|(0?[469]|11)[-月](0?[1-9]|[12][0-9]|30)"
    "|0?2[-月](0?[1-9]|1[0-9]|2[0-9]))"
)
_DATE_ISO = f"^{_SPACE}{_YEAR}-{_MONTH_DAY.replace('[-月]', '-')}{_SPACE}$"
_DATE_ZH = f"^{_SPACE}{_YEAR}年{_MONTH_DAY.replace('[-月]', '月')}日{_SPACE}$"
_TIME = f"^{_SPACE}([01]?[0-9]|2[0-3]):[0-5][0-9]{_SPACE}$"
_NOT_BLANK = "[^ \\t\\r\\n]"  # minLength counts the text without surrounding spaces


def _any_case(word: str) -> str:
    """``yes`` -> ``[yY][eE][sS]``: ECMA-262 patterns have no inline ``(?i)``."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.lower() != c.upper() else c for c in word)


_BOOLEAN = (
    f"^{_SPACE}(" + "|".join(_any_case(w) for w in sorted(tool._TRUE | tool._FALSE)) + f"){_SPACE}$"
)


def _yaml12(text: str) -> Any:
    """What a YAML 1.2 reader makes of ``text`` written plain (numbers and true/false)."""
    if text in ("true", "false"):
        return text == "true"
    if re.fullmatch(r"[-+]?[0-9]+", text):
        return int(text)
    if re.fullmatch(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?", text):
        return float(text)
    return text


def published_schema(name: str) -> dict[str, Any]:
    """The schema ``name`` as printed by ``compliance schema NAME``."""
    schema = copy.deepcopy(tool.load_schema(name))
    if name in ("unit", "meeting", "pack", "config"):  # YAML inputs read by the walk
        _accepted_labels(schema, schema)
        schema = _as_accepted(schema)
        schema["$comment"] = (
            "Printed by 'compliance schema': typed fields also accept the text forms the tool "
            "converts (quoted numbers, yes/no, 2024年3月5日, 09:30); unknown keys are accepted "
            "here and reported by the tool as warnings (x-unknown-keys)."
        )
    return schema


def _accepted_labels(node: Any, root: dict[str, Any]) -> None:
    """Add to each enumeration the other spellings the walk accepts for it.

    ``x-enum-zh`` labels and ``x-enum-aliases`` are offered to the tool's own validation
    walk; those it takes (now or once it reads them) are printed as allowed values too, so
    the printed schema follows the tool without a second list to keep in step.
    """
    from compliance.loader import Document

    if isinstance(node, list):
        for n in node:
            _accepted_labels(n, root)
        return
    if not isinstance(node, dict):
        return
    for value in node.values():
        _accepted_labels(value, root)
    enum = node.get("enum")
    if not isinstance(enum, list):
        return
    candidates = [*(node.get("x-enum-zh") or {}).values()]
    for spellings in (node.get("x-enum-aliases") or {}).values():
        candidates += spellings if isinstance(spellings, list) else [spellings]
    for text in candidates:
        if not isinstance(text, str) or text in enum:
            continue
        probe = Document("probe")
        tool.Validator(root, probe).validate(text, node, ())
        if not any(d.is_error for d in probe.diagnostics):
            enum.append(text)


def _as_accepted(node: Any) -> Any:
    """Rewrite every subschema to accept exactly what the validation walk accepts."""
    if isinstance(node, list):
        return [_as_accepted(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _as_accepted(v) if k in _SUBSCHEMAS else v for k, v in node.items()}
    if "properties" in out:
        out["properties"] = {k: _as_accepted(v) for k, v in out["properties"].items()}
    if "$defs" in out:
        out["$defs"] = {k: _as_accepted(v) for k, v in out["$defs"].items()}
    if out.get("additionalProperties") is False:
        del out["additionalProperties"]
        out["x-unknown-keys"] = "warning"
    types = out.get("type")
    if types is None:
        return out
    allowed = [types] if isinstance(types, str) else list(types)
    extra: list[dict[str, Any]] = []  # constraints on the text forms, kept apart
    widened = list(allowed)
    fmt = out.pop("format", None) if "string" in allowed else None
    if fmt == "date":
        extra.append({"anyOf": [{"pattern": _DATE_ISO}, {"pattern": _DATE_ZH}]})
        out["x-format"] = "date"
    elif fmt == "time":
        extra.append({"pattern": _TIME})
        out["x-format"] = "time"
    elif fmt is not None:
        out["format"] = fmt
    if "string" in allowed and fmt is None:
        # a text field takes any scalar: the walk reads 13800138000 or true as text
        widened += [t for t in ("number", "boolean") if t not in widened]
        if "enum" in out:  # grade: 1 is the text '1' to the walk, the number 1 to YAML 1.2
            typed = [_yaml12(v) for v in out["enum"] if isinstance(v, str)]
            out["enum"] = [*out["enum"], *(v for v in typed if not isinstance(v, str))]
    if "string" not in allowed:
        text_forms = []
        if "integer" in allowed:
            natural = isinstance(out.get("minimum"), (int, float)) and out["minimum"] >= 0
            text_forms.append(_NATURAL if natural else _INTEGER)
        elif "number" in allowed:
            text_forms.append(_NUMBER)
        if "boolean" in allowed:
            text_forms.append(_BOOLEAN)
        if text_forms:
            widened.append("string")
            extra.append({"anyOf": [{"pattern": p} for p in text_forms]})
    if out.get("minLength", 0) >= 1:
        extra.append({"pattern": _NOT_BLANK})
    if extra:
        # constraints written for text apply to text only; numbers keep minimum/maximum
        only_text = {"if": {"type": "string"}, "then": {"allOf": extra}}
        out["allOf"] = [*out.get("allOf", []), only_text]
    out["type"] = widened[0] if len(widened) == 1 else widened
    return out


_SUBSCHEMAS = frozenset(
    {"items", "additionalProperties", "allOf", "anyOf", "oneOf", "not", "if", "then", "else"}
)
