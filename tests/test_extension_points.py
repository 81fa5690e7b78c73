"""Each extension point is declared once (``compliance.names``); the rest agrees with it."""

from __future__ import annotations

import json
from importlib import resources

import click

from compliance import names
from compliance.cli import main
from compliance.formats import formatter


def _choices(command: click.Command, option: str) -> list[str]:
    param = next(p for p in command.params if p.name == option)
    assert isinstance(param.type, click.Choice)
    return list(param.type.choices)


def test_check_offers_exactly_the_registered_formats_and_languages() -> None:
    check = main.commands["check"]
    assert _choices(check, "fmt") == list(names.OUTPUT_FORMATS)
    assert _choices(check, "lang") == list(names.LANGUAGES)
    assert _choices(check, "fail_on") == list(names.FAIL_ON_CHOICES)


def test_every_registered_format_has_its_function() -> None:
    for name in names.OUTPUT_FORMATS:
        assert callable(formatter(name)), name


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
