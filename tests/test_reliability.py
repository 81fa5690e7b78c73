"""Nothing lost or half-written: limits, untouched inputs, unwritable outputs, full disks, kill -9."""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from compliance.loader import MAX_BYTES, Document, load_text
from tests.conftest import ROOT, SAMPLES, run_cli

Write = Callable[[str, str], Path]


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"unit:\n  name: " + b"x" * MAX_BYTES + b"\n")
    result = run_cli("check", str(big))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"{big}:1:1: error: file is {MAX_BYTES + 15:,} bytes, over the limit of {MAX_BYTES:,} bytes"
    )


def test_alias_bomb_refused_fast_with_bounded_memory() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, cur in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    text = "\n".join(lines) + "\n"
    tracemalloc.start()
    start = time.perf_counter()
    doc = load_text(text, Document("bomb.yaml"))
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert doc.data is None and "expands to more than" in doc.diagnostics[0].message
    assert elapsed < 0.5
    assert peak < 20 * 1024 * 1024


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_inputs_are_never_modified(tmp_path: Path) -> None:
    before = _digest(SAMPLES)
    run_cli(
        "check",
        str(SAMPLES),
        "--as-of",
        "2026-11-28",
        "--format",
        "json",
        "-o",
        str(tmp_path / "r.json"),
    )
    run_cli(
        "report",
        str(SAMPLES / "hq.yaml"),
        "--as-of",
        "2026-11-28",
        "--format",
        "docx",
        "--no-group",
        "--out",
        str(tmp_path / "o"),
        "--config",
        str(SAMPLES / "compliance.yaml"),
    )
    run_cli(
        "meeting",
        "minutes",
        str(SAMPLES / "meetings" / "2027-q1-committee.meeting.yaml"),
        "--format",
        "docx",
        "--results",
        str(tmp_path / "r.json"),
        "--out",
        str(tmp_path / "o"),
    )
    assert _digest(SAMPLES) == before


def test_output_folder_that_cannot_be_made(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the output folder should be")
    result = run_cli(
        "report",
        str(SAMPLES / "wind-01.yaml"),
        "--as-of",
        "2026-11-28",
        "--format",
        "docx",
        "--no-group",
        "--out",
        str(blocker / "reports"),
    )
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0].startswith("compliance: error: cannot write ")
    result = run_cli(
        "check", str(SAMPLES / "wind-01.yaml"), "--format", "json", "-o", str(blocker / "r.json")
    )
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("compliance: error: ")
    assert "Not a directory" in result.stderr or "File exists" in result.stderr


def test_full_disk_keeps_the_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "result.json"
    target.write_text("previous result")
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, fd: int, mode: str) -> None:
            self.fh = real_fdopen(fd, mode)

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *exc: object) -> None:
            self.fh.close()

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr("compliance.output.os.fdopen", FullDisk)
    result = run_cli("check", str(SAMPLES / "wind-01.yaml"), "--format", "json", "-o", str(target))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"compliance: error: {target}: No space left on device"
    assert target.read_text() == "previous result"
    assert [p.name for p in tmp_path.iterdir()] == ["result.json"]  # no temporary file left


@pytest.mark.slow
def test_kill_9_leaves_the_old_or_the_new_file(tmp_path: Path) -> None:
    """Kill -9 a render while it writes its PDF: the report is the old or the new complete
    PDF, never a stub; the next run removes the dead run's temporary file."""
    out = tmp_path / "out"
    args = [
        sys.executable,
        "-m",
        "compliance",
        "report",
        str(SAMPLES / "ne-hebei.yaml"),
        "--as-of",
        "2026-11-28",
        "--format",
        "pdf",
        "--no-group",
        "--out",
        str(out),
    ]
    subprocess.run(args, check=True, capture_output=True, cwd=ROOT)
    target = out / "unit-report-ne-hebei.pdf"
    old = target.read_bytes()
    newer = [a if a != "2026-11-28" else "2026-11-29" for a in args]  # other as-of: other bytes
    subprocess.run(newer, check=True, capture_output=True, cwd=ROOT)
    new = target.read_bytes()
    assert new != old

    def temporary() -> list[str]:
        return [n for n in os.listdir(out) if ".compliance-" in n and n.endswith(".tmp")]

    hits = 0
    for _attempt in range(3):
        target.write_bytes(old)
        proc = subprocess.Popen(
            newer, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        # kill the moment the temporary file appears: between its creation and the rename
        while proc.poll() is None and not temporary():
            time.sleep(0.0002)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert target.read_bytes() in (old, new), "truncated or mixed file after kill -9"
        assert len(PdfReader(target).pages) > 3
        if temporary():  # the kill landed inside the write: the old file must be intact
            assert target.read_bytes() == old
            hits += 1
            break
    assert hits, "no kill landed while the report was being written: the test proved nothing"
    subprocess.run(newer, check=True, capture_output=True, cwd=ROOT)
    assert target.read_bytes() == new
    assert temporary() == []  # the dead run's temporary file was swept
