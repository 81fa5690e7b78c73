"""Data is shown literally in every output: terminal, CSV, charts, and odd file names."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from compliance import names
from tests.conftest import MINIMAL_UNIT, SAMPLES, run_cli

Write = Callable[[str, str], Path]
AS_OF = "2026-11-28"

# a unit name that clears the screen, then prints a forged all-clear summary
FORGED = '"Plant A\\e[2J\\e[H\\rSummary: 1 unit, 0 findings; mean score 100.0\\nok"'


def test_terminal_output_shows_escape_sequences_literally(write: Write) -> None:
    path = write("u.yaml", MINIMAL_UNIT.replace("Plant A", FORGED.replace("\\\\", "\\")))
    result = run_cli("check", str(path), "--as-of", AS_OF)
    out = result.stdout
    assert "\x1b" not in out and "\r" not in out
    assert "Plant A\\x1b[2J\\x1b[H\\rSummary: 1 unit, 0 findings; mean score 100.0\\nok" in out
    summaries = [ln for ln in out.splitlines() if "Summary:" in ln]
    assert len(summaries) == 2 and summaries[-1].startswith("Summary: 1 unit, ")
    assert not summaries[0].startswith("Summary:")  # the forged one stays inside its line


def test_diagnostics_show_file_names_literally(tmp_path: Path) -> None:
    bad = tmp_path / "a\x1b[31mb.yaml"
    bad.write_text("unit: [\n", "utf-8")
    result = run_cli("check", str(bad), "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr
    assert "a\\x1b[31mb.yaml:2:1: error: YAML syntax" in result.stderr


DANGERS = """\
risks:
  hidden_dangers:
    - id: '=HYPERLINK("http://evil.example/","click")'
      description: '@SUM(1+1)*cmd|'' /C calc''!A0'
      found_on: 2026-01-04
      level: major
      owner: '+1 555'
      deadline: 2026-02-15
      status: rectifying
    - id: "-2+3"
      description: "\\tTab first"
      found_on: 2026-01-05
      level: major
      owner: "\\rCR first"
      deadline: 2026-02-16
      status: rectifying
"""


def test_csv_cells_never_start_a_formula(write: Write) -> None:
    path = write("u.yaml", MINIMAL_UNIT + DANGERS)
    result = run_cli("check", str(path), "--as-of", AS_OF, "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    cells = [cell for row in rows[1:] for cell in row]
    items = {row[rows[0].index("item")] for row in rows[1:]}
    assert '\'=HYPERLINK("http://evil.example/","click")' in items
    assert "'-2+3" in items
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_dollar_in_a_unit_name_is_not_tex() -> None:
    from compliance.render.charts import bar_chart

    # with TeX maths on, this label is a parse error and the whole report fails
    png = bar_chart(["Plant $\\frac{$ east", "Budget $5 to $"], [50.0, 80.0], title="a $x$")
    assert png.startswith(b"\x89PNG")


@pytest.fixture
def odd_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "units"
    folder.mkdir()
    shutil.copy(SAMPLES / "wind-01.yaml", os.fsencode(folder) + b"/caf\xe9 \xff.yaml")
    (Path(os.fsencode(folder).decode("utf-8", "surrogateescape")) / "x.yaml").write_text(
        "unit: [\n", "utf-8"
    )
    os.rename(folder / "x.yaml", os.fsencode(folder) + b"/bad\xfe.yaml")
    return folder


@pytest.mark.parametrize(
    "fmt", [name for name, spec in names.OUTPUT_FORMATS.items() if not spec.binary]
)
def test_file_names_that_are_not_utf8_do_not_break_outputs(
    odd_folder: Path, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"out.{fmt}"
    result = run_cli("check", str(odd_folder), "--as-of", AS_OF, "--format", fmt, "-o", str(out))
    assert result.exit_code == 2, result.stderr  # the broken file; the other one is checked
    assert "bad\\xfe.yaml:2:1: error: YAML syntax" in result.stderr
    text = out.read_bytes().decode("utf-8")  # valid UTF-8 throughout
    shown = text.replace("\\\\", "\\") if fmt in ("json", "sarif") else text
    assert "caf\\xe9 \\xff.yaml" in shown or "caf%5Cxe9%20%5Cxff.yaml" in shown
    if fmt in ("json", "sarif"):
        data = json.loads(text)
        if fmt == "json":
            assert data["summary"]["failed_files"][0].endswith("bad\\xfe.yaml")
            assert data["units"][0]["file"].endswith("caf\\xe9 \\xff.yaml")
    if fmt == "junit":
        etree.fromstring(out.read_bytes())


def test_rule_texts_from_a_pack_are_shown_literally(write: Write) -> None:
    from tests.test_rulepack import pack_text

    text = pack_text(("RESP-01", "responsibility", "{present: unit.name}"))
    pack = write("p.yaml", text.replace("title: t", 'title: "Title\\e[2J\\rRESP-99 forged"'))
    for args in (["rules", "list"], ["rules", "show", "RESP-01"]):
        result = run_cli(*args, "--rules", str(pack))
        assert result.exit_code == 0, result.stderr
        assert "\x1b" not in result.stdout and "\r" not in result.stdout
        assert "Title\\x1b[2J\\rRESP-99 forged" in result.stdout
