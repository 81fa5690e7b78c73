"""Options and small helpers shared by the commands (Click only: cheap to import)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import click

from compliance.names import DOCUMENT_FORMATS, LANGUAGES, document_formats_text

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
) -> tuple[dict[str, Any], bool]:
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
