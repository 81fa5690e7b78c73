"""What a compiled rule pack is: the rules with their texts, conditions and extras.

:mod:`compliance.rulepack` builds these from the pack files; the engine, the scores, the
verdicts and the rule commands read them. Texts are held in every language of
:data:`compliance.names.LANGS` (:func:`i18n` fills a missing one from English).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from compliance.checks import Check
from compliance.diagnostics import Diagnostic
from compliance.loader import PathT, format_path
from compliance.names import LANGS
from compliance.rulekeys import Penalty


def i18n(value: Any) -> dict[str, str]:
    """``'text'`` or ``{en: .., zh: ..}`` -> a dict with both languages filled."""
    if isinstance(value, dict):
        texts = {k: str(v) for k, v in value.items() if v}
    else:
        texts = {"en": str(value)} if value else {}
    fallback = texts.get("en") or next(iter(texts.values()), "")
    return {lang: texts.get(lang, fallback) for lang in LANGS}


@dataclass
class Message:
    """A message template with ``{item.post}``-style placeholders, checked at load time."""

    texts: dict[str, str]
    fields: dict[str, tuple[str, PathT]]  # placeholder -> (scope, parts)
    # placeholder -> the Chinese labels of its field's codes (schema ``x-enum-zh``)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class Rule:
    """One compiled rule with its texts and where it was written."""

    id: str
    area: str
    severity: str
    title: dict[str, str]
    basis: dict[str, str]
    rationale: dict[str, str]
    remediation: dict[str, str]
    message: Message
    require: Check
    when: Check | None = None
    for_each: tuple[bool, PathT] | None = None
    where: Check | None = None
    key: PathT | None = None
    locate: PathT | None = None
    file: str = ""
    line: int = 0
    pack: str = ""
    source: dict[str, Any] = field(default_factory=dict)
    needs: tuple[PathT, ...] = ()  # data the rule cannot be assessed without (root paths)
    veto: bool = False  # an open finding fails the unit whatever its score
    penalty: Penalty | None = None
    effective_on: dt.date | None = None
    until: dt.date | None = None
    stop_work: bool = False  # the work concerned stops until the finding is closed

    def in_force(self, day: dt.date) -> str:
        """``in_force``, ``upcoming`` (not yet in force) or ``retired`` on ``day``."""
        if self.effective_on is not None and day < self.effective_on:
            return "upcoming"
        if self.until is not None and day > self.until:
            return "retired"
        return "in_force"

    def needs_text(self) -> list[str]:
        """The needed paths as the user writes them."""
        return [format_path(p) for p in self.needs]


@dataclass
class Pack:
    """A resolved pack: its own metadata and the effective, ordered rules."""

    name: str
    version: str
    title: dict[str, str]
    description: dict[str, str]
    file: str
    rules: dict[str, Rule]
    chain: list[str] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
