"""A cache of what compiling a rule pack costs most, so that a check starts quickly.

Compiling a pack spends most of its time in Jinja2: parsing each ``expr`` condition, checking
it is safe and generating and compiling its Python code; then in naming the paths and codes of
the Chinese texts, and in checking each rule's message, keys and needs against the unit schema
(a rule's parts besides its conditions, which are closures and always compiled anew). Those
results depend only on the text compiled and on the code and schema that compile it, so they
are kept, content-addressed, in one file beside the validated pack files
(:mod:`compliance.packcache`: the same private folder, the same ``COMPLIANCE_NO_CACHE``):

- the file's name is a key of the *environment*: the Python version (code objects are only
  valid for one bytecode format), Jinja2's version, the tool's version, the source of the
  modules whose results are kept (expressions, bounds, labels, the rule compiler...) and the
  unit schema. Another Python, another Jinja2, an edited module or schema reads another file,
  never this one;
- inside, entries are keyed by the text itself (an expression, a text to localise; a rule by
  its pack file's content key and its place in the file): an edited pack misses for what
  changed and compiles it, and the rest still hits; a rule with an error is never kept;
- the file carries the SHA-256 of its body and a layout tag; a file that is short, damaged,
  of another layout, or whose entries have the wrong types is ignored and rewritten.

Code objects are loaded with :mod:`marshal`, which trusts its input as much as a ``.pyc``
does: the folder is private (0700, ours, not a link) for that reason, as it is for the packs.
"""

from __future__ import annotations

import gc
import hashlib
import importlib.machinery
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import CodeType
from typing import Any, TypeVar

import jinja2

from compliance import __version__
from compliance.packcache import cache_folder, read_entry, replace_entry
from compliance.schema import schema_bytes

_LAYOUT = b"compliance-compiled/1\n"
# Entries kept when the file is rewritten: those of the packs used since, plus older ones up to
# this many (an edited pack leaves its old expressions behind; they must not pile up forever).
_KEEP = 4000
# the modules whose output is cached: an edit in any of them makes a new environment key
_SOURCES = (
    "expressions.py",
    "bounds.py",
    "labels.py",
    "schemaview.py",
    "compilecache.py",
    # a rule's parts besides its conditions (rulemodel.RuleParts)
    "rulepack.py",
    "rulemodel.py",
    "rulekeys.py",
    "needs.py",
    "paths.py",
    "names.py",
)

Entries = dict[str, dict[str, Any]]
T = TypeVar("T")


class CompiledStore:
    """The cached compile results of one environment, read once and written back when new
    entries were added.

    Maps: ``code`` (expression -> code object), ``path`` (expression -> the first dotted name
    it reads), ``safe`` (expression -> the names it was checked against), ``text`` (Chinese
    text -> the same text with paths and codes named), ``rule`` (``FILE-KEY:INDEX``, a rule of a
    pack file, :class:`compliance.packcache.PackDocument` -> its texts, message, needs, keys,
    penalty and dates: :class:`compliance.rulemodel.RuleParts`).
    """

    MAPS = ("code", "path", "safe", "text", "rule")

    def __init__(self, file: Path | None, entries: Entries | None = None) -> None:
        self.file = file
        self.old: Entries = {m: {} for m in self.MAPS} | (entries or {})
        self.new: Entries = {m: {} for m in self.MAPS}  # added or used in this run
        self.dirty = False  # something was added: write the file back

    def get(self, kind: str, key: str) -> Any:
        """The cached value, or None; a hit is kept when the file is rewritten."""
        value = self.new[kind].get(key)
        if value is None:
            value = self.old[kind].get(key)
            if value is not None:
                self.new[kind][key] = value
        return value

    def put(self, kind: str, key: str, value: Any) -> None:
        """Remember a result computed in this run."""
        self.new[kind][key] = value
        self.dirty = True

    def save(self) -> None:
        """Write the entries back when some were added; a failure only costs the next run."""
        if not self.dirty or self.file is None:
            return
        merged: Entries = {m: dict(self.new[m]) for m in self.MAPS}
        if sum(len(self.old[m]) + len(self.new[m]) for m in self.MAPS) <= _KEEP:
            merged = {m: {**self.old[m], **self.new[m]} for m in self.MAPS}
        # a new environment (an upgrade, an edited module): the other environments' files go
        replace_entry(self.file, _LAYOUT, merged, sweep=not self.file.exists())


