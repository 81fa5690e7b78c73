"""Property-based fuzzing of ``check`` and ``meeting`` with Hypothesis.

Generated unit and meeting files (valid ones built from the packaged schemas, mutated ones,
and random text; see ``tests/fuzz_strategies.py``) go through the real command line and must
give findings or clean errors (the property, the profiles and the example budgets are in
``tests/fuzz_support.py``); moreover:

* valid documents give no error at all; the documents written open with python-docx, and the
  ``check`` output parses as JSON, XML or CSV.

``tests/test_fuzz_reports.py`` fuzzes ``report`` (a module of its own, so that the two share
out over the cores). The last test, ``test_reproducers``, replays the minimal inputs of the
bugs this fuzzing has found, one case each, with the same property.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner, Result
from hypothesis import given, note
from hypothesis import strategies as st

from compliance import names
from compliance.cli import main
from compliance.diagnostics import Diagnostic, InputError, UsageProblem
from compliance.loader import Document, load_text
from compliance.meeting_file import load_meeting
from compliance.render.documents import Options
from compliance.render.meetings import render_meeting
from compliance.schema import validate_document
from tests import fuzz_strategies as fs
from tests.fuzz_support import AS_OF, DIAGNOSTIC, describe, fuzz, run_clean, workspace

# every text format of check and every gate (a new one is fuzzed as soon as it is registered)
FORMATS = [name for name, spec in names.OUTPUT_FORMATS.items() if not spec.binary]
SEVERITIES = list(names.FAIL_ON_CHOICES)


def check_output(fmt: str, result: Result, files: int = 1) -> None:
    """The machine-readable formats parse; the JSON result agrees with the exit status."""
    stdout = result.stdout
    if fmt == "json":
        summary = json.loads(stdout)["summary"]
        failed = summary["failed_files"]
        assert bool(failed) == (result.exit_code == 2), f"failed files {failed}"
        assert summary["units"] + len(failed) >= files
    elif fmt == "sarif":
        json.loads(stdout)
    elif fmt == "junit":
        ET.fromstring(stdout.encode("utf-8"))
    elif fmt == "csv":
        list(csv.reader(io.StringIO(stdout.removeprefix("\ufeff"))))


check_options = st.fixed_dictionaries(
    {
        "fmt": st.sampled_from(FORMATS),
        "lang": st.sampled_from(names.LANGS),
        "fail_on": st.sampled_from(SEVERITIES),
        "rules": st.sampled_from(["cn-work-safety", "cn-work-safety", "iso45001"]),
        "as_of": st.one_of(st.just(fs.SAMPLES_AS_OF), fs.NEAR).map(str),
    }
)


def check_args(paths: list[str], opts: dict[str, str]) -> list[str]:
    """The arguments of ``compliance check`` for some drawn options."""
    return [
        "check",
        *paths,
        "--format",
        opts["fmt"],
        "--lang",
        opts["lang"],
        "--fail-on",
        opts["fail_on"],
        "--rules",
        opts["rules"],
        "--as-of",
        opts["as_of"],
    ]


# ------------------------------------------------------------------------------ check


def _check_one(case: fs.FileCase, opts: dict[str, str]) -> bool:
    describe(case)
    with workspace({"unit.yaml": case.data}) as runner:
        result, errors = run_clean(runner, check_args(["unit.yaml"], opts))
    check_output(opts["fmt"], result)
    if opts["fail_on"] == "never":
        assert result.exit_code in (0, 2)
    return errors


@pytest.mark.slow
@fuzz(80)
@given(case=fs.unit_files("valid"), opts=check_options)
def test_check_valid_units(case: fs.FileCase, opts: dict[str, str]) -> None:
    """Valid unit files are checked without a single error: findings only (exit 0 or 1)."""
    assert not _check_one(case, opts), "a valid unit file was reported as bad"


@pytest.mark.slow
@fuzz(100)
@given(case=fs.unit_files("mutated"), opts=check_options)
def test_check_mutated_units(case: fs.FileCase, opts: dict[str, str]) -> None:
    """Mutated unit files give findings or clean file:line:col errors."""
    _check_one(case, opts)


@pytest.mark.slow
@fuzz(100)
@given(case=fs.unit_files("random"), opts=check_options)
def test_check_random_text(case: fs.FileCase, opts: dict[str, str]) -> None:
    """Random text as a unit file gives clean errors (or, rarely, findings)."""
    _check_one(case, opts)


SAMPLE_UNITS = sorted(p for p in fs.SAMPLES.glob("*.yaml") if p.name != "compliance.yaml")
sample_units = st.sampled_from(SAMPLE_UNITS).map(
    lambda p: fs.FileCase(p.read_bytes(), (f"sample {p.name}",))
)


@pytest.mark.slow
@fuzz(25)
@given(
    case=st.one_of(sample_units, fs.unit_files("valid")),
    as_of=st.one_of(st.dates(), fs.EDGE_DATES),
)
def test_check_any_as_of_date(case: fs.FileCase, as_of: dt.date) -> None:
    """Any real date as ``--as-of`` (0001-01-01 to 9999-12-31) is a clean check."""
    describe(case)
    with workspace({"unit.yaml": case.data}) as runner:
        run_clean(runner, ["check", "unit.yaml", "--as-of", str(as_of), "--fail-on", "never"])


GROUP_IDS = ["hq", "coal-01", "wind-01", "hydro-01", "ne-hebei", "maint-01"]


@st.composite
def group_cases(draw: st.DrawFn) -> dict[str, bytes]:
    """Two to four units sharing a few ids and parents (duplicates, cycles, self-parents),
    sometimes with a meeting file and a project configuration beside them."""
    files: dict[str, bytes] = {}
    for i in range(draw(st.integers(2, 4))):
        tree = draw(fs.unit_trees())
        tree["unit"]["id"] = draw(st.sampled_from(GROUP_IDS))
        parent = draw(st.one_of(st.none(), st.sampled_from(GROUP_IDS)))
        if parent is None:
            tree["unit"].pop("parent", None)
        else:
            tree["unit"]["parent"] = parent
        if draw(st.integers(0, 3)) == 0:
            tree, notes = fs.mutate_tree(draw, tree)
            note(f"unit {i}: {notes}")
        case = draw(fs.serialised(tree, (f"group unit {i}",)))
        files[f"units/sub{i % 2}/u{i}.yaml"] = case.data
    if draw(st.booleans()):
        files["units/x.meeting.yaml"] = draw(fs.random_files()).data
    if draw(st.booleans()):
        files["units/compliance.yaml"] = b"organisation: [not, a, config\n"
    return files


@pytest.mark.slow
@fuzz(16)
@given(files=group_cases(), opts=check_options)
def test_check_groups(files: dict[str, bytes], opts: dict[str, str]) -> None:
    """A folder of units (duplicate ids, parent cycles...) gives findings or clean errors;
    meeting files and the project configuration in it are not read as units."""
    for name, data in files.items():
        note(f"{name}:\n{data.decode('utf-8', 'backslashreplace')[:2000]}")
    with workspace(files) as runner:
        result, _ = run_clean(runner, check_args(["units"], opts))
    check_output(opts["fmt"], result, sum(1 for n in files if n.startswith("units/sub")))
    assert "x.meeting.yaml" not in result.stderr
    assert "compliance.yaml" not in result.stderr


# ------------------------------------------------------------------------------ library


@pytest.mark.slow
@fuzz(60)
@given(
    case=st.one_of(
        fs.unit_files("mutated"),
        fs.unit_files("random"),
        fs.meeting_cases("mutated").map(lambda m: m.main),
    ),
    schema=st.sampled_from(["unit", "meeting"]),
)
def test_loader_and_schema_never_raise(case: fs.FileCase, schema: str) -> None:
    """The loader and the schema step turn any text into data or one-line diagnostics."""
    describe(case)
    text = case.data.decode("utf-8", errors="replace")
    doc = validate_document(load_text(text, Document("f.yaml")), schema)
    for d in doc.diagnostics:
        assert isinstance(d, Diagnostic)
        assert DIAGNOSTIC.match(str(d)) and "\n" not in str(d), str(d)
        assert d.line >= 0 and d.column >= 0
    assert (doc.data is None) == any(d.is_error for d in doc.diagnostics)


# ------------------------------------------------------------------------------ meeting


@pytest.fixture(scope="module")
def sample_result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample group's check result as JSON, for ``--results``."""
    path = tmp_path_factory.mktemp("fuzz") / "result.json"
    result = CliRunner().invoke(
        main,
        ["check", str(fs.SAMPLES), "--as-of", AS_OF, "--format", "json", "-o", str(path)],
    )
    assert result.exit_code in (0, 1), result.stderr
    return path


