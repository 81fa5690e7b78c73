"""Reads stay inside what the user named and are bounded before reading: links out of a
template folder or a pack's folder, FIFOs, devices and huge files are refused without
hanging or reading; a file that fails to parse is not echoed; the pack cache is private."""

from __future__ import annotations

import json
import marshal
import os
import signal
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from compliance.inputs import Refused, TooLarge, read_input
from compliance.packcache import PACK_LAYOUT, read_entry, sealed
from compliance.render.assets import Assets
from tests.conftest import SAMPLES, run_cli

Write = Callable[[str, str], Path]
SOLAR = str(SAMPLES / "solar-01.yaml")
GIB = 1024**3


@pytest.fixture(autouse=True)
def no_hang() -> Iterator[None]:
    """A read that blocks (a FIFO opened the old way) fails the test instead of hanging it."""

    def stop(signum: int, frame: object) -> None:
        raise TimeoutError("the command hung on its input")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def _sparse(path: Path, size: int = GIB) -> Path:
    """A file of ``size`` bytes that takes no disk space (and must take no memory)."""
    with open(path, "wb") as fh:
        fh.truncate(size)
    return path


# --- the helper ----------------------------------------------------------------------------


def test_read_input_refuses_fifo_device_and_folder_without_opening(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.yaml"
    zero.symlink_to("/dev/zero")
    for path, kind in ((fifo, "a FIFO"), (zero, "a character device"), (tmp_path, "a folder")):
        with pytest.raises(Refused, match=f"is {kind}"):
            read_input(path, 1000)


def test_read_input_checks_the_size_before_reading(tmp_path: Path) -> None:
    big = _sparse(tmp_path / "big.json")
    start = time.monotonic()
    with pytest.raises(TooLarge, match="file is 1,073,741,824 bytes, over the limit"):
        read_input(big, 1000)
    assert time.monotonic() - start < 1


def test_read_input_within_a_folder_refuses_links_out_of_it(tmp_path: Path) -> None:
    (tmp_path / "inner").mkdir()
    (tmp_path / "secret.txt").write_text("secret")
    (tmp_path / "inner" / "ok.txt").write_text("ok")
    (tmp_path / "inner" / "link.txt").symlink_to(tmp_path / "secret.txt")
    assert read_input(tmp_path / "inner" / "ok.txt", 100, tmp_path / "inner") == b"ok"
    with pytest.raises(Refused, match="resolves outside"):
        read_input(tmp_path / "inner" / "link.txt", 100, tmp_path / "inner")


# --- unit, result, pack, config, image inputs ----------------------------------------------


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_unit_file_that_is_a_fifo_or_dev_zero_is_an_error_not_a_hang(
    tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "unit.yaml"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    result = run_cli("check", str(path), "--fail-on", "never")
    assert result.exit_code == 2
    expected = "a FIFO (named pipe)" if kind == "fifo" else "a character device"
    assert f"{path}:0:0: error: is {expected}, not a regular file: not checked" in result.stderr


@pytest.mark.parametrize("option", ["report --from", "meeting --results"])
@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "huge"])
def test_saved_result_that_is_a_fifo_device_or_huge_is_refused(
    tmp_path: Path, option: str, kind: str
) -> None:
    path = tmp_path / "result.json"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    else:
        _sparse(path)
    command, flag = option.split()
    args = [command, flag, str(path), "--out", str(tmp_path / "out")]
    if command == "meeting":
        args = [
            "meeting", "notice", str(SAMPLES / "meetings/2026-q4-conference.meeting.yaml"),
            flag, str(path), "--out", str(tmp_path / "out"),
        ]  # fmt: skip
    result = run_cli(*args)
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert line.startswith(f"{path}:0:0: error: cannot read result: ")
    assert "bytes, over the limit" in line if kind == "huge" else "not a regular file" in line
    assert len(result.stderr.splitlines()) == 1


