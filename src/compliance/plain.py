"""Small value classes of the check path, written out instead of made by :mod:`dataclasses`.

A ``@dataclass`` writes and compiles its ``__init__``, ``__repr__`` and ``__eq__`` when its
module is imported: the dozen records a ``check`` imports (rules, findings, documents...)
took several milliseconds of a one-unit check that way. These classes write their
``__init__`` by hand and get equality and a repr like a dataclass's from :class:`Plain`, over
the attribute names in ``_fields``.
"""

from __future__ import annotations

from typing import Any, ClassVar


class Plain:
    """Equality and repr over ``_fields``, as a dataclass with those fields has them: equal
    when of the same class with equal fields; unhashable (equal but mutable values)."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()

    # defining __eq__ leaves the class (and its subclasses) with __hash__ None, as a dataclass

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return _values(self) == _values(other)

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{self.__class__.__qualname__}({inner})"


def _values(obj: Any) -> tuple[Any, ...]:
    return tuple(getattr(obj, name) for name in obj._fields)
