"""Hypothesis strategies for the fuzz tests: unit and meeting files as the bytes of a file.

Three families, each returned as a :class:`FileCase` (the bytes to write and a short recipe
that says how they were made, shown when a property fails):

* **valid** documents, built from the packaged JSON Schemas (``unit.schema.json``,
  ``meeting.schema.json``): the right types, real dates, enum members, ids that match their
  patterns, texts in English and Chinese with the odd HTML, Jinja or YAML 1.1 trap among them.
  They are serialised three ways: typed (``yaml.safe_dump``: dates, numbers and booleans as
  YAML scalars), plain (every scalar as unquoted text wherever YAML allows: ``09:30``, ``no``,
  ``010``, ``1.10`` and ``2024年3月5日`` written bare) and JSON (a subset of YAML).
* **mutated** documents: a valid tree with one to four changes (a value of the wrong type, an
  impossible date, a huge number, control characters, an unknown or misspelt key, a missing
  required key, an empty list, deep nesting, a duplicated item...) and sometimes a change to
  the text (a duplicate key, a tab, a tag, an alias bomb, a second document, truncation...)
  or to the encoding (BOM, UTF-16, GB18030, a stray invalid byte).
* **random** text: arbitrary Unicode, YAML-looking lines made of the schemas' keys and YAML
  punctuation, and random YAML trees that ignore the schema.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import math
import pathlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml
from hypothesis import strategies as st

from compliance.rulepack import load_pack
from compliance.schema import load_schema

Tree = Any
Draw = Callable[[st.SearchStrategy[Any]], Any]
Path = tuple[str, ...]

# ------------------------------------------------------------------------------ texts

WORDS = [
    "Boiler",
    "operator",
    "Plant",
    "safety",
    "drill",
    "Li Ming",
    "Zhang Wei",
    "deputy general manager",
    "ammonia tank",
    "Hexi",
    "PLAN-06",
    "EP-03",
    "HX-YH-2026-006",
    "2026",
    "12 months",
    "锅炉",
    "安全生产",
    "周立军",
    "氨区",
    "总经理",
    "应急预案",
]

# Texts that have bitten YAML tools, templates, Word or PDF renderers and terminals before.
TRICKY_TEXTS = [
    "<b>&{{ 7*7 }}",
    "{{ 7*7 }}",
    "{% for x in range(10**9) %}x{% endfor %}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{# unclosed comment",
    "</td></tr></table><h1>",
    "<script>alert(1)</script>",
    "&amp;&lt;&#0;&#xD800;",
    "]]><!--",
    "{item.name}",
    "{unit.name} {as_of} {actual}",
    "{",
    "}}",
    "{0}",
    "%s%d%%",
    "\\",
    "'",
    '"',
    "`rm -rf /`",
    "../../etc/passwd",
    "- item",
    ": colon",
    "key: value",
    "# not a comment",
    "&anchor",
    "*alias",
    "!!python/object:os.system",
    "null",
    "~",
    "no",
    "on",
    "off",
    "yes",
    "y",
    "NO",
    "010",
    "0o17",
    "0x1F",
    "1.10",
    "1e3",
    "1_000",
    ".inf",
    ".nan",
    "09:30",
    "14:30",
    "190:20:30",
    "2024-02-30",
    "2024年3月5日",
    "\u200b",
    "\u202eRTL override",
    "e\u0301\u0301\u0301",
    "😀 𝕏 👨‍👩‍👧",
    "\ufeffBOM inside",
    "\u3000全角空格\u3000",
    "（括号）“引号”《安全生产法》",
    "\t",
    " leading and trailing ",
    "line\nbreak",
    "cr\r\nlf",
    "nul\x00byte",
    "bell\x07",
    "\x1b[31mred\x1b[0m",
    "nel\x85ls\u2028ps\u2029",
    "\x7f\x80\x9f",
    "\ufffd\ufffe",
    "x" * 3000,
    "中" * 800,
]

DATE_TRAPS = [
    "2024-02-30",
    "2023-02-29",
    "2024-13-01",
    "2024-00-10",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "1899-12-31",
    "3000-01-01",
    "10000-01-01",
    "24/3/5",
    "2024/03/05",
    "2024-3-5",
    "2024年2月30日",
    "2024年13月1日",
    "2024-03-05T10:00:00",
    "2024-03-05 10:00",
    "20240305",
    "2024-W10",
    "  2024-03-05  ",
    "２０２４-０３-０５",
]

TIME_TRAPS = [
    "09:30",
    "9:05",
    "24:00",
    "23:60",
    "12:5",
    "25:00",
    "0930",
    "9.30",
    "09:30:00",
    "-1:00",
]

NUMBER_TRAPS = [
    "010",
    "1.10",
    "0x1F",
    "0o17",
    "0b101",
    "1_000",
    "1,000",
    "+5",
    "-0",
    "-1",
    ".5",
    "5.",
    "1e3",
    "1E-3",
    "1e999",
    "-1e999",
    "1e-999",
    "0.1e400",
    ".inf",
    "-.inf",
    ".nan",
    "NaN",
    "Infinity",
    "9" * 19,
    "1" + "0" * 30,
    "1" + "0" * 400,
    "1" + "0" * 5000,
    "-" + "9" * 5000,
    "1" + "0" * 400 + ".5",
    "١٢٣",
    "１２３",
    "12 months",
    "三",
]

# The worst of the above, drawn more often where they fit: a line break or a control
# character in a text that an error message quotes, numbers beyond any limit.
NASTY_TEXTS = [
    "line\nbreak",
    "cr\r\nlf",
    "nul\x00byte",
    "\x1b[31mred\x1b[0m",
    "<b>&{{ 7*7 }}",
    "x" * 3000,
]
BIG_NUMBERS = ["1" + "0" * 5000, "-" + "9" * 5000, "1e999", "-1e999", "1" + "0" * 400, ".nan"]

BOOL_TRAPS = ["no", "on", "off", "yes", "y", "n", "是", "否", "有", "无", "TRUE", "0", "1", "ja"]


def words() -> st.SearchStrategy[str]:
    """One to six ordinary words, English or Chinese."""
    return st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join)


def chinese() -> st.SearchStrategy[str]:
    """CJK ideographs, with the odd full-width punctuation."""
    return st.text(
        alphabet=st.one_of(
            st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
            st.sampled_from("，。、（）《》“”"),
        ),
        min_size=1,
        max_size=20,
    )


def texts(min_length: int = 0) -> st.SearchStrategy[str]:
    """A text value: mostly ordinary, sometimes Chinese, tricky or arbitrary Unicode."""
    strategy = st.one_of(
        words(),
        words(),
        chinese(),
        st.sampled_from(TRICKY_TEXTS),
        st.text(max_size=30),
    )
    if min_length:  # required texts must not be blank: pad rather than filter (faster)
        strategy = strategy.map(lambda s: s if len(s.strip()) >= min_length else s + "x")
    return strategy


# The valid dates cluster around the sample data (2020-2028) so that the rules both pass and
# fail; the rest of the accepted range (1900-01-01 to 2999-12-31, see schema.MIN_YEAR) is
# valid too and must not crash. Dates outside it are among the traps (clean errors).
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2999, 12, 31)
NEAR = st.dates(dt.date(2020, 1, 1), dt.date(2028, 12, 31))
EDGE_DATES = st.sampled_from(
    [FIRST_DAY, dt.date(1900, 12, 31), dt.date(2999, 1, 1), LAST_DAY, dt.date(2024, 2, 29)]
)
DATES = st.one_of(NEAR, NEAR, NEAR, NEAR, st.dates(FIRST_DAY, LAST_DAY), EDGE_DATES)
TIMES = st.times().map(lambda t: t.strftime("%H:%M"))

# ------------------------------------------------------------------------------ schema walk


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = root
        for part in node["$ref"][2:].split("/"):
            target = target[part]
        node = target
    return node


@functools.cache
def rule_ids() -> tuple[str, ...]:
    """Ids of the rules of the shipped packs (waivers name them)."""
    ids = set(load_pack(None).rules) | set(load_pack("iso45001").rules)
    return tuple(sorted(ids))


@functools.cache
def schema_keys() -> tuple[str, ...]:
    """Every property name in the unit and meeting schemas (for random YAML-looking text)."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            found.update(node.get("properties", {}))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(load_schema("unit"))
    walk(load_schema("meeting"))
    return tuple(sorted(found))


