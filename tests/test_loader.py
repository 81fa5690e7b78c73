"""The loader keeps what the user wrote, with positions, and refuses hostile YAML."""

from __future__ import annotations

import codecs
import time
from pathlib import Path

from compliance.loader import MAX_BYTES, Document, load_file, load_text


def load(text: str) -> Document:
    return load_text(text, Document("f.yaml"))


def messages(doc: Document) -> list[str]:
    return [str(d) for d in doc.diagnostics]


def test_yaml11_traps_stay_text() -> None:
    doc = load("t: 09:30\nb: no\nc: on\nd: 010\ne: 1.10\nf: 1e3\ng: ~\nh: 'null'\n")
    assert doc.data == {
        "t": "09:30",
        "b": "no",
        "c": "on",
        "d": "010",
        "e": "1.10",
        "f": "1e3",
        "g": None,
        "h": "null",
    }


def test_positions_of_values_and_keys() -> None:
    doc = load("a:\n  list:\n    - x: 1\n      y: two\n")
    assert doc.marks[("a", "list", 0, "y")] == (4, 10)
    assert doc.key_marks[("a", "list", 0, "y")] == (4, 7)
    # a missing path falls back to its nearest existing ancestor
    assert doc.mark(("a", "list", 0, "zzz")) == doc.marks[("a", "list", 0)]


def test_duplicate_key_is_an_error_naming_both_lines() -> None:
    doc = load("hazards:\n  - id: H1\nname: x\nhazards: []\n")
    assert messages(doc) == [
        "f.yaml:4:1: error: duplicate key 'hazards' in the top level (first written at line 1)"
    ]
    assert doc.data is None


def test_duplicate_key_in_nested_mapping() -> None:
    doc = load("unit:\n  id: a\n  id: b\n")
    assert messages(doc) == [
        "f.yaml:3:3: error: duplicate key 'id' in unit (first written at line 2)"
    ]


def test_python_tags_are_refused() -> None:
    doc = load("a: !!python/object/apply:os.system ['echo hi']\n")
    assert len(doc.diagnostics) == 1
    assert "tag '!!python/object/apply:os.system' is not allowed" in messages(doc)[0]
    assert messages(doc)[0].startswith("f.yaml:1:4: error:")


def test_alias_bomb_is_refused_fast() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    start = time.perf_counter()
    doc = load("\n".join(lines) + "\n")
    assert time.perf_counter() - start < 0.5
    assert doc.data is None
    assert "expands to more than 200,000 values" in messages(doc)[0]


def test_small_aliases_are_fine() -> None:
    doc = load("base: &b {x: 1}\nother: *b\n")
    assert doc.data == {"base": {"x": "1"}, "other": {"x": "1"}}


def test_deep_nesting_is_refused() -> None:
    doc = load("a: " + "[" * 70 + "]" * 70 + "\n")
    assert "nesting is deeper than 64 levels" in messages(doc)[0]


def test_merge_keys_are_refused() -> None:
    doc = load("base: &b {x: 1}\nother:\n  <<: *b\n")
    assert "merge keys (<<) are not supported" in messages(doc)[0]


def test_empty_and_comment_only_files() -> None:
    for text in ("", "   \n\n", "# only a comment\n"):
        assert messages(load(text)) == [
            "f.yaml:1:1: error: file is empty: expected a mapping of keys and values"
        ]


def test_syntax_error_has_position() -> None:
    doc = load("a: [1, 2\nb: 3\n")
    (msg,) = messages(doc)
    assert msg.startswith("f.yaml:2:2: error: YAML syntax:")


def test_tab_indentation_explained() -> None:
    doc = load("a:\n\tb: 1\n")
    (msg,) = messages(doc)
    assert msg == (
        "f.yaml:2:1: error: YAML syntax: found character that cannot start any token "
        "(a tab: tabs are not allowed for indentation, use spaces)"
    )


def test_two_documents_refused() -> None:
    doc = load("a: 1\n---\nb: 2\n")
    assert "a file holds one document" in messages(doc)[0]


def test_encodings(tmp_path: Path) -> None:
    text = "name: 华电\n"
    bom = tmp_path / "bom.yaml"
    bom.write_bytes(codecs.BOM_UTF8 + text.encode())
    assert load_file(bom).data == {"name": "华电"}
    u16 = tmp_path / "u16.yaml"
    u16.write_bytes(text.encode("utf-16"))
    assert load_file(u16).data == {"name": "华电"}
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes(("a: 1\n" + text).encode("gbk"))
    (msg,) = [str(d) for d in load_file(gbk, "gbk.yaml").diagnostics]
    assert msg == (
        "gbk.yaml:2:7: error: file is not UTF-8: it looks like GBK/GB18030 (a Chinese Windows "
        "encoding); save it as UTF-8 and try again"
    )


def test_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * MAX_BYTES + b"\n")
    (msg,) = [str(d) for d in load_file(big, "big.yaml").diagnostics]
    assert msg.startswith("big.yaml:1:1: error: file is ")
    assert "over the limit of 5,242,880 bytes" in msg


def test_unreadable_path(tmp_path: Path) -> None:
    doc = load_file(tmp_path / "nope.yaml", "nope.yaml")
    assert doc.data is None
    assert "cannot read file" in str(doc.diagnostics[0])
