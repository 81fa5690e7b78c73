"""Sandboxed expressions for what the declarative conditions cannot say.

Expressions are Jinja2 expressions (``item.training | selectattr('kind', 'eq', 'pre_job') |
sum(attribute='hours') >= 24``) compiled in Jinja2's ``ImmutableSandboxedEnvironment``. Why
Jinja2: it is already a dependency for the templates, so rule authors learn one syntax; its
sandbox is maintained by the Pallets project for exactly this use (untrusted templates); and
it compiles each expression once into Python code, so evaluating thousands of units is fast.

On top of the sandbox this module refuses, at compile time, any name or attribute starting
with ``_`` (no ``__class__``/``__globals__`` walks), and bounds the size of the values that
operators, filters and methods can build and the work of one evaluation (the sandbox itself
does not stop ``'a' * 10**8`` or ``'x'|center(10**9)``; see :mod:`compliance.bounds`).
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Callable, Sequence
from types import CodeType
from typing import Any

from jinja2 import ChainableUndefined, TemplateSyntaxError, nodes
from jinja2.environment import TemplateExpression
from jinja2.exceptions import SecurityError
from jinja2.parser import Parser
from jinja2.runtime import Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment

from compliance import compilecache
from compliance.bounds import (
    MAX_BITS,
    MAX_RESULT,
    Budget,
    bound_filter,
    check_method,
    check_printf,
    check_size,
    check_str_format,
)
from compliance.dates import add_months, shift

__all__ = ["MAX_RESULT", "BoundedSandbox", "check_safe", "compile_expression", "first_path"]


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The sandbox, with the size of built values and the work of one evaluation bounded.

    See :mod:`compliance.bounds`: ``*``, ``**``, ``+``, ``%``, ``~``, the filters, ``str``
    methods and ``str.format`` cannot build huge values, and every call and loop iteration
    costs a step of ``budget`` (reset for each document or expression).
    """

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.budget = Budget()
        self.filters = {name: bound_filter(name, fn) for name, fn in self.filters.items()}

    def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
        if operator_ == "**":
            if isinstance(right, (int, float)) and abs(right) > 64:
                raise SecurityError("exponent too large")
            big = isinstance(left, int) and isinstance(right, int) and right > 0
            if big and left.bit_length() * right > MAX_BITS:
                raise SecurityError("number too large")
            return operator.pow(left, right)
        if operator_ == "+":
            return check_size(operator.add(left, right), "+")
        if operator_ == "%":
            if isinstance(left, str):
                check_printf(left, right)
                return check_size(operator.mod(left, right), "%")
            return operator.mod(left, right)
        if isinstance(left, (str, list, tuple)) or isinstance(right, (str, list, tuple)):
            seq, n = (left, right) if isinstance(left, (str, list, tuple)) else (right, left)
            if isinstance(n, int) and len(seq) * n > MAX_RESULT:
                raise SecurityError("result too large")
        ints = isinstance(left, int) and isinstance(right, int)
        if ints and left.bit_length() + right.bit_length() > MAX_BITS:
            raise SecurityError("number too large")
        return operator.mul(left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Every call costs a step; ``str`` methods cannot build huge values."""
        __self.budget.charge()
        args = check_method(__obj, args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        if isinstance(__obj, Macro):  # a macro's output is the document itself: no limit
            return result
        return check_size(result, getattr(__obj, "__name__", "call"))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """``'...'.format(...)``: no width from the data, no huge width, a bounded result."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        fmt = value.__self__
        inner = wrapped

        def checked(*args: Any, **kwargs: Any) -> str:
            check_str_format(str(fmt))
            result: str = check_size(inner(*args, **kwargs), "format")
            return result

        return checked

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """The syntax tree, with every loop counted and every ``~`` bounded."""
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Call(
                nodes.EnvironmentAttribute("guard_loop", lineno=loop.lineno),
                [loop.iter],
                [],
                None,
                None,
                lineno=loop.lineno,
            )
        for concat in list(tree.find_all(nodes.Concat)):
            copy = nodes.Concat(concat.nodes, lineno=concat.lineno)
            guarded = nodes.Call(
                nodes.EnvironmentAttribute("guard_size", lineno=concat.lineno),
                [copy],
                [],
                None,
                None,
                lineno=concat.lineno,
            )
            _replace_node(tree, concat, guarded)
        return tree

    def concat(self, pieces: Any) -> str:
        """Join the pieces of a template's output, refusing one too long (see Budget.join)."""
        return Budget.join(pieces)

    def guard_loop(self, iterable: Any) -> Any:
        """The items of a ``for`` loop, one step each."""
        return self.budget.iterate(iterable)

    @staticmethod
    def guard_size(value: Any) -> Any:
        """A value built with ``~``, refused when too large."""
        return check_size(value, "~")


def _replace_node(tree: nodes.Node, old: nodes.Node, new: nodes.Node) -> None:
    """Put ``new`` where ``old`` is in ``tree`` (fields and lists of fields)."""
    for parent in tree.find_all(nodes.Node):
        for field in parent.fields:
            value = getattr(parent, field, None)
            if value is old:
                setattr(parent, field, new)
                return
            if isinstance(value, list):
                for i, child in enumerate(value):
                    if child is old:
                        value[i] = new
                        return


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
    A source that passed with the same names before is found in the compile cache.
    """
    store = compilecache.active()
    checked = "\x1f".join(sorted(names)) if names is not None else None
    if store is not None and checked is not None and store.get("safe", source) == checked:
        return None
    problem = _check_safe(source, names)
    if store is not None and checked is not None and problem is None:
        store.put("safe", source, checked)
    return problem


def _check_safe(source: str, names: frozenset[str] | None) -> str | None:
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
    return compilecache.remembered("path", source, lambda: _first_path(source))


def _first_path(source: str) -> tuple[str, ...]:
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
    """Compile a checked expression into a function of a variables mapping.

    The Python code Jinja2 generates for it comes from the compile cache when an earlier run
    made it (parsing and generating are most of the time a pack takes to load)."""
    code = compilecache.remembered("code", source, lambda: expression_code(source))
    # what Environment.compile_expression does after compiling (undefined stays undefined)
    template = _ENV.template_class.from_code(_ENV, code, _ENV.make_globals(None), None)
    fn = TemplateExpression(template, undefined_to_none=False)

    def run(variables: dict[str, Any]) -> Any:
        _ENV.budget.reset()
        return fn(**variables)

    return run


def expression_code(source: str) -> CodeType:
    """The Python code of an expression, as ``Environment.compile_expression`` makes it: the
    expression parsed alone, assigned to ``result`` in a template of one statement."""
    parser = Parser(_ENV, source, state="variable")
    try:
        expr = parser.parse_expression()
        if not parser.stream.eos:
            raise TemplateSyntaxError(
                "chunk after expression", parser.stream.current.lineno, None, None
            )
        expr.set_environment(_ENV)
    except TemplateSyntaxError:
        _ENV.handle_exception(source=source)
    body = [nodes.Assign(nodes.Name("result", "store"), expr, lineno=1)]
    return _ENV.compile(nodes.Template(body, lineno=1))
