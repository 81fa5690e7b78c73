"""The package as users install it: a wheel carries the rule packs, templates, schemas and
catalog, declares every library it imports, and runs outside the repository."""

from __future__ import annotations

import ast
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_imported_library_is_declared() -> None:
    """lxml and markupsafe were imported but not declared: a clean install could lack them."""
    imported: dict[str, Path] = {}
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top != "compliance":
                    imported.setdefault(top, path)
    declared = {
        _normal(re.split(r"[<>=!~;\[ ]", req, maxsplit=1)[0])
        for req in _pyproject()["project"]["dependencies"]
    }
    dists = importlib.metadata.packages_distributions()
    missing = [
        f"{top} (imported in {where.relative_to(ROOT)})"
        for top, where in imported.items()
        if not {_normal(d) for d in dists.get(top, [top])} & declared
    ]
    assert missing == []


def test_every_package_folder_is_listed() -> None:
    """The package list is explicit (the data folders are mapped in): a new subpackage must be
    added to it, or the wheel would lack it."""
    listed = set(_pyproject()["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(SRC).parts) for p in SRC.rglob("__init__.py")}
    assert found - listed == set()
    assert {"compliance.builtin_rules", "compliance.builtin_templates"} <= listed


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel built from this checkout installed in it.

    The wheel is installed before the environment can see any other package, so pip cannot
    mistake the development install for it; the third-party libraries then come from the
    running environment through a .pth file (offline and fast, instead of downloading them)."""
    base = tmp_path_factory.mktemp("wheel")
    clean = _clean_env()  # PYTHONPATH=src would make pip think the package is installed
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    subprocess.run(
        [*pip, "wheel", str(ROOT), "--no-deps", "-q", "-w", str(base / "dist")],
        check=True,
        capture_output=True,
        env=clean,
    )
    (wheel,) = (base / "dist").glob("compliance-*.whl")
    venv = base / "venv"
    subprocess.run(
        [getattr(sys, "_base_executable", sys.executable), "-m", "venv", "--without-pip", venv],
        check=True,
        env=clean,
    )
    python = venv / "bin" / "python"
    subprocess.run(
        [*pip, "--python", str(python), "install", "--no-deps", "--no-index", "-q", str(wheel)],
        check=True,
        capture_output=True,
        env=clean,
    )
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "zz_libraries.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv


def _clean_env() -> dict[str, str]:
    drop = ("PYTHONPATH", "COMPLIANCE_RULES_PATH")
    return {k: v for k, v in os.environ.items() if k not in drop}


def _run(venv: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = _clean_env()
    env.update(XDG_CACHE_HOME=str(cwd / "cache"), HOME=str(cwd))
    return subprocess.run(
        [venv / "bin" / "compliance", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_the_wheel_runs_outside_the_repository(installed: Path, tmp_path: Path) -> None:
    """check, report and meeting from an installed wheel, in a folder with no rules/ or
    templates/ of its own: packs, templates, schemas and the catalog come from the wheel."""
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    where = _run(installed, tmp_path, "--version")
    assert where.returncode == 0, where.stderr
    origin = subprocess.run(
        [installed / "bin" / "python", "-c", "import compliance; print(compliance.__file__)"],
        cwd=tmp_path,
        env=_clean_env(),
        capture_output=True,
        text=True,
    ).stdout
    assert origin.startswith(str(installed)), origin  # the wheel's copy, not the checkout

    check = _run(
        installed, tmp_path, "check", "samples", "--as-of", "2026-11-28", "--format", "json",
        "--output", "result.json", "--fail-on", "never",
    )  # fmt: skip
    assert check.returncode == 0, check.stderr
    result = (tmp_path / "result.json").read_text("utf-8")
    assert '"name": "cn-work-safety"' in result and '"units": 8' in result

    # the documents of two units (the group report and theirs), not all eight: each document
    # costs seconds, and two prove the templates, fonts and catalog as well as eight
    pair = _run(
        installed, tmp_path, "check", "samples/hq.yaml", "samples/ne-hebei.yaml", "--as-of",
        "2026-11-28", "--format", "json", "--output", "pair.json", "--fail-on", "never",
    )  # fmt: skip
    assert pair.returncode == 0, pair.stderr

    iso = _run(installed, tmp_path, "rules", "list", "--rules", "iso45001", "--lang", "zh")
    assert iso.returncode == 0 and "ISO-" in iso.stdout, iso.stderr
    schema = _run(installed, tmp_path, "schema", "meeting")
    assert schema.returncode == 0 and '"meeting"' in schema.stdout

    report = _run(
        installed, tmp_path, "report", "--from", "pair.json", "--lang", "zh",
        "--format", "pdf,docx", "--out", "reports",
    )  # fmt: skip
    assert report.returncode == 0, report.stderr
    made = sorted(p.name for p in (tmp_path / "reports").iterdir())
    assert "group-report.zh.pdf" in made and "unit-report-ne-hebei.zh.docx" in made
    from pypdf import PdfReader

    text = "".join(
        p.extract_text() for p in PdfReader(tmp_path / "reports/group-report.zh.pdf").pages
    )
    assert "cn-work-safety" in text or "安全" in text

    meeting = _run(
        installed, tmp_path, "meeting", "notice", "samples/meetings/2026-q4-conference.meeting.yaml",
        "--lang", "zh", "--format", "docx", "--out", "meetings",
    )  # fmt: skip
    assert meeting.returncode == 0, meeting.stderr
    assert [p.suffix for p in (tmp_path / "meetings").iterdir()] == [".docx"]


@pytest.mark.slow
def test_an_editable_install_reads_the_top_level_folders(tmp_path: Path) -> None:
    """'.ci/setup' installs the checkout editable: the mapped data packages then resolve to
    the repository's own rules/ and templates/, the single source."""
    clean = _clean_env()
    venv = tmp_path / "venv"
    subprocess.run(
        [getattr(sys, "_base_executable", sys.executable), "-m", "venv", "--without-pip", venv],
        check=True,
        env=clean,
    )
    python = venv / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--python", str(python)]
    subprocess.run(
        [*pip, "install", "--no-deps", "-q", "-e", str(ROOT)],
        check=True,
        capture_output=True,
        env=clean,
    )
    probe = (
        "from importlib.resources import files; from compliance.builtin import builtin_folder; "
        "print(files('compliance.builtin_rules')); print(files('compliance.builtin_templates')); "
        "print(builtin_folder('rules'))"
    )
    shown = subprocess.run(
        [python, "-c", probe], cwd=tmp_path, env=clean, capture_output=True, text=True, check=True
    ).stdout.split()
    assert shown == [str(ROOT / "rules"), str(ROOT / "templates"), str(ROOT / "rules")]