def _string(node: dict[str, Any]) -> st.SearchStrategy[Any]:
    fmt = node.get("format")
    if fmt == "date":
        return DATES
    if fmt == "time":
        return TIMES
    if "pattern" in node:
        return st.from_regex(node["pattern"], fullmatch=True)
    return texts(node.get("minLength", 0))


def _integer(node: dict[str, Any]) -> st.SearchStrategy[int]:
    low = node.get("minimum")
    high = node.get("maximum")
    if high is not None:
        return st.integers(low, high)
    base = 0 if low is None else low
    return st.one_of(
        st.integers(base, base + 200),
        st.integers(1990, 2035) if low is None else st.integers(base, base + 5000),
        st.integers(low, 10**29 - 1),  # schema.MAX_DIGITS: 30 digits at most
    )


def _number(node: dict[str, Any]) -> st.SearchStrategy[int | float]:
    low = node.get("minimum")
    high = node.get("maximum")
    return st.one_of(
        _integer(node),
        st.floats(low, high, allow_nan=False, allow_infinity=False),
    )


def _item_key(field: str) -> Callable[[Any], Any]:
    """The value of one key field of a list item; a missing one never equals another."""

    def key(item: Any) -> Any:
        value = item.get(field) if isinstance(item, dict) else None
        return object() if value is None else str(value).strip()

    return key