meeting_options = st.fixed_dictionaries(
    {
        "document": st.sampled_from(["notice", "signin", "minutes", "minutes"]),
        "lang": st.sampled_from(["en", "zh"]),
        "situation": st.sampled_from(["none", "results", "results", "units"]),
    }
)


def _meeting(case: fs.MeetingCase, opts: dict[str, str], results: Path) -> bool:
    describe(case.main, "meeting file")
    files = {fs.MAIN_MEETING: case.main.data}
    if case.previous is not None:
        describe(case.previous, "previous file")
        files[fs.PREVIOUS_MEETING] = case.previous.data
    args = ["meeting", opts["document"], fs.MAIN_MEETING, "--format", "docx"]
    args += ["--out", "out", "--lang", opts["lang"]]
    if opts["situation"] == "results":
        args += ["--results", str(results)]
    elif opts["situation"] == "units":
        args += ["--units", str(fs.SAMPLES / "wind-01.yaml")]
    with workspace(files) as runner:
        result, errors = run_clean(runner, args)
        if result.exit_code == 0:
            suffix = "" if opts["lang"] == "en" else f".{opts['lang']}"
            path = Path("out") / f"m-{opts['document']}{suffix}.docx"
            assert f"wrote {path}" in result.stdout
            docx.Document(str(path))
    return errors


