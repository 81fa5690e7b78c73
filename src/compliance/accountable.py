"""Who answers for rectifying a finding, and what the unit file already says about it.

A rectification plan names the accountable manager (责任人): the department head or post
holder responsible for the item, found in the unit's own organisation. Never the worker whose
certificate lapsed, nor the contractor whose agreement expired: they are the object of the
finding, not the manager who must close it. In order:

1. the item's own manager fields (a hidden danger's ``owner``, an inspection's ``led_by``...);
2. the post (then the leader) whose written safety scope covers the kind of item (training
   for certificates, outsourcing for contractors, emergencies for emergency plans...);
3. the head of the safety department, the safety contact, the principal person.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:  # the result types cost start-up time to build; only mypy needs them
    from compliance.result import Plan


# Fields that name the manager of an item. ``name`` is not one: on a certificate or a
# contractor it names the object of the finding.
_MANAGER_FIELDS = ("owner", "head", "chair", "led_by")
# Who answers for an item in a finding, in order of preference (hazard owner, post holder,
# task owner...)
_OWNER_FIELDS = ("owner", "responsible", "head", "chair", "led_by", "name")
# What a responsible post's written scope says when it covers a kind of item (Chinese and
# English words, as units write them); keyed by the item's place in the unit file.
_TOPICS: dict[str, tuple[str, ...]] = {
    "quality.special_operations": ("特种作业", "培训", "special operation", "training"),
    "quality": ("培训", "training"),
    "rule_of_law.contractors": ("外包", "承包", "contractor", "outsourc"),
    "rule_of_law.violations": ("违章", "安全监督", "violation", "supervision"),
    "rule_of_law.inspections": ("安全监督", "监督检查", "inspection", "supervision"),
    "rule_of_law": ("法律法规", "规程制度", "legal", "regulation"),
    "planning.emergency_plans": ("应急", "emergency"),
    "planning.funding": ("安全生产费用", "安全投入", "费用", "funding", "cost"),
    "planning": ("安全生产计划", "规划", "plan"),
    "standards.operating_procedures": ("规程", "procedure"),
    "standards": ("两票", "标准化", "ticket", "standardi"),
    "responsibility": ("责任制", "responsibility system"),
    "concepts": ("安全文化", "宣传", "culture"),
    "risks": ("双重预防", "隐患", "风险", "hidden danger", "risk"),
}
_DUE_FIELDS = ("deadline", "due")
_DONE = ("closed", "done")
_FACTS = ("measures", "funds_cny", "contingency_plan")
_NOT_A_PERSON = re.compile(r"[0-9、,，;；]|共|等|人$")


def _person(value: Any) -> str | None:
    """A name if ``value`` names one person (not '集控运行五个值共 120 人')."""
    if not isinstance(value, str) or not value.strip() or _NOT_A_PERSON.search(value):
        return None
    return value.strip()


class _Organisation:
    """A unit's people, posts and written scopes, indexed once per unit (a unit with
    thousands of posts and findings would otherwise be scanned once per finding)."""

    def __init__(self, root: dict[str, Any]) -> None:
        resp = root.get("responsibility") or {}
        meta = root.get("unit") or {}
        self.posts: dict[str, str] = {}
        self.scopes: list[tuple[str, str]] = []  # (person, scope in lower case)
        # posts first, then leaders: a person's first post named wins
        for key, name, scope in (
            ("posts", "responsible", "scope"),
            ("leaders", "name", "safety_scope"),
        ):
            for entry in resp.get(key) or []:
                who = _person(entry.get(name))
                if who and entry.get("post"):
                    self.posts.setdefault(who, str(entry["post"]))
                if who and isinstance(entry.get(scope), str):
                    self.scopes.append((who, entry[scope].lower()))
        for key in ("principal", "safety_contact"):
            person = meta.get(key) or {}
            if person.get("name") and person.get("post"):
                self.posts.setdefault(str(person["name"]), str(person["post"]))
        dept = resp.get("safety_department") or {}
        if dept.get("head") and dept.get("name"):
            self.posts.setdefault(str(dept["head"]), str(dept["name"]))
        self.by_topic: dict[tuple[str, ...], str | None] = {}

    def covering(self, words: tuple[str, ...]) -> str | None:
        """The first post holder (then leader) whose scope names one of ``words``."""
        if words not in self.by_topic:
            self.by_topic[words] = next(
                (who for word in words for who, scope in self.scopes if word.lower() in scope),
                None,
            )
        return self.by_topic[words]


_LAST: list[tuple[dict[str, Any], _Organisation]] = []  # the unit being evaluated


def _organisation(root: dict[str, Any]) -> _Organisation:
    if not _LAST or _LAST[0][0] is not root:
        _LAST[:] = [(root, _Organisation(root))]
    return _LAST[0][1]


def _topic(path: str) -> tuple[str, ...]:
    """The scope words for an item at ``path`` (``quality.special_operations[3].expires``)."""
    plain = re.sub(r"\[\d+\]", "", path)
    best = ""
    for prefix in _TOPICS:
        if (plain == prefix or plain.startswith(prefix + ".")) and len(prefix) > len(best):
            best = prefix
    return _TOPICS.get(best, ())


def accountable(root: dict[str, Any], item: Any, path: str) -> tuple[str | None, str | None]:
    """(name, post) of the manager who answers for the finding at ``path``."""
    name: str | None = None
    if isinstance(item, dict):
        for field in _MANAGER_FIELDS:
            name = _person(item.get(field))
            if name:
                break
    org = _organisation(root)
    if name is None:
        name = org.covering(_topic(path))
    if name is None:
        resp = root.get("responsibility") or {}
        meta = root.get("unit") or {}
        for value in (
            (resp.get("safety_department") or {}).get("head"),
            (meta.get("safety_contact") or {}).get("name"),
            (meta.get("principal") or {}).get("name"),
        ):
            name = _person(value)
            if name:
                break
    if name is None:
        return None, None
    post = org.posts.get(name)
    if post is None and "（" in name:  # '周立军（总经理）'
        name, _, rest = name.partition("（")
        post = rest.rstrip("）") or None
    return name, post


def plan_facts(root: dict[str, Any], item: Any, path: str, stop_work: bool, as_of: dt.date) -> Plan:
    """What the rectification plan needs about one finding, as the JSON record's ``plan``."""
    name, post = accountable(root, item, path)
    facts: dict[str, Any] = {"responsible": name, "post": post, "stop_work": stop_work}
    due = None
    if isinstance(item, dict):
        for field in _DUE_FIELDS:
            if isinstance(item.get(field), dt.date):
                due = item[field]
                break
        for field in _FACTS:
            if item.get(field) not in (None, ""):
                facts[field] = item[field]
    done = isinstance(item, dict) and (
        item.get("status") in _DONE or any(item.get(f) for f in ("closed_on", "completed_on"))
    )
    facts["due"] = due.isoformat() if due else None
    facts["overdue"] = bool(due and due < as_of and not done)
    return cast("Plan", facts)  # keys in the JSON order: measures... before due


def responsible_for(root: dict[str, Any], item: Any) -> str | None:
    """The person who answers for a finding: the item's owner if it names one, else the
    unit's safety contact, else its principal person in charge."""
    if isinstance(item, dict):
        for name in _OWNER_FIELDS:
            value = item.get(name)
            if isinstance(value, str) and value.strip():
                return value
    meta = root.get("unit", {})
    for who in ("safety_contact", "principal"):
        person = meta.get(who) or {}
        if person.get("name"):
            return str(person["name"])
    return None
