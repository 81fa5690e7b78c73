"""Property-based fuzzing of ``report`` with Hypothesis: unit reports in DOCX and PDF.

Generated unit files (valid and mutated; see ``tests/fuzz_strategies.py``) are rendered through
the real command line and must give findings or clean errors (the property, the profiles and
the example budgets are in ``tests/fuzz_support.py``); every document written opens with
python-docx or pypdf. A module of its own: a report costs seconds, so these examples take
about as long as all of ``tests/test_fuzz.py``, and the two modules share out over the cores.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from tests import fuzz_strategies as fs
from tests.fuzz_support import AS_OF, describe, fuzz, run_clean, workspace

report_units = st.one_of(
    fs.unit_files("valid"), fs.unit_files("valid"), fs.unit_files("valid"), fs.unit_files("mutated")
)


def _report(case: fs.FileCase, fmt: str, lang: str, as_of: str) -> None:
    describe(case)
    args = ["report", "unit.yaml", "--format", fmt, "--no-group", "--out", "out"]
    args += ["--lang", lang, "--as-of", as_of]
    with workspace({"unit.yaml": case.data}) as runner:
        result, _ = run_clean(runner, args)
        if result.exit_code == 0:
            written = [ln.removeprefix("wrote ") for ln in result.stdout.splitlines()]
            assert written, result.stdout
            for name in written:
                path = Path(name)
                assert path.is_file() and path.suffix == f".{fmt}", name
                if fmt == "docx":
                    docx.Document(str(path))
                else:
                    assert len(PdfReader(path).pages) > 0


@pytest.mark.slow
@fuzz(8)
@given(case=report_units, lang=st.sampled_from(["en", "zh"]), as_of=fs.NEAR.map(str))
def test_report_docx(case: fs.FileCase, lang: str, as_of: str) -> None:
    """Unit reports in DOCX: written and readable, or clean errors."""
    _report(case, "docx", lang, as_of)


@pytest.mark.slow
@fuzz(3)
@given(case=fs.unit_files("valid"), lang=st.sampled_from(["en", "zh"]))
def test_report_pdf(case: fs.FileCase, lang: str) -> None:
    """Unit reports in PDF (slow: a few examples): written and readable, or clean errors."""
    _report(case, "pdf", lang, AS_OF)
