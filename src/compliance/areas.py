"""The seven areas a rule pack covers, their id prefixes and the severities with their weights."""

from __future__ import annotations

# Order is the order of reports: the six areas named by the group, then dual prevention.
AREAS: dict[str, str] = {
    "concepts": "CONC",
    "responsibility": "RESP",
    "planning": "PLAN",
    "rule_of_law": "LAW",
    "standards": "STD",
    "quality": "QUAL",
    "risks": "RISK",
}

# Weight of a rule of each severity in a score; info findings never lower a score.
SEVERITIES: dict[str, int] = {"critical": 10, "major": 5, "minor": 2, "info": 0}


def severity_rank(severity: str) -> int:
    """0 for critical, 1 for major...: sorts the worst first."""
    return list(SEVERITIES).index(severity)
