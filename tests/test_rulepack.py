"""Rule packs: broken rules are precise errors; extension, switches and overrides work."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from compliance.diagnostics import InputError
from compliance.rulepack import load_pack

HEADER = """\
pack:
  name: t
  version: "1"
rules:
"""

RULE = """\
  - id: {id}
    area: {area}
    title: t
    severity: major
    basis: b
    rationale: r
    remediation: m
    message: "msg"
    require: {require}
"""


def pack_text(*rules: tuple[str, str, str]) -> str:
    return HEADER + "".join(RULE.format(id=i, area=a, require=r) for i, a, r in rules)


def errors(path: Path) -> list[str]:
    with pytest.raises(InputError) as exc:
        load_pack(str(path))
    return [str(d) for d in exc.value.diagnostics]


@pytest.mark.parametrize(
    ("require", "message"),
    [
        (
            "{presnt: unit.name}",
            "RESP-01: unknown operator 'presnt' (expected one of: present, absent, field, count, sum, every, some, all, any, not, expr); did you mean 'present'?",
        ),
        (
            "{present: unit.nmae}",
            "RESP-01: unknown field 'nmae' in path 'unit.nmae'; did you mean 'name'?",
        ),
        (
            "{field: unit.kind, eq: coall}",
            "RESP-01: 'coall' is not one of the field's values: coal, gas, hydro, wind, solar, nuclear, maintenance, headquarters, other (did you mean 'coal'?)",
        ),
        ("{field: unit.employees, gt: many}", "RESP-01: 'many' is not a number"),
        (
            "{field: valid_on, within: soon}",
            "RESP-01: 'within' takes a period such as '12 months' on a date field",
        ),
        ("{expr: 'unit.name =='}", "RESP-01: bad expression: unexpected ')'"),
        (
            "{expr: \"''.__class__.__mro__\"}",
            "RESP-01: expression may not use names starting with '_' (__mro__)",
        ),
        (
            "{expr: \"unit | attr('__globals__')\"}",
            "RESP-01: expression may not use names starting with '_' (__globals__)",
        ),
        (
            '{expr: "unit.name", quote: "\'\'.__class__"}',
            "RESP-01: expression may not use names starting with '_' (__class__)",
        ),
        (
            '{expr: "unit.name", quote: [a]}',
            "RESP-01: 'quote' takes an expression as text",
        ),
        (
            "{field: unit.employees, gt: {field: valid_on}}",
            "RESP-01: cannot compare a number with 'valid_on', a date",
        ),
        (
            "{field: unit.name}",
            "RESP-01: a comparison is needed: one of eq, ne, gt, ge, lt, le, in, not_in, matches, within",
        ),
        (
            "{every: responsibility.posts.post, require: {present: x}}",
            "RESP-01: 'responsibility.posts.post': 'post' is inside a list; use every/some/count or for_each",
        ),
    ],
)
def test_broken_rule_names_rule_and_position(
    write: Callable[[str, str], Path], require: str, message: str
) -> None:
    path = write("p.yaml", pack_text(("RESP-01", "responsibility", require)))
    (line,) = errors(path)
    assert line.startswith("p.yaml:") or "/p.yaml:" in line
    position, text = line.split(": error: ")
    assert int(position.split(":")[-2]) == 13  # the line of 'require'
    assert text == message


def test_duplicate_id_and_area_prefix(write: Callable[[str, str], Path]) -> None:
    path = write(
        "p.yaml",
        pack_text(
            ("RESP-01", "responsibility", "{present: unit.name}"),
            ("RESP-01", "responsibility", "{present: unit.name}"),
            ("PLAN-01", "risks", "{present: unit.name}"),
        ),
    )
    found = [ln.split(": error: ")[1] for ln in errors(path)]
    assert found[0].startswith("RESP-01: duplicate rule id (also at ")
    assert found[1] == "PLAN-01: id must carry its area's prefix 'RISK-' (area risks)"


def test_unknown_rule_key_is_a_warning(write: Callable[[str, str], Path]) -> None:
    text = pack_text(("RESP-01", "responsibility", "{present: unit.name}")).replace(
        "severity: major", "severity: major\n    severty: minor"
    )
    pack = load_pack(str(write("p.yaml", text)))
    assert [d.message for d in pack.warnings] == [
        "rules[0].severty: unknown key 'severty' is ignored; did you mean 'severity'?"
    ]


def test_extend_disable_override(write: Callable[[str, str], Path]) -> None:
    write(
        "base.yaml",
        pack_text(
            ("RESP-01", "responsibility", "{present: unit.name}"),
            ("RESP-02", "responsibility", "{present: unit.parent}"),
        ),
    )
    child = write(
        "child.yaml",
        """\
        pack: {name: child, version: "2", extends: base.yaml}
        disable: [RESP-02]
        override:
          RESP-01: {severity: critical, remediation: {en: Do it now, zh: 立即整改}}
        rules:
          - id: GRP-RISK-01
            area: risks
            title: group rule
            severity: minor
            basis: group policy
            rationale: r
            remediation: m
            message: m
            require: {present: risks.hidden_dangers}
        """,
    )
    pack = load_pack(str(child))
    assert list(pack.rules) == ["RESP-01", "GRP-RISK-01"]
    assert pack.rules["RESP-01"].severity == "critical"
    assert pack.rules["RESP-01"].remediation == {"en": "Do it now", "zh": "立即整改"}
    assert pack.chain == ["t", "child"]


def test_disable_unknown_rule_is_an_error(write: Callable[[str, str], Path]) -> None:
    write("base.yaml", pack_text(("RESP-01", "responsibility", "{present: unit.name}")))
    child = write(
        "child.yaml", 'pack: {name: c, version: "1", extends: base.yaml}\ndisable: [RESP-09]\n'
    )
    (line,) = errors(child)
    assert line.endswith(
        "child.yaml:2:11: error: RESP-09: cannot disable a rule that is not in the pack"
    )


def test_extension_cycle(write: Callable[[str, str], Path]) -> None:
    write("a.yaml", 'pack: {name: a, version: "1", extends: b.yaml}\n')
    b = write("b.yaml", 'pack: {name: b, version: "1", extends: a.yaml}\n')
    (line,) = errors(b)
    assert "packs extend each other in a cycle" in line


def test_builtin_packs_have_enough_rules() -> None:
    cn = load_pack("cn-work-safety")
    iso = load_pack("iso45001")
    assert len(cn.rules) >= 90 and len(iso.rules) >= 15
    for pack in (cn, iso):
        areas = {r.area for r in pack.rules.values()}
        assert len(areas) == 7, pack.name
        for rule in pack.rules.values():
            assert rule.basis["en"] and rule.basis["zh"], rule.id
            assert rule.title["zh"] != rule.title["en"], f"{rule.id} has no Chinese title"
            assert rule.message.texts["zh"] != rule.message.texts["en"], rule.id


def test_pack_cache_follows_edits(
    write: Callable[[str, str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    text = pack_text(("RESP-01", "responsibility", "{present: unit.name}"))
    path = write("p.yaml", text.replace("severity: major", "severity: major\n    severty: minor"))
    for _ in range(2):  # the second load comes from the cache, warnings included
        pack = load_pack(str(path))
        assert pack.rules["RESP-01"].severity == "major"
        assert [d.message for d in pack.warnings] == [
            "rules[0].severty: unknown key 'severty' is ignored; did you mean 'severity'?"
        ]
    folder = tmp_path / "cache" / "compliance" / "packs"
    # one pack entry and one compiled file (in any order: a pack entry is named by its key)
    assert sorted(p.name.startswith("compiled-") for p in folder.iterdir()) == [False, True]
    path.write_text(text.replace("severity: major", "severity: critical"), "utf-8")
    assert load_pack(str(path)).rules["RESP-01"].severity == "critical"
    path.write_text(text.replace("{present: unit.name}", "{presnt: unit.name}"), "utf-8")
    assert "unknown operator 'presnt'" in errors(path)[0]


def test_national_pack_bases_are_honest() -> None:
    """Good practice the law does not state is cited as group policy or a standard, not as law;
    the two-tickets rules cite both safety codes; the hidden-danger rules the NEA's rules."""
    cn = load_pack("cn-work-safety")
    for rid in ("CONC-01", "RESP-03", "QUAL-05", "STD-01", "LAW-01"):
        basis = cn.rules[rid].basis
        assert basis["en"].startswith(("group policy", "GB/T 33000-2016")), rid
        assert "集团制度" in basis["zh"], rid
    for rid in ("STD-04", "STD-09", "STD-10", "QUAL-10"):
        assert "GB 26860" in cn.rules[rid].basis["en"], rid
        assert "GB 26164.1" in cn.rules[rid].basis["en"], rid
    for rid in ("RISK-03", "RISK-04", "RISK-05", "RISK-06", "RISK-07", "RISK-08"):
        assert "《电力安全隐患治理监督管理规定》（2022年）" in cn.rules[rid].basis["zh"], rid
    # the NEA rules of 2022 replaced 电监安全〔2013〕5号; no rule cites the old one
    assert not [r for r in cn.rules.values() if "电监安全〔2013〕5号" in r.basis["zh"]]
    assert "第二十四条第二款" in cn.rules["RESP-11"].basis["zh"]
    assert "财资〔2022〕136号" in cn.rules["PLAN-13"].basis["zh"]
    assert "基本消除" in cn.rules["RISK-11"].title["zh"]


def test_national_pack_group_policy_where_the_text_asks_less() -> None:
    """Where a rule asks more than the cited text (each on-site plan, every plan of a small
    unit, a small hydro station), its basis says which part is group policy."""
    cn = load_pack("cn-work-safety")
    for rid in ("PLAN-06", "PLAN-10", "PLAN-16", "STD-17", "STD-18", "CONC-04"):
        assert "group policy" in cn.rules[rid].basis["en"], rid
        assert "集团制度" in cn.rules[rid].basis["zh"], rid
    assert "第二十九条" in cn.rules["RISK-17"].basis["zh"]
    assert "国能发安全〔2023〕22号" in cn.rules["STD-14"].basis["zh"]
