"""A cache of validated rule-pack files, so that every run does not parse the same YAML.

Keyed by the SHA-256 of the file's bytes, the tool version and the pack schema: an edited
file, another version or another schema simply misses. Entries are JSON (data, positions,
diagnostics) under ``$XDG_CACHE_HOME/compliance`` (``~/.cache/compliance``); a cache that
cannot be read or written is ignored. ``COMPLIANCE_NO_CACHE=1`` turns it off.

Only packs without errors are stored. The folder is made 0700 and the entries 0600; a folder
that is a symbolic link, belongs to another user or can be written by others is not used, so
another account cannot plant a pack that skips the schema checks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from compliance import __version__
from compliance.diagnostics import Diagnostic, has_errors
from compliance.inputs import RESULT_LIMIT, read_input
from compliance.loader import Document, decode, load_text, read_document
from compliance.schema import load_schema, validate_document


def _folder() -> Path | None:
    """The cache folder, made private if new; None when off or not safe to use."""
    if os.environ.get("COMPLIANCE_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    folder = Path(base) / "compliance" / "packs"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.lstat()
        if info.st_uid != os.geteuid() or not stat.S_ISDIR(info.st_mode):
            return None  # a link, or someone else's folder
        if stat.S_IMODE(info.st_mode) != 0o700:
            os.chmod(folder, 0o700)  # ours: close it (an older version made it 0755)
    except OSError:
        return None
    return folder


def load_pack_file(path: Path, display: str, within: Path | None = None) -> Document:
    """Load and validate one pack file (inside the folder ``within``, when given), through the
    cache when possible."""
    doc = Document(display)
    raw = read_document(path, doc, within)
    if raw is None:
        return doc
    schema = json.dumps(load_schema("pack"), sort_keys=True).encode()
    key = hashlib.sha256(raw + b"\0" + __version__.encode() + b"\0" + schema).hexdigest()
    folder = _folder()
    entry = folder / f"{key}.json" if folder else None
    if entry is not None and entry.exists():
        try:
            return _decode(json.loads(read_input(entry, RESULT_LIMIT)), display)
        except (OSError, ValueError, KeyError, TypeError):
            pass  # a damaged entry is rebuilt below
    text = decode(raw, doc)
    if text is not None:
        load_text(text, doc)
    validate_document(doc, "pack")
    if entry is not None and doc.data is not None and not has_errors(doc.diagnostics):
        try:
            # dates (effective_on, until) are stored as ISO text; the pack loader reads both
            data = json.dumps(_encode(doc), ensure_ascii=False, default=_iso).encode("utf-8")
            fd, tmp = tempfile.mkstemp(prefix=".entry-", suffix=".tmp", dir=entry.parent)  # 0600
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, entry)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
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
