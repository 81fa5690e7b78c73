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
Comparison values are converted in :mod:`compliance.operands`; ``expr`` conditions are
compiled in :mod:`compliance.expr_condition`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from compliance.checks import COMPARATORS, NUMERIC_CMP, Check, Context, Failure, Ref, compare
from compliance.expr_condition import compile_expr
from compliance.loader import PathT
from compliance.names import OPERATORS
from compliance.operands import field_path, field_ref, operand, scalar
from compliance.paths import MISSING, RuleError, get, is_empty, parse_path
from compliance.schema import close_matches
from compliance.schemaview import SchemaView

# the operators in the order a condition's keys are tried, 'field' last; made once, as
# compile runs for every condition of every rule at each start-up
_ORDER = (*(o for o in OPERATORS if o != "field"), "field")


class Compiler:
    """Compiles conditions against the unit schema; errors carry the pack-file path."""

    def __init__(self, schema: SchemaView) -> None:
        self.schema = schema

    # -- helpers -------------------------------------------------------------------------
    def _path(
        self, text: Any, scope: dict[str, Any], where: PathT
    ) -> tuple[bool, PathT, dict[str, Any]]:
        return field_path(self.schema, text, scope, where)

    # -- entry point ---------------------------------------------------------------------
    def compile(self, cond: Any, scope: dict[str, Any], where: PathT) -> Check:
        """Compile one condition found at ``where`` in the pack, with items of ``scope``."""
        if not isinstance(cond, dict) or not cond:
            raise RuleError("a condition must be a mapping such as {present: some.field}", where)
        for op in _ORDER:
            if op in cond:
                method: Callable[[dict[str, Any], dict[str, Any], PathT], Check]
                method = getattr(self, "_c_" + op)
                return method(cond, scope, where)
        known = ", ".join(OPERATORS)
        first = next(iter(cond))
        hint = close_matches(str(first), list(OPERATORS), 1)
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
                field_ref(self.schema, cond[op], fschema, scope, (*where, op))
                if op in ("eq", "ne", *NUMERIC_CMP)
                else None,
            )
            for op in self._cmp_ops(cond, where)
        ]
        tests = [
            (op, ref if ref is not None else operand(cond[op], fschema, op, (*where, op)))
            for op, ref in tests
        ]

        def check(ctx: Context, node: Any, base: PathT) -> Failure | None:
            value = get(ctx.root if from_root else node, parts)
            path = parts if from_root else (*base, *parts)
            if value is MISSING or value is None:
                return Failure(path, None)
            for op, expected in tests:
                if isinstance(expected, Ref):
                    expected = expected.resolve(ctx, node)
                    if expected is MISSING or expected is None:
                        return Failure(path, value)
                if not compare(ctx, op, value, expected):
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
        allowed = {kind, "where", *NUMERIC_CMP, "eq", "ne"} | ({"of"} if kind == "sum" else set())
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
        ops = [k for k in cond if k in (*NUMERIC_CMP, "eq", "ne")]
        if not ops:
            raise RuleError("a comparison is needed: one of gt, ge, lt, le, eq, ne", where)
        number = {"type": "number"}
        tests = [
            (
                op,
                field_ref(self.schema, cond[op], number, scope, (*where, op))
                or scalar(cond[op], "number", {}, (*where, op)),
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
                if not compare(ctx, op, total, expected):
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
        return compile_expr(self.schema, cond, where)
