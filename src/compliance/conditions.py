"""Compile a rule's declarative conditions (YAML mappings) into fast Python checks.

A condition is a mapping with one operator key (see the README, "Writing rules"):

- ``{present: PATH}`` / ``{absent: PATH}``
- ``{field: PATH, ge: 24}``: comparisons ``eq ne gt ge lt le in not_in matches within``;
  dates compare with ``YYYY-MM-DD``, ``as_of``, ``as_of - 12 months``, ``year_start``...
- ``{count: LIST, where: COND, ge: 1}`` and ``{sum: LIST, of: FIELD, where: COND, ge: 12}``
- ``{every: LIST, require: COND}`` and ``{some: LIST, require: COND}``
- ``{all: [COND...]}``, ``{any: [COND...]}``, ``{not: COND}``
- ``{expr: "sandboxed Jinja2 expression"}``

Paths are dotted (``planning.funding.extracted_cny``), relative to the current item inside
``for_each``/``every``/``some``/``count``; ``$.`` starts from the top of the unit file.
Every path is checked against the unit schema when the pack loads, and comparison values
are converted to the field's type (a typo in an enum value is an error, not a silent miss).

A compiled check returns None when the condition holds, or a :class:`Failure` naming the
offending field (to point into the unit file) and the actual value (to quote in messages).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from jinja2.exceptions import SecurityError

from compliance.dates import parse_period, relative_date, resolve_relative, shift
from compliance.expressions import check_safe, compile_expression, first_path
from compliance.loader import PathT
from compliance.schema import close_matches, parse_date

COMPARATORS = ("eq", "ne", "gt", "ge", "lt", "le", "in", "not_in", "matches", "within")
_NUMERIC_CMP = ("gt", "ge", "lt", "le")


@dataclass
class Context:
    """What a check sees besides the node: the whole unit, the as-of date, a date cache."""

    root: dict[str, Any]
    as_of: dt.date
    dates: dict[Any, dt.date] = field(default_factory=dict)

    def date(self, spec: tuple[str, int, str]) -> dt.date:
        """The date a relative spec names, cached per context."""
        d = self.dates.get(spec)
        if d is None:
            d = self.dates[spec] = resolve_relative(spec, self.as_of)
        return d


class Failure(NamedTuple):
    """Where a condition failed (absolute path into the unit) and the value found there."""

    path: PathT
    actual: Any = None


Check = Callable[[Context, Any, PathT], Failure | None]


class Ref(NamedTuple):
    """A comparison value read from another field: ``ge: {field: planned_per_year}``."""

    from_root: bool
    parts: PathT

    def resolve(self, ctx: Context, node: Any) -> Any:
        """The referenced value (``_MISSING`` when absent)."""
        return get(ctx.root if self.from_root else node, self.parts)


class RuleRefused(Exception):
    """An expression tried something the sandbox does not allow, while evaluating."""


class RuleError(Exception):
    """A broken condition: message and path (inside the pack file) of the bad part."""

    def __init__(self, message: str, where: PathT) -> None:
        super().__init__(message)
        self.where = where


_MISSING: Any = object()
_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def parse_path(text: str, where: PathT) -> tuple[bool, PathT]:
    """``'$.planning.funding'`` -> ``(True, ('planning', 'funding'))``."""
    if not isinstance(text, str) or not text.strip():
        raise RuleError("a path must be non-empty text such as planning.annual_plan", where)
    text = text.strip()
    from_root = text.startswith("$.")
    body = text[2:] if from_root else text
    parts: list[str | int] = []
    pos = 0
    for m in _PART.finditer(body):
        if m.start() not in (pos, pos + 1):
            raise RuleError(f"'{text}' is not a valid path", where)
        parts.append(int(m[2]) if m[2] is not None else m[1])
        pos = m.end()
    if pos != len(body) or not parts:
        raise RuleError(f"'{text}' is not a valid path", where)
    return from_root, tuple(parts)


def get(node: Any, parts: PathT) -> Any:
    """Value at ``parts`` below ``node``, or ``_MISSING``."""
    for p in parts:
        if isinstance(p, int):
            if not isinstance(node, list) or p >= len(node):
                return _MISSING
            node = node[p]
        else:
            if not isinstance(node, dict):
                return _MISSING
            node = node.get(p, _MISSING)
            if node is _MISSING:
                return _MISSING
    return node


def is_empty(value: Any) -> bool:
    """Missing, null, blank text or an empty list or mapping."""
    if value is _MISSING or value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, (list, dict)) and not value


class SchemaView:
    """Answers what the unit schema says about a path, for compile-time checks."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.root = schema

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        """Follow ``$ref`` links."""
        while "$ref" in node:
            target: Any = self.root
            for part in node["$ref"][2:].split("/"):
                target = target[part]
            node = target
        return node

    def walk(self, start: dict[str, Any], parts: PathT, text: str, where: PathT) -> dict[str, Any]:
        """Schema of ``parts`` below ``start``; an error naming the unknown key otherwise."""
        node = self.resolve(start)
        for p in parts:
            if isinstance(p, int):
                if node.get("type") != "array":
                    raise RuleError(f"'{text}': [{p}] used on something that is not a list", where)
                node = self.resolve(node["items"])
                continue
            if node.get("type") == "array":  # 'posts.post' is a common slip for every/some
                raise RuleError(
                    f"'{text}': '{p}' is inside a list; use every/some/count or for_each", where
                )
            props = node.get("properties", {})
            if p not in props:
                hint = close_matches(str(p), list(props), 1, 0.6)
                tip = f"; did you mean '{hint[0]}'?" if hint else ""
                raise RuleError(f"unknown field '{p}' in path '{text}'{tip}", where)
            node = self.resolve(props[p])
        return node