# The fields by which rules name list items (`key:` in the packs, and the engine's defaults).
_ITEM_KEYS = tuple(
    _item_key(f) for f in ("id", "post", "name", "title", "holder", "number", "period")
)


def from_schema(
    node: dict[str, Any],
    root: dict[str, Any],
    overrides: dict[Path, st.SearchStrategy[Any]],
    path: Path = (),
) -> st.SearchStrategy[Tree]:
    """Valid data for a schema node (typed: dates are dates, numbers numbers)."""
    if path in overrides:
        return overrides[path]
    node = _resolve(node, root)
    if "enum" in node:
        return st.sampled_from(node["enum"])
    kind = node.get("type")
    if kind == "object":
        props: dict[str, Any] = node.get("properties", {})
        required = list(node.get("required", []))
        return st.fixed_dictionaries(
            {k: from_schema(props[k], root, overrides, (*path, k)) for k in required},
            optional={
                k: from_schema(v, root, overrides, (*path, k))
                for k, v in props.items()
                if k not in required
            },
        )
    if kind == "array":
        items = from_schema(node.get("items", {}), root, overrides, (*path, "[]"))
        if _resolve(node.get("items", {}), root).get("type") == "object":
            # a valid list names each item once: two items with one key are an error
            return st.lists(items, max_size=3, unique_by=_ITEM_KEYS)
        return st.lists(items, max_size=3)
    if kind == "string":
        return _string(node)
    if kind == "integer":
        return _integer(node)
    if kind == "number":
        return _number(node)
    if kind == "boolean":
        return st.booleans()
    return st.none()


def _not_own_parent(tree: dict[str, Any]) -> dict[str, Any]:
    if tree["unit"].get("parent") == tree["unit"]["id"]:
        del tree["unit"]["parent"]
    return tree


def unit_trees() -> st.SearchStrategy[dict[str, Any]]:
    """Valid unit descriptions; a parent, if any, is a unit that is not checked with it."""
    schema = load_schema("unit")
    overrides: dict[Path, st.SearchStrategy[Any]] = {
        ("unit", "parent"): st.sampled_from(["hq", "ne-hebei", "nowhere"]),
        ("waivers", "[]", "rule"): st.sampled_from(rule_ids()),
        ("waivers", "[]", "pack"): st.sampled_from(["cn-work-safety", "iso45001", "other-pack"]),
        ("schema_version",): st.just(1),
    }
    return from_schema(schema, schema, overrides).map(_not_own_parent)


def meeting_trees(fingerprints: tuple[str, ...] = ()) -> st.SearchStrategy[dict[str, Any]]:
    """Valid meeting files; ``previous`` is left out (the caller adds a real one)."""
    schema = load_schema("meeting")
    finding = st.from_regex(r"[0-9a-f]{16}", fullmatch=True)
    if fingerprints:
        finding = st.one_of(st.sampled_from(fingerprints), finding)
    decision = schema["properties"]["decisions"]["items"]["properties"]
    overrides: dict[Path, st.SearchStrategy[Any]] = {
        ("actions", "[]", "finding"): finding,
        ("schema_version",): st.just(1),
        # a decision is text or an object (the schema's type list)
        ("decisions", "[]"): st.one_of(
            texts(1),
            st.fixed_dictionaries(
                {"text": texts(1)},
                optional={
                    "kind": st.sampled_from(decision["kind"]["enum"]),
                    "lead_unit": texts(0),
                    "deadline": DATES,
                },
            ),
        ),
    }
    return from_schema(schema, schema, overrides).map(_drop_previous)


def _drop_previous(tree: dict[str, Any]) -> dict[str, Any]:
    """Leave out ``previous`` and make the cross-field rules hold: title lines that join to the
    title, venues that exist, actions complete (without a previous file none is an update)."""
    tree.pop("previous", None)
    meeting = tree["meeting"]
    if "title_lines" in meeting:
        meeting["title_lines"] = [meeting["title"]]
    names = {v["name"] for v in meeting.get("venues") or []}
    for person in tree.get("participants") or []:
        if person.get("venue") not in names:
            person.pop("venue", None)
    for action in tree.get("actions") or []:
        action.setdefault("title", "Action")
        action.setdefault("owner", "Owner")
        action.setdefault("due", dt.date(2027, 1, 31))
    return tree


