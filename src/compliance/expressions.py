"""Sandboxed expressions for what the declarative conditions cannot say.

Expressions are Jinja2 expressions (``item.training | selectattr('kind', 'eq', 'pre_job') |
sum(attribute='hours') >= 24``) compiled in Jinja2's ``ImmutableSandboxedEnvironment``. Why
Jinja2: it is already a dependency for the templates, so rule authors learn one syntax; its
sandbox is maintained by the Pallets project for exactly this use (untrusted templates); and
it compiles each expression once into Python code, so evaluating thousands of units is fast.

On top of the sandbox this module refuses, at compile time, any name or attribute starting
with ``_`` (no ``__class__``/``__globals__`` walks), and caps the size of values that ``*``
and ``**`` can build (the sandbox itself does not stop ``'a' * 10**8``).
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Callable, Sequence
from typing import Any

from jinja2 import ChainableUndefined, TemplateSyntaxError, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from compliance.dates import add_months, shift

MAX_RESULT = 100_000  # largest string, list or number of digits * and ** may build


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The sandbox, with ``*`` and ``**`` bounded."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
        if operator_ == "**":
            if isinstance(right, (int, float)) and abs(right) > 64:
                raise SecurityError("exponent too large")
            return operator.pow(left, right)
        if isinstance(left, (str, list, tuple)) or isinstance(right, (str, list, tuple)):
            seq, n = (left, right) if isinstance(left, (str, list, tuple)) else (right, left)
            if isinstance(n, int) and len(seq) * n > MAX_RESULT:
                raise SecurityError("result too large")
        return operator.mul(left, right)


def marginal(amount: Any, brackets: Sequence[Sequence[Any]]) -> float:
    """Amount owed under marginal rates: ``brackets`` are ``[upper_bound_or_none, rate]``.

    ``marginal(revenue, [[1e7, 0.03], [1e8, 0.015], [None, 0.01]])`` charges 3% of the first
    10 M, 1.5% of what lies between 10 M and 100 M, and 1% of the rest.
    """
    if not isinstance(amount, (int, float)):
        return float("nan")
    total, lower = 0.0, 0.0
    for upper, rate in brackets:
        top = amount if upper is None else min(amount, float(upper))
        if top > lower:
            total += (top - lower) * float(rate)
        if upper is None or amount <= float(upper):
            break
        lower = float(upper)
    return total


def _to_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def make_env() -> BoundedSandbox:
    """The expression environment with the helper functions rule authors may call."""
    env = BoundedSandbox(undefined=ChainableUndefined)
    for name in ("lipsum", "cycler", "joiner", "namespace"):  # nothing a rule needs
        env.globals.pop(name, None)
    env.globals.update(
        date=_to_date,
        marginal=marginal,
        add_months=lambda d, n: add_months(d, int(n)),
        add_days=lambda d, n: shift(d, int(n), "days"),
        min=min,
        max=max,
        abs=abs,
        round=round,
    )
    return env


_ENV = make_env()


@functools.lru_cache(maxsize=256)
def _parse(source: str) -> nodes.Template:
    """The expression's syntax tree (parsed once for all the checks below)."""
    return _ENV.parse("{{ (" + source + ") }}")


def check_safe(source: str, names: frozenset[str] | None = None) -> str | None:
    """Compile-time check: a message when ``source`` is not a valid, safe expression.

    ``names`` are the variables the expression may read (besides the helper functions);
    anything else (``open``, ``os``, a misspelt section) is an error when the pack loads.
    """
    try:
        tree = _parse(source)
    except TemplateSyntaxError as exc:
        return f"bad expression: {exc.message}"
    for node in tree.find_all((nodes.Getattr, nodes.Name, nodes.Const)):
        # Const catches item['__class__'] and attr('__globals__') as well as plain names
        name = getattr(node, "attr", None) or getattr(node, "name", None)
        if isinstance(node, nodes.Const):
            name = (
                node.value if isinstance(node.value, str) and node.value.startswith("__") else None
            )
        if isinstance(name, str) and name.startswith("_"):
            return f"expression may not use names starting with '_' ({name})"
    if names is not None:
        known = names | set(_ENV.globals)
        for name_node in tree.find_all(nodes.Name):
            if name_node.ctx == "load" and name_node.name not in known:
                choices = ", ".join(sorted(names))
                return f"unknown name '{name_node.name}' (expressions can read: {choices})"
    for node in tree.find_all((nodes.Filter, nodes.Test)):
        target = _ENV.filters if isinstance(node, nodes.Filter) else _ENV.tests
        if node.name not in target:
            kind = "filter" if isinstance(node, nodes.Filter) else "test"
            return f"unknown {kind} '{node.name}'"
    return None


def first_path(source: str) -> tuple[str, ...]:
    """The first dotted name an expression reads (``item.training`` -> ('item', 'training')).

    A failing expression points at that field in the unit file rather than at the top.
    """
    tree = _parse(source)
    for node in tree.find_all(nodes.Getattr):
        parts: list[str] = []
        cur: nodes.Node = node
        while isinstance(cur, nodes.Getattr):
            parts.insert(0, cur.attr)
            cur = cur.node
        if isinstance(cur, nodes.Name):
            return (cur.name, *parts)
    for name in tree.find_all(nodes.Name):
        return (name.name,)
    return ()


def compile_expression(source: str) -> Callable[[dict[str, Any]], Any]:
    """Compile a checked expression into a function of a variables mapping."""
    fn = _ENV.compile_expression(source, undefined_to_none=False)

    def run(variables: dict[str, Any]) -> Any:
        return fn(**variables)

    return run
