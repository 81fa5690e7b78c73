"""Comparison values of a condition, converted to the type of the field they compare with.

``{field: planning.funding.extracted_cny, ge: 1_500_000}``: the ``1_500_000`` is checked and
converted when the pack loads, against the unit schema: a number for a number field, a date
(or ``as_of - 12 months``) for a date field, one of the values of an enumeration (a typo is an
error with a suggestion), a compiled RE2 pattern for ``matches``, a period for ``within``, or
``{field: OTHER}`` to compare with another field of the same unit or item.
"""

from __future__ import annotations

from typing import Any

from compliance.checks import Ref, compile_pattern
from compliance.dates import parse_period, relative_date
from compliance.loader import PathT
from compliance.paths import RuleError, parse_path
from compliance.schema import close_matches, parse_date
from compliance.schemaview import SchemaView


def field_path(
    schema: SchemaView, text: Any, scope: dict[str, Any], where: PathT
) -> tuple[bool, PathT, dict[str, Any]]:
    """A path of a condition: from the unit's top (``$.``) or not, its parts, its schema."""
    from_root, parts = parse_path(text, where)
    start = schema.root if from_root else scope
    return from_root, parts, schema.walk(start, parts, str(text), where)


def field_ref(
    schema: SchemaView, raw: Any, fschema: dict[str, Any], scope: dict[str, Any], where: PathT
) -> Ref | None:
    """``{field: PATH}`` as a comparison value: another field of the same unit or item."""
    if not (isinstance(raw, dict) and set(raw) == {"field"}):
        return None
    from_root, parts, rschema = field_path(schema, raw["field"], scope, (*where, "field"))
    kinds = {"integer": "number", "number": "number"}
    mine = (
        "date" if fschema.get("format") == "date" else kinds.get(fschema.get("type", ""), "other")
    )
    theirs = (
        "date" if rschema.get("format") == "date" else kinds.get(rschema.get("type", ""), "other")
    )
    if mine != theirs:
        raise RuleError(f"cannot compare a {mine} with '{raw['field']}', a {theirs}", where)
    return Ref(from_root, parts)


def operand(raw: Any, fschema: dict[str, Any], op: str, where: PathT) -> Any:
    """Convert a comparison value from the pack to the field's type."""
    typ = fschema.get("type")
    if op == "within":
        period = parse_period(str(raw))
        if fschema.get("format") != "date" or period is None:
            raise RuleError("'within' takes a period such as '12 months' on a date field", where)
        return period
    if op in ("in", "not_in"):
        if not isinstance(raw, list):
            raise RuleError(f"'{op}' takes a list of values", where)
        return [operand(v, fschema, "eq", (*where, i)) for i, v in enumerate(raw)]
    if op == "matches":
        return compile_pattern(str(raw), where)
    if fschema.get("format") == "date":
        rel = relative_date(str(raw))
        if rel is not None:
            return rel
        parsed = parse_date(str(raw))
        if isinstance(parsed, str):
            raise RuleError(parsed + " (or as_of, as_of - 12 months, year_start)", where)
        return parsed
    return scalar(raw, typ, fschema, where)


def scalar(raw: Any, typ: Any, fschema: dict[str, Any], where: PathT) -> Any:
    """A number, yes/no or text value from the pack for a field of type ``typ``; an
    enumeration's value must be one of its values."""
    text = str(raw).strip() if raw is not None else ""
    if raw is None:
        return None
    if typ in ("integer", "number") and text in (
        "as_of.year",
        "as_of.year - 1",
        "as_of.year + 1",
    ):
        return ("year", int(text[len("as_of.year") :].replace(" ", "") or 0))
    if typ in ("integer", "number"):
        try:
            num = float(text)
        except ValueError:
            raise RuleError(f"'{raw}' is not a number", where) from None
        value: Any = int(num) if num.is_integer() and "." not in text else num
    elif typ == "boolean":
        if text.lower() not in ("true", "false"):
            raise RuleError(f"'{raw}' is not true or false", where)
        value = text.lower() == "true"
    else:
        value = raw if isinstance(raw, str) else text
    enum = fschema.get("enum")
    if enum is not None and value not in enum:
        hint = close_matches(str(value), [str(e) for e in enum], 1)
        tip = f" (did you mean '{hint[0]}'?)" if hint else ""
        choices = ", ".join(str(e) for e in enum)
        raise RuleError(f"'{raw}' is not one of the field's values: {choices}{tip}", where)
    return value
