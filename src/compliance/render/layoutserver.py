"""WeasyPrint imported beside the check: a forked child process that lays the documents out.

Importing WeasyPrint costs about half a second (its modules, and cffi reading the C
declarations of Pango, HarfBuzz and fontconfig). A report imported it only once the check and
the templates were done, one after the other, while the machine's second core sat idle. So
``report``, when it renders in this one process (``--jobs 1``, on Linux), forks a child before
checking (:func:`start`): the child imports WeasyPrint at once, meanwhile this process checks
the units and renders the templates, and then the child lays out each document this process
prepared (:func:`lay_out`) and sends back the PDF and the page of each element.

This process stays in charge of everything a user sees: the pictures (the child asks for each
one: charts are drawn in yet another child meanwhile, logos come from the allowed folders
only), the status line (the child reports its stages), the atomic writes of the files, the
errors and the exit status. A document the child cannot lay out (a character no font has) is
the same ``RenderError`` as in this process; whatever else goes wrong there (the child died,
an unexpected error) lays the document out in this process instead, where the error shows as
it always did. The bytes are the same either way: same code, same input.

Ctrl-C is this process's to handle: the child ignores it and is ended when this process ends
(:func:`stop`, also run at exit), even in the middle of a layout.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import signal
import sys
from dataclasses import dataclass
from typing import IO, Any

from compliance import statusline
from compliance.render.assets import Assets
from compliance.render.frames import read_frame, write_frame


@dataclass
class _Server:
    """The child and the pipes to it, owned by the process that forked it."""

    pid: int
    owner: int
    requests: IO[bytes]  # to the child: documents, pictures
    replies: IO[bytes]  # from the child: stages, picture requests, results


_SERVER: _Server | None = None


def start() -> None:
    """Fork the layout child, which imports WeasyPrint right away; no-op where there is no
    ``fork``, when WeasyPrint is already imported here, or when a child already runs."""
    global _SERVER
    if _SERVER is not None or "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        return
    request_read, request_write = os.pipe()
    reply_read, reply_write = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: serve, and leave without running the parent's exit handlers
        status = 1
        try:
            _end_with(parent)
            os.close(request_write)
            os.close(reply_read)
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
            signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent ends us: nothing to undo
            statusline.detach()  # stages go to the parent, which shows them (see _serve)
            requests: IO[bytes] = os.fdopen(request_read, "rb")
            _serve(requests, os.fdopen(reply_write, "wb"))
            status = 0
        finally:
            os._exit(status)
    os.close(request_read)
    os.close(reply_write)
    _SERVER = _Server(pid, os.getpid(), os.fdopen(request_write, "wb"), os.fdopen(reply_read, "rb"))
    atexit.register(stop)


def _end_with(parent: int) -> None:
    """Have the kernel end this child when the parent dies, even by ``kill -9`` (Linux's
    parent-death signal): an orphan would otherwise finish a long layout for nobody."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the signal was set
        os._exit(1)


def stop() -> None:
    """End the layout child (idle or not) and reap it."""
    global _SERVER
    server, _SERVER = _SERVER, None
    if server is None or server.owner != os.getpid():
        return
    for pipe in (server.requests, server.replies):
        with contextlib.suppress(OSError):
            pipe.close()
    with contextlib.suppress(OSError):
        os.kill(server.pid, signal.SIGTERM)
        os.waitpid(server.pid, 0)


def lay_out(name: str, html: str, css: str, assets: Assets, write: bool) -> Any:
    """``(pdf, pages)`` of a prepared document as the child laid it out (``pdf`` is b"" unless
    ``write``); None when there is no child for this process or it failed (then the caller
    lays the document out itself). A ``RenderError`` of the child's is raised here."""
    from compliance.render.documents import RenderError

    server = _SERVER
    if server is None or server.owner != os.getpid():
        return None  # a forked worker or chart child: not ours to use
    try:
        _send(server.requests, ("layout", name, html, css, write))
        while True:
            kind, *rest = _receive(server.replies)
            if kind == "stage":
                statusline.stage(rest[0])
            elif kind == "picture":
                _send(server.requests, ("picture", assets.load(rest[0])))
            elif kind == "done":
                return rest[0], rest[1]
            elif kind == "error":
                raise RenderError(rest[0])
            else:  # "failed": the child is still fine; this document is laid out here
                return None
    except (OSError, EOFError, ValueError, pickle.PickleError):
        stop()  # the child died or the pipe broke: every document is laid out here from now
        return None


class _Pictures(Assets):
    """The child's view of a document's pictures: each one asked of the parent, which holds
    the charts being drawn and decides what may be read."""

    def __init__(self, requests: IO[bytes], replies: IO[bytes]) -> None:
        super().__init__([])
        self.requests, self.replies = requests, replies

    def load(self, src: str) -> bytes | None:
        """The picture's bytes as the parent's assets give them (None: refused)."""
        _send(self.replies, ("picture", src))
        kind, data = _receive(self.requests)
        if kind != "picture":
            raise EOFError("out of step with the parent")
        return data if isinstance(data, bytes) else None


def _serve(requests: IO[bytes], replies: IO[bytes]) -> None:
    """The child's loop: import WeasyPrint, then lay out each document sent until the parent
    closes the pipe."""
    from compliance.render.documents import Prepared, RenderError, import_weasyprint, laid_out_here

    weasyprint = import_weasyprint()
    _warm_up(weasyprint)
    statusline.detach(lambda stage_name: _send(replies, ("stage", stage_name)))
    while True:
        try:
            _, name, html, css, write = _receive(requests)
        except EOFError:
            return  # the parent is done
        doc = Prepared(name, html, css, _Pictures(requests, replies))
        try:
            pdf, pages = laid_out_here(doc, write)
        except RenderError as exc:
            _send(replies, ("error", str(exc)))
        except (OSError, EOFError):
            raise  # the pipe to the parent is gone: nothing to report to
        except Exception:  # the parent lays it out again, where the error shows
            _send(replies, ("failed",))
        else:
            _send(replies, ("done", pdf, pages))


# A page with what every document has: a margin box, a table, Latin and Chinese text
_WARM_UP = (
    "<style>@page { @top-center { content: 'x' } } html { font-family: sans-serif }</style>"
    "<p>Warm up 预热</p><table><tr><td>1</td></tr></table>"
)


def _warm_up(weasyprint: Any) -> None:
    """Lay out and write a small page while the parent is still checking: fontconfig's set-up,
    the first fonts loaded and the modules WeasyPrint imports on first use (about 0.05 s of the
    first document). Nothing of it is kept in the documents: each has its own fonts."""
    with contextlib.suppress(Exception):  # a warm-up that fails costs nothing but itself
        weasyprint.HTML(string=_WARM_UP).render().write_pdf()


def _send(pipe: IO[bytes], message: tuple[Any, ...]) -> None:
    """One message: the pickled tuple (between this program's processes)."""
    write_frame(pipe, pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))
    pipe.flush()


def _receive(pipe: IO[bytes]) -> tuple[Any, ...]:
    """The next message; EOFError when the other side has closed the pipe."""
    message = pickle.loads(read_frame(pipe))
    if not isinstance(message, tuple) or not message:
        raise ValueError("not a message")
    return message
