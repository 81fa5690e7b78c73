"""Read what the user named, safely: the one way every input file is opened.

A path is read only when it is a regular file (a FIFO would block for ever, ``/dev/zero``
never ends, a device may have side effects on open), when its size, taken from the open file
itself with ``fstat``, is within the caller's limit (a 1 GB file costs no memory), and, when
the caller names a folder, when it resolves inside that folder (a symbolic link in a template
folder cannot pull in ``/etc/passwd``). The checks raise :class:`Refused`, an ``OSError`` whose
``strerror`` is a sentence, so every caller reports it like any unreadable file.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MIB = 1024 * 1024
YAML_LIMIT = 5 * MIB  # unit, meeting, pack and configuration files (see compliance.loader)
RESULT_LIMIT = 256 * MIB  # a saved check result (--from, --results): 5,000 units fit easily
IMAGE_LIMIT = 16 * MIB  # logos and template images
TEMPLATE_LIMIT = 2 * MIB  # one template file

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class Refused(OSError):
    """An input that is not read: not a regular file, too large, or outside its folder."""

    def __init__(self, message: str, filename: str) -> None:
        super().__init__(errno.EINVAL, message, filename)


class TooLarge(Refused):
    """An input over its size limit (checked before anything is read)."""

    def __init__(self, size: int, limit: int, filename: str) -> None:
        super().__init__(f"file is {size:,} bytes, over the limit of {limit:,} bytes", filename)


def kind_of(mode: int) -> str | None:
    """What a non-regular file is ("a FIFO (named pipe)"...); None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def inside(path: Path | str, folder: Path | str) -> bool:
    """True when ``path``, with every symbolic link resolved, lies inside ``folder``."""
    root = os.path.realpath(folder)
    real = os.path.realpath(path)
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def read_input(path: Path | str, limit: int, within: Path | str | None = None) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them; :class:`Refused`
    (an ``OSError``) otherwise. With ``within``, the file must resolve inside that folder."""
    name = os.fspath(path)
    if within is not None and not inside(name, within):
        raise Refused(f"resolves outside {os.fspath(within)} (a symbolic link?): refused", name)
    # stat before open: a FIFO or a device is never opened at all
    kind = kind_of(os.stat(name).st_mode)
    if kind:
        raise Refused(f"is {kind}, not a regular file: refused", name)
    # O_NONBLOCK: should a FIFO replace the file between stat and open, open does not hang
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(name, flags)
    try:
        info = os.fstat(fd)  # what was opened, not what the name pointed to a moment ago
        kind = kind_of(info.st_mode)
        if kind:
            raise Refused(f"is {kind}, not a regular file: refused", name)
        if info.st_size > limit:
            raise TooLarge(info.st_size, limit, name)
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:  # a file that grows while read is still bounded
            chunk = os.read(fd, min(limit + 1 - size, MIB))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise TooLarge(size, limit, name)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text(path: Path | str, limit: int, within: Path | str | None = None) -> str:
    """:func:`read_input` decoded as UTF-8 (``UnicodeDecodeError`` when it is not)."""
    return read_input(path, limit, within).decode("utf-8")
