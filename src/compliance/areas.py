"""The seven areas a rule pack covers, their id prefixes and the severities with their weights."""

from __future__ import annotations

from compliance.names import SEVERITY_NAMES

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

# Weight of a rule of each severity in a score (critical 10, major 5, minor 2, info 0: info
# findings never lower a score), in the order the severities are declared in ``names``.
SEVERITIES: dict[str, int] = dict(zip(SEVERITY_NAMES, (10, 5, 2, 0), strict=True))


def severity_rank(severity: str) -> int:
    """0 for critical, 1 for major...: sorts the worst first."""
    return list(SEVERITIES).index(severity)
