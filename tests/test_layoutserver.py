"""The layout child (WeasyPrint imported beside the check): the same PDF as laid out in the
process itself, pictures served by the parent (refusals included), a missing glyph the same
error, a dead child replaced by laying out in the parent, and no child left behind.

Each case runs in a fresh interpreter: the child is only forked while WeasyPrint is not yet
imported, which in the test process it soon is."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES, run_cli

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork on Linux")

SCRIPT = """\
import json, os, signal, sys
from compliance import statusline
from compliance.render import layoutserver
from compliance.render.assets import Assets
from compliance.render.documents import Prepared, RenderError, laid_out_here, pdf_and_pages
from compliance.render.charts import bar_chart

layoutserver.start()
child = layoutserver._SERVER.pid
stages = []
statusline._HOOK.append(stages.append)

def doc(text):
    assets = Assets([])
    src = assets.add("bars.png", lambda: bar_chart(["a", "b"], [90.0, 40.0]))
    html = (f"<h1 id='top'>{text}</h1><img src='{src}'><img src='file:///etc/passwd'>"
            "<p style='break-before: page' id='two'>two</p>")
    return Prepared("t.html", html, "@page { size: A5 } img { width: 5cm }", assets)

out = {"child": child}
mode = sys.argv[1]
if mode == "kill":
    os.kill(child, signal.SIGKILL)
    os.waitpid(child, 0)
text = "\\U0010fffd" if mode == "glyph" else "Report 报告"
remote = doc(text)
try:
    pdf, pages = pdf_and_pages(remote)
except RenderError as exc:
    out["error"] = str(exc)
else:
    out.update(pages=pages, refused=remote.assets.refused, stages=list(stages))
    out["served"] = layoutserver._SERVER is not None
    assert "weasyprint" not in sys.modules or mode == "kill"
    local = doc(text)
    out["same"] = laid_out_here(local)[0] == pdf
if mode == "glyph":
    try:
        laid_out_here(doc(text))
    except RenderError as exc:
        out["local_error"] = str(exc)
print(json.dumps(out))
"""


def run(mode: str) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COMPLIANCE_NO_CACHE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    child = result["child"]
    assert isinstance(child, int)
    with pytest.raises(ProcessLookupError):  # reaped when the parent ended
        os.kill(child, 0)
    return result


def test_child_lays_out_the_same_pdf_with_the_parents_pictures() -> None:
    result = run("plain")
    assert result["same"] is True and result["served"] is True
    assert result["pages"] == {"top": 1, "two": 2}
    assert result["refused"] == ["file:///etc/passwd"]  # decided by the parent's assets
    assert result["stages"] == ["layout", "writing (2 pages)"]


def test_dead_child_the_parent_lays_out() -> None:
    result = run("kill")
    assert result["same"] is True and result["served"] is False
    assert result["pages"] == {"top": 1, "two": 2}


def test_missing_glyph_is_the_same_error() -> None:
    result = run("glyph")
    assert "no installed font can show" in str(result["error"])
    assert result["error"] == result["local_error"]


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting to be reaped does not)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def test_child_ends_when_the_parent_is_killed() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COMPLIANCE_NO_CACHE": "1"}
    # a second process holds the pipe to the child open, as a chart child may: the child sees
    # no end of its input, so only the kernel's parent-death signal can end it
    script = (
        "import os, sys, time\n"
        "from compliance.render import layoutserver\n"
        "layoutserver.start()\n"
        "holder = os.fork()\n"
        "if holder == 0:\n"
        "    time.sleep(60)\n"
        "    os._exit(0)\n"
        "print(layoutserver._SERVER.pid, holder, flush=True)\n"
        "time.sleep(60)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None
    child, holder = map(int, proc.stdout.readline().split())
    try:
        time.sleep(1.5)  # the child has imported WeasyPrint and waits for work
        assert _alive(child)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 10
        while _alive(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(child), "the layout child outlived its killed parent"
    finally:
        os.kill(holder, signal.SIGKILL)


def test_report_laid_out_by_the_child_is_the_same_file(tmp_path: Path) -> None:
    """The program (which forks the child) and a caller of the command in its own process
    (which lays out itself) write the same PDF."""
    args = ["report", str(SAMPLES / "wind-02.yaml"), "--as-of", "2026-11-28", "--no-group"]
    args += ["--format", "pdf", "--out"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COMPLIANCE_NO_CACHE": "1"}
    program = [sys.executable, "-m", "compliance", *args, str(tmp_path / "program")]
    done = subprocess.run(program, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert run_cli(*args, str(tmp_path / "caller")).exit_code == 0
    name = "unit-report-wind-02.pdf"
    assert (tmp_path / "program" / name).read_bytes() == (tmp_path / "caller" / name).read_bytes()
