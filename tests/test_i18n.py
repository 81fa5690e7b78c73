"""Every fixed text of the documents has a Chinese translation in the gettext catalog."""

from __future__ import annotations

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from compliance import i18n
from tests.conftest import ROOT


def _msgids() -> set[str]:
    ids = set()
    options = {
        "**.j2": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}
    }
    for _, _, msg, _, _ in extract_from_dir(
        str(ROOT / "templates"),
        method_map=[("**.j2", "jinja2.ext:babel_extract")],
        options_map=options,
    ):
        ids.add(msg if isinstance(msg, str) else msg[0])
    for _, _, msg, _, _ in extract_from_dir(
        str(ROOT / "src" / "compliance"),
        method_map=[("**.py", "python")],
        keywords={**DEFAULT_KEYWORDS, "N_": None},
    ):
        ids.add(msg if isinstance(msg, str) else msg[0])
    return ids


def test_zh_catalog_translates_every_text() -> None:
    path = ROOT / "src/compliance/locale/zh/LC_MESSAGES/messages.po"
    with path.open("rb") as fh:
        catalog = read_po(fh)
    missing = sorted(m for m in _msgids() if not (catalog.get(m) and catalog.get(m).string))
    assert missing == []
    assert len(_msgids()) > 180
    assert "%(n)d unit" in _msgids() and "Summary:" in _msgids()


def test_labels_and_dates() -> None:
    assert i18n.label(i18n.AREA_LABELS, "risks", "zh") == "风险与隐患（双重预防）"
    assert i18n.label(i18n.SEVERITY_LABELS, "critical", "en") == "Critical"
    assert i18n.format_date("2026-11-28", "zh") == "2026年11月28日"
    assert i18n.format_date("2026-11-28", "en") == "28 November 2026"


def test_catalog_defines_each_text_once() -> None:
    """Parallel work appends to the catalog (it merges by union): a text defined twice is an
    error for gettext's own tools (msgfmt), even though Babel silently keeps the last one."""
    import re
    from collections import Counter

    po = ROOT / "src/compliance/locale/zh/LC_MESSAGES/messages.po"
    entries = re.findall(r'^(?:msgctxt "(.*)"\n)?msgid ((?:".*"\n?)+)', po.read_text("utf-8"), re.M)
    counts = Counter(entries)
    assert [e for e, n in counts.items() if n > 1] == []
