"""One view of a JSON Schema: following local ``$ref`` links and walking a data path.

The validator (``schema.py``), the condition compiler and the schema-driven helpers share
:func:`resolve_ref`, so there is one resolver of ``$ref`` in the code base.
"""

from __future__ import annotations

from typing import Any

from compliance.loader import PathT
from compliance.paths import RuleError


def resolve_ref(root: dict[str, Any], node: Any) -> Any:
    """Follow local ``$ref`` links (``#/$defs/...``) from ``node`` within ``root``."""
    while isinstance(node, dict) and "$ref" in node:
        ref = str(node["$ref"])
        if not ref.startswith("#/"):
            raise ValueError(f"only local $ref is supported: {ref}")
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part]
        node = target
    return node


class SchemaView:
    """Answers what the unit schema says about a path, for compile-time checks."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.root = schema
        # (id of start, parts) -> (start, schema): a pack walks the same paths many times;
        # start is kept so that its id cannot be reused by another dict
        self._walked: dict[tuple[int, PathT], tuple[dict[str, Any], dict[str, Any]]] = {}

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        """Follow ``$ref`` links."""
        resolved: dict[str, Any] = resolve_ref(self.root, node)
        return resolved

    def walk(self, start: dict[str, Any], parts: PathT, text: str, where: PathT) -> dict[str, Any]:
        """Schema of ``parts`` below ``start``; an error naming the unknown key otherwise."""
        known = self._walked.get((id(start), parts))
        if known is not None and known[0] is start:
            return known[1]
        node = self._walk(start, parts, text, where)
        self._walked[(id(start), parts)] = (start, node)
        return node

    def _walk(self, start: dict[str, Any], parts: PathT, text: str, where: PathT) -> dict[str, Any]:
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
                from compliance.schema import close_matches  # schema.py imports this module

                hint = close_matches(str(p), list(props), 1, 0.6)
                tip = f"; did you mean '{hint[0]}'?" if hint else ""
                raise RuleError(f"unknown field '{p}' in path '{text}'{tip}", where)
            node = self.resolve(props[p])
        return node
