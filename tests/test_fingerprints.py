"""Fingerprints survive editing: they name a finding by unit, rule and item, never by place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from compliance.rulepack import Pack, load_pack
from compliance.runner import run_check
from tests.test_engine import PACK, UNIT

AS_OF = dt.date(2026, 11, 28)
UNKEYED_RULE = """\
  - id: RISK-07
    area: risks
    title: Major inspections are led by someone
    severity: minor
    basis: b
    rationale: r
    remediation: m
    for_each: risks.major_inspections
    require: {present: led_by}
    message: "inspection on {item.date} names no leader"
"""
INSPECTIONS = """\
  major_inspections:
    - {date: 2026-03-01, scope: boilers}
    - {date: 2026-05-01, scope: coal yard, led_by: Zhou}
    - {date: 2026-07-01, scope: ammonia area}
"""


@pytest.fixture
def pack(write: Callable[[str, str], Path]) -> Pack:
    return load_pack(str(write("pack.yaml", PACK + UNKEYED_RULE)))


def prints(
    write: Callable[[str, str], Path], pack: Pack, text: str, name: str = "coal-01.yaml"
) -> dict[tuple[str, str | None], str]:
    """(rule, item) -> fingerprint of every finding of the unit in ``text``."""
    result = run_check([str(write(f"units/{name}", text))], pack, AS_OF)
    assert not result.has_errors, result.diagnostics
    got = {(f.rule, f.item): f.fingerprint for f in result.findings}
    assert len(got) == len(result.findings) == len(set(got.values()))
    return got


BASE = UNIT.replace("risks:\n", "risks:\n" + INSPECTIONS)


def test_moving_lines_and_editing_comments_keep_fingerprints(
    write: Callable[[str, str], Path], pack: Pack
) -> None:
    before = prints(write, pack, "# first comment\n" + BASE)
    edited = "# another comment\n# and one more line\n\n" + BASE.replace(
        "risks:", "# hazards below\nrisks:  # all of them"
    )
    # the sections swap places too: quality before risks
    head, risks = edited.split("risks:", 1)
    hazards, quality = risks.split("quality:", 1)
    edited = head + "quality:" + quality + "risks:" + hazards
    after = prints(write, pack, edited)
    assert after == before
    assert ("RISK-04", "HD-02") in before


def test_renaming_the_file_keeps_fingerprints(
    write: Callable[[str, str], Path], pack: Pack
) -> None:
    before = prints(write, pack, BASE)
    after = prints(write, pack, BASE, name="renamed/beiyuan-plant.yaml")
    assert after == before


def test_adding_and_removing_other_items_keeps_fingerprints(
    write: Callable[[str, str], Path], pack: Pack
) -> None:
    before = prints(write, pack, BASE)
    more = BASE.replace(
        "    - {id: HD-01,",
        "    - {id: HD-00, description: New, status: open, deadline: 2026-09-01}\n"
        "    - {id: HD-01,",
    ).replace(
        "    - post: Boiler operator",
        "    - post: Welder\n      signed_on: 2020-01-01\n    - post: Boiler operator",
    )
    after = prints(write, pack, more)
    assert {k: after[k] for k in before} == before
    assert set(after) - set(before) == {("RISK-04", "HD-00"), ("RESP-03", "Welder")}
    fewer = BASE.replace(
        "    - {id: HD-01, description: Leaking valve, status: closed, deadline: 2025-01-01}\n", ""
    )
    assert prints(write, pack, fewer) == before


def test_changing_the_item_key_changes_the_fingerprint(
    write: Callable[[str, str], Path], pack: Pack
) -> None:
    before = prints(write, pack, BASE)
    after = prints(write, pack, BASE.replace("id: HD-02", "id: HD-22"))
    assert ("RISK-04", "HD-22") in after
    assert after[("RISK-04", "HD-22")] != before[("RISK-04", "HD-02")]
    assert {k: v for k, v in after.items() if k[1] != "HD-22"} == {
        k: v for k, v in before.items() if k[1] != "HD-02"
    }


def test_changing_the_unit_id_changes_every_fingerprint(
    write: Callable[[str, str], Path], pack: Pack
) -> None:
    before = prints(write, pack, BASE)
    after = prints(write, pack, BASE.replace("id: coal-01", "id: coal-02"))
    assert set(after) == set(before)
    assert not set(after.values()) & set(before.values())


def test_unit_level_finding_keeps_its_fingerprint_while_its_message_changes(
    write: Callable[[str, str], Path], pack: Pack
) -> None:
    before = prints(write, pack, BASE)
    after = prints(write, pack, BASE.replace("employees: 820", "employees: 900"))
    assert ("RESP-07", None) in before
    assert after[("RESP-07", None)] == before[("RESP-07", None)]


def test_items_without_a_key_are_named_by_content_not_position(
    write: Callable[[str, str], Path], pack: Pack
) -> None:
    before = prints(write, pack, BASE)
    # the findings show the position for people...
    assert {k[1] for k in before if k[0] == "RISK-07"} == {"#1", "#3"}
    first = before[("RISK-07", "#1")]
    third = before[("RISK-07", "#3")]
    # ...but an inspection added in front shifts positions, not fingerprints
    shifted = BASE.replace(
        "  major_inspections:\n",
        "  major_inspections:\n    - {date: 2026-01-15, scope: all, led_by: Li}\n",
    )
    after = prints(write, pack, shifted)
    assert after[("RISK-07", "#2")] == first
    assert after[("RISK-07", "#4")] == third
    # editing the item itself makes it another item
    edited = prints(write, pack, BASE.replace("scope: ammonia area", "scope: ammonia tanks"))
    assert edited[("RISK-07", "#3")] != third
    assert edited[("RISK-07", "#1")] == first


def test_items_sharing_a_key_get_distinct_fingerprints(
    write: Callable[[str, str], Path], pack: Pack
) -> None:
    twice = BASE.replace(
        "    - {id: HD-03,",
        "    - {id: HD-02, description: Second entry, status: open, deadline: 2026-09-01}\n"
        "    - {id: HD-03,",
    )
    result = run_check([str(write("units/coal-01.yaml", twice))], pack, AS_OF)
    hd02 = [f.fingerprint for f in result.findings if f.rule == "RISK-04" and f.item == "HD-02"]
    assert len(hd02) == 2 and len(set(hd02)) == 2
    # the first keeps the fingerprint it had before the duplicate was added
    assert prints(write, pack, BASE)[("RISK-04", "HD-02")] == hd02[0]


def test_sample_fingerprints_are_unchanged() -> None:
    """Meeting files adopt findings by fingerprint: the samples' must not move."""
    from tests.conftest import RULES, SAMPLES

    result = run_check([str(SAMPLES)], load_pack(str(RULES / "cn-work-safety")), AS_OF)
    got = {(f.unit, f.rule, f.item): f.fingerprint for f in result.findings}
    assert got[("coal-01", "RISK-05", "HX-YH-2026-006")] == "9464156ab0876add"
    assert got[("maint-01", "CONC-05", None)] == "cfc2285ac9d882fe"
    assert got[("wind-01", "PLAN-05", None)] == "49b66890a9a6b91c"
