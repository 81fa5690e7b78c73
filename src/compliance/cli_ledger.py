"""``compliance init`` (a starter unit or meeting) and ``compliance ledger export`` (lists to workbooks).

Loaded only when one of these commands runs; openpyxl is imported inside them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from compliance.cli_options import lang_option

KINDS = ["coal", "gas", "hydro", "wind", "solar", "maintenance", "headquarters"]


@click.command()
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@lang_option
@click.option("--kind", type=click.Choice(KINDS), default="wind", show_default=True)
@click.option(
    "--meeting",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a starter meeting file FILE (and its participants workbook) instead.",
)
def init(folder: Path | None, lang: str, kind: str, meeting: Path | None) -> None:
    """Write a starter: FOLDER/unit.yaml, commented, and blank ledgers in FOLDER/ledgers/.

    \b
    Examples:
      compliance init wind-farm-01 --lang zh --kind wind
      compliance check wind-farm-01
      compliance init --meeting 2027-q1.meeting.yaml --lang zh
    """
    from compliance.diagnostics import UsageProblem
    from compliance.starter import write_meeting_starter, write_unit_starter

    today = dt.date.today()
    if meeting is not None:
        if meeting.exists():
            raise UsageProblem(f"{meeting} exists: choose a new file name")
        written = write_meeting_starter(meeting, lang, today)
    else:
        if folder is None:
            raise UsageProblem("name the folder of the new unit, e.g. compliance init plant-01")
        if (folder / "unit.yaml").exists() or (folder / "ledgers").exists():
            raise UsageProblem(f"{folder} already holds a unit: choose an empty folder")
        written = write_unit_starter(folder, lang, kind, today)
    for path in written:
        click.echo(f"wrote {path}", err=True)


@click.group()
def ledger() -> None:
    """Move a unit's lists between its YAML file and workbooks."""


@ledger.command("export")
@click.argument("unit_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path))
@lang_option
def export(unit_file: Path, out: Path, lang: str) -> None:
    """Write the unit's lists as ledgers in OUT and OUT/<unit id>.yaml that reads them.

    Checking the exported unit gives the same findings as the original; their locations
    point at the cells of the ledgers.

    \b
    Example:
      compliance ledger export samples/wind-01.yaml --out wind-ledgers --lang zh
    """
    for path in export_unit(unit_file, out, lang):
        click.echo(f"wrote {path}", err=True)


def export_unit(unit_file: Path, out: Path, lang: str) -> list[Path]:
    """Export one unit file; raise InputError when it is not valid."""
    import yaml

    from compliance.diagnostics import InputError, display_path
    from compliance.ledger_book import build_workbook, ledger_stem, ledgers_of
    from compliance.ledgers import load_document
    from compliance.output import safe_name, write_atomic
    from compliance.schema import load_schema

    doc = load_document(unit_file, display_path(unit_file), "unit")
    if doc.data is None:
        raise InputError(doc.diagnostics)
    data: dict[str, Any] = doc.data
    root = load_schema("unit")
    stem = safe_name(data["unit"]["id"])
    stamp = dt.datetime.combine(data["valid_on"], dt.time(0))
    written: list[Path] = []
    for led in ledgers_of(root):
        parent = data
        for part in led.path[:-1]:
            parent = parent.get(part) if isinstance(parent, dict) else None  # type: ignore[assignment]
        rows = parent.get(led.path[-1]) if isinstance(parent, dict) else None
        if not isinstance(rows, list):
            continue  # absent stays absent: a missing register is not an empty one
        try:
            content = build_workbook(led, root, lang, rows, stamp)
        except ValueError as exc:  # nested rows that cannot name their parent: keep in YAML
            click.echo(f"compliance: warning: {exc}; kept in the unit file", err=True)
            continue
        rel = f"ledgers/{stem}/{ledger_stem(led, lang)}.xlsx"
        write_atomic(out / rel, content)
        written.append(out / rel)
        parent[led.path[-1]] = {"from": rel}
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    target = out / f"{stem}.yaml"
    write_atomic(target, text.encode("utf-8"))
    return [target, *written]
