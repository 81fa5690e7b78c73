"""Every fixed text of the documents has a Chinese translation in the gettext catalog."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

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


def test_localise_gives_a_finding_record_in_the_asked_language(
    write: Callable[[str, str], Path],
) -> None:
    """One function turns a finding record to another language: reports, meeting
    documents and comparisons all use it, whatever language the result was saved in."""
    from compliance.findings import localise
    from compliance.rulepack import load_pack
    from compliance.runner import run_check
    from tests.test_engine import AS_OF, PACK, UNIT

    pack = load_pack(str(write("pack.yaml", PACK)))
    unit = write("units/coal-01.yaml", UNIT)
    saved = run_check([str(unit)], pack, AS_OF).to_json("en")
    record = next(f for f in saved["findings"] if f["rule"] == "RESP-03")

    zh = localise(record, "zh")
    assert (zh["title"], zh["basis"]) == ("岗位签字", "《安全生产法》第二十二条")
    assert zh["message"].startswith("岗位“Boiler operator”：责任书签订于 2022-11-03")
    assert (zh["rule"], zh["fingerprint"]) == (record["rule"], record["fingerprint"])
    assert record["title"] == "Posts signed"  # the saved record is left as it was
    # the result's own language, or one it has no texts in: the texts it holds
    assert localise(record, "en")["message"] == record["message"]
    assert localise(record, "fr")["title"] == "Posts signed"
    # a text missing in the other language stays in the result's language
    partial = localise({**record, "i18n": {"zh": {**record["i18n"]["zh"], "basis": ""}}}, "zh")
    assert (partial["title"], partial["basis"]) == ("岗位签字", "Work Safety Law Art. 22")