# ------------------------------------------------------------------------------ serialising


class _PlainDumper(yaml.SafeDumper):
    """Writes every scalar as unquoted text wherever YAML's syntax allows it."""


# No implicit types: 'no', '09:30', '010' and '2024-02-30' count as plain text and stay bare.
# Only the null forms keep their quotes, since the loader reads bare null, ~ and '' as nothing.
_PlainDumper.yaml_implicit_resolvers = {}
_PlainDumper.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)


def _plain_scalar(value: Any, style: int) -> Any:
    """A typed value as the text a person might write for it (``style`` picks a variant)."""
    if isinstance(value, bool):
        choices = (["true", "yes", "on", "是"], ["false", "no", "off", "否"])[not value]
        return choices[style % 4]
    if isinstance(value, dt.date):
        if style % 3 == 1:
            return f"{value.year:04d}年{value.month}月{value.day}日"
        return value.isoformat()
    if isinstance(value, (int, float)):
        return repr(value)
    return value


def to_plain(tree: Tree, style: int = 0) -> Tree:
    """The tree with every scalar turned to text."""
    if isinstance(tree, dict):
        return {str(k): to_plain(v, style) for k, v in tree.items()}
    if isinstance(tree, list):
        return [to_plain(v, style) for v in tree]
    return _plain_scalar(tree, style)


def _jsonable(tree: Tree) -> Tree:
    if isinstance(tree, dict):
        return {str(k): _jsonable(v) for k, v in tree.items()}
    if isinstance(tree, list):
        return [_jsonable(v) for v in tree]
    if isinstance(tree, dt.date):
        return tree.isoformat()
    if isinstance(tree, bytes):
        return tree.decode("latin-1")
    if isinstance(tree, float) and not math.isfinite(tree):
        return str(tree)  # JSON has no NaN or infinity: 'nan', 'inf' as text
    return tree


_NOT_YAML_PRINTABLE = re.compile("[\x7f-\x84\x86-\x9f\ufffe\uffff]")


def dump(tree: Tree, mode: str, flow: bool | None, style: int = 0) -> str:
    """YAML text of a tree: ``typed`` (safe_dump), ``plain`` (bare text) or ``json``."""
    if mode == "json":
        indent = 2 if flow is None else None
        text = json.dumps(_jsonable(tree), ensure_ascii=False, indent=indent, default=str)
        # YAML, unlike JSON, wants DEL, the C1 controls, U+FFFE and U+FFFF escaped.
        return _NOT_YAML_PRINTABLE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
    if mode == "plain":
        return yaml.dump(
            to_plain(tree, style),
            Dumper=_PlainDumper,
            allow_unicode=True,
            sort_keys=False,
            default_flow_style=flow,
            width=10**6,
        )
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False, default_flow_style=flow)


@dataclass(frozen=True)
class FileCase:
    """The bytes of one generated file and how they were made."""

    data: bytes
    recipe: tuple[str, ...]

    @property
    def text(self) -> str:
        """The bytes as text, for failure reports."""
        return self.data.decode("utf-8", errors="backslashreplace")


@st.composite
def serialised(draw: Draw, tree: Tree, recipe: tuple[str, ...]) -> FileCase:
    """A tree written as YAML text in one of the three modes, encoded as UTF-8."""
    mode = draw(st.sampled_from(["typed", "typed", "plain", "json"]))
    flow = draw(st.sampled_from([False, None, True]))
    style = draw(st.integers(0, 11))
    text = dump(tree, mode, flow, style)
    return FileCase(text.encode("utf-8"), (*recipe, f"dump={mode} flow={flow} style={style}"))


# ------------------------------------------------------------------------------ mutations


def _deep(depth: int, leaf: Any, mapping: bool) -> Any:
    value = leaf
    for _ in range(depth):
        value = {"k": value} if mapping else [value]
    return value


def evil_values() -> st.SearchStrategy[Any]:
    """Values of the wrong type or shape for almost any place in a document."""
    scalars = st.one_of(
        st.sampled_from(TRICKY_TEXTS),
        st.sampled_from(DATE_TRAPS),
        st.sampled_from(TIME_TRAPS),
        st.sampled_from(NUMBER_TRAPS),
        st.sampled_from(BOOL_TRAPS),
        st.integers(),
        st.integers(-(10**40), 10**40),
        st.floats(),
        st.booleans(),
        st.none(),
        st.dates(),
        st.datetimes(),
        st.text(max_size=40),
        st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Zl", "Zp"])),
        st.binary(max_size=8),
    )
    containers = st.one_of(
        st.just([]),
        st.just({}),
        st.lists(scalars, max_size=3),
        st.dictionaries(
            st.one_of(st.sampled_from(schema_keys()), st.text(max_size=8)), scalars, max_size=3
        ),
        st.builds(
            _deep,
            st.integers(2, 80),
            st.one_of(st.none(), st.integers(0, 9), st.just("x")),
            st.booleans(),
        ),
    )
    return st.one_of(scalars, scalars, containers)


