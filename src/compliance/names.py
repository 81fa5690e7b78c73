"""The extension points, each declared once: everything else (the CLI's choices, the
registries, the error messages) is derived from these lists.

Kept free of imports beyond the standard library so that ``compliance --help`` and
``compliance check`` stay fast: the registries name the module and function that implement
an entry, imported only when that entry is used. ARCHITECTURE.md says how to add one.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, NamedTuple

# Languages of the output: code -> Babel locale (dates, the gettext catalog's plural rules).
# A new language: an entry here plus src/compliance/locale/<code>/LC_MESSAGES/messages.po.
LANGUAGES: dict[str, str] = {"en": "en_GB", "zh": "zh_Hans_CN"}
LANGS: tuple[str, ...] = tuple(LANGUAGES)

# Severities, most severe first (their weights live in areas.SEVERITIES, keyed the same).
SEVERITY_NAMES: tuple[str, ...] = ("critical", "major", "minor", "info")
FAIL_ON_CHOICES: tuple[str, ...] = (*SEVERITY_NAMES, "never")
# The severities the minutes list among new findings and propose actions for.
SERIOUS_SEVERITIES: tuple[str, ...] = SEVERITY_NAMES[:2]

# The schemas ``compliance schema KIND`` prints: ``schemas/<kind>.schema.json`` each.
SCHEMAS: tuple[str, ...] = ("unit", "pack", "meeting", "config", "result")


class OutputFormat(NamedTuple):
    """One output format of a command (``--format NAME``), implemented by ``module:function``.

    Each registry below says how its functions are called. A function returns the output
    whole or yields it in pieces: ``str`` for a text format, ``bytes`` for a binary one. A
    binary format (``binary`` names what it writes) never goes to standard output: it needs
    --output FILE.
    """

    module: str
    function: str
    binary: str = ""

    def load(self) -> Callable[..., Any]:
        """The function, imported only now (the registries stay cheap to import)."""
        function: Callable[..., Any] = getattr(importlib.import_module(self.module), self.function)
        return function


# ``compliance check``: function(result, lang, colour=False).
OUTPUT_FORMATS: dict[str, OutputFormat] = {
    "text": OutputFormat("compliance.formats", "iter_text"),
    "json": OutputFormat("compliance.formats", "iter_json"),
    "junit": OutputFormat("compliance.interchange", "iter_junit"),
    "sarif": OutputFormat("compliance.interchange", "iter_sarif"),
    "csv": OutputFormat("compliance.formats", "iter_csv"),
    "xlsx": OutputFormat("compliance.formats_xlsx", "iter_xlsx", binary="a workbook"),
}

# ``compliance diff``: function(comparison, lang), a ``progress.Comparison``.
DIFF_FORMATS: dict[str, OutputFormat] = {
    "text": OutputFormat("compliance.progress_formats", "to_text"),
    "json": OutputFormat("compliance.progress_formats", "to_json"),
    "csv": OutputFormat("compliance.progress_formats", "to_csv"),
    "xlsx": OutputFormat("compliance.progress_formats", "iter_xlsx", binary="a workbook"),
}

# ``compliance stats``: function(table, lang, as_of), the table of ``dangerstats.group_stats``.
STATS_FORMATS: dict[str, OutputFormat] = {
    "text": OutputFormat("compliance.stats_formats", "to_text"),
    "json": OutputFormat("compliance.stats_formats", "to_json"),
    "xlsx": OutputFormat("compliance.stats_formats", "to_xlsx", binary="a workbook"),
}

# ``compliance rules diff``: function(changes, units, as_of), as ``rulediff`` works them out.
RULES_DIFF_FORMATS: dict[str, OutputFormat] = {
    "text": OutputFormat("compliance.rulediff", "diff_text"),
    "json": OutputFormat("compliance.rulediff", "diff_json"),
}

# Every command with a --format, and its registry (the tests check each against its command).
COMMAND_FORMATS: dict[str, dict[str, OutputFormat]] = {
    "check": OUTPUT_FORMATS,
    "diff": DIFF_FORMATS,
    "stats": STATS_FORMATS,
    "rules diff": RULES_DIFF_FORMATS,
}

# Formats of rendered documents (reports and meeting documents), in the order written.
DOCUMENT_FORMATS: tuple[str, ...] = ("pdf", "docx")

# Meeting documents: name -> the template that renders it (``compliance meeting NAME``).
MEETING_DOCUMENTS: dict[str, str] = {
    "notice": "meeting_notice.html.j2",
    "signin": "meeting_signin.html.j2",
    "minutes": "meeting_minutes.html.j2",
}

# Condition operators of rule packs, in the order error messages list them. Each is compiled
# by ``Compiler._c_<name>`` in conditions.py; a condition naming several is compiled by the
# first listed here, except ``field`` which comes last (``count``/``sum``... have a ``field``).
OPERATORS: tuple[str, ...] = (
    "present",
    "absent",
    "field",
    "count",
    "sum",
    "every",
    "some",
    "all",
    "any",
    "not",
    "expr",
)


def document_formats_text() -> str:
    """``pdf, docx or pdf,docx``: the accepted values of a documents' --format."""
    return ", ".join(DOCUMENT_FORMATS) + " or " + ",".join(DOCUMENT_FORMATS)