class Compiler:
    """Compiles conditions against the unit schema; errors carry the pack-file path."""

    def __init__(self, schema: SchemaView) -> None:
        self.schema = schema

    # -- helpers -------------------------------------------------------------------------
    def _path(
        self, text: Any, scope: dict[str, Any], where: PathT
    ) -> tuple[bool, PathT, dict[str, Any]]:
        from_root, parts = parse_path(text, where)
        start = self.schema.root if from_root else scope
        return from_root, parts, self.schema.walk(start, parts, str(text), where)

    def _ref(
        self, raw: Any, fschema: dict[str, Any], scope: dict[str, Any], where: PathT
    ) -> Ref | None:
        """``{field: PATH}`` as a comparison value: another field of the same unit or item."""
        if not (isinstance(raw, dict) and set(raw) == {"field"}):
            return None
        from_root, parts, rschema = self._path(raw["field"], scope, (*where, "field"))
        kinds = {"integer": "number", "number": "number"}
        mine = (
            "date"
            if fschema.get("format") == "date"
            else kinds.get(fschema.get("type", ""), "other")
        )
        theirs = (
            "date"
            if rschema.get("format") == "date"
            else kinds.get(rschema.get("type", ""), "other")
        )
        if mine != theirs:
            raise RuleError(f"cannot compare a {mine} with '{raw['field']}', a {theirs}", where)
        return Ref(from_root, parts)

    def _value(self, raw: Any, fschema: dict[str, Any], op: str, where: PathT) -> Any:
        """Convert a comparison value from the pack to the field's type."""
        typ = fschema.get("type")
        if op == "within":
            period = parse_period(str(raw))
            if fschema.get("format") != "date" or period is None:
                raise RuleError(
                    "'within' takes a period such as '12 months' on a date field", where
                )
            return period
        if op in ("in", "not_in"):
            if not isinstance(raw, list):
                raise RuleError(f"'{op}' takes a list of values", where)
            return [self._value(v, fschema, "eq", (*where, i)) for i, v in enumerate(raw)]
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
        return self._scalar(raw, typ, fschema, where)

    @staticmethod
    def _scalar(raw: Any, typ: Any, fschema: dict[str, Any], where: PathT) -> Any:
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

    # -- entry point ---------------------------------------------------------------------
    def compile(self, cond: Any, scope: dict[str, Any], where: PathT) -> Check:
        """Compile one condition found at ``where`` in the pack, with items of ``scope``."""
        if not isinstance(cond, dict) or not cond:
            raise RuleError("a condition must be a mapping such as {present: some.field}", where)
        for op in (
            "present",
            "absent",
            "all",
            "any",
            "not",
            "expr",
            "count",
            "sum",
            "every",
            "some",
        ):
            if op in cond:
                method: Callable[[dict[str, Any], dict[str, Any], PathT], Check]
                method = getattr(self, "_c_" + op)
                return method(cond, scope, where)
        if "field" in cond:
            return self._c_field(cond, scope, where)
        known = "present, absent, field, count, sum, every, some, all, any, not, expr"
        first = next(iter(cond))
        hint = close_matches(str(first), known.split(", "), 1)
        tip = f"; did you mean '{hint[0]}'?" if hint else ""
        raise RuleError(f"unknown operator '{first}' (expected one of: {known}){tip}", where)

    def _only(self, cond: dict[str, Any], allowed: set[str], where: PathT) -> None:
        extra = sorted(set(cond) - allowed)
        if extra:
            raise RuleError(f"unexpected key '{extra[0]}' in this condition", (*where, extra[0]))

    def _cmp_ops(self, cond: dict[str, Any], where: PathT) -> list[str]:
        ops = [k for k in cond if k in COMPARATORS]
        if not ops:
            raise RuleError(f"a comparison is needed: one of {', '.join(COMPARATORS)}", where)
        return ops

    # -- operators -----------------------------------------------------------------------
    def _c_present(self, cond: dict[str, Any], scope: dict[str, Any], where: PathT) -> Check:
        self._only(cond, {"present"}, where)
        from_root, parts, _ = self._path(cond["present"], scope, (*where, "present"))

        def check(ctx: Context, node: Any, base: PathT) -> Failure | None:
            value = get(ctx.root if from_root else node, parts)
            if is_empty(value):
                return Failure(parts if from_root else (*base, *parts), None)
            return None

        return check

    def _c_absent(self, cond: dict[str, Any], scope: dict[str, Any], where: PathT) -> Check:
        self._only(cond, {"absent"}, where)
        inner = self._c_present({"present": cond["absent"]}, scope, where)
        from_root, parts = parse_path(cond["absent"], where)

        def check(ctx: Context, node: Any, base: PathT) -> Failure | None:
            if inner(ctx, node, base) is None:
                path = parts if from_root else (*base, *parts)
                return Failure(path, get(ctx.root if from_root else node, parts))
            return None

        return check

    def _c_all(self, cond: dict[str, Any], scope: dict[str, Any], where: PathT) -> Check:
        self._only(cond, {"all"}, where)
        subs = self._list(cond["all"], scope, (*where, "all"))

        def check(ctx: Context, node: Any, base: PathT) -> Failure | None:
            for sub in subs:
                failure = sub(ctx, node, base)
                if failure is not None:
                    return failure
            return None

        return check

    def _c_any(self, cond: dict[str, Any], scope: dict[str, Any], where: PathT) -> Check:
        self._only(cond, {"any"}, where)
        subs = self._list(cond["any"], scope, (*where, "any"))

        def check(ctx: Context, node: Any, base: PathT) -> Failure | None:
            first = None
            for sub in subs:
                failure = sub(ctx, node, base)
                if failure is None:
                    return None
                first = first or failure
            return first

        return check

    def _c_not(self, cond: dict[str, Any], scope: dict[str, Any], where: PathT) -> Check:
        self._only(cond, {"not"}, where)
        sub = self.compile(cond["not"], scope, (*where, "not"))

        def check(ctx: Context, node: Any, base: PathT) -> Failure | None:
            return Failure(base) if sub(ctx, node, base) is None else None

        return check

    def _list(self, items: Any, scope: dict[str, Any], where: PathT) -> list[Check]:
        if not isinstance(items, list) or not items:
            raise RuleError("expected a non-empty list of conditions", where)
        return [self.compile(c, scope, (*where, i)) for i, c in enumerate(items)]

    def _c_field(self, cond: dict[str, Any], scope: dict[str, Any], where: PathT) -> Check:
        self._only(cond, {"field", *COMPARATORS}, where)
        from_root, parts, fschema = self._path(cond["field"], scope, (*where, "field"))
        tests = [
            (
                op,
                self._ref(cond[op], fschema, scope, (*where, op))
                if op in ("eq", "ne", *_NUMERIC_CMP)
                else None,
            )
            for op in self._cmp_ops(cond, where)
        ]
        tests = [
            (op, ref if ref is not None else self._value(cond[op], fschema, op, (*where, op)))
            for op, ref in tests
        ]

        def check(ctx: Context, node: Any, base: PathT) -> Failure | None:
            value = get(ctx.root if from_root else node, parts)
            path = parts if from_root else (*base, *parts)
            if value is _MISSING or value is None:
                return Failure(path, None)
            for op, expected in tests:
                if isinstance(expected, Ref):
                    expected = expected.resolve(ctx, node)
                    if expected is _MISSING or expected is None:
                        return Failure(path, value)
                if not _compare(ctx, op, value, expected):
                    return Failure(path, value)
            return None

        return check

    def _list_path(
        self, text: Any, scope: dict[str, Any], where: PathT
    ) -> tuple[bool, PathT, dict[str, Any]]:
        from_root, parts, lschema = self._path(text, scope, where)
        if lschema.get("type") != "array":
            raise RuleError(f"'{text}' is not a list", where)
        return from_root, parts, self.schema.resolve(lschema["items"])

    def _c_count(self, cond: dict[str, Any], scope: dict[str, Any], where: PathT) -> Check:
        return self._aggregate(cond, scope, where, "count")

    def _c_sum(self, cond: dict[str, Any], scope: dict[str, Any], where: PathT) -> Check:
        return self._aggregate(cond, scope, where, "sum")

    def _aggregate(
        self, cond: dict[str, Any], scope: dict[str, Any], where: PathT, kind: str
    ) -> Check:
        allowed = {kind, "where", *_NUMERIC_CMP, "eq", "ne"} | ({"of"} if kind == "sum" else set())
        self._only(cond, allowed, where)
        from_root, parts, item_schema = self._list_path(cond[kind], scope, (*where, kind))
        filt = (
            self.compile(cond["where"], item_schema, (*where, "where")) if "where" in cond else None
        )
        of: PathT = ()
        if kind == "sum":
            if "of" not in cond:
                raise RuleError("'sum' needs 'of': the number field to add up", where)
            _, of, of_schema = self._path(cond["of"], item_schema, (*where, "of"))
            if of_schema.get("type") not in ("integer", "number"):
                raise RuleError(f"'of: {cond['of']}' is not a number field", (*where, "of"))
        ops = [k for k in cond if k in (*_NUMERIC_CMP, "eq", "ne")]
        if not ops:
            raise RuleError("a comparison is needed: one of gt, ge, lt, le, eq, ne", where)
        number = {"type": "number"}
        tests = [
            (
                op,
                self._ref(cond[op], number, scope, (*where, op))
                or self._scalar(cond[op], "number", {}, (*where, op)),
            )
            for op in ops
        ]

        def check(ctx: Context, node: Any, base: PathT) -> Failure | None:
            items = get(ctx.root if from_root else node, parts)
            path = parts if from_root else (*base, *parts)
            total: float = 0
            if isinstance(items, list):
                for i, item in enumerate(items):
                    if filt is not None and filt(ctx, item, (*path, i)) is not None:
                        continue
                    if kind == "count":
                        total += 1
                    else:
                        v = get(item, of)
                        if isinstance(v, (int, float)) and not isinstance(v, bool):
                            total += v
            for op, expected in tests:
                if isinstance(expected, Ref):
                    expected = expected.resolve(ctx, node)
                    if not isinstance(expected, (int, float)):
                        return Failure(path, total)
                if not _compare(ctx, op, total, expected):
                    return Failure(path, total)
            return None

        return check

    def _c_every(self, cond: dict[str, Any], scope: dict[str, Any], where: PathT) -> Check:
        return self._quantifier(cond, scope, where, "every")

    def _c_some(self, cond: dict[str, Any], scope: dict[str, Any], where: PathT) -> Check:
        return self._quantifier(cond, scope, where, "some")

    def _quantifier(
        self, cond: dict[str, Any], scope: dict[str, Any], where: PathT, kind: str
    ) -> Check:
        self._only(cond, {kind, "where", "require"}, where)
        from_root, parts, item_schema = self._list_path(cond[kind], scope, (*where, kind))
        if "require" not in cond:
            raise RuleError(f"'{kind}' needs 'require': the condition each item must meet", where)
        req = self.compile(cond["require"], item_schema, (*where, "require"))
        filt = (
            self.compile(cond["where"], item_schema, (*where, "where")) if "where" in cond else None
        )

        def check(ctx: Context, node: Any, base: PathT) -> Failure | None:
            items = get(ctx.root if from_root else node, parts)
            path = parts if from_root else (*base, *parts)
            first = None
            for i, item in enumerate(items if isinstance(items, list) else ()):
                ipath = (*path, i)
                if filt is not None and filt(ctx, item, ipath) is not None:
                    continue
                failure = req(ctx, item, ipath)
                if kind == "every" and failure is not None:
                    return failure
                if kind == "some":
                    if failure is None:
                        return None
                    first = first or failure
            if kind == "some":
                return Failure(path, None)
            return None

        return check

    def _c_expr(self, cond: dict[str, Any], scope: dict[str, Any], where: PathT) -> Check:
        self._only(cond, {"expr", "quote"}, where)
        source = cond["expr"]
        if not isinstance(source, str):
            raise RuleError("'expr' takes an expression as text", (*where, "expr"))
        readable = frozenset(self.schema.root.get("properties", {})) | {"item", "as_of"}
        problem = check_safe(source, readable)
        if problem:
            raise RuleError(problem, (*where, "expr"))
        fn = compile_expression(source)
        # 'quote': a second expression whose value a failing check hands to the message as
        # {actual}, e.g. the amount a unit must extract, which no field of the unit holds
        quote: Callable[[dict[str, Any]], Any] | None = None
        if "quote" in cond:
            qsource = cond["quote"]
            if not isinstance(qsource, str):
                raise RuleError("'quote' takes an expression as text", (*where, "quote"))
            problem = check_safe(qsource, readable)
            if problem:
                raise RuleError(problem, (*where, "quote"))
            quote = compile_expression(qsource)
        # point a failure at the first field the expression reads, when it names one
        read = first_path(source)
        if read[:1] == ("item",):
            rel, absolute = read[1:], False
        elif read and read[0] in self.schema.root.get("properties", {}):
            rel, absolute = read, True
        else:
            rel, absolute = (), False

        def check(ctx: Context, node: Any, base: PathT) -> Failure | None:
            variables = dict(ctx.root)
            variables.update(item=node, as_of=ctx.as_of)
            try:
                ok = bool(fn(variables))
            except SecurityError as exc:  # the sandbox refused: the rule is broken, not the data
                raise RuleRefused(str(exc)) from None
            except (MemoryError, RecursionError) as exc:  # never a finding about the unit
                raise RuleRefused(type(exc).__name__) from None
            except Exception as exc:  # missing data or a type mismatch in the data: not met
                actual: Any = f"{type(exc).__name__}: {exc}"
                if quote is not None:
                    actual = _quoted(quote, variables)
                return Failure(rel if absolute else (*base, *rel), actual)
            if ok:
                return None
            actual = _quoted(quote, variables) if quote is not None else None
            return Failure(rel if absolute else (*base, *rel), actual)

        return check


