"""A rule's message filled with the unit's values, and values as a message quotes them.

``{actual}``, ``{path}``, ``{key}`` and ``{as_of}`` come from the failed check; other
placeholders name fields of the unit or of the item. Under ``zh`` codes and paths are
replaced by their Chinese labels, so no YAML path or English code shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from compliance.i18n import N_, text_in
from compliance.labels import code_label, display_path
from compliance.paths import MISSING, get
from compliance.rulepack import Message

MISSING_TEXT = N_("(missing)")
YES_NO = (N_("no"), N_("yes"))


def is_empty_value(value: Any) -> bool:
    """Not recorded: the key is missing or has no value. An empty list is a record ("none")."""
    return value is MISSING or value is None


def show(value: Any, lang: str) -> str:
    """A value as a message quotes it."""
    if value is None or value is MISSING:
        return text_in(MISSING_TEXT, lang)
    if isinstance(value, bool):
        return text_in(YES_NO[value], lang)
    if isinstance(value, float):
        return (
            f"{value:,.2f}".rstrip("0").rstrip(".") if not value.is_integer() else f"{int(value):,}"
        )
    if isinstance(value, int):  # amounts get separators; years and counts stay plain
        return f"{value:,}" if abs(value) >= 100_000 else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(show(v, lang) for v in value)
    if isinstance(value, dict):
        return "{…}"
    return str(value)


def render_message(msg: Message, lang: str, root: Any, item: Any, special: dict[str, Any]) -> str:
    """Fill a message's placeholders with concrete values."""
    text = msg.texts[lang]
    if "{" not in text:
        return text
    out = text.replace("{{", "\x00").replace("}}", "\x01")
    for name, (scope, parts) in msg.fields.items():
        token = "{" + name + "}"
        if token not in out:
            continue
        if scope == "special":
            value = special.get(name)
            if lang == "zh" and name == "path" and isinstance(value, str):
                value = display_path(value, lang)
            elif lang == "zh" and name == "actual" and special.get("path"):
                value = _labelled(value, lambda v: code_label(special["path"], v, lang))
        else:
            value = get(item if scope == "item" else root, parts)
            if lang == "zh" and name in msg.labels:
                value = _labelled(value, msg.labels[name].get)
        out = out.replace(token, show(value, lang))
    return out.replace("\x00", "{").replace("\x01", "}")


def _labelled(value: Any, label: Callable[[str], str | None]) -> Any:
    """A code (or a list of codes) replaced by its label; other values unchanged."""
    if isinstance(value, str):
        return label(value) or value
    if isinstance(value, list):
        return [(label(v) or v) if isinstance(v, str) else v for v in value]
    return value