@pytest.mark.slow
@fuzz(12)
@given(case=fs.meeting_cases("valid"), opts=meeting_options)
def test_meeting_valid(case: fs.MeetingCase, opts: dict[str, str], sample_result: Path) -> None:
    """Valid meeting files (with a valid earlier meeting or none) make their documents."""
    assert not _meeting(case, opts, sample_result), "a valid meeting file was reported as bad"


@pytest.mark.slow
@fuzz(60)
@given(case=fs.meeting_cases("mutated"), opts=meeting_options)
def test_meeting_mutated(case: fs.MeetingCase, opts: dict[str, str], sample_result: Path) -> None:
    """Mutated meeting files (and previous files) make documents or clean errors."""
    _meeting(case, opts, sample_result)


@pytest.mark.slow
@fuzz(60)
@given(case=fs.meeting_cases("random"), opts=meeting_options)
def test_meeting_random_text(
    case: fs.MeetingCase, opts: dict[str, str], sample_result: Path
) -> None:
    """Random text as a meeting file gives clean errors."""
    _meeting(case, opts, sample_result)


@pytest.mark.slow
@fuzz(30)
@given(
    case=st.one_of(fs.meeting_cases("valid"), fs.meeting_cases("mutated")),
    document=st.sampled_from(["notice", "signin", "minutes"]),
    lang=st.sampled_from(["en", "zh"]),
)
def test_meeting_library(case: fs.MeetingCase, document: str, lang: str) -> None:
    """Through the library: load_meeting and render_meeting (DOCX) raise nothing but the
    tool's InputError or UsageProblem, and an InputError carries one-line diagnostics."""
    describe(case.main, "meeting file")
    files = {fs.MAIN_MEETING: case.main.data}
    if case.previous is not None:
        describe(case.previous, "previous file")
        files[fs.PREVIOUS_MEETING] = case.previous.data
    with workspace(files):
        try:
            loaded = load_meeting(Path(fs.MAIN_MEETING))
            opts = Options(out=Path("out"), formats=("docx",), lang=lang)
            written = render_meeting(document, loaded, None, opts)
        except InputError as exc:
            assert exc.diagnostics, "InputError without a diagnostic"
            assert any(d.is_error for d in exc.diagnostics)
            for d in exc.diagnostics:
                assert DIAGNOSTIC.match(str(d)) and "\n" not in str(d), str(d)
            return
        except UsageProblem:
            return
        for path in written:
            docx.Document(str(path))


