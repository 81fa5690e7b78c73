"""Write output files atomically: a complete new file or the old one, never half of one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write ``data`` (bytes, or pieces of bytes as they are made) to a temporary file beside
    ``path``, flush it to disk, then rename: readers see the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            for piece in [data] if isinstance(data, bytes) else data:
                fh.write(piece)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