def test_huge_pack_file_is_refused_before_reading(tmp_path: Path) -> None:
    pack = _sparse(tmp_path / "pack.yaml")
    start = time.monotonic()
    result = run_cli("rules", "list", "--rules", str(pack))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"{pack}:1:1: error: file is 1,073,741,824 bytes, over the limit of 5,242,880 bytes"
    )
    assert time.monotonic() - start < 5  # read_bytes() of 1 GiB first, before


def test_huge_or_special_images_are_refused(tmp_path: Path) -> None:
    _sparse(tmp_path / "logo.png")
    os.mkfifo(tmp_path / "pipe.png")
    assets = Assets([tmp_path])
    assert assets.load("logo.png") is None
    assert assets.load("pipe.png") is None
    assert assets.refused == ["logo.png", "pipe.png"]


def test_config_that_is_a_fifo_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "compliance.yaml"
    os.mkfifo(config)
    result = run_cli("report", SOLAR, "--config", str(config), "--out", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert f"{config}:0:0: error: cannot read file: is a FIFO" in result.stderr


# --- templates -------------------------------------------------------------------------------


def test_template_link_out_of_its_folder_is_refused(write: Write, tmp_path: Path) -> None:
    """Today '{% include %}' of such a link printed /etc/passwd into the PDF."""
    secret = write("elsewhere/secret.txt", "root:x:0:0:SECRET-LINE\n")
    tpl = write(
        "tpl/unit_report.html.j2",
        '{% extends "builtin/unit_report.html.j2" %}'
        '{% block cover %}{% include "leak.html.j2" %}{% endblock %}',
    )
    (tpl.parent / "leak.html.j2").symlink_to(secret)
    out = tmp_path / "out"
    result = run_cli(
        "report", SOLAR, "--as-of", "2026-11-28", "--format", "docx", "--out", str(out),
        "--templates", str(tpl.parent), "--no-group",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "template 'leak.html.j2'" in result.stderr
    assert "resolves outside" in result.stderr
    assert "SECRET-LINE" not in result.stderr
    assert not out.exists() or list(out.iterdir()) == []


def test_template_that_is_a_fifo_does_not_hang(write: Write, tmp_path: Path) -> None:
    folder = tmp_path / "tpl"
    folder.mkdir()
    os.mkfifo(folder / "unit_report.html.j2")
    result = run_cli(
        "report", SOLAR, "--as-of", "2026-11-28", "--format", "docx",
        "--out", str(tmp_path / "out"), "--templates", str(folder), "--no-group",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "is a FIFO (named pipe), not a regular file" in result.stderr


# --- packs: extends and the cache ------------------------------------------------------------

BASE = 'pack: {name: base, version: "1"}\nrules: []\n'


@pytest.mark.parametrize("extends", ["../elsewhere/base.yaml", "ABSOLUTE", "link.yaml"])
def test_extends_stays_inside_the_pack_folder(write: Write, tmp_path: Path, extends: str) -> None:
    base = write("elsewhere/base.yaml", BASE)
    if extends == "ABSOLUTE":
        extends = str(base)
    if extends == "link.yaml":
        (tmp_path / "mine").mkdir()
        (tmp_path / "mine" / "link.yaml").symlink_to(base)
    child = write("mine/child.yaml", f'pack: {{name: child, version: "1", extends: "{extends}"}}\n')
    result = run_cli("rules", "list", "--rules", str(child))
    assert result.exit_code == 2
    assert "to extend is outside the folder of this pack" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_extends_by_name_and_inside_the_folder_still_work(write: Write) -> None:
    write("mine/sub/base.yaml", BASE)
    child = write("mine/child.yaml", 'pack: {name: c, version: "1", extends: sub/base.yaml}\n')
    assert run_cli("rules", "list", "--rules", str(child)).exit_code == 0
    named = write("other/c2.yaml", 'pack: {name: c2, version: "1", extends: iso45001}\n')
    listed = run_cli("rules", "list", "--rules", str(named))
    assert listed.exit_code == 0 and "ISO-" in listed.stdout


def test_folder_pack_file_linked_from_outside_is_refused(write: Write, tmp_path: Path) -> None:
    write("pack/pack.yaml", BASE)
    outside = write("elsewhere/rules.yaml", "rules: []\n")
    (tmp_path / "pack" / "more.yaml").symlink_to(outside)
    result = run_cli("rules", "list", "--rules", str(tmp_path / "pack"))
    assert result.exit_code == 2
    assert "more.yaml:0:0: error: cannot read file: resolves outside" in result.stderr


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("COMPLIANCE_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "compliance" / "packs"


def test_pack_cache_is_private(cache: Path) -> None:
    cache.mkdir(parents=True, mode=0o755)
    cache.chmod(0o755)  # as an older version made it
    assert run_cli("rules", "list").exit_code == 0
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    entries = list(cache.iterdir())
    assert entries and {stat.S_IMODE(e.stat().st_mode) for e in entries} == {0o600}


def test_pack_cache_holds_only_packs_without_errors(write: Write, cache: Path) -> None:
    bad = write("bad.yaml", 'pack: {name: bad, version: "1"}\nrules: [{id: X}]\n')
    assert run_cli("rules", "list", "--rules", str(bad)).exit_code == 2
    assert not cache.exists() or list(cache.iterdir()) == []


def test_pack_cache_of_another_user_is_not_used(write: Write, cache: Path) -> None:
    """A planted entry in someone else's cache folder must not replace a pack."""
    if os.geteuid() != 0:
        pytest.skip("changing a folder's owner needs root")
    assert run_cli("rules", "list").exit_code == 0
    entries = list(cache.iterdir())
    for entry in entries:  # plant, sealed as the tool seals: every cached pack 'has' no rules
        if entry.name.startswith("compiled-"):
            continue
        data, marks, key_marks, _ = read_entry(entry, PACK_LAYOUT)
        data["rules"] = []
        entry.write_bytes(sealed(PACK_LAYOUT, marshal.dumps((data, marks, key_marks, []))))
    os.chown(cache, 65534, 65534)
    listed = run_cli("rules", "list")
    assert listed.exit_code == 0
    assert "RESP-01" in listed.stdout


# --- previous meetings, echo of unparsable files ----------------------------------------------

MEETING = """\
meeting:
  issuing_body: Safety Committee
  kind: safety_committee
  title: Test meeting
  date: 2027-03-01
  start: 09:30
"""


def test_previous_must_be_a_meeting_file(write: Write) -> None:
    write("notes.yaml", "a: 1\n")
    meeting = write("m.meeting.yaml", MEETING + "previous: notes.yaml\n")
    result = run_cli("meeting", "notice", str(meeting), "--format", "docx")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"{meeting}:7:11: error: previous: must name a meeting file (*.meeting.yaml), not notes.yaml"
    )


def test_a_file_that_fails_to_parse_is_not_echoed(write: Write) -> None:
    secret = "S3CRET" * 40
    unit = write(
        "u.yaml",
        f'unit:\n  id: x\n  name: x\n  kind: "{secret}\\nsecond line"\n  employees: 1\n'
        "valid_on: 2026-01-01\n",
    )
    result = run_cli("check", str(unit), "--format", "json", "--fail-on", "never")
    assert "second line" not in result.stderr and "second line" not in result.stdout
    line = next(ln for ln in result.stderr.splitlines() if "unit.kind" in ln)
    assert line.count("S3CRET") == 9  # the value is quoted once, cut to 60 characters (9 whole)
    assert f"'{secret[:59]}…'" in line
    diagnostics = json.loads(result.stdout)["diagnostics"]
    assert all(d["message"].count("S3CRET") <= 10 for d in diagnostics)


def test_rule_case_file_linked_from_outside_is_refused(write: Write, tmp_path: Path) -> None:
    write("pack/pack.yaml", BASE)
    outside = write("elsewhere/secret.yaml", "rule: SECRET-LINE\n")
    (tmp_path / "pack" / "tests").mkdir()
    (tmp_path / "pack" / "tests" / "RESP-01.yaml").symlink_to(outside)
    result = run_cli("rules", "test", str(tmp_path / "pack"))
    assert result.exit_code == 1
    assert "RESP-01.yaml:0:0: error: cannot read file: resolves outside" in result.stderr
    assert "SECRET-LINE" not in result.stdout + result.stderr
