"""Fixed texts of documents in English and Simplified Chinese, from gettext catalogs.

English is the source language (the msgids). Translations live in
``src/compliance/locale/<lang>/LC_MESSAGES/messages.po``; the catalog is compiled with Babel
when first needed (and kept in the cache for the next run), so there is no build step. Dates are formatted by Babel's CLDR
data (``28 November 2026`` / ``2026年11月28日``).
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import io
from pathlib import Path

from compliance.names import LANGUAGES


def N_(text: str) -> str:
    """Mark a string for extraction without translating it here."""
    return text


AREA_LABELS = {
    "concepts": N_("Safety concepts"),
    "responsibility": N_("Safety responsibility"),
    "planning": N_("Safety planning"),
    "rule_of_law": N_("Safety rule of law"),
    "standards": N_("Safety standards"),
    "quality": N_("Safety competence"),
    "risks": N_("Risks and hidden dangers"),
}
# Column headers where the full area name does not fit (the heat map)
AREA_SHORT_LABELS = {
    "concepts": N_("Concepts"),
    "responsibility": N_("Respons."),
    "planning": N_("Planning"),
    "rule_of_law": N_("Law"),
    "standards": N_("Standards"),
    "quality": N_("Compet."),
    "risks": N_("Risks"),
}
SEVERITY_LABELS = {
    "critical": N_("Critical"),
    "major": N_("Major"),
    "minor": N_("Minor"),
    "info": N_("Info"),
}
KIND_LABELS = {
    "coal": N_("Coal-fired plant"),
    "gas": N_("Gas-fired plant"),
    "hydro": N_("Hydropower station"),
    "wind": N_("Wind farm"),
    "solar": N_("Solar plant"),
    "nuclear": N_("Nuclear plant"),
    "maintenance": N_("Maintenance company"),
    "headquarters": N_("Group headquarters"),
    "other": N_("Other unit"),
}
# A hidden danger's level (not a finding's severity: a major hidden danger is 重大, not 重要)
HAZARD_LEVEL_LABELS = {
    "general": N_("General hidden danger"),
    "major": N_("Major hidden danger"),
}
STATUS_LABELS = {
    "pass": N_("Passed"),
    "fail": N_("Failed"),
    "waived": N_("Waived"),
    "n/a": N_("Not applicable"),
    "active": N_("Active"),
    "expired": N_("Expired"),
    "open": N_("Open"),
    "rectifying": N_("Being rectified"),
    "closed": N_("Closed"),
    "general": N_("General"),
    "proposed": N_("Proposed"),
    "adopted": N_("Adopted"),
    "done": N_("Done"),
    "in_progress": N_("In progress"),
    "not_started": N_("Not started"),
    "present": N_("Present"),
    "apologies": N_("Apologies"),
    "absent": N_("Absent"),
    "work_safety_conference": N_("Work Safety Conference"),
    "mobilisation": N_("Mobilisation meeting"),
    "safety_committee": N_("Safety committee meeting"),
    "quarterly_review": N_("Quarterly safety review"),
    "special": N_("Special safety meeting"),
}


@functools.cache
def translations(lang: str) -> gettext.NullTranslations:
    """The gettext translations for ``lang`` (English: the msgids themselves).

    Compiling the catalog with Babel took about a third of a Chinese check's start-up, so the
    compiled catalog is kept in the cache (:func:`compliance.compilecache.cached_bytes`), keyed
    by the catalog's bytes and Babel's version."""
    if lang == "en":
        return gettext.NullTranslations()
    from compliance.compilecache import cached_bytes

    po = catalog_source(lang)
    try:
        compiled = cached_bytes(f"catalog-{lang}", po, lambda: _compile_catalog(po, lang))
        return gettext.GNUTranslations(io.BytesIO(compiled))
    except (OSError, ValueError, IndexError, UnicodeDecodeError):  # a bad entry: compile anew
        return gettext.GNUTranslations(io.BytesIO(_compile_catalog(po, lang)))


def catalog_source(lang: str) -> bytes:
    """The bytes of the ``.po`` catalog of ``lang`` (beside this module when on disk)."""
    name = f"{lang}/LC_MESSAGES/messages.po"
    try:
        return (Path(__file__).parent / "locale" / name).read_bytes()
    except OSError:
        from importlib import resources

        return resources.files("compliance.locale").joinpath(name).read_bytes()


def _compile_catalog(po: bytes, lang: str) -> bytes:
    """The ``.mo`` bytes of a ``.po`` catalog, compiled with Babel."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(po), locale=LANGUAGES[lang])
    buf = io.BytesIO()
    write_mo(buf, catalog)
    return buf.getvalue()


def text_in(msgid: str, lang: str) -> str:
    """The fixed text ``msgid`` in ``lang`` (the catalog's translation; English: itself)."""
    return translations(lang).gettext(msgid)


def text_in_all(msgid: str) -> dict[str, str]:
    """The fixed text ``msgid`` in every language, ``{lang: text}``."""
    return {lang: text_in(msgid, lang) for lang in LANGUAGES}


def format_date(value: dt.date | str | None, lang: str, style: str = "long") -> str:
    """A date as people of ``lang`` write it; '' for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return str(value)
    from babel.dates import format_date as babel_format_date

    if style == "short":
        return value.isoformat()
    return str(babel_format_date(value, format=style, locale=LANGUAGES[lang]))


def label(table: dict[str, str], key: str | None, lang: str) -> str:
    """The translated label of ``key`` in one of the tables above (the key itself if unknown)."""
    if key is None:
        return ""
    text = table.get(key)
    return translations(lang).gettext(text) if text else key
