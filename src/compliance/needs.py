"""Which data a rule cannot be assessed without, derived from its conditions.

"No pass without evidence": a rule whose conditions would pass only because the data they
read is not in the unit file (an absent ``special_operations`` list makes "every worker is
certified" vacuously true; a misspelt section is dropped with a warning and is then absent)
must not count as passed. The engine marks such a rule ``not_assessed`` instead.

The needed data are derived from the raw conditions (before compiling), as paths from the top
of the unit file, following what each operator does with missing data:

- ``for_each``, ``every``, ``count``, ``sum`` over a list: the list (missing, they pass);
- ``absent: X.y`` and anything under ``not``: the parent of the field (the section that would
  have recorded it), since "not there" passes only if the section was filled in at all;
- ``present``, ``field`` and ``some`` fail on missing data by themselves: nothing;
- ``all``: every branch's needs; ``any``: only what every branch needs (one branch may pass
  on data that is there); ``expr``: nothing (say it with ``needs:``).

Paths relative to an item (inside ``for_each``, ``every``...) are not needs: the item exists.
A rule may give ``needs: [PATH, ...]`` to replace the derived list (``needs: []``: none).

A ``when: {present: P}`` where P is a list the rule needs was written as a guard against
missing data, not as an applicability condition; :func:`drop_guards` removes it, so a missing
list makes the rule "not assessed" rather than "not applicable". (A guard on a section that
holds the list, such as ``present: responsibility.safety_committee`` for its meetings, stays:
no committee is another rule's finding, and this one does not apply.)

The engine evaluates the rule as usual: a failure stays a failure (absent data that makes a
rule fail is a finding); only a rule that would pass while a needed path is missing becomes
``not_assessed``.
"""

from __future__ import annotations

from typing import Any

from compliance.loader import PathT
from compliance.paths import RuleError, parse_path

_LIST_OPS = ("every", "count", "sum")


def _root_path(text: Any, in_item: bool) -> PathT | None:
    """The path ``text`` names from the top of the unit, or None for an item-relative path."""
    try:
        from_root, parts = parse_path(text, ())
    except RuleError:
        return None
    if in_item and not from_root:
        return None
    return parts


def _reads(cond: Any, in_item: bool) -> list[PathT]:
    """Every root path a condition reads directly (for ``not``), item scopes excluded."""
    out: list[PathT] = []
    if not isinstance(cond, dict):
        return out
    for op in ("present", "absent", "field", *_LIST_OPS, "some"):
        if op in cond:
            path = _root_path(cond[op], in_item)
            if path is not None:
                out.append(path)
    for op in ("all", "any"):
        subs = cond.get(op)
        if isinstance(subs, list):
            for sub in subs:
                out += _reads(sub, in_item)
    if "not" in cond:
        out += _reads(cond["not"], in_item)
    return out


def condition_needs(cond: Any, in_item: bool) -> list[PathT]:
    """Root paths whose absence could make ``cond`` hold without evidence."""
    if not isinstance(cond, dict):
        return []
    for op in _LIST_OPS:
        if op in cond:
            path = _root_path(cond[op], in_item)
            return [path] if path is not None else []
    if "absent" in cond:
        path = _root_path(cond["absent"], in_item)
        return [path[:-1]] if path is not None and len(path) > 1 else []
    if "not" in cond:
        return [p[:-1] for p in _reads(cond["not"], in_item) if len(p) > 1]
    if isinstance(cond.get("all"), list):
        return [p for sub in cond["all"] for p in condition_needs(sub, in_item)]
    if isinstance(cond.get("any"), list) and cond["any"]:
        branches = [set(condition_needs(sub, in_item)) for sub in cond["any"]]
        common = set.intersection(*branches)
        return [p for p in condition_needs(cond["any"][0], in_item) if p in common]
    return []


def derive_needs(raw: dict[str, Any]) -> tuple[PathT, ...]:
    """The needed data of a raw rule: its ``for_each`` list and what ``require`` needs."""
    needs: list[PathT] = []
    in_item = "for_each" in raw
    if in_item:
        path = _root_path(raw["for_each"], False)
        if path is not None:
            needs.append(path)
    needs += condition_needs(raw.get("require"), in_item)
    # keep the deepest paths: 'quality.special_operations' says more than 'quality'
    unique = list(dict.fromkeys(p for p in needs if p))
    return tuple(p for p in unique if not any(q != p and q[: len(p)] == p for q in unique))


def drop_guards(when: Any, needs: tuple[PathT, ...]) -> Any:
    """``when`` without the ``present`` guards on needed data (None when nothing is left)."""
    if not isinstance(when, dict) or not needs:
        return when
    if set(when) == {"present"}:
        path = _root_path(when["present"], False)
        return None if path in needs else when
    if set(when) == {"all"} and isinstance(when["all"], list):
        kept = [c for c in when["all"] if drop_guards(c, needs) is not None]
        if not kept:
            return None
        return when if len(kept) == len(when["all"]) else {"all": kept}
    return when
