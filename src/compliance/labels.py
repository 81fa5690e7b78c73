"""Display names of unit-file fields and of their codes, from the schema annotations.

Under ``--lang zh`` no English code (``rectifying``, ``major``) or YAML path
(``risks.hidden_dangers[2].verified_by``) may show through. The unit and meeting schemas
carry the names to use instead: every property has ``x-title-zh`` (its Chinese title) and
every enumeration ``x-enum-zh`` (the Chinese label of each code). This module is the one
place that reads them:

- :func:`display_path` names a field by its titles (``风险与隐患／事故隐患（第 3 项）／验收人``);
- :func:`enum_label` and :func:`code_label` give a code's label;
- :func:`localize_text` rewrites the paths and codes quoted in a fixed Chinese text (the
  rule packs' remediation texts say where to write things: ``在 responsibility.posts[].signed_on
  中填写``).

English output keeps the paths and codes: they are what an English user types in the file.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from compliance.schema import load_schema
from compliance.schemaview import resolve_ref

PathParts = tuple[str | int, ...]
_SEP = "／"
# A dotted path (``a.b[2].c``, ``a.b[].c``) or a single key with an underscore, not inside
# a message placeholder (``{item.status}``) and not part of a longer word or a file name.
# ASCII classes only: a Chinese character right before or after still ends the token.
# Compiled on first use (re's cache): only Chinese output needs it.
_TOKEN = (
    r"(?<![A-Za-z0-9_{.\-/])([a-z][a-z0-9_]*(?:\[\d*\])*(?:\.[a-z][a-z0-9_]*(?:\[\d*\])*)*)"
    r"(?![A-Za-z0-9_}\-/(])"
)
_INDEX = re.compile(r"\[(\d*)\]")
# Codes the tool itself writes (severity, outcome of a rule), besides the schemas' enums.
_TOOL_CODES_ZH = {
    "critical": "严重",
    "major": "重要",
    "minor": "一般",
    "info": "提示",
}


def _resolve(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    resolved: dict[str, Any] = resolve_ref(root, node)
    return resolved


def split_path(path: str | PathParts) -> PathParts:
    """``'a.b[2].c'`` -> ``('a', 'b', 2, 'c')`` (``[]`` becomes ``-1``: any item)."""
    if not isinstance(path, str):
        return tuple(path)
    parts: list[str | int] = []
    for piece in path.split("."):
        name, _, rest = piece.partition("[")
        if name:
            parts.append(name)
        for index in _INDEX.findall("[" + rest if rest else ""):
            parts.append(int(index) if index else -1)
    return tuple(parts)


def field_schema(path: str | PathParts, schema: str = "unit") -> dict[str, Any] | None:
    """The (resolved) schema of the field at ``path``; None when the schema has no such field."""
    root = load_schema(schema)
    node = _resolve(root, root)
    for part in split_path(path):
        if isinstance(part, int):
            node = _resolve(root, node.get("items") or {})
        else:
            props = node.get("properties") or {}
            if part not in props:
                return None
            node = _resolve(root, props[part])
        if not node:
            return None
    return node


def _annotated(path: str | PathParts, schema: str) -> dict[str, Any]:
    """The field's annotations: the $ref'd schema merged under the property's own keys."""
    root = load_schema(schema)
    node = _resolve(root, root)
    raw: dict[str, Any] = {}
    for part in split_path(path):
        if isinstance(part, int):
            raw = node.get("items") or {}
        else:
            raw = (node.get("properties") or {}).get(part) or {}
        node = _resolve(root, raw)
        if not node:
            return {}
    return {**node, **raw} if isinstance(raw, dict) else node


def field_title(path: str | PathParts, lang: str, schema: str = "unit") -> str:
    """The title of the field at ``path`` in ``lang`` (its last key when it has none)."""
    parts = split_path(path)
    names = [p for p in parts if isinstance(p, str)]
    node = _annotated(parts, schema)
    key = "x-title-zh" if lang == "zh" else "title"
    title = node.get(key) or node.get("title")
    if title:
        return str(title)
    if lang == "zh" and len(parts) == 1 and names:
        from compliance.i18n import AREA_LABELS, label

        if names[0] in AREA_LABELS:
            return label(AREA_LABELS, names[0], lang)
    return names[-1] if names else ""


