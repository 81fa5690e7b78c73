"""The run-time side of compiled conditions: what a check sees (:class:`Context`), what it
returns (:class:`Failure`), and the comparators (``eq ne gt ge lt le in not_in matches
within``) applied to the unit's values. The compiler that builds checks is ``conditions.py``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any, NamedTuple

from compliance.dates import resolve_relative, shift
from compliance.loader import PathT
from compliance.paths import RuleError, get
from compliance.plain import Plain

COMPARATORS = ("eq", "ne", "gt", "ge", "lt", "le", "in", "not_in", "matches", "within")
NUMERIC_CMP = ("gt", "ge", "lt", "le")


class Context(Plain):
    """What a check sees besides the node: the whole unit, the as-of date, a date cache."""

    _fields = ("root", "as_of", "dates")

    def __init__(
        self, root: dict[str, Any], as_of: dt.date, dates: dict[Any, dt.date] | None = None
    ) -> None:
        self.root = root
        self.as_of = as_of
        self.dates: dict[Any, dt.date] = {} if dates is None else dates

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
        """The referenced value (``MISSING`` when absent)."""
        return get(ctx.root if self.from_root else node, self.parts)


class RuleRefused(Exception):
    """An expression tried something the sandbox does not allow, while evaluating."""


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


def compare(ctx: Context, op: str, value: Any, expected: Any) -> bool:
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
