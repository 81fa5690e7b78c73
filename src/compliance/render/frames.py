"""Messages between this program's processes: a forked child and its parent, over a pipe.

Each message is its length (8 bytes, big-endian) and then its bytes, so that the reader knows
where one ends without a separator that the bytes (a PNG, a PDF, a pickle) could contain.
"""

from __future__ import annotations

import struct
from typing import IO

_HEADER = struct.Struct(">Q")


def write_frame(pipe: IO[bytes], data: bytes) -> None:
    """Write one message (the caller flushes when the other side should read it)."""
    pipe.write(_HEADER.pack(len(data)) + data)


def read_frame(pipe: IO[bytes]) -> bytes:
    """The next message; EOFError when the other side closed the pipe before or inside it."""
    head = pipe.read(_HEADER.size)
    if len(head) < _HEADER.size:
        raise EOFError("pipe closed")
    (size,) = _HEADER.unpack(head)
    data = pipe.read(size)
    if len(data) < size:
        raise EOFError("pipe closed")
    return data
