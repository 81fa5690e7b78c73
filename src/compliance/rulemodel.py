"""What a compiled rule pack is: the rules with their texts, conditions and extras.

:mod:`compliance.rulepack` builds these from the pack files; the engine, the scores, the
verdicts and the rule commands read them. Texts are held in every language of
:data:`compliance.names.LANGS` (:func:`i18n` fills a missing one from English).
:class:`RuleParts` is what of a rule holds no code, as :mod:`compliance.compilecache` keeps it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from compliance.checks import Check
from compliance.diagnostics import Diagnostic
from compliance.loader import PathT, format_path
from compliance.names import LANGS
from compliance.plain import Plain
from compliance.rulekeys import Penalty, as_date


def i18n(value: Any) -> dict[str, str]:
    """``'text'`` or ``{en: .., zh: ..}`` -> a dict with both languages filled."""
    if isinstance(value, dict):
        texts = {k: str(v) for k, v in value.items() if v}
    else:
        texts = {"en": str(value)} if value else {}
    fallback = texts.get("en") or next(iter(texts.values()), "")
    return {lang: texts.get(lang, fallback) for lang in LANGS}


class Message(Plain):
    """A message template with ``{item.post}``-style placeholders, checked at load time."""

    _fields = ("texts", "fields", "labels")

    def __init__(
        self,
        texts: dict[str, str],
        fields: dict[str, tuple[str, PathT]],  # placeholder -> (scope, parts)
        # placeholder -> the Chinese labels of its field's codes (schema ``x-enum-zh``)
        labels: dict[str, dict[str, str]] | None = None,
    ) -> None:
        self.texts = texts
        self.fields = fields
        self.labels: dict[str, dict[str, str]] = {} if labels is None else labels


class Rule(Plain):
    """One compiled rule with its texts and where it was written."""

    _fields = (
        "id",
        "area",
        "severity",
        "title",
        "basis",
        "rationale",
        "remediation",
        "message",
        "require",
        "when",
        "for_each",
        "where",
        "key",
        "locate",
        "file",
        "line",
        "pack",
        "source",
        "needs",
        "veto",
        "penalty",
        "effective_on",
        "until",
        "stop_work",
    )

    def __init__(
        self,
        id: str,
        area: str,
        severity: str,
        title: dict[str, str],
        basis: dict[str, str],
        rationale: dict[str, str],
        remediation: dict[str, str],
        message: Message,
        require: Check,
        when: Check | None = None,
        for_each: tuple[bool, PathT] | None = None,
        where: Check | None = None,
        key: PathT | None = None,
        locate: PathT | None = None,
        file: str = "",
        line: int = 0,
        pack: str = "",
        source: dict[str, Any] | None = None,
        needs: tuple[PathT, ...] = (),  # data the rule cannot be assessed without (root paths)
        veto: bool = False,  # an open finding fails the unit whatever its score
        penalty: Penalty | None = None,
        effective_on: dt.date | None = None,
        until: dt.date | None = None,
        stop_work: bool = False,  # the work concerned stops until the finding is closed
    ) -> None:
        self.id = id
        self.area = area
        self.severity = severity
        self.title = title
        self.basis = basis
        self.rationale = rationale
        self.remediation = remediation
        self.message = message
        self.require = require
        self.when = when
        self.for_each = for_each
        self.where = where
        self.key = key
        self.locate = locate
        self.file = file
        self.line = line
        self.pack = pack
        self.source: dict[str, Any] = {} if source is None else source
        self.needs = needs
        self.veto = veto
        self.penalty = penalty
        self.effective_on = effective_on
        self.until = until
        self.stop_work = stop_work

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


class Pack(Plain):
    """A resolved pack: its own metadata and the effective, ordered rules."""

    _fields = ("name", "version", "title", "description", "file", "rules", "chain", "warnings")

    def __init__(
        self,
        name: str,
        version: str,
        title: dict[str, str],
        description: dict[str, str],
        file: str,
        rules: dict[str, Rule],
        chain: list[str] | None = None,
        warnings: list[Diagnostic] | None = None,
    ) -> None:
        self.name = name
        self.version = version
        self.title = title
        self.description = description
        self.file = file
        self.rules = rules
        self.chain: list[str] = [] if chain is None else chain
        self.warnings: list[Diagnostic] = [] if warnings is None else warnings


class RuleParts:
    """The parts of a compiled rule that hold no code, as kept in the compile cache (marshal
    data: tuples, dicts, text, numbers; dates as ISO text)."""

    __slots__ = ("effective_on", "key", "locate", "message", "needs", "penalty", "texts", "until")

    def __init__(
        self,
        texts: tuple[dict[str, str], ...],
        message: Message,
        needs: tuple[PathT, ...],
        key: PathT | None,
        locate: PathT | None,
        penalty: Penalty | None,
        effective_on: dt.date | None,
        until: dt.date | None,
    ) -> None:
        self.texts = texts
        self.message = message
        self.needs = needs
        self.key = key
        self.locate = locate
        self.penalty = penalty
        self.effective_on = effective_on
        self.until = until

    def value(self) -> tuple[Any, ...]:
        """As the cache keeps it."""
        m, p = self.message, self.penalty
        return (
            self.texts,
            (m.texts, m.fields, m.labels),
            self.needs,
            self.key,
            self.locate,
            None if p is None else (p.basis, p.min_cny, p.max_cny),
            None if self.effective_on is None else self.effective_on.isoformat(),
            None if self.until is None else self.until.isoformat(),
        )

    @classmethod
    def of(cls, value: Any) -> RuleParts | None:
        """The parts a cached value holds; None when there is none, or it is not of this
        shape (then the rule is compiled in full)."""
        if not isinstance(value, tuple) or len(value) != 8:
            return None
        texts, message, needs, key, locate, penalty, start, end = value
        if not (isinstance(texts, tuple) and len(texts) == 4 and isinstance(needs, tuple)):
            return None
        try:
            return cls(
                texts,
                Message(*message),
                needs,
                key,
                locate,
                None if penalty is None else Penalty(*penalty),
                as_date(start),
                as_date(end),
            )
        except (TypeError, ValueError):
            return None
