"""The per-pollutant sub-indices an air quality index is the largest of (China's IAQI, the US sub-index).

Both HJ 633 (IAQI) and 40 CFR 58 App. G (sub-index) report the AQI as the largest sub-index and
name the pollutants tying at it; a sub-index beyond a table's top is held there ("capped"), and a
pollutant a table does not cover is reported with the reason ("not indexed"). Which of the index's
pollutants were indexed and which had no data at all is reported too (docs/standards.md §1.1), so
an AQI of PM2.5 alone is never taken for a complete one.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

from domains.model import IndexResult, Level

POLLUTANT_SYMBOLS: dict[str, str] = {
    "so2": "SO2",
    "no2": "NO2",
    "co": "CO",
    "o3": "O3",
    "pm25": "PM2.5",
    "pm10": "PM10",
}
"""The six pollutants both AQIs are built from (HJ 633-2012 §5; 40 CFR 58 App. G), by metric name,
with the symbol operators read (the same in both languages)."""

POLLUTANTS: tuple[str, ...] = tuple(POLLUTANT_SYMBOLS)


def pollutant_of(key: str) -> str:
    """The pollutant (metric name) of a sub-index key: "so2_1h" → "so2", "pm25" → "pm25"."""
    return key.split("_", 1)[0]


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

    def coverage(self, given: Collection[str], pollutants: Sequence[str] = POLLUTANTS) -> dict[str, object]:
        """Which of `pollutants` the AQI stands on: the details keys ``indexed``, ``missing``, ``complete``.

        - ``indexed``: pollutants with at least one sub-index (at any averaging time);
        - ``missing``: pollutants with no data at all (not in `given`, the pollutants that had a value);
        - ``complete``: every pollutant indexed. A pollutant given but not indexed (a short row's
          end, see ``not_indexed``) is neither indexed nor missing, and makes the AQI incomplete;
        - ``coverage_en`` / ``coverage_zh``: when incomplete, a note for operators, e.g.
          "PM2.5 only; missing SO2, NO2, CO, O3, PM10" / "仅PM2.5；缺SO2、NO2、CO、O3、PM10".
        """
        return coverage({pollutant_of(k) for k in self.values}, given, pollutants)

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


def coverage(
    have: Collection[str], given: Collection[str], pollutants: Sequence[str] = POLLUTANTS
) -> dict[str, object]:
    """:meth:`SubIndices.coverage` from the pollutants with a sub-index (`have`) and those with data
    (`given`): also how a caller that left some data out (an invalid period) restates it."""
    indexed = [p for p in pollutants if p in have]
    missing = [p for p in pollutants if p not in given]
    unindexed = [p for p in pollutants if p in given and p not in have]
    out: dict[str, object] = {
        "indexed": indexed,
        "missing": missing,
        "complete": len(indexed) == len(pollutants),
    }
    if len(indexed) < len(pollutants):
        out.update(_note(indexed, missing, unindexed))
    return out


def _note(indexed: list[str], missing: list[str], unindexed: list[str]) -> dict[str, str]:
    def names(ps: list[str], sep: str) -> str:
        return sep.join(POLLUTANT_SYMBOLS.get(p, p) for p in ps)

    en = [f"{names(indexed, ', ')} only" if indexed else "no pollutant indexed"]
    zh = [f"仅{names(indexed, '、')}" if indexed else "无可计算的污染物"]
    if missing:
        en.append(f"missing {names(missing, ', ')}")
        zh.append(f"缺{names(missing, '、')}")
    if unindexed:
        en.append(f"not indexed: {names(unindexed, ', ')}")
        zh.append(f"未计入{names(unindexed, '、')}")
    return {"coverage_en": "; ".join(en), "coverage_zh": "；".join(zh)}
