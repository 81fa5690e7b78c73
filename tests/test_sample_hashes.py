"""The sample outputs stay byte-identical unless a change means them to differ.

Renders the check JSON of ``samples/``, one unit report, one meeting notice and its sign-in
sheet (PDF and DOCX, English and Chinese) and compares their sha256 with ``tests/sample_hashes.txt``.
A restructuring must not change a byte; a change that does mean to alter an output updates
the file with a line saying why, so the review sees it.
"""

from __future__ import annotations

import fcntl
import hashlib
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, run_cli

HASHES = Path(__file__).with_name("sample_hashes.txt")
AS_OF = "2026-11-28"
MEETING = "samples/meetings/2026-q4-conference.meeting.yaml"
# WeasyPrint names an image in the PDF by a hash of its URL, so the logo's absolute path
# shows in the bytes: the samples are rendered from this fixed folder (under a lock, as
# several checkouts may run the test at once) so the hashes hold in every checkout.
FIXED = Path(tempfile.gettempdir()) / "compliance-sample-guard"


def _expected() -> dict[str, tuple[str, str]]:
    """``name -> (sha256, reason)`` from the file: ``name  sha256  reason`` per line."""
    table: dict[str, tuple[str, str]] = {}
    for line in HASHES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, digest, reason = line.split(maxsplit=2)
        table[name] = (digest, reason)
    return table


def _render(out: Path) -> dict[str, str]:
    """Render the guarded outputs below ``out``; their sha256 by file name."""
    result = run_cli(
        "check", "samples/", "--as-of", AS_OF, "--fail-on", "never", "--format", "json",
        "-o", str(out / "samples.json"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    for lang in ("en", "zh"):
        result = run_cli(
            "report", "samples/coal-01.yaml", "--as-of", AS_OF, "--no-group", "--lang", lang,
            "--config", "samples/compliance.yaml", "--out", str(out / "reports"),
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        for document in ("notice", "signin"):
            result = run_cli("meeting", document, MEETING, "--lang", lang, "--out", str(out / "m"))
            assert result.exit_code == 0, result.output
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(out.rglob("*"))
        if path.is_file()
    }


@pytest.mark.slow
def test_sample_outputs_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    FIXED.mkdir(exist_ok=True)
    with (FIXED / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        shutil.rmtree(FIXED / "samples", ignore_errors=True)
        shutil.copytree(SAMPLES, FIXED / "samples")
        monkeypatch.chdir(FIXED)  # file names in the result are relative to the working folder
        actual = _render(tmp_path)
    expected = _expected()
    changed = [
        f"{name}: {expected[name][0] if name in expected else 'not listed'} -> {digest}"
        for name, digest in actual.items()
        if expected.get(name, ("",))[0] != digest
    ]
    changed += [f"{name}: listed but no longer rendered" for name in expected if name not in actual]
    assert not changed, (
        "sample outputs changed:\n  "
        + "\n  ".join(changed)
        + f"\nIf the change is meant, put the new sha256 in {HASHES.name} with a reason."
    )