def evil_for(value: Any) -> st.SearchStrategy[Any]:
    """Wrong values aimed at a value's type (number traps for a number...), or anything."""
    if isinstance(value, bool):
        aimed = st.sampled_from(BOOL_TRAPS)
    elif isinstance(value, (int, float)):
        aimed = st.one_of(st.sampled_from(NUMBER_TRAPS), st.sampled_from(BIG_NUMBERS))
    elif isinstance(value, dt.date):
        aimed = st.sampled_from(DATE_TRAPS)
    elif isinstance(value, str) and re.fullmatch(r"\d{1,2}:\d\d", value):
        aimed = st.sampled_from(TIME_TRAPS)
    elif isinstance(value, str):
        aimed = st.one_of(st.sampled_from(TRICKY_TEXTS), st.sampled_from(NASTY_TEXTS))
    else:
        return evil_values()
    return st.one_of(aimed, aimed, evil_values())


ODD_KEYS = ["<<", "", " ", "a.b", "1", "null", "中文键", "__class__", "new\nline", "{{ 7*7 }}"]


def _typo(key: str, draw: Draw) -> str:
    """A near miss: a letter dropped, doubled or swapped, or a change of case."""
    if not key:
        return "x"
    i = draw(st.integers(0, len(key) - 1))
    how = draw(st.sampled_from(["drop", "double", "swap", "upper", "dash", "space"]))
    if how == "drop":
        return key[:i] + key[i + 1 :] or "x"
    if how == "double":
        return key[:i] + key[i] + key[i:]
    if how == "swap" and i + 1 < len(key):
        return key[:i] + key[i + 1] + key[i] + key[i + 2 :]
    if how == "upper":
        return key.upper()
    if how == "dash":
        return key.replace("_", "-")
    return key + " "


