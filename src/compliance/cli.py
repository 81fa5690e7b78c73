"""The command line: a thin Click layer. Heavy modules are imported inside the commands."""

from __future__ import annotations

import atexit
import contextlib
import importlib
import os
import signal
import sys
from pathlib import Path
from typing import Any, NoReturn

# first: it pauses the garbage collector for the start-up (Click's import included)
from compliance import startup

# isort: split

import click

from compliance import __version__
from compliance.cli_options import (
    as_of_option,
    echo_all,
    fail_on_option,
    format_option,
    lang_option,
    output_option,
    output_target,
    parse_as_of,
    rules_option,
    strict_levels,
    strict_option,
    write_output,
)
from compliance.names import OUTPUT_FORMATS, SCHEMAS
from compliance.output import exit_on_signal

# Commands defined in other modules, imported only when used (Click's lazy-loading pattern),
# so that 'compliance check' does not pay for the document commands.
_LAZY = {
    "rules": ("compliance.cli_rules", "rules"),
    "report": ("compliance.cli_documents", "report"),
    "meeting": ("compliance.cli_documents", "meeting"),
    "diff": ("compliance.cli_progress", "diff"),
    "stats": ("compliance.cli_progress", "stats"),
    "init": ("compliance.cli_ledger", "init"),
    "ledger": ("compliance.cli_ledger", "ledger"),
}


# Set by 'check' once everything is written: the process then ends without tearing the
# interpreter down (freeing the packs' objects and the modules one by one took about a tenth of
# a one-unit check). Only when run as the program (see _Group.main), never in a caller's process.
class _Group(click.Group):
    """Loads some commands lazily; shows a one-line error instead of a traceback unless --debug."""

    def main(self, args: Any = None, *rest: Any, **extra: Any) -> Any:
        """Run; as the program (the ``compliance`` script or ``python -m compliance``, whose
        ``__main__`` calls this group with the command line), a command may end quickly
        (:func:`compliance.startup.end_quickly`)."""
        if (
            not _as_program(self)
            or args is not None
            or rest
            or not extra.get("standalone_mode", True)
        ):
            return super().main(args, *rest, **extra)
        try:
            return super().main(None, **extra)
        except SystemExit as exc:
            if not startup.ends_quickly():
                raise
            _exit_now(exc.code)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *_LAZY])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in _LAZY:
            module, attr = _LAZY[cmd_name]
            command: click.Command = getattr(importlib.import_module(module), attr)
            return command
        return super().get_command(ctx, cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if name != "check":
            startup.resume()  # 'check' resumes once its pack is loaded
        return name, command, rest

    def invoke(self, ctx: click.Context) -> Any:
        # SIGTERM unwinds like Ctrl-C, so no temporary output file is left behind
        old_term = signal.signal(signal.SIGTERM, exit_on_signal)
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            # Ctrl-C: one line and the shell's status for SIGINT, not a traceback or 1
            newline = "\n" if sys.stderr.isatty() else ""  # end a progress bar's line first
            click.echo(f"{newline}compliance: interrupted", err=True)
            sys.exit(130)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except OSError as exc:
            if isinstance(exc, BrokenPipeError):
                # 'compliance rules list | head -1': the reader left; stop quietly like other tools
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
                sys.exit(0)
            # a folder that cannot be written, a full disk...: one line, nothing half-written
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"compliance: error: {where}{exc.strerror or exc}", err=True)
            sys.exit(2)
        except Exception as exc:
            if ctx.params.get("debug"):
                raise
            click.echo(
                f"compliance: error: internal error: {type(exc).__name__}: {exc} "
                "(run with --debug for details)",
                err=True,
            )
            sys.exit(3)
        finally:
            signal.signal(signal.SIGTERM, old_term)


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
@as_of_option()
@format_option(OUTPUT_FORMATS)
@output_option()
@fail_on_option("an open finding")
@lang_option
@click.option(
    "--color/--no-color", default=None, help="Colour the text format (default: on a terminal)."
)
@strict_option
def check(
    paths: tuple[str, ...],
    rules: str | None,
    as_of: str | None,
    fmt: str,
    output: Path | None,
    fail_on: str,
    lang: str,
    color: bool | None,
    strict: bool,
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
      compliance check samples/ --strict      # a misspelt key is an error, not a warning
    """
    from compliance.formats import formatter, threshold_reached
    from compliance.rulepack import load_pack
    from compliance.runner import run_check

    output = output_target(output, fmt, OUTPUT_FORMATS[fmt])
    day = parse_as_of(as_of)
    pack = load_pack(rules)
    pack_warnings = strict_levels(pack.warnings, strict)
    echo_all(pack_warnings)
    startup.resume()  # the units' data is short-lived: from here on garbage is collected
    result = run_check(paths, pack, day)
    result.diagnostics = strict_levels(result.diagnostics, strict)
    echo_all(result.diagnostics)
    use_colour = color if color is not None else (output is None and sys.stdout.isatty())
    # json is streamed: a check of thousands of units is never held as one text
    write_output(output, formatter(fmt)(result, lang, colour=use_colour), colour=color)
    startup.end_quickly()
    if result.has_errors or (strict and pack_warnings):
        sys.exit(2)
    sys.exit(1 if threshold_reached(result, fail_on) else 0)


def _as_program(group: click.Group) -> bool:
    """Whether ``group`` runs as the program: the ``compliance`` script or ``python -m
    compliance`` (not a script or ``python -c`` that calls it and goes on afterwards)."""
    if getattr(sys.modules.get("__main__"), "main", None) is not group:
        return False
    return startup.run_as_program()


def _exit_now(code: object) -> NoReturn:
    """End the process with ``code`` as ``sys.exit`` would, after flushing the output and
    running the exit handlers, but without the interpreter's teardown."""
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)  # what Python does with sys.exit("message")
    with contextlib.suppress(OSError):  # a reader that left: nothing more to say
        sys.stdout.flush()
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    atexit._run_exitfuncs()
    os._exit(code if isinstance(code, int) else 0 if code is None else 1)


@main.command()
@click.argument("kind", type=click.Choice(SCHEMAS), default=SCHEMAS[0])
def schema(kind: str) -> None:
    """Print the JSON Schema of unit files (or of rule packs, meeting files, the config, or
    the result that 'check --format json' writes).

    \b
    Examples:
      compliance schema > unit.schema.json
      compliance schema meeting > meeting.schema.json
      compliance schema result > result.schema.json
    Point your editor's YAML extension at the file, e.g. a first line
    "# yaml-language-server: $schema=unit.schema.json" in a unit file.
    """
    from compliance.schema import schema_json

    click.echo(schema_json(kind), nl=False)
