"""Which files a check reads: unit files named, or found in folders, and what is passed over.

Nothing is passed over in silence: a link that leads nowhere, a FIFO, a folder that cannot be
read is a warning naming it (an error when named on the command line) and is listed in the
result's ``summary.skipped``. Meeting files and the project configuration live beside units
and are not units.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from pathlib import Path

from compliance.diagnostics import ERROR, WARNING, Diagnostic, display_path
from compliance.inputs import kind_of

UNIT_SUFFIXES = (".yaml", ".yml")
MEETING_SUFFIX = ".meeting.yaml"  # meeting files live beside units (see compliance.meeting_file)
NOT_UNITS = frozenset({"compliance.yaml", "compliance.yml"})  # the project configuration


def collect_files(
    paths: Iterable[str], skipped: list[str] | None = None
) -> tuple[list[Path], list[Diagnostic]]:
    """Unit files named or found (recursively, sorted) in folders; missing paths diagnosed.

    Nothing is passed over in silence: a folder that cannot be read, a symbolic link that
    leads nowhere or in a loop, a link to a folder (not followed), a FIFO or device is a
    warning naming it (an error when named on the command line), and its path is added to
    ``skipped``. Hidden files and folders (``.git``...) are passed over on purpose.
    """
    files: list[Path] = []
    problems: list[Diagnostic] = []
    skipped = skipped if skipped is not None else []
    for name in paths:
        p = Path(name)
        if p.is_dir():
            found: list[Path] = []
            passed_over = len(skipped)
            _scan(p, found, problems, skipped)
            if not found and len(skipped) == passed_over:
                problems.append(Diagnostic(name, 0, 0, WARNING, "folder holds no .yaml unit files"))
            files += found
        elif p.is_file():
            files.append(p)
        elif os.path.lexists(name):
            problems.append(Diagnostic(name, 0, 0, ERROR, _not_file(p)))
            skipped.append(name)
        else:
            problems.append(Diagnostic(name, 0, 0, ERROR, "no such file or folder"))
    unique: dict[Path, Path] = {}
    for f in files:
        unique.setdefault(f.resolve(), f)
    return list(unique.values()), problems


def _not_file(path: Path) -> str:
    """Why an entry that is neither a regular file nor a folder is not checked."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return "symbolic link leads nowhere (its target is missing): not checked"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic links form a loop: not checked"
        return f"cannot be read ({exc.strerror}): not checked"
    return f"is {kind_of(info.st_mode)}, not a regular file: not checked"


def _scan(folder: Path, found: list[Path], problems: list[Diagnostic], skipped: list[str]) -> None:
    """Unit files below ``folder`` (sorted, depth first), with every entry passed over named."""

    def skip(path: Path, message: str) -> None:
        shown = str(Path(display_path(path.parent)) / path.name)  # the link, not its target
        problems.append(Diagnostic(shown, 0, 0, WARNING, message))
        skipped.append(shown)

    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        skip(folder, f"folder cannot be read ({exc.strerror}): the files in it are not checked")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()  # follows links: False for a dangling or looping one
            is_file = entry.is_file()
            is_link = entry.is_symlink()
        except OSError:
            is_dir = is_file = False
            is_link = True
        if is_dir and is_link:
            skip(path, "symbolic link to a folder: not followed, the files in it are not checked")
        elif is_dir:
            _scan(path, found, problems, skipped)
        elif is_file:
            if (
                entry.name.endswith(UNIT_SUFFIXES)
                and entry.name not in NOT_UNITS
                and not entry.name.endswith(MEETING_SUFFIX)
            ):
                found.append(path)
        else:
            skip(path, _not_file(path))
