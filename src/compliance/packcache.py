"""A cache of validated rule-pack files, so that every run does not parse the same YAML.

Keyed by the SHA-256 of the file's bytes, the tool version, the pack schema and the marshal
format: an edited file, another version or another schema simply misses. Entries hold the
plain data, positions and diagnostics as :mod:`marshal` data (several times faster to read
than JSON: start-up counts), after a layout tag and the SHA-256 of the body, so that a
damaged or hand-edited entry is not used. They live under ``$XDG_CACHE_HOME/compliance``
(``~/.cache/compliance``); a cache that cannot be read or written is ignored.
``COMPLIANCE_NO_CACHE=1`` turns it off. :mod:`compliance.compilecache` keeps what compiling
the packs costs in the same folder.

Only packs without errors are stored. The folder is made 0700 and the entries 0600; a folder
that is a symbolic link, belongs to another user or can be written by others is not used, so
another account cannot plant a pack that skips the schema checks.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import marshal
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from compliance import __version__
from compliance.diagnostics import Diagnostic, has_errors
from compliance.inputs import RESULT_LIMIT, read_input
from compliance.loader import Document, Mark, PathT, decode, load_text, read_document
from compliance.schema import schema_bytes, validate_document

PACK_LAYOUT = b"compliance-pack/3\n"  # /1 was JSON (``KEY.json``), /2 decoded every position
_TOP = 2  # positions of paths this short (a rule: ``("rules", 3)``) are decoded at once
_DIGEST = 32  # bytes of SHA-256 after the layout tag


def cache_folder() -> Path | None:
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


class PackDocument(Document):
    """A pack file as loaded; ``key`` names its content (the SHA-256 of its bytes, the tool's
    version and the pack schema: its cache entry's name), "" when it could not be read."""

    key = ""


def load_pack_file(path: Path, display: str, within: Path | None = None) -> PackDocument:
    """Load and validate one pack file (inside the folder ``within``, when given), through the
    cache when possible."""
    doc = PackDocument(display)
    raw = read_document(path, doc, within)
    if raw is None:
        return doc
    salt = f"\0{__version__}\0{marshal.version}\0".encode()
    key = doc.key = hashlib.sha256(raw + salt + _pack_schema()).hexdigest()
    folder = cache_folder()
    entry = folder / f"{key}.bin" if folder else None
    if entry is not None:
        cached = read_entry(entry, PACK_LAYOUT)
        if cached is not None:
            try:
                hit = _decode(cached, display)
                hit.key = key
                return hit
            except (ValueError, TypeError):
                pass  # not what this version writes: rebuilt below
    text = decode(raw, doc)
    if text is not None:
        load_text(text, doc)
    validate_document(doc, "pack")
    if entry is not None and doc.data is not None and not has_errors(doc.diagnostics):
        with contextlib.suppress(OSError, TypeError, ValueError):  # no cache, no harm
            write_entry(entry, sealed(PACK_LAYOUT, marshal.dumps(_encode(doc))))
    return doc


def sealed(layout: bytes, body: bytes) -> bytes:
    """An entry's bytes: the layout tag, the SHA-256 of the body, the body."""
    return layout + hashlib.sha256(body).digest() + body


def read_entry(entry: Path, layout: bytes) -> Any:
    """The marshalled value of a sealed entry; None when missing, of another layout, damaged
    or changed by hand (the digest does not match)."""
    try:
        raw = read_input(entry, RESULT_LIMIT)
    except OSError:
        return None
    head = len(layout) + _DIGEST
    if len(raw) <= head or not raw.startswith(layout):
        return None
    body = raw[head:]
    if hashlib.sha256(body).digest() != raw[len(layout) : head]:
        return None
    try:
        return marshal.loads(body)
    except (ValueError, EOFError, TypeError):
        return None


def replace_entry(entry: Path, layout: bytes, value: Any, sweep: bool = True) -> None:
    """Write ``value`` as a sealed marshal entry; with ``sweep``, delete the other files of its
    kind (the same name before the last ``-``: another environment's or source's entry, which
    nothing will read again). Never raises: a cache that cannot be written only costs the next
    run its work."""
    with contextlib.suppress(OSError, ValueError):  # ValueError: a value marshal cannot write
        write_entry(entry, sealed(layout, marshal.dumps(value)))
        if sweep:
            kind = entry.name.rsplit("-", 1)[0]
            for other in entry.parent.glob(f"{kind}-*.bin"):
                if other != entry:
                    other.unlink(missing_ok=True)


def write_entry(entry: Path, data: bytes) -> None:
    """Write a cache entry atomically, readable by its owner only (``mkstemp`` makes 0600);
    raises OSError when it cannot."""
    fd, tmp = tempfile.mkstemp(prefix=".entry-", suffix=".tmp", dir=entry.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, entry)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@functools.cache
def _pack_schema() -> bytes:
    """The pack schema as part of every key (once per process: it is the same for every file).
    Its bytes as packaged: a hit then never parses the schema."""
    return schema_bytes("pack")


def _plain(value: Any) -> Any:
    """``value`` with its dates as ISO text (marshal stores no dates; the pack loader reads
    both forms of ``effective_on`` and ``until``)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class CachedDocument(PackDocument):
    """A pack file read from the cache. The positions of the rules themselves are decoded at
    once (a check needs each rule's line); the others (every key and value inside a rule) stay
    marshal data until a problem or a finding asks for one: decoding them all took about half
    of reading a pack from the cache."""

    def __init__(self, file: str, data: Any, marks: dict[PathT, Mark], rest: bytes) -> None:
        super().__init__(file, data=data, marks=marks)
        self._rest: bytes | None = rest

    def _all_positions(self) -> None:
        """Decode the positions kept back, once; TypeError when they are not what was written
        (the entry's digest matched, so only a change of this code could cause that)."""
        if self._rest is None:
            return
        deep, self.key_marks = marshal.loads(self._rest)
        if not (isinstance(deep, dict) and isinstance(self.key_marks, dict)):
            raise TypeError("not a pack entry")
        self.marks.update(deep)
        self._rest = None

    def mark(self, path: PathT) -> Mark:
        """Position of the value at ``path`` (see :meth:`Document.mark`)."""
        if self._rest is not None and (len(path) > _TOP or tuple(path) not in self.marks):
            self._all_positions()
        return super().mark(path)

    def locate(self, path: PathT) -> Mark:
        """Position of ``path`` as a finding points at it (see :meth:`Document.locate`)."""
        self._all_positions()
        return super().locate(path)

    def key_mark(self, path: PathT) -> Mark:
        """Position of the key that introduces ``path`` (see :meth:`Document.key_mark`)."""
        self._all_positions()
        return super().key_mark(path)


def _encode(doc: Document) -> tuple[Any, ...]:
    diagnostics = [(d.line, d.column, d.level, d.message) for d in doc.diagnostics]
    top = {p: m for p, m in doc.marks.items() if len(p) <= _TOP}
    deep = {p: m for p, m in doc.marks.items() if len(p) > _TOP}
    return (_plain(doc.data), top, marshal.dumps((deep, doc.key_marks)), diagnostics)


def _decode(entry: Any, display: str) -> CachedDocument:
    """The document of an entry; ValueError or TypeError when it is not one."""
    data, marks, rest, diagnostics = entry
    if not (isinstance(data, dict) and isinstance(marks, dict) and isinstance(rest, bytes)):
        raise TypeError("not a pack entry")
    doc = CachedDocument(display, data, marks, rest)
    doc.diagnostics = [Diagnostic(display, ln, col, lvl, msg) for ln, col, lvl, msg in diagnostics]
    return doc