def display_path(path: str | PathParts, lang: str, schema: str = "unit") -> str:
    """A YAML path as a reader of ``lang`` names it.

    English: the path itself. Chinese: the fields' titles, an item's number in brackets:
    ``risks.hidden_dangers[2].verified_by`` -> ``风险与隐患／事故隐患（第 3 项）／验收人``.
    """
    parts = split_path(path)
    if lang != "zh":
        return path if isinstance(path, str) else _format(parts)
    out: list[str] = []
    for i, part in enumerate(parts):
        if isinstance(part, int):
            if part >= 0 and out:
                out[-1] += f"（第 {part + 1} 项）"
            continue
        out.append(field_title(parts[: i + 1], lang, schema))
    return _SEP.join(out)


def _format(parts: PathParts) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += "[]" if part < 0 else f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def enum_label(node: dict[str, Any] | None, code: Any, lang: str) -> str:
    """The label of ``code`` in an enumeration's schema ``node`` (the code itself if none)."""
    text = "" if code is None else str(code)
    if lang != "zh" or node is None:
        return text
    labels = node.get("x-enum-zh") or {}
    return str(labels.get(text, _TOOL_CODES_ZH.get(text, text)))


def code_label(path: str | PathParts, code: Any, lang: str, schema: str = "unit") -> str:
    """The label of the value ``code`` of the field at ``path``."""
    if lang != "zh":
        return "" if code is None else str(code)
    return enum_label(_annotated(path, schema) or None, code, lang)


@functools.cache
def _codes(schema: str) -> dict[str, str]:
    """Every enumeration code of a schema with its Chinese label (first one wins)."""
    out: dict[str, str] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for code, text in (node.get("x-enum-zh") or {}).items():
                out.setdefault(str(code), str(text))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(load_schema(schema))
    return out


@functools.cache
def _keys(schema: str) -> dict[str, tuple[str | int, ...]]:
    """Every property name of a schema with the first path where it occurs."""
    root = load_schema(schema)
    out: dict[str, tuple[str | int, ...]] = {}

    def walk(node: Any, path: tuple[str | int, ...], depth: int) -> None:
        node = _resolve(root, node)
        if not isinstance(node, dict) or depth > 12:
            return
        for name, sub in (node.get("properties") or {}).items():
            out.setdefault(name, (*path, name))
            walk(sub, (*path, name), depth + 1)
        if "items" in node:
            walk(node["items"], (*path, -1), depth + 1)

    walk(root, (), 0)
    return out


def localize_text(text: str, lang: str, schema: str = "unit") -> str:
    """A fixed text with the YAML paths and codes it quotes named as ``lang`` readers know them.

    Only Chinese text changes. A dotted path that the schema knows becomes its titles; a lone
    key with an underscore, its title; an enumeration code, its label (a code right after a
    path is read as that field's value).
    """
    if lang != "zh" or not text or not any("a" <= c <= "z" for c in text):
        return text
    if not any("\u4e00" <= c <= "\u9fff" for c in text):
        return text  # an English text standing in for a missing translation: leave it whole
    root_props = (_resolve(load_schema(schema), load_schema(schema)).get("properties")) or {}
    keys = _keys(schema)
    codes = {**_TOOL_CODES_ZH, **_codes(schema)}
    last: list[PathParts] = []

    def swap(match: re.Match[str]) -> str:
        token = match.group(1)
        parts = split_path(token)
        first = parts[0] if parts else ""
        if ("." in token or "[" in token) and first in root_props and field_schema(parts, schema):
            last[:] = [parts]
            return display_path(parts, lang, schema)
        if "." not in token and "[" not in token:
            if last:
                node = _annotated(last[0], schema)
                if token in (node.get("x-enum-zh") or {}):
                    return enum_label(node, token, lang)
            if token in codes:
                return codes[token]
            if "_" in token and token in keys:
                return field_title(keys[token], lang, schema)
        return token

    return re.sub(_TOKEN, swap, text)


def path_label(path: str, lang: str) -> str:
    """A dotted path of the unit file as its field titles (``人员素质 › 特种作业人员`` in
    Chinese); the path itself in English, where rule authors and officers write it."""
    if lang == "en":
        return path
    schema = load_schema("unit")
    node: Any = schema
    labels = []
    for part in path.split("."):
        node = resolve_ref(schema, node)
        props = node.get("properties", {}) if isinstance(node, dict) else {}
        node = props.get(part, {})
        labels.append(node.get("x-title-zh") or part)
        if node.get("type") == "array":
            node = node.get("items", {})
    return " › ".join(labels)
