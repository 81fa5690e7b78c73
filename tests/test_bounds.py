"""Rules and templates cannot hang or exhaust memory: limits fail the rule or the document.

A broken or hostile rule pack or template is an error naming the rule or the template line;
the other rules, units and documents still go through, and nothing becomes a finding.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from jinja2.exceptions import SecurityError

from compliance.expressions import compile_expression
from tests.conftest import MINIMAL_UNIT, SAMPLES, run_cli
from tests.test_rulepack import errors, pack_text

Write = Callable[[str, str], Path]


def test_catastrophic_regex_runs_in_linear_time(write: Write) -> None:
    """``(a+)+$`` on 40 a's and a b takes hours with backtracking; it must take no time."""
    unit = write("u.yaml", MINIMAL_UNIT.replace("Plant A", "a" * 40 + "b"))
    pack = write(
        "p.yaml", pack_text(("RESP-01", "responsibility", "{field: unit.name, matches: '(a+)+$'}"))
    )
    start = time.monotonic()
    result = run_cli(
        "check", str(unit), "--rules", str(pack), "--as-of", "2026-11-28", "--format", "json"
    )
    assert time.monotonic() - start < 5
    assert result.exit_code == 1  # the name does not end in a's: one finding, no hang
    assert '"rule": "RESP-01"' in result.stdout


def test_backreference_is_refused_naming_the_rule(write: Write) -> None:
    pack = write(
        "p.yaml", pack_text(("RESP-01", "responsibility", r"{field: unit.name, matches: '(a)\1'}"))
    )
    (message,) = errors(pack)
    assert ": error: RESP-01: regular expression not supported" in message
    assert "backreferences" in message


@pytest.mark.parametrize(
    "source",
    [
        "'x'|center(10**9)",
        "'ab'|indent(10**9)",
        "'%0999999999d'|format(1)",
        "'%0999999999d' % 1",
        "'%*d' % (999999999, 1)",
        "('a' * 99999)|replace('a', 'b' * 99999)",
        "[1]|batch(10**9, 0)|list",
        "range(100000)|join('x' * 100000)",
        "range(100000)|map('string')|join('y' * 1000)",
        "('a b ' * 20000)|wordwrap(1, wrapstring='x' * 99999)",
        "[1]|slice(10**9)|list",
        "'{:>999999999}'.format(1)",
        "'{:{}}'.format(1, 10**9)",
        "'x'.ljust(10**9)",
        "('a' * 99999).replace('a', 'b' * 99999)",
        "('x' * 99999).join(range(100000)|map('string'))",
        "((10**64)**64)**64",
        "(10**60000) * (10**60000)",
    ],
)
def test_filters_and_methods_cannot_build_huge_values(source: str) -> None:
    start = time.monotonic()
    with pytest.raises(SecurityError):
        compile_expression(source)({})
    assert time.monotonic() - start < 2


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("'abc'|center(9)", "   abc   "),
        ("'%05.1f'|format(3.14159)", "003.1"),
        ("'%s-%s' % ('a', 'b')", "a-b"),
        ("[1, 2, 3]|join(', ')", "1, 2, 3"),
        ("'a b c'|replace(' ', '')", "abc"),
        ("'{:>5}'.format('x')", "    x"),
        ("2 ** 10 * 3", 3072),
        ("'a' ~ 'b' ~ 1", "ab1"),
    ],
)
def test_ordinary_uses_still_work(source: str, value: object) -> None:
    assert compile_expression(source)({}) == value


def test_memory_error_in_a_rule_is_an_error_not_a_finding(
    write: Write, monkeypatch: pytest.MonkeyPatch
) -> None:
    import compliance.expressions as expressions

    real = expressions.compile_expression

    def exhausting(source: str) -> Callable[[dict[str, object]], object]:
        fn = real(source)

        def run(variables: dict[str, object]) -> object:
            if "unit.employees" in source:
                raise MemoryError
            return fn(variables)

        return run

    monkeypatch.setattr("compliance.expr_condition.compile_expression", exhausting)
    unit = write("u.yaml", MINIMAL_UNIT)
    pack = write(
        "p.yaml",
        pack_text(
            ("RESP-01", "responsibility", "{expr: 'unit.employees > 10'}"),
            ("RESP-02", "responsibility", "{present: unit.nothing_here}"),
        ).replace("nothing_here", "principal"),
    )
    result = run_cli(
        "check", str(unit), "--rules", str(pack), "--as-of", "2026-11-28", "--format", "json"
    )
    assert result.exit_code == 2
    assert "RESP-01: expression refused: MemoryError" in result.stderr
    assert '"rule": "RESP-01"' not in result.stdout  # never a finding
    assert '"rule": "RESP-02"' in result.stdout  # the other rules still ran


@pytest.mark.parametrize(
    ("template", "line"),
    [
        # two nested loops over range(100000): 10**10 iterations without the step budget
        (
            "<p>a</p>\n{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n",
            2,
        ),
        # nested loops over a long string: no call, no range, still counted
        (
            "{% set s = 'x' * 99999 %}\n<p>b</p>\n{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}\n",
            3,
        ),
        # 100,000 times a value of 100,000 characters: 10**10 characters of output
        (
            "<p>c</p>\n{% set big = 'x' * 100000 %}{% for i in range(100000) %}{{ big }}{% endfor %}\n",
            2,
        ),
        # a macro that calls itself without end
        ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}\n<p>{{ f(0) }}</p>\n", 1),
        # a macro that doubles its work: 2**60 calls (a million macro calls take seconds)
        pytest.param(
            "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}\n"
            "<p>{{ f(60) }}</p>\n",
            1,
            marks=pytest.mark.slow,
        ),
        # doubling a string with ~ in a recursive macro
        (
            "{% macro f(s, n) %}{% if n %}{{ f(s ~ s, n - 1) }}{% endif %}{% endmacro %}\n"
            "<p>{{ f('ab', 60) }}</p>\n",
            1,
        ),
    ],
)
def test_runaway_template_fails_that_document_only(
    write: Write, tmp_path: Path, template: str, line: int
) -> None:
    tpl = write("tpl/unit_report.html.j2", template)
    out = tmp_path / "out"
    start = time.monotonic()
    result = run_cli(
        "report",
        str(SAMPLES / "wind-01.yaml"),
        "--as-of",
        "2026-11-28",
        "--out",
        str(out),
        "--templates",
        str(tpl.parent),
        "--format",
        "docx",
    )
    assert time.monotonic() - start < 60
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{tpl}:{line}:1: error: template error:"), first
    assert ": error: template error:" in first
    assert (out / "group-report.docx").exists()  # the batch goes on
    assert not (out / "unit-report-wind-01.docx").exists()
