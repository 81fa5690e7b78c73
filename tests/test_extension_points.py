"""Each extension point is declared once (``compliance.names``); the rest agrees with it, and
adding an entry is one registration: the command offers it and calls it."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from types import ModuleType
from typing import Any

import click
import pytest
from click.testing import CliRunner

from compliance import names
from compliance.cli import main
from compliance.formats import formatter
from tests.conftest import SAMPLES, run_cli

# where each command with a --format is defined (module, attribute, subcommand path)
COMMANDS = {
    "check": ("compliance.cli", "main", ["check"]),
    "diff": ("compliance.cli_progress", "diff", []),
    "stats": ("compliance.cli_progress", "stats", []),
    "rules diff": ("compliance.cli_rules", "rules", ["diff"]),
}


def _choices(command: click.Command, option: str) -> list[str]:
    param = next(p for p in command.params if p.name == option)
    assert isinstance(param.type, click.Choice)
    return list(param.type.choices)


def _command(name: str) -> click.Command:
    module, attr, path = COMMANDS[name]
    command: click.Command = getattr(importlib.import_module(module), attr)
    for part in path:
        assert isinstance(command, click.Group)
        command = command.commands[part]
    return command


def test_check_offers_exactly_the_registered_formats_and_languages() -> None:
    check = main.commands["check"]
    assert _choices(check, "fmt") == list(names.OUTPUT_FORMATS)
    assert _choices(check, "lang") == list(names.LANGUAGES)
    assert _choices(check, "fail_on") == list(names.FAIL_ON_CHOICES)


def test_every_registered_format_has_its_function() -> None:
    for name in names.OUTPUT_FORMATS:
        assert callable(formatter(name)), name
    for command, registry in names.COMMAND_FORMATS.items():
        for name, spec in registry.items():
            assert callable(spec.load()), f"{command} --format {name}"


@pytest.mark.parametrize("command", list(names.COMMAND_FORMATS))
def test_each_command_offers_exactly_its_registered_formats(command: str) -> None:
    assert set(COMMANDS) == set(names.COMMAND_FORMATS)
    registry = names.COMMAND_FORMATS[command]
    assert _choices(_command(command), "fmt") == list(registry)
    params = {p.name for p in _command(command).params}
    assert "output" in params  # every command with formats can write a file (or '-')


def test_gates_and_languages_come_from_the_registries() -> None:
    for command in ("check", "diff"):
        assert _choices(_command(command), "fail_on") == list(names.FAIL_ON_CHOICES)
    for command in ("check", "diff", "stats"):
        assert _choices(_command(command), "lang") == list(names.LANGUAGES)


def test_schema_offers_exactly_the_schema_files() -> None:
    assert _choices(main.commands["schema"], "kind") == list(names.SCHEMAS)
    files = resources.files("compliance").joinpath("schemas").iterdir()
    shipped = {f.name.removesuffix(".schema.json") for f in files if f.name.endswith(".json")}
    assert shipped == set(names.SCHEMAS)


# Formats registered by the tests below: what each command hands its format function.
def units_line(result: Any, lang: str, colour: bool = False) -> Iterator[str]:
    """check: one line naming the units checked."""
    yield f"{lang}: {', '.join(sorted(result.units))}\n"


def results_line(comparison: Any, lang: str) -> Iterator[str]:
    """diff: the as-of dates compared."""
    yield f"{lang}: " + " -> ".join(d.isoformat() for _, d in comparison.results) + "\n"


def period_line(table: dict[str, Any], lang: str, as_of: str) -> str:
    """stats: the period and the result's date."""
    return f"{lang}: {table['period']} {table['from']} {as_of}\n"


def added_line(changes: dict[str, Any], units: Any, as_of: Any) -> str:
    """rules diff: how many rules were added."""
    return f"{changes['old']['name']}: {len(changes['added'])} added\n"


def raw_bytes(*args: Any, **kwargs: Any) -> Iterator[bytes]:
    """Any command: a binary format."""
    yield b"\x00RAW"


Register = Callable[[str, str, str, str], None]


