"""The command line: a thin Click layer. Heavy modules are imported inside the commands."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

import click

from compliance import __version__

SEVERITY_CHOICES = ["critical", "major", "minor", "info", "never"]
FORMAT_CHOICES = ["text", "json", "junit", "sarif", "csv"]


def _as_of(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    from compliance.diagnostics import UsageProblem
    from compliance.schema import parse_date

    parsed = parse_date(value)
    if isinstance(parsed, str):
        raise UsageProblem(f"--as-of: {parsed}")
    return parsed


rules_option = click.option(
    "--rules",
    "rules",
    metavar="PACK|FILE",
    default=None,
    help="Rule pack name (cn-work-safety, iso45001) or path. Default: cn-work-safety.",
)
lang_option = click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default="en",
    show_default=True,
    help="Language of rule titles and messages.",
)


class _Group(click.Group):
    """Shows a one-line error instead of a traceback unless --debug is given."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except OSError as exc:
            if isinstance(exc, BrokenPipeError):
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
                sys.exit(0)
            # a folder that cannot be written, a full disk...: one line, nothing half-written
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"compliance: error: {where}{exc.strerror or exc}", err=True)
            sys.exit(2)
        except BrokenPipeError:
            # 'compliance rules list | head -1': the reader left; stop quietly like other tools
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(0)
        except Exception as exc:
            if ctx.params.get("debug"):
                raise
            click.echo(
                f"compliance: error: internal error: {type(exc).__name__}: {exc} "
                "(run with --debug for details)",
                err=True,
            )
            sys.exit(3)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="compliance")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def main(debug: bool) -> None:
    """Check work-safety unit descriptions against rule packs.

    \b
    Examples:
      compliance check samples/ --as-of 2026-06-30
      compliance check plant.yaml --format json --output result.json
      compliance rules list --rules iso45001
      compliance schema > unit.schema.json
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@rules_option
@click.option(
    "--as-of",
    "as_of",
    metavar="YYYY-MM-DD",
    help="Date the checks are measured against. Default: today.",
)
@click.option(
    "--format", "fmt", type=click.Choice(FORMAT_CHOICES), default="text", show_default=True
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to FILE instead of the terminal.",
)
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITY_CHOICES),
    default="minor",
    show_default=True,
    help="Exit 1 when an open finding is at least this severe.",
)
@lang_option
@click.option(
    "--color/--no-color", default=None, help="Colour the text format (default: on a terminal)."
)
def check(
    paths: tuple[str, ...],
    rules: str | None,
    as_of: str | None,
    fmt: str,
    output: Path | None,
    fail_on: str,
    lang: str,
    color: bool | None,
) -> None:
    """Check unit files and folders of unit files.

    Exit status: 0 when no open finding reaches --fail-on, 1 when one does, 2 when an input
    file (or the rule pack) is bad; the other units are still checked and reported.

    \b
    Examples:
      compliance check samples/
      compliance check samples/coal-01.yaml --as-of 2026-06-30 --fail-on major
      compliance check samples/ --format sarif --output findings.sarif
      compliance check samples/ --rules my-group-policy.yaml --lang zh
    """
    from compliance.formats import FORMATS, threshold_reached
    from compliance.output import write_atomic
    from compliance.rulepack import load_pack
    from compliance.runner import run_check

    day = _as_of(as_of)
    pack = load_pack(rules)
    for w in pack.warnings:
        click.echo(str(w), err=True)
    result = run_check(paths, pack, day)
    for d in result.diagnostics:
        click.echo(str(d), err=True)
    if fmt == "text":
        use_colour = color if color is not None else (output is None and sys.stdout.isatty())
        from compliance.formats import to_text

        text = to_text(result, lang, colour=use_colour)
    else:
        text = FORMATS[fmt](result, lang)
    if output is not None:
        write_atomic(output, text.encode("utf-8"))
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False, color=color)
    if result.has_errors:
        sys.exit(2)
    sys.exit(1 if threshold_reached(result, fail_on) else 0)


@main.command()
@click.argument("kind", type=click.Choice(["unit", "pack", "meeting", "config"]), default="unit")
def schema(kind: str) -> None:
    """Print the JSON Schema of unit files (or of rule packs, meeting files, the config).

    \b
    Examples:
      compliance schema > unit.schema.json
      compliance schema meeting > meeting.schema.json
    Point your editor's YAML extension at the file, e.g. a first line
    "# yaml-language-server: $schema=unit.schema.json" in a unit file.
    """
    from compliance.schema import schema_json

    click.echo(schema_json(kind), nl=False)


@main.group()
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
    from compliance.rulepack import load_pack

    pack = load_pack(rules)
    click.echo(f"# {pack.name} {pack.version}: {pack.title[lang]} ({len(pack.rules)} rules)")
    for r in pack.rules.values():
        click.echo(f"{r.id:<14} {r.severity:<9} {r.area:<15} {r.title[lang]}")


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
    import yaml

    from compliance.diagnostics import UsageProblem
    from compliance.rulepack import load_pack

    pack = load_pack(rules)
    rule = pack.rules.get(rule_id.upper())
    if rule is None:
        import difflib

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
    ]
    for label, value in fields:
        click.echo(f"{label + ':':<13}{value}")
    logic = {
        k: rule.source[k]
        for k in ("when", "for_each", "where", "key", "require")
        if k in rule.source
    }
    click.echo("Logic:")
    dumped = yaml.safe_dump(logic, allow_unicode=True, sort_keys=False, default_flow_style=False)
    click.echo("".join("  " + ln + "\n" for ln in dumped.splitlines()), nl=False)


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
    from compliance.rulepack import load_pack
    from compliance.rulestest import run_pack_tests

    pack = load_pack(pack_name)
    results, problems = run_pack_tests(pack)
    for r in results:
        if verbose or not r.ok:
            mark = "ok  " if r.ok else "FAIL"
            click.echo(
                f"{mark} {r.rule:<12} {r.name}"
                + ("" if r.ok else f"\n     {r.file}:{r.line}: {r.detail}")
            )
    for p in problems:
        click.echo(str(p), err=True)
    failed = sum(1 for r in results if not r.ok)
    click.echo(
        f"{pack.name}: {len(pack.rules)} rules, {len(results)} cases, {failed} failed, "
        f"{len(problems)} problems"
    )
    sys.exit(1 if failed or problems else 0)


def _formats(value: str) -> tuple[str, ...]:
    from compliance.diagnostics import UsageProblem

    formats = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    bad = [f for f in formats if f not in ("pdf", "docx")]
    if bad or not formats:
        raise UsageProblem(f"--format: expected pdf, docx or pdf,docx, got '{value}'")
    return formats


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--from",
    "from_json",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Render from a saved 'check --format json' result instead of checking.",
)
@rules_option
@click.option(
    "--as-of",
    "as_of",
    metavar="YYYY-MM-DD",
    help="Date the checks are measured against. Default: today.",
)
@click.option(
    "--format", "fmt", default="pdf,docx", show_default=True, help="pdf, docx or pdf,docx."
)
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("reports"),
    show_default=True,
    help="Folder for the documents.",
)
@lang_option
@click.option(
    "--templates",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Folder of templates that override the built-in ones (whole files or blocks).",
)
@click.option(
    "--config",
    "config",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Project configuration (branding). Default: ./compliance.yaml if present.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Render this many documents in parallel.",
)
@click.option(
    "--group/--no-group", default=True, show_default=True, help="Also render the group report."
)
def report(
    paths: tuple[str, ...],
    from_json: Path | None,
    rules: str | None,
    as_of: str | None,
    fmt: str,
    out: Path,
    lang: str,
    templates: Path | None,
    config: Path | None,
    jobs: int,
    group: bool,
) -> None:
    """Render gap reports (PDF and DOCX): one per unit and one for the group.

    Runs the check itself (same options as 'check'), or renders a saved result with --from.
    Exit status 0 when every document was written, 2 when an input or template was bad (the
    other documents are still written).

    \b
    Examples:
      compliance report samples/ --as-of 2026-11-28 --out reports/
      compliance report samples/ --lang zh --format pdf --jobs 2
      compliance check samples/ --format json -o result.json && compliance report --from result.json
      compliance report samples/coal-01.yaml --templates my-templates/ --no-group
    """
    from compliance.diagnostics import UsageProblem
    from compliance.render.config import load_branding
    from compliance.render.documents import Options
    from compliance.render.reports import load_result, render_all

    formats = _formats(fmt)
    bad_input = False
    if from_json is not None:
        if paths:
            raise UsageProblem("give unit paths or --from RESULT.json, not both")
        result = load_result(from_json)
    else:
        if not paths:
            raise UsageProblem("give unit files or folders to check, or --from RESULT.json")
        from compliance.rulepack import load_pack
        from compliance.runner import run_check

        pack = load_pack(rules)
        for w in pack.warnings:
            click.echo(str(w), err=True)
        checked = run_check(paths, pack, _as_of(as_of))
        for d in checked.diagnostics:
            click.echo(str(d), err=True)
        bad_input = checked.has_errors
        result = checked.to_json(lang)
    opts = Options(
        out=out, formats=formats, lang=lang, templates=templates, branding=load_branding(config)
    )
    for warning in opts.branding.warnings:
        click.echo(str(warning), err=True)
    total = len(result["units"]) + (1 if group else 0)
    if total == 0:
        click.echo("compliance: error: no unit to report on", err=True)
        sys.exit(2)
    show_bar = sys.stderr.isatty()
    failed = 0
    with click.progressbar(
        length=total, label="rendering", file=sys.stderr, hidden=not show_bar
    ) as bar:
        for _task, written, problems in render_all(result, opts, jobs=jobs, group=group):
            for line in problems:
                click.echo(("\n" if show_bar else "") + line, err=True)
            failed += 1 if problems else 0
            for path in written:
                click.echo(f"wrote {path}")
            bar.update(1)
    if failed:
        click.echo(f"compliance: error: {failed} of {total} documents could not be made", err=True)
    sys.exit(2 if failed or bad_input else 0)


@main.command()
@click.argument("document", type=click.Choice(["notice", "signin", "minutes", "all"]))
@click.argument(
    "meeting_file",
    metavar="MEETING.yaml",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
)
@click.option(
    "--results",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="A saved 'check --format json' result for the current safety situation.",
)
@click.option(
    "--units",
    "units",
    multiple=True,
    type=click.Path(),
    help="Unit files or folders to check on the spot instead of --results (repeatable).",
)
@rules_option
@click.option(
    "--as-of",
    "as_of",
    metavar="YYYY-MM-DD",
    help="As-of date of an on-the-spot check. Default: the meeting date.",
)
@click.option(
    "--format", "fmt", default="pdf,docx", show_default=True, help="pdf, docx or pdf,docx."
)
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("meetings"),
    show_default=True,
    help="Folder for the documents.",
)
@lang_option
@click.option(
    "--templates",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Folder of templates that override the built-in ones.",
)
@click.option(
    "--config",
    "config",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Project configuration (branding). Default: ./compliance.yaml if present.",
)
@click.option(
    "--max-proposals",
    type=click.IntRange(0, 500),
    default=20,
    show_default=True,
    help="At most this many action items proposed from findings.",
)
def meeting(
    document: str,
    meeting_file: Path,
    results: Path | None,
    units: tuple[str, ...],
    rules: str | None,
    as_of: str | None,
    fmt: str,
    out: Path,
    lang: str,
    templates: Path | None,
    config: Path | None,
    max_proposals: int,
) -> None:
    """Make the notice, sign-in sheet or minutes of a safety meeting (PDF and DOCX).

    The minutes include the current safety situation and proposed action items when check
    results are given (--results, or --units to check on the spot), and the open action
    items of the previous minutes (the file's 'previous' key) as matters arising.

    \b
    Examples:
      compliance meeting notice samples/meetings/2026-annual-conference.meeting.yaml
      compliance meeting minutes samples/meetings/2026-q2-committee.meeting.yaml --units samples/
      compliance meeting all conference.meeting.yaml --results result.json --lang zh --format docx
    """
    from compliance.diagnostics import UsageProblem
    from compliance.meetings import load_meeting
    from compliance.render.config import load_branding
    from compliance.render.documents import Options, RenderError
    from compliance.render.meetings import DOCUMENTS, render_meeting

    formats = _formats(fmt)
    loaded = load_meeting(meeting_file)
    for w in loaded.warnings:
        click.echo(str(w), err=True)
    result = None
    bad_input = False
    if results is not None and units:
        raise UsageProblem("give --results or --units, not both")
    if results is not None:
        from compliance.render.reports import load_result

        result = load_result(results)
    elif units:
        from compliance.rulepack import load_pack
        from compliance.runner import run_check

        pack = load_pack(rules)
        day = _as_of(as_of) if as_of else loaded.date
        checked = run_check(units, pack, day)
        for d in checked.diagnostics:
            click.echo(str(d), err=True)
        bad_input = checked.has_errors
        result = checked.to_json(lang)
    opts = Options(
        out=out, formats=formats, lang=lang, templates=templates, branding=load_branding(config)
    )
    for warning in opts.branding.warnings:
        click.echo(str(warning), err=True)
    names = list(DOCUMENTS) if document == "all" else [document]
    for name in names:
        try:
            written = render_meeting(name, loaded, result, opts, max_proposals)
        except RenderError as exc:
            raise UsageProblem(str(exc)) from None
        for path in written:
            click.echo(f"wrote {path}")
    sys.exit(2 if bad_input else 0)
