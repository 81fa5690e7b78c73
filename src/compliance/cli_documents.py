"""``compliance report`` and ``compliance meeting``: documents in PDF and DOCX."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from compliance import startup
from compliance.cli_options import (
    as_of_option,
    check_now,
    document_options,
    document_settings,
    parse_as_of,
    rules_option,
    strict_levels,
    strict_option,
)
from compliance.names import MEETING_DOCUMENTS

history_option = click.option(
    "--history",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Folder of earlier 'check --format json' results: adds the progress since them.",
)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--from",
    "from_json",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Render from a saved 'check --format json' result instead of checking.",
)
@rules_option
@as_of_option()
@document_options(default_out="reports")
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
@click.option(
    "--unit-reports/--no-unit-reports",
    default=True,
    show_default=True,
    help="Render the unit reports (--no-unit-reports: the group report only).",
)
@strict_option
@history_option
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
    unit_reports: bool,
    strict: bool,
    history: Path | None,
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
      compliance report samples/ --no-unit-reports --format pdf   # the group report only
      compliance report --from 2026-q4.json --history results/   # with progress since Q3
    """
    from compliance.diagnostics import UsageProblem
    from compliance.render.reports import load_result, render_all
    from compliance.statusline import Progress

    bad_input = False
    if jobs == 1 and startup.run_as_program():
        # WeasyPrint is imported beside the check (workers import their own; a program that
        # calls this command keeps its process to itself)
        from compliance.render import layoutserver

        layoutserver.start()
    with Progress(sys.stderr) as shown:
        if from_json is not None:
            if paths:
                raise UsageProblem("give unit paths or --from RESULT.json, not both")
            shown.document("check", f"reading {from_json}")
            result = load_result(from_json)
            # --strict on a saved result: the warnings it recorded count as errors
            recorded = result.get("diagnostics", [])
            bad_input = strict and any(d.get("level") == "warning" for d in recorded)
            result["diagnostics"] = [{**d, "level": "error"} if strict else d for d in recorded]
        elif not paths:
            raise UsageProblem("give unit files or folders to check, or --from RESULT.json")
        else:
            shown.document("check", ", ".join(paths))
            result, bad_input = check_now(paths, rules, parse_as_of(as_of), lang, strict)
        opts = document_settings(fmt, out, lang, templates, config)
        if history is not None:
            from compliance.render.history import load_progress

            shown.document("history", str(history))
            opts.progress = load_progress(history, result, lang)
        total = (len(result["units"]) if unit_reports else 0) + (1 if group else 0)
        if total == 0 and result["units"]:
            raise UsageProblem("nothing to render: --no-group with --no-unit-reports")
        if total == 0:
            raise UsageProblem("no unit to report on")
        shown.index, shown.total = 0, total
        failed = 0

        def started(task: str) -> None:
            shown.document(f"unit-report-{task}" if task else "group-report")

        rendered = render_all(
            result, opts, jobs=jobs, group=group, started=started, units=unit_reports
        )
        for finished, (_task, written, problems) in enumerate(rendered, 1):
            if jobs > 1:  # documents finish out of a worker pool: count them
                shown.document(f"{finished} of {total} documents ({jobs} processes)")
            for line in problems:
                shown.echo(line, sys.stderr)
            failed += 1 if problems else 0
            for path in written:
                shown.echo(f"wrote {path}", sys.stdout)
    if failed:
        click.echo(f"compliance: error: {failed} of {total} documents could not be made", err=True)
    startup.end_quickly()  # every file is written and closed
    sys.exit(2 if failed or bad_input else 0)


@click.command()
@click.argument("document", type=click.Choice([*MEETING_DOCUMENTS, "all"]))
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
@as_of_option("the meeting date")
@document_options(default_out="meetings")
@history_option
@click.option(
    "--max-proposals",
    type=click.IntRange(0, 500),
    default=20,
    show_default=True,
    help="At most this many action items proposed from findings.",
)
@click.option(
    "--propose",
    is_flag=True,
    help="Attach to the minutes the action items proposed from critical and major findings "
    "(suggestions, not tasks, until the meeting file adopts them).",
)
@strict_option
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
    history: Path | None,
    max_proposals: int,
    propose: bool,
    strict: bool,
) -> None:
    """Make the notice, sign-in sheet or minutes of a safety meeting (PDF and DOCX).

    The minutes include the current safety situation when check results are given
    (--results, or --units to check on the spot), with --propose an attachment of action
    items proposed from the critical and major findings, and the open action items of the
    previous minutes (the file's 'previous' key) as matters arising. Under --lang zh the
    notice and minutes follow GB/T 9704-2012.

    \b
    Examples:
      compliance meeting notice samples/meetings/2026-q4-conference.meeting.yaml --lang zh
      compliance meeting minutes samples/meetings/2027-q1-committee.meeting.yaml --units samples/
      compliance meeting all conference.meeting.yaml --results result.json --format docx
      compliance meeting minutes q1.meeting.yaml --results 2027-q1.json --history results/
    """
    from compliance.cli_options import echo_all
    from compliance.diagnostics import UsageProblem
    from compliance.meeting_file import load_meeting
    from compliance.render.documents import RenderError
    from compliance.render.meetings import DOCUMENTS, render_meeting
    from compliance.statusline import Progress

    loaded = load_meeting(meeting_file)
    warnings = strict_levels(loaded.warnings, strict)
    echo_all(warnings)
    if results is not None and units:
        raise UsageProblem("give --results or --units, not both")
    result, bad_input = None, bool(strict and warnings)
    if results is not None:
        from compliance.render.reports import load_result

        result = load_result(results)
    elif units:
        result, bad_units = check_now(units, rules, parse_as_of(as_of, loaded.date), lang, strict)
        bad_input = bad_input or bad_units
    opts = document_settings(fmt, out, lang, templates, config)
    if history is not None:
        if result is None:
            raise UsageProblem("--history needs --results or --units")
        from compliance.render.history import load_progress

        before = loaded.previous.date if loaded.previous else None
        opts.progress = load_progress(history, result, lang, before)
    names = list(DOCUMENTS) if document == "all" else [document]
    with Progress(sys.stderr, total=len(names)) as shown:
        for name in names:
            shown.document(f"{meeting_file.name}: {name}")
            try:
                written = render_meeting(name, loaded, result, opts, max_proposals, propose)
            except RenderError as exc:
                raise UsageProblem(str(exc)) from None
            for path in written:
                shown.echo(f"wrote {path}", sys.stdout)
    startup.end_quickly()  # every file is written and closed
    sys.exit(2 if bad_input else 0)
