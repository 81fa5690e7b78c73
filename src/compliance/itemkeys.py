"""What names a list item to findings, waivers and fingerprints, and items sharing a name.

An item is named by the rule's ``key`` field, else by a usual key field (``id``, ``post``,
``name``...), else by its position (``#3``) in messages; its fingerprint identity never uses
the position (see :func:`item_identities`).
"""

from __future__ import annotations

from typing import Any

from compliance.diagnostics import Diagnostic
from compliance.findings import Finding, content_identity, fingerprint
from compliance.loader import Document, PathT, format_path
from compliance.paths import MISSING, get
from compliance.rulemessages import show
from compliance.rulepack import Rule

_KEY_FIELDS = ("id", "post", "name", "title", "holder")


def item_key(rule: Rule, item: Any, index: int) -> str:
    """What names an item: the rule's ``key`` field, a usual key field, or its position."""
    return _named_key(rule, item) or f"#{index + 1}"


def _named_key(rule: Rule, item: Any) -> str | None:
    if rule.key is not None:
        value = get(item, rule.key)
        if value is not MISSING and value is not None:
            return show(value, "en")
    if isinstance(item, dict):
        for name in _KEY_FIELDS:
            value = item.get(name)
            if isinstance(value, str) and value.strip():
                return value
    return None


def item_identities(rule: Rule, items: list[Any]) -> list[str]:
    """What each item's fingerprint is made from, independent of the item's position.

    A named key as such; an item without one, a digest of its content (its position ``#3``
    would change when an item is added before it); a key used by several items gets its
    occurrence number after the first (``HD-01``, ``HD-01\x1f2``), so no two findings share
    a fingerprint.
    """
    out: list[str] = []
    seen: dict[str, int] = {}
    for item in items:
        ident = _named_key(rule, item)
        if ident is None:
            ident = content_identity(item)
        n = seen[ident] = seen.get(ident, 0) + 1
        out.append(ident if n == 1 else f"{ident}\x1f{n}")
    return out


def _key_field(rule: Rule, item: Any) -> PathT | None:
    """The field that gave an item its key (``None`` for a positional key)."""
    if rule.key is not None and get(item, rule.key) not in (MISSING, None):
        return tuple(rule.key)
    if isinstance(item, dict):
        for name in _KEY_FIELDS:
            value = item.get(name)
            if isinstance(value, str) and value.strip():
                return (name,)
    return None


def duplicate_keys(doc: Document, rule: Rule, reported: set[PathT]) -> list[Diagnostic]:
    """Items of a ``for_each`` list that share a key: an error naming both lines.

    Findings, waivers and fingerprints name an item by its key; two hidden dangers both
    numbered ``HD-017`` would otherwise be one item to a waiver and one fingerprint twice.
    ``reported`` holds the items already diagnosed (several rules walk the same list).
    """
    if rule.for_each is None:
        return []
    parts = rule.for_each[1]
    items = get(doc.data, parts)
    if not isinstance(items, list):
        return []
    first: dict[str, int] = {}
    problems = []
    for i, item in enumerate(items):
        field = _key_field(rule, item)
        if field is None:
            continue
        key = item_key(rule, item, i)
        if key not in first:
            first[key] = i
            continue
        path = (*parts, i, *field)
        if path in reported:
            continue
        reported.add(path)
        other = (*parts, first[key], *field)
        line = doc.locate(other)[0]
        name = format_path(field)
        problems.append(
            doc.problem(
                path,
                f"{format_path(path)}: '{key}' is already the {name} of "
                f"{format_path((*parts, first[key]))} (line {line}); give each item its own "
                f"{name}: findings, waivers and fingerprints name items by it",
            )
        )
    return problems


def unique_fingerprints(unit: str, findings: list[Finding]) -> None:
    """Make repeated fingerprints (items with the same key) distinct, in file order."""
    seen: dict[str, int] = {}
    for f in findings:
        n = seen[f.fingerprint] = seen.get(f.fingerprint, 0) + 1
        if n > 1:
            f.fingerprint = fingerprint(unit, f.rule, f"{f.item or ''}\x1e{n}")
