"""Progress lines: on a terminal, by document and stage; on a pipe, nothing at all."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MEETING = ROOT / "samples" / "meetings" / "2026-q4-conference.meeting.yaml"


def _cmd(out: Path) -> list[str]:
    return [sys.executable, "-m", "compliance", "meeting", "all", str(MEETING), "--out", str(out)]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COMPLIANCE_NO_CACHE": "1"}


def test_terminal_shows_each_document_and_its_stages(tmp_path: Path) -> None:
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [*_cmd(tmp_path), "--format", "pdf"],
        stdout=subprocess.PIPE,
        stderr=follower,
        env=_env(),
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:  # the terminal closes when the process ends
            break
        if not data:
            break
        chunks.append(data)
    stdout, _ = proc.communicate(timeout=120)
    os.close(leader)
    shown = b"".join(chunks).decode("utf-8")
    assert proc.returncode == 0
    for expected in ("[1/3]", "notice", "[2/3]", "signin", "[3/3]", "minutes"):
        assert expected in shown
    for stage in ("html", "layout", "writing (2 pages)"):
        assert stage in shown
    assert shown.endswith("\r\x1b[K")  # the status line is cleared at the end
    assert stdout.decode().count("wrote ") == 3


def test_pipe_gets_no_progress_at_all(tmp_path: Path) -> None:
    proc = subprocess.run(
        [*_cmd(tmp_path), "--format", "docx"],
        capture_output=True,
        env=_env(),
        check=False,
    )
    assert proc.returncode == 0
    assert proc.stderr == b""
    assert b"\r" not in proc.stdout and b"\x1b" not in proc.stdout
    assert proc.stdout.decode().splitlines() == [
        f"wrote {tmp_path / name}"
        for name in (
            "2026-q4-conference-notice.docx",
            "2026-q4-conference-signin.docx",
            "2026-q4-conference-minutes.docx",
        )
    ]
