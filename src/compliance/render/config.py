"""The project configuration (``compliance.yaml``): organisation, logo, colours, numbering.

Looked up as ``--config FILE`` or ``compliance.yaml`` in the working folder; optional. It is
validated like unit files (``file:line:col`` errors). The logo must lie inside the config
file's folder, so a shared config cannot pull in arbitrary files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compliance.diagnostics import Diagnostic, InputError, display_path
from compliance.i18n import N_, text_in_all
from compliance.loader import load_file
from compliance.schema import validate_document

DEFAULT_NAME = "compliance.yaml"
DEFAULT_DEADLINES = {"critical": 15, "major": 30, "minor": 90, "info": 180}
DEFAULT_NUMBER = "{org}-AQ-{kind}-{year}-{unit}"
# The default mark; a config's 'confidentiality' replaces it per language
CONFIDENTIALITY_TEXT = N_("Internal — for the unit's leadership")
_FIELD = re.compile(r"\{(\w+)\}")


@dataclass
class Branding:
    """What documents need from the configuration, with defaults filled in."""

    organisation: str = "Power Group"
    organisation_zh: str = ""
    code: str = "GRP"
    logo: Path | None = None
    primary: str = "#1F3A5F"
    accent: str = "#C8102E"
    number_pattern: str = DEFAULT_NUMBER
    confidentiality: dict[str, str] = field(
        default_factory=lambda: text_in_all(CONFIDENTIALITY_TEXT)
    )
    deadlines: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_DEADLINES))
    folder: Path | None = None
    warnings: list[Diagnostic] = field(default_factory=list)

    def org_name(self, lang: str) -> str:
        """The organisation's name in a language."""
        return self.organisation_zh if lang == "zh" and self.organisation_zh else self.organisation

    def document_number(self, **fields: str) -> str:
        """Fill the number pattern; only ``{name}`` fields, never attribute lookups."""
        values = {"org": self.code, **fields}
        return _FIELD.sub(lambda m: str(values.get(m[1], m[0])), self.number_pattern)


def load_branding(path: Path | None) -> Branding:
    """Read the configuration at ``path`` (or ./compliance.yaml if present); defaults otherwise."""
    if path is None:
        candidate = Path.cwd() / DEFAULT_NAME
        if not candidate.is_file():
            return Branding()
        path = candidate
    doc = validate_document(load_file(path, display_path(path)), "config")
    problems = list(doc.diagnostics)
    if doc.data is None:
        raise InputError(problems)
    data: dict[str, Any] = doc.data
    folder = path.resolve().parent
    b = Branding(folder=folder, warnings=[d for d in problems if not d.is_error])
    org = data.get("organisation") or {}
    b.organisation = org.get("name", b.organisation)
    b.organisation_zh = org.get("name_zh", "")
    b.code = org.get("code", b.code)
    colours = data.get("colours") or {}
    b.primary = colours.get("primary", b.primary)
    b.accent = colours.get("accent", b.accent)
    b.number_pattern = data.get("document_number", b.number_pattern)
    b.confidentiality.update(data.get("confidentiality") or {})
    b.deadlines.update(data.get("deadlines") or {})
    if "logo" in data:
        logo = (folder / data["logo"]).resolve()
        if not logo.is_relative_to(folder):
            problems.append(
                doc.problem(("logo",), "logo: must be inside the folder of the config file")
            )
        elif not logo.is_file() or logo.suffix.lower() not in (".png", ".jpg", ".jpeg"):
            problems.append(doc.problem(("logo",), f"logo: no PNG or JPEG file at {data['logo']}"))
        else:
            b.logo = logo
    if any(p.is_error for p in problems):
        raise InputError(problems)
    return b
