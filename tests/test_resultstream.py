"""Reading a result as a stream gives what json.load gives, and the same error positions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from compliance import resultstream
from compliance.diagnostics import InputError
from compliance.resultstream import read_result

DOC = {
    "as_of": "2026-11-28",
    "count": 12345678901234567890,
    "units": [{"id": "a", "name": "甲电厂", "score": 91.25}, {"id": "b", "name": "B"}],
    "findings": [{"unit": "a", "message": 'quote " and \\ and \u2028', "n": i} for i in range(50)],
    "empty": [],
    "summary": {"score": 88.5},
}


def _collect(path: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value, element in read_result(path):
        if element:
            out.setdefault(key, []).append(value)
        else:
            out[key] = value
    return out


@pytest.mark.parametrize("chunk", [1, 7, 64, 1 << 20])
@pytest.mark.parametrize("indent", [None, 2])
def test_same_values_as_json_load_at_any_chunk_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int, indent: int | None
) -> None:
    monkeypatch.setattr(resultstream, "_CHUNK", chunk)
    path = tmp_path / "r.json"
    path.write_text(json.dumps(DOC, indent=indent, ensure_ascii=False), encoding="utf-8")
    assert _collect(path) == DOC | {"units": DOC["units"], "findings": DOC["findings"]}


@pytest.mark.parametrize("chunk", [5, 1 << 20])
@pytest.mark.parametrize(
    "cut",
    [
        lambda t: t[: len(t) // 2],  # truncated in the middle of the findings
        lambda t: t.replace('"score": 88.5', '"score": 88.5,', 1),  # trailing comma
        lambda t: t.replace('"b"', "'b'", 1),  # single quotes
    ],
)
def test_errors_point_where_json_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int, cut: Any
) -> None:
    monkeypatch.setattr(resultstream, "_CHUNK", chunk)
    text = cut(json.dumps(DOC, indent=2, ensure_ascii=False))
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    with pytest.raises(InputError) as got:
        _collect(path)
    (d,) = got.value.diagnostics
    assert (d.file, d.line, d.column) == (str(path), expected.value.lineno, expected.value.colno)
    assert d.message.startswith("not JSON: ")