def _quoted(quote: Callable[[dict[str, Any]], Any], variables: dict[str, Any]) -> Any:
    """The value of a rule's 'quote' expression; None (shown as missing) when it cannot be
    computed from the data, e.g. because the revenue it needs is not recorded."""
    try:
        value = quote(variables)
    except SecurityError as exc:
        raise RuleRefused(str(exc)) from None
    except (MemoryError, RecursionError) as exc:  # never a finding about the unit
        raise RuleRefused(type(exc).__name__) from None
    except Exception:  # missing data: the message says "(missing)"
        return None
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value


def compile_pattern(source: str, where: PathT) -> Any:
    """A ``matches:`` pattern compiled by RE2, whose matching time is linear in the text.

    Python's ``re`` backtracks: ``(a+)+$`` takes hours on a 40-character value, and rule
    packs are shared between plants. RE2 has no backreferences or look-arounds; a pattern
    that needs them is refused when the pack loads, naming the rule.
    """
    import re2

    options = re2.Options()
    options.log_errors = False  # RE2 would print its own line on stderr
    try:
        return re2.compile(source, options=options)
    except re2.error as exc:
        reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else exc
        raise RuleError(
            f"regular expression not supported ({reason}); patterns run in linear time, "
            "so backreferences and look-arounds are not available",
            where,
        ) from None


def _compare(ctx: Context, op: str, value: Any, expected: Any) -> bool:
    """Apply one comparator; a type mismatch in the data counts as not met."""
    if op == "within":
        if not isinstance(value, dt.date):
            return False
        amount, unit = expected
        return shift(ctx.as_of, -amount, unit) <= value <= ctx.as_of
    if isinstance(expected, tuple) and expected[0] == "year":  # as_of.year (+/- 1)
        expected = ctx.as_of.year + expected[1]
    elif isinstance(expected, tuple):  # a relative date such as as_of - 12 months
        expected = ctx.date(expected)
    try:
        if op == "eq":
            return bool(value == expected)
        if op == "ne":
            return bool(value != expected)
        if op == "in":
            return value in expected
        if op == "not_in":
            return value not in expected
        if op == "matches":
            return bool(expected.search(str(value)))
        if isinstance(value, float) and math.isnan(value):
            return False
        if op == "gt":
            return bool(value > expected)
        if op == "ge":
            return bool(value >= expected)
        if op == "lt":
            return bool(value < expected)
        if op == "le":
            return bool(value <= expected)
    except TypeError:
        return False
    raise AssertionError(op)
