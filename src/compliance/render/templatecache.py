"""Compiled document templates kept between runs, so that a report does not compile its
templates every time.

Jinja2 turns each template into Python code (lexer, parser, code generation, ``compile``):
about a quarter of a second of every report for the half-dozen templates of a document.
Jinja2's bytecode cache hands each template over as a *bucket*, whose key is the template's
name and file name and whose checksum is the SHA-256 of its source; the code is kept in one
file of the private cache folder (:func:`compliance.packcache.cache_folder`: 0700, ours, not
a link; ``COMPLIANCE_NO_CACHE`` turns it off), read once a run:

- an entry is used only for the same language, template name, file name and source checksum:
  an edited template, built-in or in a user's override folder, compiles anew;
- the file's name is a key of everything else the code depends on: the Python version (code
  objects belong to one bytecode format), Jinja2's and the tool's versions, and the source of
  the modules that shape the code or are folded into it at compile time (the sandbox and its
  bounds rewrite loops and operators; the environment's options and filters; Jinja2 calls a
  filter with constant arguments while compiling, so the labels, the catalogs and Babel's
  release count too). Another Python, Jinja2 or tool, or an edited module, reads another file;
- the file is sealed with the SHA-256 of its body and a layout tag (``packcache.sealed``); a
  damaged file, or entries of the wrong types, are ignored and rewritten.

The cached code is the code the sandbox generated: every attribute, call and intercepted
operator in it goes through the environment's methods at run time, so it is exactly as
confined as freshly compiled code. It is loaded with :mod:`marshal`, which trusts its input as
much as a ``.pyc`` does: hence the private folder, as for the packs.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from types import CodeType
from typing import Any

from jinja2.bccache import Bucket, BytecodeCache

from compliance.names import LANGUAGES
from compliance.packcache import cache_folder, read_entry, replace_entry

_LAYOUT = b"compliance-templates/1\n"
# the modules that shape the compiled code or are folded into it (see the module docstring)
_SOURCES = ("templating.py", "templatecache.py")
_PACKAGE_SOURCES = ("expressions.py", "bounds.py", "i18n.py", "labels.py")
# Entries kept when the file is rewritten: those used in this run, plus older ones up to this
# many (edited templates leave their old code behind; it must not pile up forever).
_KEEP = 200

Entries = dict[str, tuple[str, CodeType]]


class _Store:
    """The entries of one cache file, read once and written back as templates compile."""

    def __init__(self, file: Path | None) -> None:
        self.file = file
        self.entries: Entries = {}
        self.used: set[str] = set()
        if file is not None:
            found = read_entry(file, _LAYOUT)
            self.entries = found if _well_formed(found) else {}
        self.existed = bool(self.entries)

    def save(self) -> None:
        """Write the entries back; a failure only costs the next run a compile."""
        if self.file is None:
            return
        if len(self.entries) > _KEEP:
            self.entries = {k: v for k, v in self.entries.items() if k in self.used}
        # a new environment (an upgrade, an edited module): the other environments' files go
        replace_entry(self.file, _LAYOUT, self.entries, sweep=not self.existed)
        self.existed = True


def _well_formed(entries: Any) -> bool:
    """A mapping of text keys to (checksum, code object) pairs."""
    return isinstance(entries, dict) and all(
        isinstance(key, str)
        and isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[0], str)
        and isinstance(value[1], CodeType)
        for key, value in entries.items()
    )


class TemplateCache(BytecodeCache):
    """Jinja2's bytecode cache for the templates of documents in one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def load_bytecode(self, bucket: Bucket) -> None:
        """Give ``bucket`` its code when the same source was compiled before."""
        store = _store()
        key = f"{self.lang}\0{bucket.key}"
        entry = store.entries.get(key)
        if entry is not None and entry[0] == bucket.checksum:
            bucket.code = entry[1]
            store.used.add(key)

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep the code of a template just compiled."""
        store = _store()
        if store.file is None or bucket.code is None:
            return
        key = f"{self.lang}\0{bucket.key}"
        store.entries[key] = (bucket.checksum, bucket.code)
        store.used.add(key)
        store.save()


@functools.cache
def _store() -> _Store:
    """The store of this environment, opened on first use (empty when off or not trusted)."""
    folder = cache_folder()
    key = environment_key() if folder is not None else None
    if folder is None or key is None:
        return _Store(None)
    return _Store(folder / f"templates-{key}.bin")


def environment_key() -> str | None:
    """The key of what compiled templates depend on besides their own source; None when a
    source cannot be read (then nothing is cached)."""
    from compliance.compilecache import babel_stamp, versions
    from compliance.i18n import catalog_source

    here = Path(__file__).parent
    digest = hashlib.sha256(versions())
    digest.update((babel_stamp() or "").encode() + b"\0")
    try:
        for path in [here / n for n in _SOURCES] + [here.parent / n for n in _PACKAGE_SOURCES]:
            digest.update(path.read_bytes() + b"\0")
        for lang in LANGUAGES:
            if lang != "en":  # English has no catalog: the msgids are the texts
                digest.update(catalog_source(lang) + b"\0")
    except OSError:
        return None
    return digest.hexdigest()[:40]