def environment_key() -> str | None:
    """The key of what the cached results depend on besides their own text; None when the
    sources cannot be read (then nothing is cached)."""
    here = Path(__file__).parent
    digest = hashlib.sha256(versions())
    try:
        for name in _SOURCES:
            digest.update((here / name).read_bytes() + b"\0")
        digest.update(schema_bytes("unit"))
    except (OSError, TypeError):
        return None
    return digest.hexdigest()[:40]


def versions() -> bytes:
    """What every cache of compiled code depends on, to begin its key with: the Python version
    and bytecode tag, Jinja2's version and the tool's."""
    parts = (sys.version, sys.implementation.cache_tag or "", jinja2.__version__, __version__)
    return b"".join(part.encode() + b"\0" for part in parts)


def open_store() -> CompiledStore:
    """The store of this environment (empty when off, missing, damaged or not trusted)."""
    folder = cache_folder()
    key = environment_key() if folder is not None else None
    if folder is None or key is None:
        return CompiledStore(None)
    file = folder / f"compiled-{key}.bin"
    return CompiledStore(file, _read(file))


def _read(file: Path) -> Entries | None:
    """The entries of ``file`` when it is whole and of this layout, else None."""
    entries = read_entry(file, _LAYOUT)
    return entries if _well_formed(entries) else None


def _well_formed(entries: Any) -> bool:
    """Every map present, with text keys and values of the type each map holds."""
    if not isinstance(entries, dict) or set(entries) != set(CompiledStore.MAPS):
        return False
    kinds: dict[str, type] = {
        "code": CodeType,
        "path": tuple,
        "safe": str,
        "text": str,
        "rule": tuple,  # its shape is checked where it is used (RuleParts.of)
    }
    for name, kind in kinds.items():
        entry = entries[name]
        if not isinstance(entry, dict):
            return False
        for key, value in entry.items():
            if not isinstance(key, str) or not isinstance(value, kind):
                return False
            if name != "path" or not isinstance(value, tuple):
                continue
            if not all(isinstance(p, str) for p in value):
                return False
    return True


_ACTIVE: CompiledStore | None = None


def active() -> CompiledStore | None:
    """The store of the pack being loaded, if any."""
    return _ACTIVE


def remembered(kind: str, key: str, compute: Callable[[], T]) -> T:
    """The value of ``compute()`` for ``key``, from the store of the pack being compiled when
    an earlier run put it there (and put there for the next run otherwise)."""
    store = _ACTIVE
    value: T | None = store.get(kind, key) if store is not None else None
    if value is None:
        value = compute()
        if store is not None:
            store.put(kind, key, value)
    return value


@contextmanager
def compiling() -> Iterator[CompiledStore]:
    """Use the store while a pack compiles, and write what was added afterwards (also when
    the pack has errors: what compiled is still right).

    Garbage collection waits meanwhile: a pack builds tens of thousands of objects that all
    live on, and collecting them over and over cost about a tenth of a check's start-up."""
    global _ACTIVE
    store, outer, collecting = open_store(), _ACTIVE, gc.isenabled()
    _ACTIVE = store
    gc.disable()
    try:
        yield store
    finally:
        _ACTIVE = outer
        if collecting:
            gc.enable()
        store.save()


def cached_bytes(name: str, source: bytes, build: Callable[[], bytes]) -> bytes:
    """``build()``, kept in the cache under ``name`` for the same ``source`` bytes, tool and
    Babel versions (a compiled gettext catalog); built anew when off, missing or damaged.
    Only the newest entry of a name is kept."""
    folder = cache_folder()
    stamp = babel_stamp()
    if folder is None or stamp is None:
        return build()
    salt = f"\0{__version__}\0{stamp}\0".encode()
    file = folder / f"{name}-{hashlib.sha256(source + salt).hexdigest()[:40]}.bin"
    value = read_entry(file, _LAYOUT)
    if isinstance(value, bytes):
        return value
    value = build()
    replace_entry(file, _LAYOUT, value)
    return value


def babel_stamp() -> str | None:
    """Babel's version, without importing it when it is not loaded (that took longer than the
    catalog it saves): the path, size and time of its ``__init__.py``, which an upgrade
    replaces. The same stamp whether or not Babel is loaded (a loaded Babel's version would
    name another entry than the run before it, which had not loaded it). None when Babel
    cannot be found."""
    loaded = sys.modules.get("babel")
    origin = getattr(loaded, "__file__", None)
    if origin is None:
        spec = importlib.machinery.PathFinder.find_spec("babel")
        origin = None if spec is None else spec.origin
    if origin is None:
        return None
    try:
        info = os.stat(origin)
    except OSError:
        return None
    return f"{origin}:{info.st_size}:{info.st_mtime_ns}"
