"""The ``expr`` condition: a sandboxed Jinja2 expression over the unit, and its ``quote``.

``{expr: "planning.funding.extracted_cny >= planning.funding.revenue_cny * 0.015",
quote: "planning.funding.revenue_cny * 0.015"}``: the expression is checked for what it may
read when the pack loads (:func:`compliance.expressions.check_safe`) and compiled once; a
failure points at the first field it reads and quotes the ``quote`` value as ``{actual}``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from jinja2.exceptions import SecurityError

from compliance.checks import Check, Context, Failure, RuleRefused
from compliance.expressions import check_safe, compile_expression, first_path
from compliance.loader import PathT
from compliance.paths import RuleError
from compliance.schemaview import SchemaView


def compile_expr(schema: SchemaView, cond: dict[str, Any], where: PathT) -> Check:
    """Compile ``{expr: ..., quote: ...}`` found at ``where`` in the pack."""
    source = cond["expr"]
    if not isinstance(source, str):
        raise RuleError("'expr' takes an expression as text", (*where, "expr"))
    readable = frozenset(schema.root.get("properties", {})) | {"item", "as_of"}
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
    elif read and read[0] in schema.root.get("properties", {}):
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