# ------------------------------------------------------------------------------ reproducers

# Minimal reproducers of the bugs this fuzzing found, one test each, so that a fix can be
# checked directly (the properties above find them again only with some luck in CI's few
# hundred examples). They assert the same clean-exit property.
MEETING = "meeting:\n  issuing_body: Safety Committee\n  kind: safety_committee\n  title: T\n  date: {date}\n"
RESULTS = "<sample result.json>"
REPRODUCERS = [
    pytest.param(
        {
            "unit.yaml": b"unit: {id: a, name: A, kind: coal, employees: 1"
            + b"0" * 5000
            + b"}\nvalid_on: 2026-01-01\n"
        },
        ["check", "unit.yaml"],
        id="integer-over-4300-digits",
    ),
    pytest.param(
        {"unit.yaml": b'unit: {id: a, name: A, kind: "co\\nal"}\nvalid_on: 2026-01-01\n'},
        ["check", "unit.yaml"],
        id="line-break-in-quoted-value",
    ),
    pytest.param(
        {"unit.yaml": b'unit: {id: a, name: A, kind: coal, "x\\ny": 1}\nvalid_on: 2026-01-01\n'},
        ["check", "unit.yaml"],
        id="line-break-in-unknown-key",
    ),
    pytest.param(
        {"unit.yaml": b"unit:\n  id: a\x01b\n"},
        ["check", "unit.yaml"],
        id="raw-control-character",
    ),
    pytest.param(
        {"unit.yaml": b"~\n"}, ["check", "unit.yaml", "--format", "json"], id="null-document-check"
    ),
    pytest.param(
        {"m.meeting.yaml": b"---\n"},
        ["meeting", "notice", "m.meeting.yaml", "--format", "docx", "--out", "out"],
        id="null-document-meeting",
    ),
    pytest.param(
        {
            "unit.yaml": b"unit: {id: a, name: A, kind: coal}\nvalid_on: 2026-01-01\n"
            b'risks:\n  hidden_dangers:\n    - {id: "H\\x04", description: x, level: major}\n'
        },
        ["check", "unit.yaml", "--format", "junit"],
        id="control-character-in-junit",
    ),
    pytest.param(
        {},
        ["check", str(fs.SAMPLES / "coal-01.yaml"), "--as-of", "0001-01-01"],
        id="as-of-year-1",
    ),
    pytest.param(
        {"m.meeting.yaml": MEETING.format(date="9999-12-31").encode()},
        ["meeting", "minutes", "m.meeting.yaml", "--results", RESULTS, "--format", "docx"],
        id="meeting-on-9999-12-31-with-results",
    ),
    pytest.param(
        {"m.meeting.yaml": MEETING.format(date="0001-01-01").encode()},
        [
            "meeting",
            "minutes",
            "m.meeting.yaml",
            "--units",
            str(fs.SAMPLES / "wind-01.yaml"),
            "--format",
            "docx",
        ],
        id="meeting-on-0001-01-01-with-units",
    ),
    pytest.param(
        {"m.meeting.yaml": MEETING.format(date="2027-01-01").encode() + b'previous: "a\\0b"\n'},
        ["meeting", "notice", "m.meeting.yaml", "--format", "docx"],
        id="previous-with-nul-byte",
    ),
]


@pytest.mark.parametrize(("files", "args"), REPRODUCERS)
def test_reproducers(files: dict[str, bytes], args: list[str], sample_result: Path) -> None:
    """Bugs found by the fuzzing above, minimised: findings or clean errors, nothing else."""
    args = [str(sample_result) if a == RESULTS else a for a in args]
    with workspace(files) as runner:
        result, _ = run_clean(runner, args)
    if args[0] == "check" and "--format" in args:
        check_output(args[args.index("--format") + 1], result)