def _nodes(tree: Tree, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path in a tree (the root is ``()``)."""
    out: list[tuple[Any, ...]] = [path]
    if isinstance(tree, dict):
        for k, v in tree.items():
            out += _nodes(v, (*path, k))
    elif isinstance(tree, list):
        for i, v in enumerate(tree):
            out += _nodes(v, (*path, i))
    return out


def _get(tree: Tree, path: tuple[Any, ...]) -> Any:
    for part in path:
        tree = tree[part]
    return tree


def _shown(path: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in path) or "<root>"


def mutate_tree(draw: Draw, tree: Tree) -> tuple[Tree, list[str]]:
    """Apply one to four random changes to a copy of ``tree``; return it and what was done."""
    tree = copy.deepcopy(tree)
    notes: list[str] = []
    for _ in range(draw(st.sampled_from([1, 1, 1, 2, 2, 3, 4]))):
        paths = _nodes(tree)
        path = draw(st.sampled_from(paths))
        node = _get(tree, path)
        op = draw(
            st.sampled_from(
                [
                    "replace",
                    "replace",
                    "retype",
                    "retype",
                    "delete",
                    "unknown_key",
                    "empty",
                    "deep",
                    "duplicate_item",
                    "wrap",
                    "graft",
                ]
            )
        )
        if op == "retype":  # a number, yes/no or date (each kind as likely): converters' traps
            typed: dict[type, list[tuple[Any, ...]]] = {}
            for p in paths:
                value = _get(tree, p)
                if p and isinstance(value, (bool, int, float, dt.date)):
                    typed.setdefault(type(value), []).append(p)
            if typed:
                kind = draw(st.sampled_from(sorted(typed, key=lambda t: t.__name__)))
                path = draw(st.sampled_from(typed[kind]))
                node = _get(tree, path)
                op = "replace"
        if op == "unknown_key" and isinstance(node, dict):
            how = draw(st.sampled_from(["typo", "typo", "schema", "text", "odd"]))
            if how == "typo":
                key = _typo(draw(st.sampled_from(list(node) or ["x"])), draw)
            elif how == "schema":
                key = draw(st.sampled_from(schema_keys()))
            elif how == "text":
                key = draw(texts())
            else:
                key = draw(st.sampled_from(ODD_KEYS))
            node[key] = draw(st.one_of(evil_values(), DATES, texts()))
            notes.append(f"add key {key!r} in {_shown(path)}")
            continue
        if op == "duplicate_item" and isinstance(node, list) and node:
            node.append(copy.deepcopy(draw(st.sampled_from(node))))
            notes.append(f"duplicate an item of {_shown(path)}")
            continue
        if not path:  # the root itself: rarely replaced, to keep most cases deep
            if draw(st.integers(0, 9)) == 0:
                tree = draw(evil_values())
                notes.append(f"root replaced by {tree!r:.80}")
                return tree, notes
            continue
        parent = _get(tree, path[:-1])
        key = path[-1]
        if op == "delete":
            del parent[key]
            notes.append(f"delete {_shown(path)}")
        elif op == "empty":
            parent[key] = draw(st.sampled_from([[], {}, None, "", " "]))
            notes.append(f"empty {_shown(path)} -> {parent[key]!r}")
        elif op == "deep":
            parent[key] = _deep(draw(st.integers(10, 80)), node, draw(st.booleans()))
            notes.append(f"nest {_shown(path)} deeply")
        elif op == "wrap":
            parent[key] = draw(st.sampled_from([[node], {"value": node}, [node, node]]))
            notes.append(f"wrap {_shown(path)}")
        elif op == "graft":
            other = copy.deepcopy(_get(tree, draw(st.sampled_from(paths))))
            parent[key] = other
            notes.append(f"graft onto {_shown(path)}")
        else:
            parent[key] = draw(evil_for(node))
            notes.append(f"replace {_shown(path)} with {parent[key]!r:.80}")
    return tree, notes


BOMB = "".join(
    [
        "bomb0: &b0 [x, x, x, x, x, x, x, x, x, x]\n",
        *(f"bomb{i}: &b{i} [{', '.join([f'*b{i - 1}'] * 10)}]\n" for i in range(1, 7)),
    ]
)

_EXTRA_TEXT = [
    ("tag", "\nzz_tag: !!python/object/apply:os.system ['true']\n"),
    ("custom tag", "\nzz_tag: !custom 1\n"),
    ("binary", "\nzz_bin: !!binary aGVsbG8=\n"),
    ("alias", "\nzz_a: &a {k: [1, 2]}\nzz_b: *a\n"),
    ("merge key", "\nzz_a: &a {k: 1}\nzz_b:\n  <<: *a\n"),
    ("unknown alias", "\nzz_a: *nowhere\n"),
    ("bomb", "\n" + BOMB),
    ("second document", "\n---\nunit: {id: second}\n"),
    ("document end", "\n...\n"),
    ("deep flow", "\nzz_deep: " + "[" * 100 + "]" * 100 + "\n"),
    ("complex key", "\n? [a, b]\n: value\n"),
    ("mapping key", "\n{a: 1}: value\n"),
    ("long line", "\nzz_long: " + "a" * 100_000 + "\n"),
    ("duplicate top key", "\nunit: {}\n"),
    ("duplicate meeting key", "\nmeeting: {}\n"),
]


@st.composite
def text_mutation(draw: Draw, text: str) -> tuple[str, str]:
    """One change to YAML text that the tree cannot express."""
    op = draw(
        st.sampled_from(
            [
                "append",
                "append",
                "duplicate_line",
                "tab",
                "truncate",
                "insert",
                "delete_line",
                "swap_lines",
                "indent",
                "directive",
                "crlf",
                "empty",
            ]
        )
    )
    lines = text.split("\n")
    i = draw(st.integers(0, max(0, len(lines) - 1)))
    if op == "append":
        name, extra = draw(st.sampled_from(_EXTRA_TEXT))
        return text + extra, f"append {name}"
    if op == "duplicate_line":
        lines.insert(i, lines[i])
        return "\n".join(lines), f"duplicate line {i + 1}"
    if op == "tab":
        lines[i] = "\t" + lines[i].lstrip(" ")
        return "\n".join(lines), f"tab at line {i + 1}"
    if op == "truncate":
        cut = draw(st.integers(0, len(text)))
        return text[:cut], f"truncate at {cut}"
    if op == "insert":
        at = draw(st.integers(0, len(text)))
        piece = draw(
            st.sampled_from(
                [
                    ":",
                    "-",
                    "[",
                    "]",
                    "{",
                    "}",
                    "&",
                    "*",
                    "!",
                    "|",
                    ">",
                    "'",
                    '"',
                    "#",
                    "%",
                    "@",
                    "`",
                    "\t",
                    "\n",
                    "\x00",
                    "\x85",
                    "\u2028",
                    "\ufeff",
                    "? ",
                    ": ",
                    "- ",
                ]
            )
        )
        return text[:at] + piece + text[at:], f"insert {piece!r} at {at}"
    if op == "delete_line":
        del lines[i]
        return "\n".join(lines), f"delete line {i + 1}"
    if op == "swap_lines":
        j = draw(st.integers(0, max(0, len(lines) - 1)))
        lines[i], lines[j] = lines[j], lines[i]
        return "\n".join(lines), f"swap lines {i + 1} and {j + 1}"
    if op == "indent":
        lines[i] = " " * draw(st.integers(1, 5)) + lines[i]
        return "\n".join(lines), f"indent line {i + 1}"
    if op == "directive":
        return draw(
            st.sampled_from(
                ["%YAML 1.1\n---\n", "%YAML 1.3\n---\n", "%TAG ! tag:x,2000:\n---\n", "---\n"]
            )
        ) + text, "directive"
    if op == "crlf":
        return text.replace("\n", "\r\n"), "CRLF line ends"
    return draw(
        st.sampled_from(
            ["", "\n", "# only a comment\n", "   \n\t\n", "---\n", "~\n", "[]\n", "42\n"]
        )
    ), "empty"


@st.composite
def encoded(draw: Draw, text: str) -> tuple[bytes, str]:
    """Text as file bytes: mostly UTF-8, sometimes with a BOM, UTF-16, GB18030 or a bad byte."""
    how = draw(
        st.sampled_from(["utf-8"] * 6 + ["utf-8-sig", "utf-16", "gb18030", "bad byte", "latin-1"])
    )
    if how == "bad byte":
        raw = text.encode("utf-8", errors="surrogatepass")
        at = draw(st.integers(0, len(raw)))
        byte = draw(st.sampled_from([b"\xff", b"\xfe", b"\xc0", b"\x80", b"\xed\xa0\x80"]))
        return raw[:at] + byte + raw[at:], f"bad byte at {at}"
    if how in ("gb18030", "latin-1"):
        return text.encode(how, errors="replace"), how
    return text.encode(how, errors="surrogatepass"), how


# ------------------------------------------------------------------------------ file cases


@st.composite
def valid_files(draw: Draw, trees: st.SearchStrategy[Tree], label: str) -> FileCase:
    """A valid document, written in one of the three modes; UTF-8, or UTF-16 with a BOM."""
    tree = draw(trees)
    case: FileCase = draw(serialised(tree, (f"valid {label}",)))
    how = draw(st.sampled_from(["utf-8"] * 8 + ["utf-8-sig", "utf-16"]))
    if how != "utf-8":
        return FileCase(case.data.decode("utf-8").encode(how), (*case.recipe, how))
    return case


@st.composite
def mutated_files(draw: Draw, trees: st.SearchStrategy[Tree], label: str) -> FileCase:
    """A valid tree changed in one to four places, sometimes its text or encoding too."""
    tree, notes = mutate_tree(draw, draw(trees))
    case: FileCase = draw(serialised(tree, (f"mutated {label}", *notes)))
    text = case.data.decode("utf-8")
    recipe = list(case.recipe)
    if draw(st.integers(0, 2)) == 0:
        text, note = draw(text_mutation(text))
        recipe.append(note)
    raw, how = draw(encoded(text))
    recipe.append(how)
    return FileCase(raw, tuple(recipe))


_YAML_TOKENS = [
    ":",
    ": ",
    "- ",
    "-",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "!!str ",
    "!!int ",
    "!!python/object:os.system ",
    "!x ",
    "? ",
    "|",
    ">-",
    "'",
    '"',
    "#",
    "---",
    "...",
    "%YAML 1.2",
    "<<: *a",
    "\t",
    "  ",
    "~",
    "null",
    "\\",
]


@st.composite
def yaml_like_text(draw: Draw) -> str:
    """Lines made of the schemas' keys, YAML punctuation and awkward values."""
    tokens = st.one_of(
        st.sampled_from(schema_keys()),
        st.sampled_from(_YAML_TOKENS),
        st.sampled_from(TRICKY_TEXTS[:60]),
        st.sampled_from(DATE_TRAPS + TIME_TRAPS + NUMBER_TRAPS[:20] + BOOL_TRAPS),
        DATES.map(str),
    )
    lines = draw(
        st.lists(
            st.tuples(st.integers(0, 8), st.lists(tokens, min_size=1, max_size=5)),
            min_size=1,
            max_size=25,
        )
    )
    return "\n".join(" " * indent + "".join(parts) for indent, parts in lines) + "\n"


def random_trees() -> st.SearchStrategy[Tree]:
    """YAML-able trees that ignore the schema (keys from the schemas and anything else)."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.dates(),
        texts(),
        st.sampled_from(DATE_TRAPS + NUMBER_TRAPS[:20]),
    )
    keys = st.one_of(st.sampled_from(schema_keys()), st.text(max_size=10))
    return st.recursive(
        scalars,
        lambda children: st.one_of(
            st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=5)
        ),
        max_leaves=30,
    )


@st.composite
def random_files(draw: Draw) -> FileCase:
    """Random text: arbitrary Unicode, YAML-looking lines, or random trees dumped."""
    kind = draw(st.sampled_from(["unicode", "yaml-like", "yaml-like", "tree"]))
    if kind == "unicode":
        text = draw(st.text(max_size=300))
    elif kind == "yaml-like":
        text = draw(yaml_like_text())
    else:
        text = dump(draw(random_trees()), draw(st.sampled_from(["typed", "plain", "json"])), None)
    raw, how = draw(encoded(text))
    return FileCase(raw, (f"random {kind}", how))


def unit_files(kind: str) -> st.SearchStrategy[FileCase]:
    """Unit files: ``valid``, ``mutated`` or ``random``."""
    if kind == "valid":
        return valid_files(unit_trees(), "unit")
    if kind == "mutated":
        return mutated_files(unit_trees(), "unit")
    return random_files()


# ------------------------------------------------------------------------------ meetings

SAMPLES = pathlib.Path(__file__).resolve().parents[1] / "samples"
SAMPLES_AS_OF = dt.date(2026, 11, 28)
MAIN_MEETING = "m.meeting.yaml"
PREVIOUS_MEETING = "prev.meeting.yaml"
# Odd values for 'previous': itself, folders, a missing file, a name too long for the system...
PREVIOUS_TRAPS = [
    PREVIOUS_MEETING,
    MAIN_MEETING,
    "missing.meeting.yaml",
    ".",
    "..",
    "/",
    "sub/../" + PREVIOUS_MEETING,
    PREVIOUS_MEETING + "/",
    "./" + PREVIOUS_MEETING,
    "nul\x00byte.yaml",
    "a" * 300,
    "中文.meeting.yaml",
    " " + PREVIOUS_MEETING,
]


@functools.cache
def sample_fingerprints() -> tuple[str, ...]:
    """Fingerprints of the sample group's findings (actions adopt them by fingerprint)."""
    from compliance.runner import run_check

    result = run_check([str(SAMPLES)], load_pack(None), SAMPLES_AS_OF)
    return tuple(sorted({f.fingerprint for f in result.findings}))


@dataclass(frozen=True)
class MeetingCase:
    """A meeting file, and the previous meeting's file when there is one."""

    main: FileCase
    previous: FileCase | None


def _fingerprinted_meetings() -> st.SearchStrategy[dict[str, Any]]:
    return st.deferred(lambda: meeting_trees(sample_fingerprints()))


@st.composite
def _meeting_pair(draw: Draw) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """A valid meeting tree and, half the time, a valid earlier meeting it names."""
    tree = draw(_fingerprinted_meetings())
    day: dt.date = tree["meeting"]["date"]
    if day == FIRST_DAY or draw(st.booleans()):
        return tree, None
    prev = draw(_fingerprinted_meetings())
    prev["meeting"]["date"] = draw(
        st.one_of(
            st.dates(FIRST_DAY, day - dt.timedelta(days=1)),
            st.dates(max(FIRST_DAY, day - dt.timedelta(days=400)), day - dt.timedelta(days=1)),
        )
    )
    tree["previous"] = PREVIOUS_MEETING
    return tree, prev


@st.composite
def meeting_cases(draw: Draw, kind: str) -> MeetingCase:
    """Meeting files: ``valid``, ``mutated`` or ``random`` (with a previous file or not)."""
    if kind == "random":
        main = draw(random_files())
        prev = draw(st.none() | valid_files(_fingerprinted_meetings(), "meeting"))
        return MeetingCase(main, prev)
    tree, prev_tree = draw(_meeting_pair())
    if kind == "valid":
        main = draw(serialised(tree, ("valid meeting",)))
        prev = None if prev_tree is None else draw(serialised(prev_tree, ("valid previous",)))
        return MeetingCase(main, prev)
    if draw(st.integers(0, 3)) == 0:
        tree["previous"] = draw(st.sampled_from(PREVIOUS_TRAPS))
    main = draw(mutated_files(st.just(tree), "meeting"))
    if prev_tree is None:
        prev = draw(st.none() | mutated_files(_fingerprinted_meetings(), "previous"))
    elif draw(st.booleans()):
        prev = draw(mutated_files(st.just(prev_tree), "previous"))
    else:
        prev = draw(serialised(prev_tree, ("valid previous",)))
    return MeetingCase(main, prev)
