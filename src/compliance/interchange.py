"""Machine formats read by other tools: JUnit XML (CI servers) and SARIF 2.1.0 (code scanning).

Both are made from the JSON contract's records and checked in the tests against schemas from
independent sources: JUnit against the Jenkins xunit plugin's XSD (the strictest widely used
reader: ``errors`` is required on every ``testsuite``), SARIF against the OASIS 2.1.0 JSON
schema. Every finding that counts toward the exit status (``WAIVER-EXPIRED`` too) is in
both, and every ``ruleId`` is described in the SARIF driver's rules.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from compliance import __version__
from compliance.findings import EXPIRED_TEXTS, WAIVER_EXPIRED
from compliance.i18n import text_in
from compliance.result import FindingRecord
from compliance.runner import CheckResult

_SARIF_LEVEL = {"critical": "error", "major": "error", "minor": "warning", "info": "note"}
_SKIPPED = ("n/a", "waived", "not_assessed")  # JUnit: rules not evaluated to pass or fail
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_text(text: str) -> str:
    """Text for an XML element: escaped, characters XML 1.0 forbids replaced."""
    return (
        _NOT_XML.sub("\ufffd", text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    )


def _attr(text: str) -> str:
    """A quoted XML attribute value, with forbidden characters replaced."""
    return '"' + html.escape(_NOT_XML.sub("\ufffd", text), quote=True) + '"'


def _where(f: FindingRecord) -> str:
    loc = f["location"]
    return f"{loc['file']}:{loc['line']}:{loc['column']}: {f['message']}"


def to_junit(result: CheckResult, lang: str) -> str:
    """JUnit XML: a test suite per unit, a test case per rule; failed rules carry findings.

    A unit with expired waivers has one more failing case, ``WAIVER-EXPIRED``: those findings
    count toward the exit status, so a CI server must see them fail too.
    """
    data = result.to_json(lang)
    by_key: dict[tuple[str, str], list[FindingRecord]] = {}
    for f in data["findings"]:
        if not f["waived"]:
            by_key.setdefault((f["unit"], f["rule"]), []).append(f)
    titles = {rid: r.title[lang] for rid, r in result.pack.rules.items()}
    titles[WAIVER_EXPIRED] = text_in(EXPIRED_TEXTS["title"], lang)
    suites = []
    for u in data["units"]:
        statuses = dict(u["rules"])
        if (u["id"], WAIVER_EXPIRED) in by_key:
            statuses[WAIVER_EXPIRED] = "fail"
        suites.append((u, statuses))
    total = sum(len(s) for _, s in suites)
    failures = sum(1 for _, s in suites for v in s.values() if v == "fail")
    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    out.append(f'<testsuites name="compliance" tests="{total}" failures="{failures}" errors="0">')
    for u, statuses in suites:
        n_fail = sum(1 for s in statuses.values() if s == "fail")
        skipped = sum(1 for s in statuses.values() if s in _SKIPPED)
        out.append(
            f'  <testsuite name={_attr(u["id"])} tests="{len(statuses)}" '
            f'failures="{n_fail}" errors="0" skipped="{skipped}" file={_attr(u["file"])}>'
        )
        for rid, status in statuses.items():
            name = _attr(f"{rid} {titles.get(rid, '')}".strip())
            out.append(f"    <testcase classname={_attr(u['id'])} name={name}>")
            if status == "fail":
                items = by_key.get((u["id"], rid), [])
                body = "\n".join(_where(f) for f in items)
                sev = items[0]["severity"] if items else ""
                msg = _attr(items[0]["message"] if items else rid)
                out.append(
                    f"      <failure type={_attr(sev)} message={msg}>{_xml_text(body)}</failure>"
                )
            elif status in _SKIPPED:
                out.append(f"      <skipped message={_attr(status)}/>")
            out.append("    </testcase>")
        out.append("  </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"


def artifact_uri(file: str) -> str:
    """A finding's file as a relative, percent-encoded URI reference (RFC 3986).

    Relative to ``%SRCROOT%``, the folder the check ran in (a file outside it gets ``../``
    segments): spaces, Chinese characters and ``#`` or ``%`` in names stay valid and mean
    what they say; absolute paths and drive letters never appear.
    """
    path = file if not os.path.isabs(file) else os.path.relpath(file, os.getcwd())
    return quote(PurePosixPath(*path.split(os.sep)).as_posix(), safe="/")


def _rule_descriptors(result: CheckResult, lang: str) -> list[dict[str, Any]]:
    rules = [
        {
            "id": rid,
            "name": rid,
            "shortDescription": {"text": r.title[lang]},
            "fullDescription": {"text": r.rationale[lang]},
            "help": {"text": r.remediation[lang]},
            "properties": {"area": r.area, "severity": r.severity, "basis": r.basis[lang]},
            "defaultConfiguration": {"level": _SARIF_LEVEL[r.severity]},
        }
        for rid, r in result.pack.rules.items()
    ]
    text = {k: text_in(v, lang) for k, v in EXPIRED_TEXTS.items()}
    rules.append(
        {
            "id": WAIVER_EXPIRED,
            "name": WAIVER_EXPIRED,
            "shortDescription": {"text": text["title"]},
            "fullDescription": {"text": text["rationale"]},
            "help": {"text": text["remediation"]},
            "properties": {"severity": "minor"},
            "defaultConfiguration": {"level": _SARIF_LEVEL["minor"]},
        }
    )
    return rules


def iter_junit(result: CheckResult, lang: str, colour: bool = False) -> Iterator[str]:
    """JUnit XML as an output format (see ``names.OUTPUT_FORMATS``)."""
    yield to_junit(result, lang)


def iter_sarif(result: CheckResult, lang: str, colour: bool = False) -> Iterator[str]:
    """SARIF as an output format (see ``names.OUTPUT_FORMATS``)."""
    yield to_sarif(result, lang)


def to_sarif(result: CheckResult, lang: str) -> str:
    """SARIF 2.1.0, for code-scanning dashboards: one result per finding (waived: suppressed)."""
    data = result.to_json(lang)
    rules = _rule_descriptors(result, lang)
    index = {r["id"]: i for i, r in enumerate(rules)}
    results = []
    for f in data["findings"]:
        loc = f["location"]
        results.append(
            {
                "ruleId": f["rule"],
                "ruleIndex": index[f["rule"]],
                "level": _SARIF_LEVEL[f["severity"]],
                "message": {"text": f["message"]},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {
                                "uri": artifact_uri(loc["file"]),
                                "uriBaseId": "%SRCROOT%",
                            },
                            "region": {
                                "startLine": max(loc["line"], 1),
                                "startColumn": max(loc["column"], 1),
                            },
                        },
                        "logicalLocations": [{"fullyQualifiedName": f"{f['unit']}:{loc['path']}"}],
                    }
                ],
                "partialFingerprints": {"complianceFinding/v1": f["fingerprint"]},
                **(
                    {"suppressions": [{"kind": "external", "justification": f["waiver"]["reason"]}]}
                    if f["waived"]
                    else {}
                ),
            }
        )
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "compliance",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {
                    "%SRCROOT%": {
                        "description": {"text": "The folder the check was run in."},
                    }
                },
                "properties": {"as_of": data["as_of"], "rule_pack": data["rule_pack"]},
                "results": results,
            }
        ],
    }
    return json.dumps(sarif, indent=2, ensure_ascii=False) + "\n"
