"""The DOCX package around the content: core properties from the HTML, deterministic zip.

Core properties come only from the input (``<title>``, ``<meta>``, ``<html lang>``), never from
the clock or the library, and the zip is rewritten with fixed timestamps and attributes, so the
same HTML always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from typing import Any

from compliance.render.word.markup import clean, collapse, find

_DEFAULT_CREATED = dt.datetime(2000, 1, 1)
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CORE_TEXT_LIMIT = 255  # python-docx refuses longer core property strings


@dataclass(frozen=True)
class Meta:
    """Document metadata read from ``<html lang>``, ``<title>`` and ``<meta>``."""

    title: str = ""
    author: str = ""
    subject: str = ""
    keywords: str = ""
    description: str = ""
    created: dt.datetime = _DEFAULT_CREATED
    lang: str = ""


def read_meta(root: Any) -> Meta:
    """Collect the metadata that becomes the DOCX core properties."""
    head = find(root, "head")
    title_el = find(head, "title") if head is not None else None  # not an SVG <title>
    names: dict[str, str] = {}
    for meta in root.iter("meta"):
        name = (meta.get("name") or "").strip().lower()
        if name and name not in names:
            names[name] = collapse(meta.get("content") or "").strip()
    return Meta(
        title=collapse(title_el.text_content()).strip() if title_el is not None else "",
        author=names.get("author", ""),
        subject=names.get("subject", ""),
        keywords=names.get("keywords", ""),
        description=names.get("description", ""),
        created=_parse_created(names.get("dcterms.created", "")),
        lang=(root.get("lang") or "").strip(),
    )


def _parse_created(text: str) -> dt.datetime:
    """An ISO date or datetime as a naive UTC datetime; the fixed default when unusable."""
    try:
        value = dt.datetime.fromisoformat(text.strip())
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
    except (ValueError, OverflowError):
        return _DEFAULT_CREATED
    # W3CDTF as python-docx writes it needs a four-digit year.
    if not 1900 <= value.year <= 9999:
        return _DEFAULT_CREATED
    return value.replace(microsecond=0)


def _clip(text: str) -> str:
    """A core property value within python-docx's length limit."""
    return clean(text)[:_CORE_TEXT_LIMIT]


def set_core_properties(document: Any, meta: Meta) -> None:
    """Fixed, input-derived core properties: no save time, no "python-docx" author."""
    props = document.core_properties
    props.title = _clip(meta.title)
    props.author = _clip(meta.author)
    props.last_modified_by = _clip(meta.author)
    props.subject = _clip(meta.subject)
    props.keywords = _clip(meta.keywords)
    props.comments = _clip(meta.description)
    props.category = ""
    props.created = props.modified = props.last_printed = meta.created
    props.revision = 1
    if meta.lang:
        props.language = _clip(meta.lang)


def normalise_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed timestamps and attributes so equal input gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0  # otherwise it depends on the platform
            entry.external_attr = 0
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
