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
import functools
import re
from typing import Any

from compliance import schema as tool

# The text forms below are what the validation walk converts. Where the walk has learnt more
# forms over time (2024/3/5, 1,500,000, 15万, √), the walk itself is asked (``_accepts``), so
# the printed schema follows it. ECMA-262 syntax: editors compile these in JavaScript.
_SPACE = "[ \\t]*"
_DIGITS = tool.MAX_DIGITS
_YEAR = "(19[0-9]{2}|2[0-9]{3})"  # compliance.schema.MIN_YEAR to MAX_YEAR
_TIME = f"^{_SPACE}([01]?[0-9]|2[0-3]):[0-5][0-9]{_SPACE}$"
_NOT_BLANK = "[^ \\t\\r\\n]"  # minLength counts the text without surrounding spaces
_WORDS: tuple[str, ...] = (
    "true",
    "false",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "是",
    "否",
    "有",
    "无",
)
_WORDS += ("√", "×", "✓", "✗", "✔", "✘")


def _accepts(schema: dict[str, Any], text: str) -> bool:
    """Whether the tool's validation walk takes ``text`` for a field of ``schema``."""
    from compliance.loader import Document

    probe = Document("probe")
    tool.Validator(schema, probe).validate(text, schema, ())
    return not any(d.is_error for d in probe.diagnostics)


def _month_day(sep: str) -> str:
    """Month, ``sep``, day: a day that exists in its month (29 February in every year)."""
    return (
        f"((0?[13578]|1[02]){sep}(0?[1-9]|[12][0-9]|3[01])"
        f"|(0?[469]|11){sep}(0?[1-9]|[12][0-9]|30)"
        f"|0?2{sep}(0?[1-9]|1[0-9]|2[0-9]))"
    )


@functools.cache
def _date_patterns() -> tuple[str, str]:
    """ISO-like and 年月日 dates, with the separators and spaces the walk accepts."""
    day = {"type": "string", "format": "date"}
    wide = _accepts(day, "2024/3/5")  # - / . and spaces around them
    gap = _SPACE if wide else ""
    sep = f"{gap}[-/.]{gap}" if wide else "-"
    midnight = "([ T]0{1,2}:00(:00(\\.0+)?)?)?" if _accepts(day, "2024-03-05 00:00") else ""
    last = "日?" if _accepts(day, "2024年3月5") else "日"
    iso = f"^{_SPACE}{_YEAR}{sep}{_month_day(sep)}{midnight}{_SPACE}$"
    zh = f"^{_SPACE}{_YEAR}{gap}年{gap}{_month_day(f'{gap}月{gap}')}{gap}{last}{midnight}{_SPACE}$"
    return iso, zh


def _number_pattern(schema: dict[str, Any], integer: bool) -> str:
    """The text forms of a number the walk takes for this field."""
    kind = {"type": "integer" if integer else "number"}
    sign = (
        "\\+?"
        if isinstance(schema.get("minimum"), (int, float)) and schema["minimum"] >= 0
        else "[+-]?"
    )
    plain = (
        f"[0-9]{{1,{_DIGITS}}}" if integer else "([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?"
    )
    forms = [plain]
    if _accepts(kind, "1,500"):
        forms.append("[0-9]{1,3}(,[0-9]{3})+" + ("" if integer else "(\\.[0-9]+)?"))
    if _accepts(kind, "15万"):
        forms.append(f"([0-9]{{1,3}}(,[0-9]{{3}})+|[0-9]+)(\\.[0-9]+)?{_SPACE}(万|亿)")
    body = "(" + "|".join(forms) + ")"
    units = [u for u in [schema.get("x-unit"), *schema.get("x-unit-aliases", [])] if u]
    if units and _accepts({**kind, **schema}, f"32{units[0]}"):
        body += f"({_SPACE}(" + "|".join(re.escape(u) for u in units) + "))?"
    limit = f"(?=.{{0,{_DIGITS}}}$)" if not integer and len(forms) == 1 else ""
    return f"^{limit}{_SPACE}{sign}{body}{_SPACE}$"


def _any_case(word: str) -> str:
    """``yes`` -> ``[yY][eE][sS]``: ECMA-262 patterns have no inline ``(?i)``."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.lower() != c.upper() else c for c in word)


@functools.cache
def _boolean_pattern() -> str:
    words = [w for w in _WORDS if _accepts({"type": "boolean"}, w)]
    return f"^{_SPACE}(" + "|".join(_any_case(w) for w in words) + f"){_SPACE}$"


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
        extra.append({"anyOf": [{"pattern": p} for p in _date_patterns()]})
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
            text_forms.append(_number_pattern(out, integer=True))
        elif "number" in allowed:
            text_forms.append(_number_pattern(out, integer=False))
        if "boolean" in allowed:
            text_forms.append(_boolean_pattern())
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
