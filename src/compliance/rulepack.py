"""Load rule packs (YAML data) into compiled rules: extension, switches, severity changes.

A pack is a YAML file, or a folder with ``pack.yaml`` (metadata) and more ``*.yaml`` files
of rules. ``--rules`` takes a pack name (looked up in ``$COMPLIANCE_RULES_PATH``, the
project's ``rules/`` and the built-in ``rules/``) or a path. A pack may ``extend`` another,
``disable`` inherited rules and ``override`` their severity, basis or remediation. Every
broken rule is reported as ``file:line:col: error: RULE-ID: message``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from compliance import compilecache
from compliance.areas import AREAS
from compliance.conditions import Compiler
from compliance.diagnostics import ERROR, Diagnostic, InputError, display_path
from compliance.inputs import inside
from compliance.labels import localize_text
from compliance.loader import Document, PathT
from compliance.needs import derive_needs, drop_guards
from compliance.packcache import PackDocument, load_pack_file
from compliance.packfind import DEFAULT_PACK, available_packs, find_pack, pack_files
from compliance.paths import RuleError, parse_path
from compliance.rulekeys import Penalty, as_date, check_dates, penalty_range
from compliance.rulemodel import Message, Pack, Rule, RuleParts, i18n
from compliance.schema import load_schema
from compliance.schemaview import SchemaView

__all__ = ["Message", "Pack", "PackLoader", "Rule", "i18n", "load_pack", "localized"]

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
# an id ends in its area's prefix and a number: RESP-01, GRP-RESP-101 (one pattern for all areas)
_ID = re.compile(r"(?:[A-Z0-9]+-)*([A-Z0-9]+)-\d{2,3}")


def localized(value: Any) -> dict[str, str]:
    """Like :func:`i18n`, with the YAML paths and codes quoted in the Chinese text named by
    their Chinese titles and labels (``在 responsibility.posts[].signed_on 中填写`` ->
    ``在 安全责任／岗位／签订日期 中填写``)."""
    texts = i18n(value)
    if "zh" in texts:
        zh = texts["zh"]  # through the compile cache: naming the paths walks the schema
        texts["zh"] = compilecache.remembered("text", zh, lambda: localize_text(zh, "zh"))
    return texts


class PackLoader:
    """Loads a pack and what it extends, collecting every problem before failing."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []
        unit_schema = load_schema("unit")
        self.schema = SchemaView(unit_schema)
        self.compiler = Compiler(self.schema)

    def load(self, spec: str) -> Pack:
        """Resolve, load and compile ``spec``; raise :class:`InputError` on any error."""
        location = find_pack(spec)
        if location is None:
            known = ", ".join(available_packs()) or "none"
            from compliance.diagnostics import UsageProblem

            raise UsageProblem(f"no rule pack '{spec}' (packs found: {known})")
        with compilecache.compiling():
            pack = self._load(location, [])
        errors = [d for d in self.diagnostics if d.is_error]
        if errors:
            raise InputError(self.diagnostics)
        pack.warnings = self.diagnostics
        return pack

    def _err(self, doc: Document, where: PathT, message: str) -> None:
        self.diagnostics.append(doc.problem(where, message))

    def _load(self, location: Path, seen: list[Path]) -> Pack:
        real = location.resolve()
        if real in seen:
            raise InputError(
                [
                    Diagnostic(
                        display_path(location), 1, 1, ERROR, "packs extend each other in a cycle"
                    )
                ]
            )
        docs = []
        for path in pack_files(location):
            try:
                # the files of a folder pack stay in it: a link cannot bring in another file
                within = location if location.is_dir() else None
                doc = load_pack_file(path, display_path(path), within)
            except OSError as exc:
                doc = PackDocument(display_path(path))
                doc.error(0, 0, f"cannot read file: {exc.strerror or exc}")
            self.diagnostics += doc.diagnostics
            if doc.data is not None:
                docs.append(doc)
        if not docs or docs[0].data is None or "pack" not in docs[0].data:
            first = display_path(pack_files(location)[0])
            if not any(d.is_error for d in self.diagnostics):
                self.diagnostics.append(
                    Diagnostic(
                        first, 1, 1, ERROR, "a pack needs a 'pack:' section with name and version"
                    )
                )
            raise InputError(self.diagnostics)
        head = docs[0]
        meta = head.data["pack"]
        base: Pack | None = None
        if "extends" in meta:
            tree = location if location.is_dir() else location.parent
            parent_loc = find_pack(meta["extends"], tree)
            if parent_loc is None and not inside(tree / meta["extends"], tree):
                self._err(
                    head,
                    ("pack", "extends"),
                    f"pack '{meta['extends']}' to extend is outside the folder of this pack: "
                    "give a pack name or a path inside the folder",
                )
            elif parent_loc is None:
                self._err(
                    head, ("pack", "extends"), f"pack '{meta['extends']}' to extend was not found"
                )
            else:
                base = self._load(parent_loc, [*seen, real])
        rules: dict[str, Rule] = dict(base.rules) if base else {}
        for doc in docs:
            for i, raw in enumerate(doc.data.get("rules", [])):
                rule = self._compile(raw, doc, ("rules", i), meta["name"])
                if rule is None:
                    continue
                if rule.id in rules:
                    other = rules[rule.id]
                    self._err(
                        doc,
                        ("rules", i, "id"),
                        f"{rule.id}: duplicate rule id (also at {other.file}:{other.line})",
                    )
                    continue
                rules[rule.id] = rule
        for doc in docs:
            self._apply_changes(doc, rules)
        return Pack(
            name=meta["name"],
            version=str(meta["version"]),
            title=i18n(meta.get("title", meta["name"])),
            description=i18n(meta.get("description", "")),
            file=head.file,
            rules=rules,
            chain=[*(base.chain if base else []), meta["name"]],
        )

    def _apply_changes(self, doc: Document, rules: dict[str, Rule]) -> None:
        for i, rid in enumerate(doc.data.get("disable", [])):
            if rules.pop(rid, None) is None:
                self._err(
                    doc, ("disable", i), f"{rid}: cannot disable a rule that is not in the pack"
                )
        for rid, change in (doc.data.get("override") or {}).items():
            rule = rules.get(rid)
            if rule is None:
                self._err(
                    doc, ("override", rid), f"{rid}: cannot override a rule that is not in the pack"
                )
                continue
            new = Rule(**{**rule.__dict__})
            if "severity" in change:
                new.severity = change["severity"]
            if "remediation" in change:
                new.remediation = i18n(change["remediation"])
            if "basis" in change:
                new.basis = i18n(change["basis"])
            try:
                self._override_extras(new, change, ("override", rid))
            except RuleError as exc:
                self._err(doc, exc.where, f"{rid}: {exc}")
                continue
            rules[rid] = new

    def _override_extras(self, new: Rule, change: dict[str, Any], where: PathT) -> None:
        """The keys of issue 13 a group pack may change: veto, penalty, effective dates."""
        if "veto" in change:
            new.veto = bool(change["veto"])
        if "penalty" in change:
            new.penalty = self._penalty(change["penalty"], (*where, "penalty"))
        for name in ("effective_on", "until"):
            if name in change:
                setattr(new, name, as_date(change[name]))
        check_dates(new.effective_on, new.until, where)

    def _compile(self, raw: dict[str, Any], doc: Document, where: PathT, pack: str) -> Rule | None:
        rid = raw["id"]
        line = doc.mark(where)[0]
        prefix = AREAS[raw["area"]]
        match = _ID.fullmatch(rid)
        if match is None or match[1] != prefix:
            self._err(
                doc,
                (*where, "id"),
                f"{rid}: id must carry its area's prefix '{prefix}-' (area {raw['area']})",
            )
            return None
        try:
            item_scope: dict[str, Any] = self.schema.root
            for_each = None
            if "for_each" in raw:
                _, parts = parse_path(raw["for_each"], (*where, "for_each"))
                lschema = self.schema.walk(
                    self.schema.root, parts, raw["for_each"], (*where, "for_each")
                )
                if lschema.get("type") != "array":
                    raise RuleError(
                        f"for_each: '{raw['for_each']}' is not a list", (*where, "for_each")
                    )
                item_scope = self.schema.resolve(lschema["items"])
                for_each = (True, parts)
            elif "where" in raw:
                raise RuleError(
                    "'where' filters the items of 'for_each'; add for_each", (*where, "where")
                )
            when = (
                self.compiler.compile(raw["when"], self.schema.root, (*where, "when"))
                if "when" in raw
                else None
            )
            # what does not run (texts, message, needs, keys, penalty, dates) from the compile
            # cache when this rule compiled before (named by its file's content and its place
            # in it); only a rule without errors is kept there
            store = compilecache.active()
            file_key = doc.key if isinstance(doc, PackDocument) else ""
            cache_key = f"{file_key}:{where[-1]}" if store and file_key else ""
            kept = RuleParts.of(store.get("rule", cache_key)) if store and cache_key else None
            needs = kept.needs if kept else self._needs(raw, where)
            if "when" in raw and needs:
                # a 'present' guard on needed data is dropped: missing data is "not assessed"
                guarded = drop_guards(raw["when"], needs)
                when = (
                    None
                    if guarded is None
                    else self.compiler.compile(guarded, self.schema.root, (*where, "when"))
                )
            wh = (
                self.compiler.compile(raw["where"], item_scope, (*where, "where"))
                if "where" in raw
                else None
            )
            require = self.compiler.compile(raw["require"], item_scope, (*where, "require"))
            if kept is None:
                kept = self._parts(raw, item_scope, for_each is not None, needs, where)
                if store is not None and cache_key:
                    store.put("rule", cache_key, kept.value())
        except RuleError as exc:
            self._err(doc, exc.where, f"{rid}: {exc}")
            return None
        return Rule(
            id=rid,
            area=raw["area"],
            severity=raw["severity"],
            title=kept.texts[0],
            basis=kept.texts[1],
            rationale=kept.texts[2],
            remediation=kept.texts[3],
            message=kept.message,
            stop_work=bool(raw.get("stop_work", False)),
            require=require,
            when=when,
            for_each=for_each,
            where=wh,
            key=kept.key,
            locate=kept.locate,
            file=doc.file,
            line=line,
            pack=pack,
            source=raw,
            needs=needs,
            veto=bool(raw.get("veto", False)),
            penalty=kept.penalty,
            effective_on=kept.effective_on,
            until=kept.until,
        )

    def _parts(
        self,
        raw: dict[str, Any],
        item_scope: dict[str, Any],
        per_item: bool,
        needs: tuple[PathT, ...],
        where: PathT,
    ) -> RuleParts:
        """What a rule holds besides its conditions, checked against the unit schema; raises
        RuleError (in this order: key, locate, message, penalty, dates)."""
        key = locate = None
        if "key" in raw:
            _, key = parse_path(raw["key"], (*where, "key"))
            self.schema.walk(item_scope, key, raw["key"], (*where, "key"))
        if "locate" in raw:
            _, locate = parse_path(raw["locate"], (*where, "locate"))
            self.schema.walk(item_scope, locate, raw["locate"], (*where, "locate"))
        message = self._message(
            raw["message"], item_scope if per_item else None, (*where, "message")
        )
        penalty = self._penalty(raw.get("penalty"), (*where, "penalty"))
        effective_on, until = as_date(raw.get("effective_on")), as_date(raw.get("until"))
        check_dates(effective_on, until, where)
        texts = tuple(
            localized(raw[name]) for name in ("title", "basis", "rationale", "remediation")
        )
        return RuleParts(texts, message, needs, key, locate, penalty, effective_on, until)

    def _needs(self, raw: dict[str, Any], where: PathT) -> tuple[PathT, ...]:
        """The rule's ``needs:`` (checked against the unit schema), else the derived ones."""
        if "needs" not in raw:
            return derive_needs(raw)
        out = []
        for i, text in enumerate(raw["needs"] or []):
            _, parts = parse_path(text, (*where, "needs", i))
            self.schema.walk(self.schema.root, parts, text, (*where, "needs", i))
            out.append(parts)
        return tuple(out)

    @staticmethod
    def _penalty(raw: Any, where: PathT) -> Penalty | None:
        """``penalty: {basis, min_cny, max_cny}``; the range must not be upside down."""
        if raw is None:
            return None
        low, high = penalty_range(raw, where)
        return Penalty(i18n(raw["basis"]), low, high)

    def _message(self, raw: Any, item_scope: dict[str, Any] | None, where: PathT) -> Message:
        texts = localized(raw)
        fields: dict[str, tuple[str, PathT]] = {}
        labels: dict[str, dict[str, str]] = {}
        for text in texts.values():
            for name in _PLACEHOLDER.findall(text.replace("{{", "").replace("}}", "")):
                name = name.strip()
                if name in ("actual", "as_of", "path", "key"):
                    fields[name] = ("special", ())
                    continue
                if name.startswith("item."):
                    if item_scope is None:
                        raise RuleError(
                            f"message uses {{{name}}} but the rule has no for_each", where
                        )
                    _, parts = parse_path(name[5:], where)
                    node = self.schema.walk(item_scope, parts, name, where)
                    fields[name] = ("item", parts)
                else:
                    _, parts = parse_path(name, where)
                    node = self.schema.walk(self.schema.root, parts, name, where)
                    fields[name] = ("root", parts)
                if node.get("x-enum-zh"):
                    labels[name] = dict(node["x-enum-zh"])
        return Message(texts, fields, labels)


def load_pack(spec: str | None) -> Pack:
    """Load the pack ``spec`` (default :data:`DEFAULT_PACK`)."""
    return PackLoader().load(spec or DEFAULT_PACK)
