"""Paths into a unit's data: parsing ``a.b[2].c`` / ``$.a``, reading the value there, and
what counts as empty. Shared by the condition compiler and the engine.
"""

from __future__ import annotations

import re
from typing import Any

from compliance.loader import PathT


class RuleError(Exception):
    """A broken condition: message and path (inside the pack file) of the bad part."""

    def __init__(self, message: str, where: PathT) -> None:
        super().__init__(message)
        self.where = where


# The value of a path that leads nowhere (distinct from an explicit null)
MISSING: Any = object()
_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


_PARSED: dict[str, tuple[bool, PathT]] = {}  # a pack names the same paths again and again


def parse_path(text: str, where: PathT) -> tuple[bool, PathT]:
    """``'$.planning.funding'`` -> ``(True, ('planning', 'funding'))``."""
    done = _PARSED.get(text) if isinstance(text, str) else None
    if done is not None:
        return done
    done = _parse_path(text, where)
    if len(_PARSED) < 20_000:  # bounded: the paths of the packs loaded, not of unit data
        _PARSED[text] = done
    return done


def _parse_path(text: str, where: PathT) -> tuple[bool, PathT]:
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
    """Value at ``parts`` below ``node``, or ``MISSING``."""
    for p in parts:
        if isinstance(p, int):
            if not isinstance(node, list) or p >= len(node):
                return MISSING
            node = node[p]
        else:
            if not isinstance(node, dict):
                return MISSING
            node = node.get(p, MISSING)
            if node is MISSING:
                return MISSING
    return node


def is_empty(value: Any) -> bool:
    """Missing, null, blank text or an empty list or mapping."""
    if value is MISSING or value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, (list, dict)) and not value
