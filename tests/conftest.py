"""Shared helpers: run the CLI in-process and write small input files."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from compliance.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
RULES = ROOT / "rules"

MINIMAL_UNIT = """\
unit:
  id: plant-a
  name: Plant A
  kind: coal
  employees: 50
valid_on: 2026-06-01
"""


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Point the pack cache at a folder of the test session, never the user's ~/.cache.

    Set in the environment (not monkeypatched per test) so that subprocesses started by the
    tests inherit it too.
    """
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))


def run_cli(*args: str) -> Result:
    """Invoke ``compliance ARGS`` in-process; stdout and stderr kept apart."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a dedented text file below the test's temporary folder."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write


# Tests that share a module fixture rendering every sample report take the fixture's cost
# (about 20 s); they count as slow so that `pytest -m "not slow"` stays a fast loop.
_SLOW_FIXTURES = {"rendered"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests that use an expensive shared fixture as ``slow``."""
    for item in items:
        if _SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
