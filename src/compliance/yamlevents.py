"""Turn libyaml's event stream into plain data and a flat table of positions.

The other half of ``loader.py`` (which reads the file and reports syntax errors): every
scalar stays text, non-standard tags, merge keys and duplicate keys are refused, nesting
is bounded by :data:`MAX_DEPTH` and alias expansion by :data:`MAX_NODES` nodes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:  # loader.py imports this module
    from compliance.loader import Document, PathT

MAX_DEPTH = 64
MAX_NODES = 200_000

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
# Explicit tags that only restate a standard type are harmless: the schema decides types.
_STANDARD_TAGS = frozenset(
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "map", "seq")
) | {"!"}


class EventBuilder:
    """Turns a stream of parser events into plain data and a table of positions."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        # Each frame: [container, path, pending_key, key_mark, anchor, node_count, start_mark]
        self.stack: list[list[Any]] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.nodes = 0
        self.documents = 0
        self.stopped = False
        self.first_keys: list[dict[str, int]] = []

    def _fail(self, mark: Any, message: str) -> None:
        self.doc.error(mark.line + 1, mark.column + 1, message)

    def _stop(self, mark: Any, message: str) -> None:
        self._fail(mark, message)
        self.stopped = True

    def _check_tag(self, event: Any) -> None:
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in _STANDARD_TAGS:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            self._fail(event.start_mark, f"tag '{shown}' is not allowed: write plain values")

    def _child_path(self) -> PathT | None:
        """Path of the node about to be added, or None when it is a mapping key."""
        if not self.stack:
            return ()
        frame = self.stack[-1]
        container = frame[0]
        if isinstance(container, list):
            return (*frame[1], len(container))
        if frame[2] is _NO_KEY:
            return None  # a key; a duplicate key's value gets a path nobody looks up
        return (*frame[1], frame[2])

    def _add(self, value: Any, count: int, event: Any) -> None:
        """Attach a finished value to its parent (or make it the document)."""
        self.nodes += count
        if self.nodes > MAX_NODES:
            self._stop(
                event.start_mark, f"document expands to more than {MAX_NODES:,} values (aliases)"
            )
            return
        anchor = event.anchor
        if anchor is not None and type(event) is not yaml.AliasEvent:
            self.anchors[anchor] = (value, count)
        if not self.stack:
            self.doc.data = value
            return
        frame = self.stack[-1]
        container = frame[0]
        if type(container) is list:
            container.append(value)
            frame[5] += count
            return
        if frame[2] is _NO_KEY:  # this value is a key
            if isinstance(value, (dict, list)):
                self._fail(event.start_mark, "a key must be plain text, not a list or mapping")
                value = repr(value)
            key = "" if value is None else str(value)
            if key == "<<":
                self._fail(
                    event.start_mark, "merge keys (<<) are not supported: write the keys out"
                )
            seen = self.first_keys[-1]
            if key in seen:
                from compliance.loader import format_path  # loader.py imports this module

                self._fail(
                    event.start_mark,
                    f"duplicate key '{key}' in {format_path(frame[1]) or 'the top level'} "
                    f"(first written at line {seen[key]})",
                )
                frame[2] = _DUP_KEY
            else:
                seen[key] = event.start_mark.line + 1
                frame[2] = key
                self.doc.key_marks[(*frame[1], key)] = (
                    event.start_mark.line + 1,
                    event.start_mark.column + 1,
                )
            return
        if frame[2] is not _DUP_KEY:
            container[frame[2]] = value
        frame[2] = _NO_KEY
        frame[5] += count

    def feed(self, event: Any) -> None:
        """Consume one parser event."""
        kind = type(event)
        if kind is yaml.ScalarEvent:  # the hot path: most events are scalars
            self._scalar(event)
            return
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self._stop(event.start_mark, "a file holds one document: remove the second '---'")
            return
        if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
            return
        if isinstance(event, yaml.AliasEvent):
            if event.anchor not in self.anchors:
                self._fail(
                    event.start_mark, f"alias '*{event.anchor}' refers to no finished anchor"
                )
                self._add(None, 1, event)
                return
            value, count = self.anchors[event.anchor]
            self._record_mark(event)
            self._add(value, count, event)
            return
        self._check_tag(event)
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            path = self._child_path()
            self._record_mark(event)
            if len(self.stack) >= MAX_DEPTH:
                self._stop(event.start_mark, f"nesting is deeper than {MAX_DEPTH} levels")
                return
            new: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
            if event.flow_style and isinstance(new, dict):
                self.doc.flow.add(path if path is not None else ())
            self.stack.append(
                [new, path if path is not None else (), _NO_KEY, None, event.anchor, 1, event]
            )
            self.first_keys.append({})
            return
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            frame = self.stack.pop()
            self.first_keys.pop()
            start = frame[6]
            self._add_container(frame[0], frame[5], start)

    def _scalar(self, event: Any) -> None:
        """A scalar event. The usual cases (an item of a list, a new key, a key's value, no
        anchor) are done here in one go: a unit file has thousands of scalars; the others go
        through :meth:`_add`."""
        if event.tag is not None and event.tag not in _STANDARD_TAGS:
            self._check_tag(event)
        value = event.value
        if not event.style and event.implicit[0] and value in _NULLS:
            value = None
        stack = self.stack
        if not stack:
            self._record_mark(event)
            self._add(value, 1, event)
            return
        frame = stack[-1]
        container = frame[0]
        mark = event.start_mark
        if event.anchor is not None or self.nodes >= MAX_NODES:
            if type(container) is list:
                self.doc.marks[(*frame[1], len(container))] = (mark.line + 1, mark.column + 1)
            elif frame[2] is not _NO_KEY:
                self.doc.marks[(*frame[1], frame[2])] = (mark.line + 1, mark.column + 1)
            self._add(value, 1, event)
            return
        if type(container) is list:
            self.doc.marks[(*frame[1], len(container))] = (mark.line + 1, mark.column + 1)
            container.append(value)
        else:
            key = frame[2]
            if key is _NO_KEY:  # this value is a key
                key = "" if value is None else value
                seen = self.first_keys[-1]
                if key == "<<" or key in seen:
                    self._add(value, 1, event)  # refused there
                    return
                self.nodes += 1
                seen[key] = mark.line + 1
                frame[2] = key
                self.doc.key_marks[(*frame[1], key)] = (mark.line + 1, mark.column + 1)
                return
            self.doc.marks[(*frame[1], key)] = (mark.line + 1, mark.column + 1)
            if key is not _DUP_KEY:
                container[key] = value
            frame[2] = _NO_KEY
        self.nodes += 1
        frame[5] += 1

    def _add_container(self, value: Any, count: int, start: Any) -> None:
        # children are already counted in self.nodes; count only this node itself here,
        # but anchors must remember the whole subtree for alias expansion.
        anchor = getattr(start, "anchor", None)
        if anchor is not None:
            self.anchors[anchor] = (value, count)
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self._stop(
                start.start_mark, f"document expands to more than {MAX_NODES:,} values (aliases)"
            )
            return
        if not self.stack:
            self.doc.data = value
            return
        parent = self.stack[-1]
        if isinstance(parent[0], list):
            parent[0].append(value)
            parent[5] += count
            return
        if parent[2] is _NO_KEY:
            self._fail(start.start_mark, "a key must be plain text, not a list or mapping")
            parent[2] = _DUP_KEY
            return
        if parent[2] is not _DUP_KEY:
            parent[0][parent[2]] = value
        parent[2] = _NO_KEY
        parent[5] += count

    def _record_mark(self, event: Any) -> None:
        path = self._child_path()
        if path is not None:
            self.doc.marks[path] = (event.start_mark.line + 1, event.start_mark.column + 1)


class _Sentinel:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


_NO_KEY: Any = _Sentinel("NO_KEY")
_DUP_KEY: Any = _Sentinel("DUP_KEY")
