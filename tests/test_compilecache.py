"""The compile cache: a second run takes the expressions' code and the Chinese texts from the
cache; an edited pack, a damaged or hand-changed file, another Jinja2 are never trusted."""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Callable
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2
import pytest
from click.testing import Result

from compliance import expressions, i18n
from compliance.compilecache import CompiledStore
from tests.conftest import MINIMAL_UNIT, run_cli

PACK = """\
pack:
  name: t
  version: "1"
rules:
  - id: RESP-01
    area: responsibility
    title: t
    severity: major
    basis: b
    rationale: r
    remediation: m
    message: {{en: "employees: {{actual}}", zh: "请核对 unit.employees：{{actual}}"}}
    require: {{expr: "unit.employees {op} 40", quote: "unit.employees * 2"}}
"""


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own; the folder the entries land in."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("COMPLIANCE_NO_CACHE", raising=False)
    return tmp_path / "cache" / "compliance" / "packs"


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The expressions Jinja2 had to compile (not taken from the cache) in this test."""
    made: list[str] = []
    original = expressions.expression_code

    def counting(source: str) -> CodeType:
        made.append(source)
        return original(source)

    monkeypatch.setattr(expressions, "expression_code", counting)
    return made


def check(write: Callable[[str, str], Path], op: str, lang: str = "en") -> str:
    """The text output of a check of the minimal unit (50 employees) under ``unit.employees
    OP 40``."""
    pack = write("p.yaml", PACK.format(op=op))
    unit = write("u.yaml", MINIMAL_UNIT)
    args = ["check", str(unit), "--rules", str(pack), "--as-of", "2026-06-30", "--lang", lang]
    return run_cli(*args).stdout


def compiled_file(cache: Path) -> Path:
    (file,) = cache.glob("compiled-*.bin")
    return file


def reseal(file: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    """Apply ``edit`` to the entries of a compiled-cache file and write it back with a digest
    that matches: the file reads as sound, only its entries are not what the tool wrote."""
    raw = file.read_bytes()
    layout = raw[: raw.index(b"\n") + 1]
    entries = marshal.loads(raw[len(layout) + 32 :])
    edit(entries)
    body = marshal.dumps(entries)
    file.write_bytes(layout + hashlib.sha256(body).digest() + body)


def test_second_run_takes_the_code_from_the_cache(
    write: Callable[[str, str], Path], cache: Path, compiled: list[str]
) -> None:
    first = check(write, "<")
    assert "RESP-01" in first and "employees: 100" in first  # quote: 50 * 2
    assert compiled == ["unit.employees < 40", "unit.employees * 2"]
    assert check(write, "<") == first
    assert compiled == ["unit.employees < 40", "unit.employees * 2"]  # nothing compiled again
    # the Chinese message names the path by its titles, from the cache on the second run
    for _ in range(2):
        assert "RESP-01  请核对 单位基本信息／从业人员数：100" in check(write, "<", "zh")


def test_edited_expression_is_compiled_anew(
    write: Callable[[str, str], Path], cache: Path, compiled: list[str]
) -> None:
    assert "RESP-01" in check(write, "<")
    assert "RESP-01" not in check(write, ">")  # 50 > 40 holds: no finding any more
    assert compiled == ["unit.employees < 40", "unit.employees * 2", "unit.employees > 40"]
    assert "RESP-01" in check(write, "<")
    assert len(compiled) == 3  # both versions now come from the cache


def test_damaged_or_hand_changed_file_is_not_used(
    write: Callable[[str, str], Path], cache: Path, compiled: list[str]
) -> None:
    first = check(write, "<")
    file = compiled_file(cache)
    raw = bytearray(file.read_bytes())
    raw[-5] ^= 0xFF  # a changed byte in the body: the digest no longer matches
    file.write_bytes(bytes(raw))
    assert check(write, "<") == first
    assert len(compiled) == 4  # compiled again, not read from the damaged file
    file.write_bytes(file.read_bytes()[:40])  # cut short
    assert check(write, "<") == first
    assert len(compiled) == 6


def test_hand_changed_code_is_not_used(
    write: Callable[[str, str], Path], cache: Path, compiled: list[str]
) -> None:
    first = check(write, "<")
    file = compiled_file(cache)
    raw = file.read_bytes()
    head = raw.index(b"\n") + 1 + 32
    entries = marshal.loads(raw[head:])
    # the code of 'unit.employees > 40' filed under 'unit.employees < 40', digest left as it was
    entries["code"]["unit.employees < 40"] = expressions.expression_code("unit.employees > 40")
    file.write_bytes(raw[:head] + marshal.dumps(entries))
    assert check(write, "<") == first  # still the finding: the changed file was not used
    assert compiled[3:] == ["unit.employees < 40", "unit.employees * 2"]  # compiled again


def test_code_swapped_with_a_valid_digest_but_wrong_types_is_not_used(
    write: Callable[[str, str], Path], cache: Path, compiled: list[str]
) -> None:
    first = check(write, "<")

    def plant(entries: dict[str, Any]) -> None:
        entries["code"] = dict.fromkeys(entries["code"], "print('planted')")  # text, not code

    reseal(compiled_file(cache), plant)
    assert check(write, "<") == first
    assert len(compiled) == 4


def run(write: Callable[[str, str], Path], pack_text: str) -> Result:
    """A check of the minimal unit under the pack ``pack_text``."""
    pack = write("p.yaml", pack_text)
    unit = write("u.yaml", MINIMAL_UNIT)
    return run_cli("check", str(unit), "--rules", str(pack), "--as-of", "2026-06-30")


def test_edited_rule_message_is_read_anew(write: Callable[[str, str], Path], cache: Path) -> None:
    base = PACK.format(op="<")
    edited = base.replace("employees: {actual}", "staff: {actual}")
    assert "employees: 100" in run(write, base).stdout
    for _ in range(2):  # the second time with the rule's parts from the cache
        out = run(write, edited).stdout
        assert "RESP-01  staff: 100" in out and "employees:" not in out
    assert "RESP-01  employees: 100" in run(write, base).stdout


def test_rule_with_a_bad_message_is_refused_on_every_run(
    write: Callable[[str, str], Path], cache: Path
) -> None:
    bad = PACK.format(op="<").replace("employees: {actual}", "employees: {unit.staff_count}")
    for _ in range(2):  # a rule with an error is not kept: the second run finds it again
        result = run(write, bad)
        assert result.exit_code == 2
        assert "error: RESP-01: " in result.stderr and "staff_count" in result.stderr


def test_rule_parts_of_another_shape_are_not_used(
    write: Callable[[str, str], Path], cache: Path
) -> None:
    first = check(write, "<")

    def plant(entries: dict[str, Any]) -> None:
        assert len(entries["rule"]) == 1
        entries["rule"] = dict.fromkeys(entries["rule"], ("planted",))

    reseal(compiled_file(cache), plant)
    assert check(write, "<") == first


def test_another_jinja2_does_not_read_the_file(
    write: Callable[[str, str], Path],
    cache: Path,
    compiled: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    check(write, "<")
    old = compiled_file(cache)
    monkeypatch.setattr(jinja2, "__version__", "99.0")
    check(write, "<")
    assert len(compiled) == 4
    assert compiled_file(cache) != old  # the other environment's file replaced it


def test_damaged_pack_entry_is_rebuilt(write: Callable[[str, str], Path], cache: Path) -> None:
    first = check(write, "<")
    (entry,) = (p for p in cache.glob("*.bin") if not p.name.startswith("compiled-"))
    entry.write_bytes(entry.read_bytes()[:-3] + b"xyz")
    assert check(write, "<") == first
    assert len(entry.read_bytes()) > 100  # written again, whole


def test_no_cache_writes_nothing(
    write: Callable[[str, str], Path], cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPLIANCE_NO_CACHE", "1")
    assert "RESP-01" in check(write, "<")
    assert not cache.exists() or not any(cache.iterdir())


def test_store_keeps_what_was_used_when_it_grows_too_large() -> None:
    old = {"code": {}, "path": {}, "safe": {}, "text": {f"t{i}": "x" for i in range(5000)}}
    store = CompiledStore(None, old)
    assert store.get("text", "t1") == "x"
    store.put("text", "new", "y")
    assert store.new["text"] == {"t1": "x", "new": "y"}


def test_chinese_catalog_is_compiled_once(
    write: Callable[[str, str], Path], cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str] = []
    original = i18n._compile_catalog

    def counting(po: bytes, lang: str) -> bytes:
        made.append(lang)
        return original(po, lang)

    monkeypatch.setattr(i18n, "_compile_catalog", counting)
    outputs = []
    for damage in (False, False, True):
        i18n.translations.cache_clear()  # a new process, as far as the catalog goes
        if damage:
            (entry,) = cache.glob("catalog-zh-*.bin")
            entry.write_bytes(entry.read_bytes()[:-1] + b"!")
        outputs.append(check(write, "<", "zh"))
    i18n.translations.cache_clear()
    assert "汇总" in outputs[0] and outputs[0] == outputs[1] == outputs[2]
    assert made == ["zh", "zh"]  # the first run, and after the entry was damaged
