"""Options and small helpers shared by the commands (Click only: cheap to import)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from compliance.names import (
    DOCUMENT_FORMATS,
    FAIL_ON_CHOICES,
    LANGUAGES,
    OutputFormat,
    document_formats_text,
)

if TYPE_CHECKING:
    from compliance.result import Result

F = TypeVar("F", bound=Callable[..., Any])

rules_option = click.option(
    "--rules",
    "rules",
    metavar="PACK|FILE",
    default=None,
    help="Rule pack name (cn-work-safety, iso45001) or path. Default: cn-work-safety.",
)
lang_option = click.option(
    "--lang",
    type=click.Choice(list(LANGUAGES)),
    default="en",
    show_default=True,
    help="Language of the output (fixed texts, rule titles and messages).",
)

strict_option = click.option(
    "--strict",
    is_flag=True,
    help="Treat warnings (unknown keys ignored...) as errors: exit status 2.",
)


def format_option(registry: Mapping[str, OutputFormat]) -> Callable[[F], F]:
    """``--format``: the choices are the command's registry in ``names`` (the first is the
    default), so a new format is one registration."""
    binary = [f"{name} writes {spec.binary}" for name, spec in registry.items() if spec.binary]
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(registry)),
        default=next(iter(registry)),
        show_default=True,
        help="Output format" + (f" ({'; '.join(binary)}: give --output)." if binary else "."),
    )


def output_option() -> Callable[[F], F]:
    """``--output/-o FILE``: written atomically; ``-`` is standard output."""
    return click.option(
        "--output",
        "-o",
        type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
        help="Write to FILE instead of the terminal ('-' is the terminal).",
    )


def fail_on_option(what: str) -> Callable[[F], F]:
    """``--fail-on SEVERITY|never``: exit 1 when ``what`` is at least that severe."""
    return click.option(
        "--fail-on",
        type=click.Choice(FAIL_ON_CHOICES),
        default="minor",
        show_default=True,
        help=f"Exit 1 when {what} is at least this severe.",
    )


def output_target(output: Path | None, fmt: str, spec: OutputFormat) -> Path | None:
    """Where ``--output`` goes, settled before any work: None for standard output (``-``);
    a link, device or FIFO is refused, and a binary format needs a file."""
    from compliance.diagnostics import UsageProblem
    from compliance.output import check_target

    if output == Path("-"):
        output = None
    elif output is not None:
        check_target(output)
    if spec.binary and output is None:
        raise UsageProblem(f"--format {fmt} writes {spec.binary}: name it with --output FILE.{fmt}")
    return output


def write_output(
    output: Path | None, produced: Iterable[str | bytes] | str | bytes, colour: bool | None = None
) -> None:
    """A format's output (whole or in pieces), atomically to ``output`` or else, as it is
    made, to standard output (``colour`` as ``click.echo`` takes it)."""
    from compliance.output import write_atomic

    pieces = [produced] if isinstance(produced, str | bytes) else produced
    if output is not None:
        write_atomic(output, (p.encode("utf-8") if isinstance(p, str) else p for p in pieces))
        click.echo(f"wrote {output}", err=True)
    else:
        for piece in pieces:
            click.echo(piece, nl=False, color=colour)


def strict_levels(diagnostics: Iterable[Any], on: bool) -> list[Any]:
    """The diagnostics, with warnings made errors when ``on`` (``--strict``)."""
    from compliance.diagnostics import ERROR

    items = list(diagnostics)
    return [d._replace(level=ERROR) for d in items] if on else items


def as_of_option(default: str = "today") -> Callable[[F], F]:
    """``--as-of YYYY-MM-DD``: the date every check is measured against."""
    return click.option(
        "--as-of",
        "as_of",
        metavar="YYYY-MM-DD",
        help=f"Date the checks are measured against. Default: {default}.",
    )


def parse_as_of(value: str | None, default: dt.date | None = None) -> dt.date:
    """The ``--as-of`` date (default: ``default`` or today); a usage error when malformed."""
    if value is None:
        return default or dt.date.today()
    from compliance.diagnostics import UsageProblem
    from compliance.schema import parse_date

    parsed = parse_date(value)
    if isinstance(parsed, str):
        raise UsageProblem(f"--as-of: {parsed}")
    return parsed


def parse_formats(value: str) -> tuple[str, ...]:
    """``pdf,docx`` -> ``('pdf', 'docx')``; a usage error for anything else."""
    from compliance.diagnostics import UsageProblem

    formats = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    if not formats or any(f not in DOCUMENT_FORMATS for f in formats):
        raise UsageProblem(f"--format: expected {document_formats_text()}, got '{value}'")
    return formats


def document_options(default_out: str) -> Callable[[F], F]:
    """--format, --out, --lang, --templates and --config, shared by report and meeting."""

    def decorate(fn: F) -> F:
        for option in reversed(
            [
                click.option(
                    "--format",
                    "fmt",
                    default=",".join(DOCUMENT_FORMATS),
                    show_default=True,
                    help=document_formats_text() + ".",
                ),
                click.option(
                    "--out",
                    "out",
                    type=click.Path(file_okay=False, path_type=Path),
                    default=Path(default_out),
                    show_default=True,
                    help="Folder for the documents.",
                ),
                lang_option,
                click.option(
                    "--templates",
                    type=click.Path(file_okay=False, exists=True, path_type=Path),
                    help="Folder of templates that override the built-in ones (whole files or blocks).",
                ),
                click.option(
                    "--config",
                    "config",
                    type=click.Path(dir_okay=False, exists=True, path_type=Path),
                    help="Project configuration (branding). Default: ./compliance.yaml if present.",
                ),
            ]
        ):
            fn = option(fn)
        return fn

    return decorate


def echo_all(lines: Iterable[object]) -> None:
    """Print diagnostics (or any lines) to standard error (above a progress line, if shown)."""
    statusline = sys.modules.get("compliance.statusline")  # not imported: no status line shown
    status = statusline.shown() if statusline is not None else None
    for line in lines:
        if status is not None:
            status.echo(str(line), sys.stderr)
        else:
            click.echo(str(line), err=True)


def check_now(
    paths: Iterable[str], rules: str | None, as_of: dt.date, lang: str, strict_mode: bool = False
) -> tuple[Result, bool]:
    """Check units on the spot for a document; returns the JSON result and whether input was bad
    (with ``strict_mode``, a warning too)."""
    from compliance.rulepack import load_pack
    from compliance.runner import run_check

    pack = load_pack(rules)
    pack.warnings = strict_levels(pack.warnings, strict_mode)
    echo_all(pack.warnings)
    checked = run_check(paths, pack, as_of)
    checked.diagnostics = strict_levels(checked.diagnostics, strict_mode)
    echo_all(checked.diagnostics)
    return checked.to_json(lang), checked.has_errors or bool(pack.warnings and strict_mode)


def document_settings(
    fmt: str, out: Path, lang: str, templates: Path | None, config: Path | None
) -> Any:
    """The rendering options of the document commands (branding loaded, its warnings shown)."""
    from compliance.render.config import load_branding
    from compliance.render.documents import Options

    branding = load_branding(config)
    echo_all(branding.warnings)
    return Options(
        out=out, formats=parse_formats(fmt), lang=lang, templates=templates, branding=branding
    )
