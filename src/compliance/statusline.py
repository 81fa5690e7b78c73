"""Progress a person can read: which document, which stage, how long, on one terminal line.

``report`` and ``meeting all`` show ``[2/8] unit-report-coal-01.pdf: layout 4 s`` on standard
error while they work, redrawn every half second by a small thread (so a long layout does not
sit still), and only when standard error is a terminal: on a pipe or in a file nothing is
written. Stages: check, html, layout, writing (the PDF), docx.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import TextIO

StageFn = Callable[[str], None]

# set by the command that shows progress; the document functions report their stages here
_HOOK: list[StageFn] = []
_ACTIVE: list[Progress] = []


def shown() -> Progress | None:
    """The status line being shown, if any (others print their lines through it)."""
    return _ACTIVE[-1] if _ACTIVE else None


def detach(forward: StageFn | None = None) -> None:
    """In a forked child: never draw on the parent's status line (its copy here is not ours);
    with ``forward``, hand this process's stages to it (to send them to the parent)."""
    _HOOK.clear()
    _ACTIVE.clear()
    if forward is not None:
        _HOOK.append(forward)


def stage(name: str) -> None:
    """Report that the current document entered stage ``name`` (no-op without a display)."""
    for hook in _HOOK:
        hook(name)


class Progress:
    """One status line on a terminal; does nothing at all when ``enabled`` is false."""

    def __init__(self, stream: TextIO, total: int = 0, enabled: bool | None = None) -> None:
        self.stream = stream
        self.enabled = stream.isatty() if enabled is None else enabled
        self.total = total
        self.index = 0
        self.name = ""
        self.stage_name = ""
        self.started = time.monotonic()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Progress:
        if self.enabled:
            _HOOK.append(self.stage)
            _ACTIVE.append(self)
            self._thread = threading.Thread(target=self._tick, daemon=True)
            self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self.enabled:
            return
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self.stage in _HOOK:
            _HOOK.remove(self.stage)
        if self in _ACTIVE:
            _ACTIVE.remove(self)
        with self._lock:
            self.stream.write("\r\x1b[K")
            self.stream.flush()

    def document(self, name: str, stage_name: str = "") -> None:
        """A new document (or step) starts."""
        if not self.enabled:
            return
        with self._lock:
            self.index += 1
            self.name, self.stage_name, self.started = name, stage_name, time.monotonic()
        self._draw()

    def stage(self, name: str) -> None:
        """The current document enters stage ``name``."""
        if not self.enabled:
            return
        with self._lock:
            self.stage_name, self.started = name, time.monotonic()
        self._draw()

    def echo(self, line: str, stream: TextIO) -> None:
        """Write ``line`` to ``stream``, above the status line when there is one."""
        if not self.enabled:
            stream.write(line + "\n")
            stream.flush()
            return
        with self._lock:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            stream.write(line + "\n")
            stream.flush()
        self._draw()

    def _tick(self) -> None:
        while not self._stop.wait(0.5):
            self._draw()

    def _draw(self) -> None:
        with self._lock:
            if self._stop.is_set() or not self.name:
                return
            count = f"[{self.index}/{self.total}] " if self.total else ""
            seconds = time.monotonic() - self.started
            stage_text = f": {self.stage_name}" if self.stage_name else ""
            elapsed = f" {seconds:.0f} s" if seconds >= 1 else ""
            self.stream.write(f"\r\x1b[K{count}{self.name}{stage_text}{elapsed}")
            self.stream.flush()
