"""Size and step limits for sandboxed expressions and templates.

Jinja2's sandbox stops attribute walks but not work: ``'x'|center(10**9)``, ``'%0999999999d'
% 1``, ``'a'|replace('', 'b' * 99999)`` or two nested loops over ``range(100000)`` each cost
gigabytes or hours, and rule packs and templates are shared between plants. This module
checks, before the value is built, every operation whose result size an argument controls,
checks the size of every value filters, methods, ``~`` and ``+`` return, and counts the
steps (calls and loop iterations) of one evaluation. Going over a limit raises Jinja2's
``SecurityError``: a broken rule or template, reported as such, never a finding.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sized
from typing import Any

from jinja2.exceptions import SecurityError

MAX_RESULT = 100_000  # largest string, list or number of digits * and ** may build
MAX_VALUE = 1_000_000  # largest string or list a filter, method, ~ or + may build
MAX_BITS = 400_000  # largest integer (about 120,000 digits)
MAX_STEPS = 1_000_000  # calls and loop iterations in one document or expression
MAX_OUTPUT = 50_000_000  # characters of one rendered document (the largest real ones: ~10 M)


class Budget:
    """The steps left for the current evaluation (one document, one expression)."""

    def __init__(self) -> None:
        self.left = MAX_STEPS

    def reset(self, steps: int = MAX_STEPS) -> None:
        """Start a new evaluation with ``steps`` steps."""
        self.left = steps

    def charge(self, n: int = 1) -> None:
        """Spend ``n`` steps; refuse when none are left."""
        self.left -= n
        if self.left < 0:
            raise SecurityError(
                f"too much work: more than {MAX_STEPS:,} calls and loop iterations "
                "(an endless loop or recursion?)"
            )

    @staticmethod
    def join(pieces: Iterable[str]) -> str:
        """A template's output (or a macro's, a block's), refused when too long."""
        out: list[str] = []
        total = 0
        for piece in pieces:
            total += len(piece)
            if total > MAX_OUTPUT:
                exc = SecurityError(f"output too large (more than {MAX_OUTPUT:,} characters)")
                _locate(exc, pieces)
                raise exc
            out.append(piece)
        return "".join(out)

    def iterate(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """The items of a ``for`` loop, one step each."""
        for item in iterable:
            self.charge()
            yield item


def _locate(exc: SecurityError, pieces: Iterable[str]) -> None:
    """Give ``exc`` the template file and line where output was being made.

    The limit is noticed where the output is joined, outside the template's own frames,
    so the position is read from the paused generator (the innermost block or macro).
    """
    frame = getattr(pieces, "gi_frame", None)
    inner = getattr(pieces, "gi_yieldfrom", None)
    while inner is not None and getattr(inner, "gi_frame", None) is not None:
        frame, inner = inner.gi_frame, getattr(inner, "gi_yieldfrom", None)
    template = frame.f_globals.get("__jinja_template__") if frame is not None else None
    if frame is not None and template is not None and template.filename:
        exc.filename = template.filename  # type: ignore[attr-defined]
        exc.lineno = template.get_corresponding_lineno(frame.f_lineno)  # type: ignore[attr-defined]


def size(value: Any) -> int:
    """Characters of a string, items of a list: what a limit is measured in."""
    if isinstance(value, int) and not isinstance(value, bool):
        return 0  # integers have their own bound (bits)
    return len(value) if isinstance(value, (str, list, tuple, dict, set, Sized)) else 0


def check_size(value: Any, what: str = "value") -> Any:
    """``value`` unchanged, unless it is larger than the limit."""
    if isinstance(value, int) and not isinstance(value, bool):
        if value.bit_length() > MAX_BITS:
            raise SecurityError(f"{what}: number too large")
        return value
    if size(value) > MAX_VALUE:
        raise SecurityError(f"{what}: result too large (more than {MAX_VALUE:,} characters)")
    return value


def _refuse_over(n: Any, what: str) -> None:
    if isinstance(n, (int, float)) and n > MAX_VALUE:
        raise SecurityError(f"{what}: result too large (more than {MAX_VALUE:,} characters)")


def _text_len(value: Any) -> int:
    return len(value) if isinstance(value, str) else len(str(value))


# -- printf-style and str.format specifications -----------------------------------------
_PRINTF = re.compile(r"%[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")
# compiled on first use (re's cache): few expressions call str.format
_FORMAT_FIELD = r"\{[^{}]*\{|\{[^{}]*:([^{}]*)\}"
_DIGITS = r"\d+"


def check_printf(fmt: Any, args: Any) -> None:
    """Refuse ``fmt % args`` when a width or precision would build a huge string."""
    if not isinstance(fmt, str):
        return
    star = False
    for m in _PRINTF.finditer(fmt):
        for part in m.groups():
            if part == "*":
                star = True
            elif part is not None:
                _refuse_over(int(part), "format")
    if star:
        for arg in args if isinstance(args, tuple) else (args,):
            if isinstance(arg, int):
                _refuse_over(abs(arg), "format")


def check_str_format(fmt: str) -> None:
    """Refuse ``fmt.format(...)`` with a huge width or a width taken from the data."""
    for m in re.finditer(_FORMAT_FIELD, fmt):
        if m.group(1) is None:
            raise SecurityError("format: nested replacement fields are not allowed")
        for digits in re.findall(_DIGITS, m.group(1)):
            _refuse_over(int(digits), "format")


# -- str methods called from sandboxed code ----------------------------------------------
def check_method(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """Refuse a ``str`` method call whose result would exceed the limit.

    Returns the arguments to call with (an iterator given to ``join`` is read into a list
    first, so that its size is known).
    """
    target = getattr(obj, "__self__", None)
    if not isinstance(target, str):
        return args
    name = getattr(obj, "__name__", "")
    first = args[0] if args else None
    if name in ("center", "ljust", "rjust", "zfill"):
        _refuse_over(first, name)
    elif name == "expandtabs":
        tab = first if isinstance(first, int) else kwargs.get("tabsize", 8)
        _refuse_over(len(target) + target.count("\t") * max(int(tab), 0), name)
    elif name == "replace" and len(args) >= 2:
        _refuse_over(_replace_size(target, args[0], args[1], args[2:]), name)
    elif name == "join" and args:
        items: list[Any] = list(first) if isinstance(first, Iterable) else []
        args = (items, *args[1:])
        _refuse_over(sum(_text_len(i) for i in items) + len(target) * len(items), name)
    return args


def _replace_size(s: str, old: Any, new: Any, count: Any) -> int:
    old, new = str(old), str(new)
    hits = len(s) + 1 if old == "" else s.count(old)
    if count and isinstance(count[0], int) and count[0] >= 0:
        hits = min(hits, count[0])
    return len(s) + hits * max(len(new) - len(old), 0)


# -- filters -------------------------------------------------------------------------------
def _pre_checks() -> dict[str, Callable[..., None]]:
    """Checks made before the filter runs, given the filter's own arguments (no context)."""

    def center(value: Any, width: Any = 80, *_: Any, **__: Any) -> None:
        _refuse_over(width, "center")

    def indent(value: Any, width: Any = 4, first: Any = False, blank: Any = False) -> None:
        unit = len(width) if isinstance(width, str) else width
        if isinstance(unit, int):
            lines = str(value).count("\n") + 1
            _refuse_over(_text_len(value) + lines * unit, "indent")

    def format_(value: Any, *args: Any, **kwargs: Any) -> None:
        check_printf(value, args or kwargs)

    def replace(s: Any, old: Any = "", new: Any = "", count: Any = None) -> None:
        _refuse_over(_replace_size(str(s), old, new, (count,)), "replace")

    def batch(value: Any, linecount: Any = 1, fill_with: Any = None) -> None:
        _refuse_over(linecount, "batch")

    def slice_(value: Any, slices: Any = 1, fill_with: Any = None) -> None:
        _refuse_over(slices, "slice")

    def join(value: Any, d: Any = "", attribute: Any = None) -> None:
        if isinstance(value, Sized):
            _refuse_over(len(value) * _text_len(d), "join")

    def wordwrap(
        s: Any,
        width: Any = 79,
        break_long_words: Any = True,
        wrapstring: Any = None,
        break_on_hyphens: Any = True,
    ) -> None:
        if isinstance(width, int) and width < 1:
            raise SecurityError("wordwrap: width must be at least 1")
        extra = _text_len(wrapstring) if wrapstring is not None else 1
        lines = _text_len(s) // max(int(width), 1) + str(s).count(" ") + 1
        _refuse_over(_text_len(s) + lines * extra, "wordwrap")

    return {
        "center": center,
        "indent": indent,
        "format": format_,
        "replace": replace,
        "batch": batch,
        "slice": slice_,
        "join": join,
        "wordwrap": wordwrap,
    }


_PRE = _pre_checks()


def bound_filter(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` with its result size checked, and its arguments first for the risky ones."""
    from jinja2.utils import _PassArg

    pre = _PRE.get(name)
    skip = 1 if _PassArg.from_obj(fn) is not None else 0  # context, eval context, environment

    @functools.wraps(fn)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        if name == "join" and len(args) > skip and not isinstance(args[skip], (Sized, str)):
            args = (*args[:skip], list(args[skip]), *args[skip + 1 :])  # size known first
        if pre is not None:
            pre(*args[skip:], **kwargs)
        return check_size(fn(*args, **kwargs), name)

    return bounded
