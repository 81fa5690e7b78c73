"""``compliance rules list|show|test``: the rule catalogue and the rule authors' test runner."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from compliance.cli_options import (
    as_of_option,
    echo_all,
    format_option,
    lang_option,
    output_option,
    output_target,
    parse_as_of,
    rules_option,
    write_output,
)
from compliance.names import RULES_DIFF_FORMATS


@click.group()
def rules() -> None:
    """List, show and test the rules of a pack.

    \b
    Examples:
      compliance rules list
      compliance rules show RESP-03 --lang zh
      compliance rules test cn-work-safety
    """


@rules.command("list")
@rules_option
@lang_option
def rules_list(rules: str | None, lang: str) -> None:
    """One rule a line: id, severity, area, title.

    \b
    Examples:
      compliance rules list
      compliance rules list --rules iso45001 --lang zh
    """
    from compliance.diagnostics import literal
    from compliance.rulepack import load_pack

    pack = load_pack(rules)
    echo_all(pack.warnings)  # a misspelt key (vetoo: true) must not go unnoticed
    title = literal(pack.title[lang])  # packs are shared data: nothing in them drives the terminal
    click.echo(f"# {literal(pack.name)} {literal(pack.version)}: {title} ({len(pack.rules)} rules)")
    for r in pack.rules.values():
        click.echo(f"{r.id:<14} {r.severity:<9} {r.area:<15} {literal(r.title[lang])}")


@rules.command("show")
@click.argument("rule_id")
@rules_option
@lang_option
def rules_show(rule_id: str, rules: str | None, lang: str) -> None:
    """The full text of one rule.

    \b
    Examples:
      compliance rules show RESP-03
      compliance rules show RISK-04 --lang zh
    """
    import difflib

    import yaml

    from compliance.diagnostics import UsageProblem, literal
    from compliance.rulepack import load_pack

    pack = load_pack(rules)
    rule = pack.rules.get(rule_id.upper())
    if rule is None:
        hint = difflib.get_close_matches(rule_id.upper(), list(pack.rules), 1)
        tip = f"; did you mean {hint[0]}?" if hint else ""
        raise UsageProblem(f"no rule {rule_id} in pack {pack.name}{tip}")
    fields = [
        ("Rule", f"{rule.id}  {rule.title[lang]}"),
        ("Area", rule.area),
        ("Severity", rule.severity),
        ("Basis", rule.basis[lang]),
        ("Rationale", rule.rationale[lang]),
        ("Remediation", rule.remediation[lang]),
        ("Message", rule.message.texts[lang]),
        ("Defined in", f"{rule.file}:{rule.line} (pack {rule.pack})"),
        ("Needs", ", ".join(rule.needs_text()) or "-"),
    ]
    if rule.veto:
        fields.append(("Veto", "yes: an open finding fails the unit whatever its score"))
    if rule.penalty is not None:
        p = rule.penalty
        fields.append(("Penalty", f"{p.basis[lang]}: CNY {p.min_cny:,.0f} to {p.max_cny:,.0f}"))
    if rule.effective_on or rule.until:
        start = rule.effective_on.isoformat() if rule.effective_on else "-"
        end = rule.until.isoformat() if rule.until else "-"
        fields.append(("In force", f"from {start} until {end}"))
    for label, value in fields:
        click.echo(f"{label + ':':<13}{literal(value, keep=chr(10))}")
    logic = {
        k: rule.source[k]
        for k in ("when", "for_each", "where", "key", "require")
        if k in rule.source
    }
    click.echo("Logic:")
    dumped = yaml.safe_dump(logic, allow_unicode=True, sort_keys=False, default_flow_style=False)
    click.echo("".join("  " + literal(ln) + "\n" for ln in dumped.splitlines()), nl=False)


@rules.command("test")
@click.argument("pack_name", metavar="[PACK]", required=False)
@click.option("--verbose", "-v", is_flag=True, help="List every case, not only failures.")
def rules_test(pack_name: str | None, verbose: bool) -> None:
    """Run the pass and fail cases shipped with a pack (tests/RULE-ID.yaml).

    Exit status 0 when every case behaves as expected and every rule has a passing and a
    failing case; 1 otherwise; 2 when the pack itself is broken.

    \b
    Examples:
      compliance rules test cn-work-safety
      compliance rules test ./rules/my-policy -v
    """
    from compliance.diagnostics import literal
    from compliance.rulepack import load_pack
    from compliance.rulestest import run_pack_tests

    pack = load_pack(pack_name)
    results, problems = run_pack_tests(pack)
    for r in results:
        if verbose or not r.ok:
            mark = "ok  " if r.ok else "FAIL"
            detail = "" if r.ok else f"\n     {literal(r.file)}:{r.line}: {literal(r.detail)}"
            click.echo(f"{mark} {r.rule:<12} {literal(r.name)}{detail}")
    echo_all(problems)
    failed = sum(1 for r in results if not r.ok)
    click.echo(
        f"{pack.name}: {len(pack.rules)} rules, {len(results)} cases, {failed} failed, "
        f"{len(problems)} problems"
    )
    sys.exit(1 if failed or problems else 0)


@rules.command("diff")
@click.argument("old_pack", metavar="OLD_PACK")
@click.argument("new_pack", metavar="NEW_PACK")
@click.argument("units", nargs=-1, type=click.Path())
@as_of_option()
@format_option(RULES_DIFF_FORMATS)
@output_option()
def rules_diff(
    old_pack: str,
    new_pack: str,
    units: tuple[str, ...],
    as_of: str | None,
    fmt: str,
    output: Path | None,
) -> None:
    """Rules added, removed and changed between two packs; with UNITS, the units newly failing.

    A rule is changed when any of its fields differs (severity, texts, logic, needs, veto,
    penalty, effective dates); the fields are named. Given unit files or folders, both packs
    check them as of --as-of and the units failing a rule they did not fail before (or newly
    vetoed) are listed. Exit status 0, or 2 when a pack or unit file is bad.

    \b
    Examples:
      compliance rules diff cn-work-safety ./rules/cn-work-safety-2027
      compliance rules diff old-pack/ new-pack/ samples/ --as-of 2027-01-01 --format json
    """
    from compliance.rulediff import diff_packs, newly_failing
    from compliance.rulepack import load_pack

    spec = RULES_DIFF_FORMATS[fmt]
    output = output_target(output, fmt, spec)
    day = parse_as_of(as_of)
    old, new = load_pack(old_pack), load_pack(new_pack)
    echo_all([*old.warnings, *new.warnings])
    changes = diff_packs(old, new)
    failing = None
    bad = False
    if units:
        failing, problems = newly_failing(units, old, new, day, changes)
        echo_all(problems)
        bad = any(d.is_error for d in problems)
    write_output(output, spec.load()(changes, failing, day))
    sys.exit(2 if bad else 0)
