"""The per-pollutant sub-indices an air quality index is the largest of (China's IAQI, the US sub-index).

Both HJ 633 (IAQI) and 40 CFR 58 App. G (sub-index) report the AQI as the largest sub-index and
name the pollutants tying at it; a sub-index beyond a table's top is held there ("capped"), and a
pollutant a table does not cover is reported with the reason ("not indexed").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from domains.model import IndexResult, Level


@dataclass
class SubIndices:
    """Sub-indices gathered for one AQI computation, keyed by the caller's pollutant keys."""

    values: dict[str, int] = field(default_factory=dict)
    capped: list[str] = field(default_factory=list)
    not_indexed: dict[str, str] = field(default_factory=dict)

    def record(self, key: str, value: int | None, *, capped: bool) -> int | None:
        """Keeps `value` under `key` (noting it when `capped`) unless the table defines none; returns it."""
        if value is not None:
            self.values[key] = value
            if capped:
                self.capped.append(key)
        return value

    def peak(self) -> tuple[int, list[str]] | None:
        """(the AQI: the largest sub-index, the keys tying at it), or None when nothing was indexed."""
        if not self.values:
            return None
        top = max(self.values.values())
        return top, [k for k, v in self.values.items() if v == top]

    def result(self, details: dict[str, object], level_of: Callable[[int], Level]) -> IndexResult:
        """The AQI as an IndexResult, `details` completed with main_pollutants (the keys tying at it).

        Value and level None, and no main pollutant, when nothing was indexed (the US AQI and its
        NowCast; the China AQI names primary pollutants by its own rule).
        """
        peak = self.peak()
        if peak is None:
            details["main_pollutants"] = []
            return IndexResult(value=None, level=None, details=details)
        aqi, details["main_pollutants"] = peak
        return IndexResult(value=float(aqi), level=level_of(aqi), details=details)
