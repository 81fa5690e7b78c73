"""A cache of validated rule-pack files, so that every run does not parse the same YAML.

Keyed by the SHA-256 of the file's bytes, the tool version and the pack schema: an edited
file, another version or another schema simply misses. Entries are JSON (data, positions,
diagnostics) under ``$XDG_CACHE_HOME/compliance`` (``~/.cache/compliance``); a cache that
cannot be read or written is ignored. ``COMPLIANCE_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from compliance import __version__
from compliance.diagnostics import Diagnostic
from compliance.loader import Document, load_text
from compliance.schema import load_schema, validate_document


def _folder() -> Path | None:
    if os.environ.get("COMPLIANCE_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "compliance" / "packs"


def load_pack_file(path: Path, display: str) -> Document:
    """Load and validate one pack file, through the cache when possible."""
    raw = path.read_bytes()
    schema = json.dumps(load_schema("pack"), sort_keys=True).encode()
    key = hashlib.sha256(raw + b"\0" + __version__.encode() + b"\0" + schema).hexdigest()
    folder = _folder()
    entry = folder / f"{key}.json" if folder else None
    if entry is not None and entry.is_file():
        try:
            return _decode(json.loads(entry.read_text("utf-8")), display)
        except (OSError, ValueError, KeyError, TypeError):
            pass  # a damaged entry is rebuilt below
    from compliance.loader import decode

    doc = Document(display)
    text = decode(raw, doc)
    if text is not None:
        load_text(text, doc)
    validate_document(doc, "pack")
    if entry is not None and doc.data is not None:
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            tmp = entry.with_suffix(f".{os.getpid()}.tmp")
            # dates (effective_on, until) are stored as ISO text; the pack loader reads both
            text = json.dumps(_encode(doc), ensure_ascii=False, default=_iso)
            tmp.write_text(text, "utf-8")
            os.replace(tmp, entry)
        except (OSError, TypeError, ValueError):
            pass  # no cache, no harm
    return doc


def _iso(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _encode(doc: Document) -> dict[str, Any]:
    return {
        "data": doc.data,
        "marks": [[list(k), list(v)] for k, v in doc.marks.items()],
        "key_marks": [[list(k), list(v)] for k, v in doc.key_marks.items()],
        "diagnostics": [[d.line, d.column, d.level, d.message] for d in doc.diagnostics],
    }


def _decode(entry: dict[str, Any], display: str) -> Document:
    doc = Document(display, data=entry["data"])
    doc.marks = {tuple(k): (v[0], v[1]) for k, v in entry["marks"]}
    doc.key_marks = {tuple(k): (v[0], v[1]) for k, v in entry["key_marks"]}
    doc.diagnostics = [
        Diagnostic(display, ln, col, lvl, msg) for ln, col, lvl, msg in entry["diagnostics"]
    ]
    return doc
