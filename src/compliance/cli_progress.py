"""``compliance diff`` (progress between saved check results: new, persisting, resolved...) and
``compliance stats`` (the hidden-danger statistics of a saved result)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from compliance.cli_options import (
    fail_on_option,
    format_option,
    lang_option,
    output_option,
    output_target,
    write_output,
)
from compliance.dangerstats import PERIODS
from compliance.names import DIFF_FORMATS, STATS_FORMATS


@click.command()
@click.argument("results", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@format_option(DIFF_FORMATS)
@output_option()
@fail_on_option("a new or regressed finding")
@lang_option
def diff(results: tuple[Path, ...], fmt: str, output: Path | None, fail_on: str, lang: str) -> None:
    """Compare saved results of 'compliance check --format json'.

    Each open finding of the newest result is new, persisting (open since the first result in a
    row that had it) or regressed (resolved once, back again); findings of the previous result
    that are gone are resolved. Also: score changes by unit and area, waivers added or expired.
    Results are ordered by their as-of dates; give more than two for the history.

    Exit status: 0, or 1 when a new or regressed finding reaches --fail-on; 2 when a result
    file is bad.

    \b
    Examples:
      compliance diff 2026-q3.json 2026-q4.json
      compliance diff q1.json q2.json q3.json q4.json --fail-on major --lang zh
      compliance diff q3.json q4.json --format xlsx -o progress.xlsx
    """
    from compliance.diagnostics import InputError, UsageProblem
    from compliance.progress import compare, load_snapshot, peek_as_of
    from compliance.progress_formats import pack_warning

    if len(results) < 2:
        raise UsageProblem("diff needs at least two results (OLD.json NEW.json)")
    spec = DIFF_FORMATS[fmt]
    output = output_target(output, fmt, spec)
    problems = []
    dated = []
    for path in results:
        try:
            dated.append((peek_as_of(path), path))
        except InputError as exc:
            problems += exc.diagnostics
    if problems:
        raise InputError(problems)
    dated.sort(key=lambda d: d[0])  # by as-of date; ties keep the order given
    snapshots = []
    for i, (_, path) in enumerate(dated):
        # the results before the last two only contribute fingerprints (history): read lean
        try:
            snapshots.append(load_snapshot(path, lang, keep_details=i >= len(dated) - 2))
        except InputError as exc:
            problems += exc.diagnostics
    if problems:
        raise InputError(problems)
    comparison = compare(snapshots)
    if comparison.pack_changed:
        click.echo(f"compliance: warning: {pack_warning(comparison, lang)}", err=True)
    write_output(output, spec.load()(comparison, lang))  # text formats: written as made
    sys.exit(1 if comparison.reaches(fail_on) else 0)


@click.command()
@click.argument("result", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--period",
    type=click.Choice(PERIODS),
    default=PERIODS[0],
    show_default=True,
    help="The quarter or the year of the result's as-of date, up to that date.",
)
@format_option(STATS_FORMATS)
@output_option()
@lang_option
def stats(result: Path, period: str, fmt: str, output: Path | None, lang: str) -> None:
    """Hidden-danger statistics of a saved check result, as the regulator asks each quarter.

    Per unit and for the group, general and major hidden dangers: found in the period,
    rectified, rectification rate, funds; for major ones the dynamic clearing (carried over,
    cleared, still open, overdue).

    \b
    Examples:
      compliance stats result.json
      compliance stats result.json --period year --lang zh
      compliance stats result.json --format xlsx -o hidden-dangers-2026q4.xlsx
    """
    from compliance.dangerstats import group_stats
    from compliance.diagnostics import ERROR, Diagnostic, InputError
    from compliance.resultstream import read_result

    spec = STATS_FORMATS[fmt]
    output = output_target(output, fmt, spec)
    units = []
    as_of = None
    for key, value, element in read_result(result):
        if key == "as_of" and not element:
            as_of = str(value)
        elif key == "units" and element:
            units.append({k: value.get(k) for k in ("id", "name", "hidden_danger_stats")})
    if as_of is None or (units and not any(u["hidden_danger_stats"] for u in units)):
        why = "missing: as_of" if as_of is None else "no hidden_danger_stats: check again"
        raise InputError(
            [
                Diagnostic(
                    str(result),
                    1,
                    1,
                    ERROR,
                    f"not a result of 'compliance check --format json' with statistics ({why})",
                )
            ]
        )
    table = group_stats(units, period)
    write_output(output, spec.load()(table, lang, as_of))
