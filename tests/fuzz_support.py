"""What the fuzz tests share: the Hypothesis profiles, their example budgets and the property.

The property: generated files go through the real command line, in-process with Click's
``CliRunner``, and must give findings or clean errors (``run_clean``):

* the exit status is 0, 1 or 2 (never 3, an internal error) and no exception escapes;
* every line on stderr is ``file:line:col: error|warning: message`` or starts with
  ``compliance: error:``;
* the exit status is 2 exactly when an error line was printed.

Two Hypothesis profiles are registered here. ``fuzz-ci``, the default, is derandomized (the
same examples on every run, no example database) and keeps each fuzz module to about a minute
of CPU: about 550 generated examples in all, of which 8 DOCX and 3 PDF reports (a report costs
a few seconds, as the DOCX takes its page numbers from a layout of the PDF), and 12 valid
meetings (each makes a document from a check result). ``fuzz-long`` is selected with
``HYPOTHESIS_PROFILE=long``: twenty times as many examples (about 11,600, some 25 to 30
minutes), different ones on each run, failures saved in ``.hypothesis/`` and tried first on
the next run:

    HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest tests/test_fuzz.py tests/test_fuzz_reports.py --hypothesis-show-statistics

``FUZZ_FACTOR=N`` (with the long profile) multiplies the CI counts by N instead of 20, for
instance ``FUZZ_FACTOR=200`` overnight; ``--hypothesis-seed=N`` repeats a given long run.
When a property fails in CI, shrinking is cut short after 30 seconds a test.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import traceback
from collections.abc import Iterator, Mapping
from pathlib import Path

from click.testing import CliRunner, Result
from hypothesis import HealthCheck, Phase, currently_in_test_context, event, note, settings
from hypothesis.internal.conjecture import engine as _engine

from compliance.cli import main
from tests import fuzz_strategies as fs

# ------------------------------------------------------------------------------ profiles

_SUPPRESS = [
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.large_base_example,
    HealthCheck.filter_too_much,
]
settings.register_profile(
    "fuzz-ci",
    derandomize=True,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
    database=None,
    deadline=None,
    print_blob=False,
    suppress_health_check=_SUPPRESS,
)
settings.register_profile(
    "fuzz-long",
    derandomize=False,
    deadline=None,
    print_blob=True,
    suppress_health_check=_SUPPRESS,
)
LONG = os.environ.get("HYPOTHESIS_PROFILE", "") in ("long", "fuzz-long")
PROFILE = settings.get_profile("fuzz-long" if LONG else "fuzz-ci")
FACTOR = int(os.environ.get("FUZZ_FACTOR", "20")) if LONG else 1

if not LONG and hasattr(_engine, "MAX_SHRINKING_SECONDS"):
    # A failing CI run should report within a minute or two, not after Hypothesis's budget of
    # five minutes of shrinking per bug (an example costs tens of milliseconds here).
    _engine.MAX_SHRINKING_SECONDS = 30


def fuzz(ci_examples: int) -> settings:
    """Settings of the active profile with ``ci_examples`` (times the long factor)."""
    return settings(PROFILE, max_examples=ci_examples * FACTOR)


# ------------------------------------------------------------------------------ the property

DIAGNOSTIC = re.compile(r"^.+:\d+:\d+: (error|warning): .+$")
TOOL_ERROR = "compliance: error:"
AS_OF = fs.SAMPLES_AS_OF.isoformat()


@contextlib.contextmanager
def workspace(files: Mapping[str, bytes]) -> Iterator[CliRunner]:
    """A fresh working folder holding ``files`` (no stray ./compliance.yaml is picked up)."""
    with tempfile.TemporaryDirectory(prefix="fuzz-") as folder, contextlib.chdir(folder):
        for name, data in files.items():
            Path(name).parent.mkdir(parents=True, exist_ok=True)
            Path(name).write_bytes(data)
        yield CliRunner()


def _note(text: str) -> None:
    """``hypothesis.note`` inside a property; nothing in a plain test."""
    if currently_in_test_context():
        note(text)


def describe(case: fs.FileCase, name: str = "file") -> None:
    """Show how a file was made and its first lines when a property fails."""
    note(f"{name} recipe: {'; '.join(case.recipe)}")
    note(f"{name} text (first 3000 characters):\n{case.text[:3000]}")


def run_clean(runner: CliRunner, args: list[str]) -> tuple[Result, bool]:
    """Run ``compliance ARGS``; assert the clean-exit property; return (result, had_errors).

    An internal error (exit 3) is run again with ``--debug`` so that the real exception, not
    an assertion, reaches Hypothesis: each distinct crash is reported as its own bug.
    """
    _note(f"command: compliance {' '.join(args)}")
    result = runner.invoke(main, args, catch_exceptions=True)
    _note(f"exit {result.exit_code}; stderr:\n{result.stderr}")
    if currently_in_test_context():
        event(f"{args[0]} exit {result.exit_code}")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        assert result.exc_info is not None
        raise AssertionError(
            "exception escaped the command line:\n"
            + "".join(traceback.format_exception(*result.exc_info))
        )
    if result.exit_code == 3:
        runner.invoke(main, ["--debug", *args], catch_exceptions=False)
        raise AssertionError(
            f"internal error (exit 3) not reproduced with --debug:\n{result.stderr}"
        )
    assert result.exit_code in (0, 1, 2), result.exit_code
    lines = result.stderr.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    malformed = [ln for ln in lines if not (DIAGNOSTIC.match(ln) or ln.startswith(TOOL_ERROR))]
    assert not malformed, f"stderr lines that are not diagnostics: {malformed!r}"
    errors = any(
        ln.startswith(TOOL_ERROR) or (m is not None and m[1] == "error")
        for ln in lines
        for m in [DIAGNOSTIC.match(ln)]
    )
    assert (result.exit_code == 2) == errors, (
        f"exit {result.exit_code} but error lines printed: {errors}"
    )
    return result, errors
