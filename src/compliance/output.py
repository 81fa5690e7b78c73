"""Write output files atomically, and only where a regular file may go.

Every output is written to a temporary file beside its target, flushed, then renamed over
it: readers see the old file or the whole new one. A target that exists as anything but a
regular file (a symbolic link, a device such as ``/dev/null``, a FIFO, a folder) is refused
and left untouched: renaming over it would replace a system file or write through a link.
A new file gets the mode the umask allows; a replaced file keeps its mode.

Temporary files are named ``.NAME.compliance-PID-XXXX.tmp``. An interrupted run (Ctrl-C,
SIGTERM) removes its own; after a ``kill -9`` the next run that writes into the same folder
removes those whose process is gone.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path

from compliance.inputs import kind_of

# compiled on first use (re's cache): a check that writes to standard output never needs it
_TEMP = r"^\..+\.compliance-(\d+)-[A-Za-z0-9_]+\.tmp$"
_swept: set[str] = set()


class OutputRefused(OSError):
    """An output target that must not be replaced (a link, a device, a FIFO, a folder)."""

    def __init__(self, path: Path, what: str) -> None:
        super().__init__(errno.EEXIST, f"exists as {what}; refusing to replace it", str(path))


def check_target(path: Path) -> os.stat_result | None:
    """The status of an existing regular file at ``path``, None when there is nothing there;
    :class:`OutputRefused` when something else is there."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(info.st_mode):
        raise OutputRefused(path, "a symbolic link")
    what = kind_of(info.st_mode)
    if what:
        raise OutputRefused(path, what)
    return info


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write ``data`` (bytes, or pieces of bytes as they are made) to a temporary file beside
    ``path``, flush it to disk, then rename: readers see the old file or the whole new one."""
    check_target(path)  # before any work: a refused target costs nothing
    path.parent.mkdir(parents=True, exist_ok=True)
    sweep_stale(path.parent)
    import tempfile  # here, not at the top: 'compliance check' to the terminal never needs it

    prefix = f".{path.name}.compliance-{os.getpid()}-"
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            for piece in [data] if isinstance(data, bytes) else data:
                fh.write(piece)
            fh.flush()
            os.fsync(fh.fileno())
        # checked again just before the rename: the target may have changed meanwhile
        old = check_target(path)
        os.chmod(tmp, stat.S_IMODE(old.st_mode) if old else 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def exit_on_signal(signum: int, frame: object) -> None:
    """A SIGTERM handler: unwind like an exit (status 128 + signal), so that temporary files
    are removed on the way out and worker processes end without a traceback."""
    raise SystemExit(128 + signum)


def _umask() -> int:
    mask = os.umask(0o022)  # the only portable way to read it is to set it
    os.umask(mask)
    return mask


def sweep_stale(folder: Path) -> None:
    """Remove temporary files of earlier runs in ``folder`` whose process no longer runs
    (once per folder and run; only names this module makes)."""
    key = os.path.realpath(folder)
    if key in _swept:
        return
    _swept.add(key)
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        match = re.match(_TEMP, entry.name)
        if match is None or int(match[1]) == os.getpid() or _alive(int(match[1])):
            continue
        try:
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
        except OSError:
            pass  # someone else's, or already gone


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # another user's process: leave its files alone
    return True


def safe_name(unit_id: str) -> str:
    """A file-name stem from a unit id that cannot leave the output folder."""
    stem = "".join(c if c.isalnum() or c in "-_." else "_" for c in unit_id).strip(".")
    return stem or "unit"


def name_key(unit_id: str) -> str:
    """What decides a unit's report file name on any file system (case-insensitive ones too).

    Two ids with one key would write the same file: the second report would silently
    replace the first.
    """
    return safe_name(unit_id).casefold()
