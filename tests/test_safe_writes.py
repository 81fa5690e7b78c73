"""Outputs go only to regular files: links, devices, FIFOs and folders are refused untouched;
modes follow the umask or the replaced file; interruptions leave no temporary file."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from compliance.output import write_atomic
from tests.conftest import ROOT, SAMPLES, run_cli

SOLAR = str(SAMPLES / "solar-01.yaml")


def _device(path: Path) -> Path:
    """A character device node like /dev/null (mknod needs root; skipped otherwise)."""
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("creating a device node needs root")
    return path


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _link(path: Path) -> Path:
    victim = path.with_name("victim.txt")
    victim.write_text("precious\n")
    path.symlink_to(victim)
    return path


def _folder(path: Path) -> Path:
    path.mkdir()
    (path / "inside.txt").write_text("kept\n")
    return path


KINDS = {"symlink": _link, "fifo": _fifo, "device": _device, "folder": _folder}


def _snapshot(path: Path) -> tuple[int, int, int]:
    info = os.lstat(path)
    return info.st_mode, info.st_ino, info.st_rdev


@pytest.mark.parametrize("kind", list(KINDS))
def test_write_atomic_refuses_what_is_not_a_regular_file(tmp_path: Path, kind: str) -> None:
    target = KINDS[kind](tmp_path / "out.json")
    before = _snapshot(target)
    with pytest.raises(OSError, match="refusing to replace it"):
        write_atomic(target, b"{}")
    assert _snapshot(target) == before
    if kind == "symlink":
        assert (tmp_path / "victim.txt").read_text() == "precious\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("kind", ["symlink", "fifo", "device"])
def test_check_output_to_a_link_fifo_or_device_is_exit_2(tmp_path: Path, kind: str) -> None:
    """Today '-o' renamed a temporary file over /dev/null-like nodes and links."""
    target = KINDS[kind](tmp_path / "result.json")
    before = _snapshot(target)
    result = run_cli("check", SOLAR, "--format", "json", "-o", str(target), "--fail-on", "never")
    assert result.exit_code == 2
    assert result.stderr.strip().startswith(f"compliance: error: {target}: exists as ")
    assert "refusing to replace it" in result.stderr
    assert _snapshot(target) == before
    if kind == "symlink":
        assert (tmp_path / "victim.txt").read_text() == "precious\n"


def test_check_output_dash_is_standard_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("check", SOLAR, "--format", "json", "-o", "-", "--fail-on", "never")
    assert result.exit_code == 0
    assert result.stdout.lstrip().startswith("{")
    assert list(tmp_path.iterdir()) == []  # no file called '-'


def test_new_files_follow_the_umask_and_replaced_files_keep_their_mode(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new.json", b"1")
        kept = tmp_path / "kept.json"
        kept.write_bytes(b"0")
        kept.chmod(0o600)
        write_atomic(kept, b"1")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o640  # was always 0644
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert kept.read_bytes() == b"1"


def test_report_refuses_a_linked_document_and_writes_the_others(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    out.mkdir()
    link = _link(out / "unit-report-solar-01.docx")
    result = run_cli(
        "report", SOLAR, "--as-of", "2026-11-28", "--format", "docx", "--out", str(out)
    )
    assert result.exit_code == 2
    assert f"{link}: exists as a symbolic link; refusing to replace it" in result.stderr
    assert link.is_symlink() and (out / "victim.txt").read_text() == "precious\n"
    assert (out / "group-report.docx").is_file()  # the batch went on


def test_stale_temporary_files_of_dead_runs_are_removed(tmp_path: Path) -> None:
    """After a kill -9, the next run writing into the folder removes what the dead run left;
    a temporary file of a live process (pid 1 always runs) and other files stay."""
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], check=True,
                          capture_output=True, text=True).stdout.strip()  # fmt: skip
    stale = tmp_path / f".result.json.compliance-{dead}-k3x9_a.tmp"
    live = tmp_path / ".other.json.compliance-1-zz.tmp"
    mine = tmp_path / ".result.json.tmp"
    for p in (stale, live, mine):
        p.write_text("x")
    result = run_cli(
        "check", SOLAR, "--format", "json", "-o", str(tmp_path / "result.json"), "--fail-on", "never"
    )  # fmt: skip
    assert result.exit_code == 0
    assert not stale.exists()
    assert live.exists() and mine.exists()


def test_sigterm_while_writing_leaves_no_temporary_file(tmp_path: Path) -> None:
    """A SIGTERM in the middle of a streamed JSON result: the temporary file is removed."""
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        import compliance.formats as formats
        streamed = formats.iter_json
        def interrupted(*args, **kwargs):
            for i, piece in enumerate(streamed(*args, **kwargs)):
                if i == 3:
                    os.kill(os.getpid(), signal.SIGTERM)
                yield piece
        formats.iter_json = interrupted
        from compliance.cli import main
        main(["check", {str(SAMPLES)!r}, "--format", "json", "--as-of", "2026-11-28",
              "-o", {str(tmp_path / "out.json")!r}, "--fail-on", "never"])
        """
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COMPLIANCE_NO_CACHE": "1"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_is_one_line_and_status_130(monkeypatch: pytest.MonkeyPatch) -> None:
    import compliance.runner

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(compliance.runner, "run_check", interrupted)
    result = run_cli("check", SOLAR)
    assert result.exit_code == 130  # was 1, the status for "findings found"
    assert result.stderr.strip() == "compliance: interrupted"


@pytest.mark.slow
def test_ctrl_c_with_jobs_stops_workers_without_tracebacks(tmp_path: Path) -> None:
    """The terminal sends SIGINT to the whole process group: parent and every worker."""
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COMPLIANCE_NO_CACHE": "1"}
    args = ["report", str(SAMPLES), "--as-of", "2026-11-28", "--jobs", "2", "--format", "pdf"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "compliance", *args, "--out", str(out)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while not out.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)  # the folder appears with the first document being written
    os.killpg(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert stderr.strip() == "compliance: interrupted"
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []


def test_jobs_end_without_signalling_their_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When every document is written, the workers leave by themselves. They used to be sent
    SIGTERM, whose exit an idle worker could lose inside a finaliser: it then waited for work
    forever, and the report with it."""
    sent: list[tuple[int, int]] = []
    real_kill = os.kill

    def kill(pid: int, sig: int) -> None:
        sent.append((pid, sig))
        real_kill(pid, sig)

    monkeypatch.setattr(os, "kill", kill)
    units = [str(SAMPLES / "ne-hebei.yaml"), str(SAMPLES / "hq.yaml")]
    out = tmp_path / "out"
    args = ["report", *units, "--as-of", "2026-11-28", "--jobs", "2", "--format", "docx"]
    result = run_cli(*args, "--no-group", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "unit-report-hq.docx",
        "unit-report-ne-hebei.docx",
    ]
    assert [s for s in sent if s[1] == signal.SIGTERM] == []
