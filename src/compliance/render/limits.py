"""Display limits that keep documents readable and their making linear on huge inputs.

A unit with 4,500 overdue hidden dangers would give a report of thousands of pages, and a
25 KB unit name printed in every page header would make WeasyPrint's line breaking
superlinear. Documents therefore list the first :data:`ROWS_PER_RULE` findings of each rule
(with a line saying how many more there are and where the complete list is: the check result
in JSON or xlsx), and shorten overlong names and messages with an ellipsis. The check result
itself is never shortened.
"""

from __future__ import annotations

from typing import Any

ROWS_PER_RULE = 50  # findings of one rule listed in a document (the rest: counted, pointed to)
DANGER_ROWS = 200  # hidden dangers listed in the group report
NAME_CHARS = 120  # a unit or person name as shown (page headers, tables, charts)
TEXT_CHARS = 1500  # a finding message or description as shown
WORD_CHARS = 60  # longer unbroken runs get break opportunities (zero-width spaces)

_ZWSP = "\u200b"


def clip(text: Any, limit: int) -> Any:
    """``text`` shortened to ``limit`` characters with an ellipsis, long runs made breakable.

    Anything that is not a string is returned unchanged.
    """
    if not isinstance(text, str):
        return text
    if len(text) > limit:
        text = text[:limit].rstrip() + "…"
    return breakable(text)


def breakable(text: str) -> str:
    """Insert zero-width spaces into runs of more than :data:`WORD_CHARS` non-space characters.

    CJK text breaks between any two characters anyway; this is for pasted identifiers, URLs
    and the like, which would otherwise overflow a table cell or the page.
    """
    if len(text) <= WORD_CHARS:
        return text
    out: list[str] = []
    run = 0
    for ch in text:
        if ch.isspace() or ch == _ZWSP or ord(ch) >= 0x2E80:  # CJK: breakable anywhere
            run = 0
        elif run >= WORD_CHARS:
            out.append(_ZWSP)
            run = 1
        else:
            run += 1
        out.append(ch)
    return "".join(out)


def first_per_rule(findings: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """The first :data:`ROWS_PER_RULE` findings of each rule (order kept), and how many more."""
    seen: dict[str, int] = {}
    kept = []
    for f in findings:
        n = seen[f["rule"]] = seen.get(f["rule"], 0) + 1
        if n <= ROWS_PER_RULE:
            kept.append(f)
    return kept, len(findings) - len(kept)
