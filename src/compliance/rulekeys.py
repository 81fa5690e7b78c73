"""Rule keys checked when a pack loads beyond the schema: the penalty range and the dates
a rule is in force (``effective_on``, ``until``)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from compliance.loader import PathT
from compliance.paths import RuleError
from compliance.plain import Plain

if TYPE_CHECKING:
    from compliance.result import PenaltyRecord


class Penalty(Plain):
    """The penalty provision a breach of the rule exposes the unit to, and its range in CNY."""

    _fields = ("basis", "min_cny", "max_cny")

    def __init__(self, basis: dict[str, str], min_cny: float, max_cny: float) -> None:
        self.basis = basis
        self.min_cny = min_cny
        self.max_cny = max_cny

    def record(self) -> PenaltyRecord:
        """As the JSON result carries it."""
        return {"basis": self.basis, "min_cny": self.min_cny, "max_cny": self.max_cny}


def penalty_range(raw: dict[str, Any], where: PathT) -> tuple[float, float]:
    """``min_cny`` and ``max_cny`` of a penalty; an error when the range is upside down."""
    low, high = raw["min_cny"], raw["max_cny"]
    if low > high:
        raise RuleError(f"min_cny {low:g} is above max_cny {high:g}", (*where, "min_cny"))
    return low, high


def check_dates(start: dt.date | None, end: dt.date | None, where: PathT) -> None:
    """A rule cannot stop being in force before it starts."""
    if start is not None and end is not None and end < start:
        raise RuleError(
            f"until {end.isoformat()} is before effective_on {start.isoformat()}",
            (*where, "until"),
        )


def as_date(value: Any) -> dt.date | None:
    """A date of the pack: a date, or its ISO text when the pack came from the cache (JSON)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
