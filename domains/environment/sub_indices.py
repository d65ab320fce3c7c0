"""The per-pollutant sub-indices an air quality index is the largest of (China's IAQI, the US sub-index).

Both HJ 633 (IAQI) and 40 CFR 58 App. G (sub-index) report the AQI as the largest sub-index and
name the pollutants tying at it; a sub-index beyond a table's top is held there ("capped"), and a
pollutant a table does not cover is reported with the reason ("not indexed").
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