@pytest.fixture
def register(monkeypatch: pytest.MonkeyPatch) -> Iterator[Register]:
    """Register a format of this module for a command: one entry in ``names``, nothing else
    (the command's module is imported again, as a new process would import it)."""
    reloaded: list[ModuleType] = []

    def add(command: str, name: str, function: str, binary: str = "") -> None:
        spec = names.OutputFormat(__name__, function, binary)
        monkeypatch.setitem(names.COMMAND_FORMATS[command], name, spec)
        reloaded.append(importlib.reload(importlib.import_module(COMMANDS[command][0])))

    yield add
    monkeypatch.undo()
    for module in reloaded:
        importlib.reload(module)


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A saved result of one sample unit."""
    out = tmp_path_factory.mktemp("result") / "result.json"
    args = ["check", str(SAMPLES / "wind-01.yaml"), "--as-of", "2026-11-28"]
    r = run_cli(*args, "--format", "json", "-o", str(out), "--fail-on", "never")
    assert r.exit_code == 0, r.stderr
    return out


def _run(command: str, *args: str) -> Any:
    module, attr, path = COMMANDS[command]
    group = getattr(importlib.import_module(module), attr)
    return CliRunner().invoke(group, [*path, *args], catch_exceptions=False)


def test_a_new_format_is_one_registration(register: Register, saved: Path) -> None:
    register("check", "units", "units_line")
    register("diff", "dates", "results_line")
    register("stats", "period", "period_line")
    register("rules diff", "added", "added_line")
    unit = str(SAMPLES / "wind-01.yaml")
    r = _run("check", unit, "--as-of", "2026-11-28", "--format", "units", "--lang", "zh")
    assert r.stdout == "zh: wind-01\n"
    r = _run("diff", str(saved), str(saved), "--format", "dates", "--fail-on", "never")
    assert (r.exit_code, r.stdout) == (0, "en: 2026-11-28 -> 2026-11-28\n")
    r = _run("stats", str(saved), "--format", "period", "--period", "year")
    assert (r.exit_code, r.stdout) == (0, "en: year 2026-01-01 2026-11-28\n")
    r = _run("rules diff", "cn-work-safety", "cn-work-safety", "--format", "added")
    assert (r.exit_code, r.stdout) == (0, "cn-work-safety: 0 added\n")


@pytest.mark.parametrize("command", list(names.COMMAND_FORMATS))
def test_a_new_binary_format_needs_an_output_file(
    register: Register, saved: Path, tmp_path: Path, command: str
) -> None:
    register(command, "raw", "raw_bytes", "raw bytes")
    args = {
        "check": [str(SAMPLES / "wind-01.yaml"), "--as-of", "2026-11-28"],
        "diff": [str(saved), str(saved)],
        "stats": [str(saved)],
        "rules diff": ["cn-work-safety", "cn-work-safety"],
    }[command]
    refused = _run(command, *args, "--format", "raw")
    assert refused.exit_code == 2
    assert refused.stderr == (
        "compliance: error: --format raw writes raw bytes: name it with --output FILE.raw\n"
    )
    out = tmp_path / "out.raw"
    written = _run(command, *args, "--format", "raw", "-o", str(out))
    assert written.exit_code in (0, 1), written.stderr
    assert out.read_bytes() == b"\x00RAW"
    assert written.stderr.endswith(f"wrote {out}\n")


def test_meeting_offers_exactly_the_registered_documents() -> None:
    group = main.get_command(click.Context(main), "meeting")
    assert group is not None
    assert _choices(group, "document") == [*names.MEETING_DOCUMENTS, "all"]


def test_pack_schema_describes_every_operator() -> None:
    text = resources.files("compliance").joinpath("schemas/pack.schema.json").read_text("utf-8")
    described = json.loads(text)["$defs"]["condition"]["properties"]
    operators = [key for key in described if key in names.OPERATORS]
    assert sorted(operators) == sorted(names.OPERATORS)


def test_each_operator_is_compiled_by_a_method() -> None:
    from compliance.conditions import Compiler

    for op in names.OPERATORS:
        assert callable(getattr(Compiler, "_c_" + op, None)), op


def test_severities_have_weights_and_labels() -> None:
    from compliance.areas import SEVERITIES
    from compliance.i18n import SEVERITY_LABELS

    assert list(SEVERITIES) == list(names.SEVERITY_NAMES)
    assert set(SEVERITY_LABELS) == set(names.SEVERITY_NAMES)
    assert set(names.SERIOUS_SEVERITIES) <= set(names.SEVERITY_NAMES)


def test_schemas_enumerate_exactly_the_declared_severities() -> None:
    found: list[list[str]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("enum"), list) and "critical" in node["enum"]:
                found.append(node["enum"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for name in ("pack", "result"):
        text = resources.files("compliance").joinpath(f"schemas/{name}.schema.json")
        walk(json.loads(text.read_text("utf-8")))
    assert len(found) >= 4  # a rule's severity, the catalogue's, upcoming rules', findings'
    assert all(enum == list(names.SEVERITY_NAMES) for enum in found)
