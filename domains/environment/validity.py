"""Data validity (GB 3095-2012 §8, HJ 663-2013, EPA 75 %): which hourly, 8-h and 24-h values count.

docs/standards.md §1.4. An AQI reads each pollutant as clock-hour means (``Window.HOURLY_MEANS``)
beside the minutes of sampling behind each hour (``Window.HOURLY_MINUTES``, under the key
``"<metric>:minutes"``). An hour is valid with at least 45 minutes of sampling; a 24-hour mean
needs 20 valid hours (EPA: 18, i.e. 75 %); an 8-hour ozone mean 6 valid hours; the day's maximum
8-hour ozone 14 valid 8-hour means, unless it exceeds the limit anyway. A period that fails is not
indexed; the AQI lists it under ``invalid`` with a bilingual reason ("PM2.5 24 h: 17 of 20 required
hours" / "PM2.5 24小时：有效小时 17，需 20").

A device that reports every N minutes leaves one minute with data per reading, yet samples the
whole interval: each minute with data stands for ``report_interval_s`` (a device setting, default
60 s) of sampling, at most 60 minutes an hour. A pollutant given as a plain number (a caller that
averaged it already), or as hourly means without their minutes, is taken as given: its sampling
time is unknown, so only the hour counts are checked.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from domains.environment.ozone_averages import (
    HOUR_S,
    O3_8H_HOURS,
    O3_8H_MIN_VALID_HOURS,
    clock_hour_means,
    o3_8h_moving_average,
)
from domains.environment.sub_indices import POLLUTANT_SYMBOLS, POLLUTANTS, coverage, pollutant_of
from domains.inputs import as_number, as_series, read_number
from domains.model import IndexInput, IndexResult, IndexSpec, InvalidInputError, Text, Window, input_key

HOUR_MIN_MINUTES = 45
"""GB 3095-2012 §8, Table 4: an hourly mean needs at least 45 minutes of sampling in the hour
(docs/standards.md §1.4)."""
DAY_MIN_HOURS = 20
"""GB 3095-2012 §8, Table 4: a 24-hour mean of SO2, NO2, CO, PM10, PM2.5 needs at least 20 hourly
means (docs/standards.md §1.4)."""
O3_8H_MIN_HOURS = O3_8H_MIN_VALID_HOURS
"""GB 3095-2012 §8, Table 4: an 8-hour ozone mean needs at least 6 hourly means of its 8."""
O3_DAY_MIN_WINDOWS = 14
"""HJ 663-2013 (data statistics): the day's maximum 8-hour ozone needs at least 14 valid 8-hour
means among the 17 lying inside the day (docs/standards.md §1.4)."""
O3_8H_LIMIT = 160.0
"""µg/m³, GB 3095-2012 Table 1, grade II limit of the ozone daily maximum 8-hour mean. HJ 663-2013:
a daily maximum above the limit stands even with fewer than 14 valid 8-hour means [verify]."""
US_DAY_MIN_HOURS = 18
"""EPA completeness of a 24-hour average: at least 75 % of the 24 hours, i.e. 18 (40 CFR 50
Appendix N for PM2.5, clause [verify]; docs/standards.md §1.4)."""
HOURS_PER_DAY = 24
DEFAULT_REPORT_INTERVAL_S = 60.0
"""A device without the ``report_interval_s`` setting is taken to report every minute, so its
sampling time is its count of minutes with data (docs/standards.md §1.4)."""


def covered_minutes(minutes_with_data: float, report_interval_s: float = DEFAULT_REPORT_INTERVAL_S) -> float:
    """Minutes of sampling in an hour with `minutes_with_data` distinct minutes of readings.

    Each minute with data stands for one reporting interval (never less than a minute); an hour
    holds at most 60.
    """
    n = as_number("minutes with data", minutes_with_data, minimum=0.0)
    interval = as_number("report_interval_s", report_interval_s, minimum=0.0)
    if interval <= 0:
        raise InvalidInputError(f"report_interval_s must be above 0, got {interval}")
    return min(60.0, n * max(1.0, interval / 60.0))


def hour_is_valid(minutes: float) -> bool:
    """GB 3095-2012 Table 4: an hourly mean counts with at least 45 minutes of sampling."""
    return minutes >= HOUR_MIN_MINUTES


@dataclass(frozen=True)
class Hours:
    """One pollutant's clock hours as an AQI reads them: means and sampling minutes by hour number.

    `minutes` is None when the sampling time is unknown (every hour with a mean counts); `last` is
    the newest hour of the window read (the current clock hour when minutes are known).
    """

    means: Mapping[int, float]
    minutes: Mapping[int, float] | None
    last: int

    def valid(self, hour: int) -> bool:
        if hour not in self.means:
            return False
        return self.minutes is None or hour_is_valid(self.minutes.get(hour, 0.0))

    def span(self, last: int, count: int) -> list[int]:
        return list(range(last - count + 1, last + 1))

    def valid_means(self, hours: Sequence[int]) -> list[float | None]:
        return [self.means[h] if self.valid(h) else None for h in hours]


def read_hours(values: Mapping[str, object], metric: str) -> Hours | None:
    """`metric`'s hourly means (and their sampling minutes when given) from an index's inputs."""
    raw = values.get(metric)
    if raw is None:
        return None
    means = clock_hour_means(as_series(metric, raw, minimum=0.0))
    counts = values.get(input_key(metric, Window.HOURLY_MINUTES))
    if counts is None:
        return Hours(means, None, max(means)) if means else None
    interval = read_number(values, "report_interval_s") or DEFAULT_REPORT_INTERVAL_S
    slots = as_series(f"{metric} minutes", counts, minimum=0.0)
    if not slots:
        return Hours(means, None, max(means)) if means else None
    minutes = {math.floor(t / HOUR_S): covered_minutes(n, interval) for t, n in slots}
    return Hours(means, minutes, max(minutes))


def _reason(metric: str, period: tuple[str, str], have: int, need: int, unit: tuple[str, str]) -> Text:
    name = POLLUTANT_SYMBOLS.get(metric, metric)
    return Text(
        en=f"{name} {period[0]}: {have} of {need} required {unit[0]}",
        zh=f"{name} {period[1]}：有效{unit[1]} {have}，需 {need}",
    )


_HOURS = ("hours", "小时")
_MINUTES = ("minutes", "分钟")
_EIGHTS = ("8-hour means", "8小时均值")


@dataclass
class Screen:
    """The valid periods an AQI computation may index, and why the others were left out.

    Each method returns the value to index (None when the pollutant has no data, or its period is
    not valid) and notes an invalid period under the AQI's key; :meth:`annotate` adds them to the
    result's details as ``invalid: {key: {"en": ..., "zh": ...}}``.
    """

    values: Mapping[str, object]
    invalid: dict[str, Text] = field(default_factory=dict)

    def _number(self, metric: str) -> float | None:
        raw = self.values.get(metric)
        if raw is None or isinstance(raw, Sequence):
            return None
        return as_number(metric, raw, minimum=0.0)

    def _hour(self, hours: Hours) -> int | None:
        """The hour a 1-hour value is taken from, noting nothing; None when neither is valid."""
        candidates = [hours.last] if hours.minutes is None else [hours.last, hours.last - 1]
        return next((h for h in candidates if hours.valid(h)), None)

    def _hour_noted(self, metric: str, key: str, hours: Hours) -> int | None:
        found = self._hour(hours)
        if found is None and hours.minutes is not None:
            newest = next((h for h in (hours.last, hours.last - 1) if h in hours.means), None)
            if newest is not None:
                have = math.floor(hours.minutes.get(newest, 0.0))
                self.invalid[key] = _reason(metric, ("1 h", "1小时"), have, HOUR_MIN_MINUTES, _MINUTES)
        return found

    def one_hour(self, metric: str, key: str) -> float | None:
        """The newest valid hourly mean: of the current clock hour, else of the previous one (the
        current hour counts once it has 45 minutes of sampling); noting why when the newest of
        them with data lacks its 45 minutes."""
        given = self._number(metric)
        hours = read_hours(self.values, metric) if given is None else None
        if hours is None:
            return given
        found = self._hour_noted(metric, key, hours)
        return None if found is None else hours.means[found]

    def day_mean(
        self, metric: str, key: str, *, min_hours: int = DAY_MIN_HOURS, hours_only: bool = False
    ) -> float | None:
        """The mean of the valid hourly means of the 24 clock hours ending at the newest one, when
        at least `min_hours` are valid (GB 3095: 20; EPA: 18). A plain number is taken as the mean,
        unless `hours_only` (a real-time AQI's plain number is a 1-hour value, no 24-hour mean)."""
        given = self._number(metric)
        if given is not None and hours_only:
            return None
        hours = read_hours(self.values, metric) if given is None else None
        if hours is None:
            return given
        valid = [v for v in hours.valid_means(hours.span(hours.last, HOURS_PER_DAY)) if v is not None]
        if len(valid) < min_hours:
            self.invalid[key] = _reason(metric, ("24 h", "24小时"), len(valid), min_hours, _HOURS)
            return None
        return sum(valid) / len(valid)

    def o3_latest(self, key_1h: str, key_8h: str) -> tuple[float | None, float | None]:
        """(O3 1-hour value, 8-hour mean ending at that hour), each None when not valid."""
        hours = read_hours(self.values, "o3")
        if hours is None:
            return None, None
        found = self._hour_noted("o3", key_1h, hours)
        end = hours.last if found is None else found
        window = hours.valid_means(hours.span(end, O3_8H_HOURS))
        eight = o3_8h_moving_average(window)
        if eight is None:
            have = sum(v is not None for v in window)
            self.invalid[key_8h] = _reason("o3", ("8 h", "8小时"), have, O3_8H_MIN_HOURS, _HOURS)
        return (None if found is None else hours.means[found]), eight

    def o3_daily(self, key_1h: str, key_8h: str) -> tuple[float | None, float | None]:
        """(the day's maximum valid O3 hourly mean, its maximum 8-hour mean) over the 24 clock hours
        ending at the newest one. The maximum 8-hour mean is taken over the 17 eight-hour windows
        inside the day, each needing 6 valid hours, and counts with 14 valid windows, or with fewer
        when it exceeds the GB 3095 grade II limit (HJ 663-2013)."""
        hours = read_hours(self.values, "o3")
        if hours is None:
            return None, None
        day = hours.valid_means(hours.span(hours.last, HOURS_PER_DAY))
        max_1h = max((v for v in day if v is not None), default=None)
        ends = range(O3_8H_HOURS, len(day) + 1)
        eights = [o3_8h_moving_average(day[end - O3_8H_HOURS : end]) for end in ends]
        valid = [v for v in eights if v is not None]
        max_8h = max(valid, default=None)
        if len(valid) >= O3_DAY_MIN_WINDOWS or (max_8h is not None and max_8h > O3_8H_LIMIT):
            return max_1h, max_8h
        self.invalid[key_8h] = _reason(
            "o3", ("daily max 8 h", "日最大8小时"), len(valid), O3_DAY_MIN_WINDOWS, _EIGHTS
        )
        return max_1h, None

    def annotate(self, result: IndexResult) -> IndexResult | None:
        """`result` with ``invalid`` in its details; None when nothing was indexed and nothing was invalid.

        A pollutant left out for an invalid period had data: when the result tells its coverage
        (``indexed``, ``missing``), the pollutant is moved from ``missing`` to "not indexed" (the
        coverage note names it so), and the AQI is not ``complete``.
        """
        if result.value is None and not self.invalid:
            return None
        details = dict(result.details)
        details["invalid"] = {k: {"en": t.en, "zh": t.zh} for k, t in self.invalid.items()}
        indexed, missing = details.get("indexed"), details.get("missing")
        if isinstance(indexed, list) and isinstance(missing, list) and self.invalid:
            had_data = {pollutant_of(k) for k in self.invalid}
            given = [p for p in POLLUTANTS if p not in missing or p in had_data]
            details.update(coverage(indexed, given))
        return IndexResult(value=result.value, level=result.level, details=details)


def completeness(values: Mapping[str, object]) -> IndexResult | None:
    """Per pollutant, the valid hours of the last 24 clock hours against those expected.

    Reads each pollutant's ``HOURLY_MINUTES`` window (key ``"<metric>:minutes"``) and the device's
    ``report_interval_s``. ``details["pollutants"][metric]``: valid_hours, expected_hours (24),
    hours_with_data, required_hours_cn (20) and day_valid_cn, required_hours_us (18) and
    day_valid_us, current_hour_minutes and previous_hour_minutes (of sampling). The value is the
    fewest valid hours of any pollutant; None when no pollutant has data. The current clock hour
    counts once it has its 45 minutes, so a complete station shows 23 or 24.
    """
    interval = read_number(values, "report_interval_s") or DEFAULT_REPORT_INTERVAL_S
    found: dict[str, dict[str, object]] = {}
    valid_hours: list[int] = []
    for metric in POLLUTANTS:
        raw = values.get(input_key(metric, Window.HOURLY_MINUTES))
        if raw is None:
            continue
        covered = [covered_minutes(n, interval) for _, n in as_series(f"{metric} minutes", raw, minimum=0.0)]
        if not covered:
            continue
        valid = sum(hour_is_valid(c) for c in covered)
        valid_hours.append(valid)
        found[metric] = {
            "valid_hours": valid,
            "expected_hours": HOURS_PER_DAY,
            "hours_with_data": sum(c > 0 for c in covered),
            "required_hours_cn": DAY_MIN_HOURS,
            "day_valid_cn": valid >= DAY_MIN_HOURS,
            "required_hours_us": US_DAY_MIN_HOURS,
            "day_valid_us": valid >= US_DAY_MIN_HOURS,
            "current_hour_minutes": covered[-1],
            "previous_hour_minutes": covered[-2] if len(covered) > 1 else 0.0,
        }
    if not found:
        return None
    details: dict[str, object] = {"pollutants": found, "report_interval_s": interval}
    return IndexResult(value=float(min(valid_hours)), level=None, details=details)


_SAMPLING = tuple(IndexInput(m, Window.HOURLY_MINUTES) for m in POLLUTANTS)
DATA_COMPLETENESS = IndexSpec(
    "data_completeness",
    Text(en="Data completeness (valid hours of the last 24)", zh="数据完整性（近24小时有效小时数）"),
    _SAMPLING,
    completeness,
    "GB 3095-2012 §8 Table 4 (hour: 45 min; 24 h: 20 hours), EPA 75 % (18 hours) (docs/standards.md §1.4)",
    unit="h",
)
"""Served per station by ``GET /indices/environment/data_completeness``."""
