"""The values of the windows a rule reads (its kind says which: `domains.rule_kinds`), from the store.

Windows end at the evaluation time, on the database's clock. Hourly windows come from the 1-hour
rollup, which holds good readings only; raw windows skip readings flagged bad (docs/standards.md
§7: bad readings are stored, flagged, and left out).

- LATEST: the newest good reading, unless it is older than `alerts_max_age_s`.
- AVG_1H: the mean of the newest clock hour with data, the current or the previous one (HJ 633
  real-time values are hourly means; the current hour counts as soon as it has readings).
- AVG_24H, MOVING_AVG_8H: the mean of the hourly means of the last 24 / 8 clock hours, the
  current one included (HJ 633 daily and 8-hour values are means of hourly means).
- MIN_24H, MAX_24H: extremes of the last 24 clock hours.
- HOURLY_MEANS: the clock-hour means of the last 24 clock hours as (hour start, mean) points,
  oldest first — what an index that needs both the 1-h and the 8-h value of one metric reads (O3).
- HOURLY_MINUTES: (hour start, distinct minutes with data) of each of the last 24 clock hours,
  oldest first, 0 for an hour without data, from the 1-minute rollup; None when none of them has
  data (the sampling time behind each hourly mean, for the data-validity rules of §1.4).
- SERIES: raw points, the newest `params["points"]`, or those of the last `params["series_s"]`
  seconds, else of the last day (the longest any index reads: daily ozone, a pond's oxygen day);
  never more than `alerts_series_max_points`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from domains.model import Window
from domains.rule_kinds.base import DEFAULT_SERIES_S, HOUR_S, WindowRead, WindowValue
from store.windows import HourBucket, Point, PointsRequest

_HOURLY = frozenset(
    {Window.AVG_1H, Window.AVG_24H, Window.MOVING_AVG_8H, Window.MIN_24H, Window.MAX_24H, Window.HOURLY_MEANS}
)
_HOURS = {Window.AVG_24H: 24, Window.MOVING_AVG_8H: 8, Window.MIN_24H: 24, Window.MAX_24H: 24}
HOURLY_REACH_S = 23 * HOUR_S  # buckets back from the current hour that any hourly window reads


def _hour_start(epoch_s: float) -> float:
    return math.floor(epoch_s / HOUR_S) * HOUR_S


def points_request(read: WindowRead, series_id: int, now: float, max_points: int) -> PointsRequest:
    """The raw-points query behind a SERIES read."""
    if read.points is not None:
        return PointsRequest(series_id, 0.0, min(read.points, max_points))
    return PointsRequest(series_id, now - (read.span_s or DEFAULT_SERIES_S), max_points)


@dataclass(frozen=True)
class Plan:
    """The store queries one evaluation pass needs."""

    latest: frozenset[int]
    hourly: frozenset[int]
    points: frozenset[PointsRequest]
    minutes: frozenset[int] = frozenset()


def plan_reads(reads: Iterable[tuple[int, WindowRead]], now: float, max_points: int) -> Plan:
    """Group (series id, read) pairs into one query per kind of storage."""
    latest: set[int] = set()
    hourly: set[int] = set()
    points: set[PointsRequest] = set()
    minutes: set[int] = set()
    for sid, read in reads:
        if read.window is Window.LATEST:
            latest.add(sid)
        elif read.window is Window.HOURLY_MINUTES:
            minutes.add(sid)
        elif read.window in _HOURLY:
            hourly.add(sid)
        else:
            points.add(points_request(read, sid, now, max_points))
    return Plan(frozenset(latest), frozenset(hourly), frozenset(points), frozenset(minutes))


def hourly_since(now: float) -> float:
    """The oldest rollup bucket any hourly window reads."""
    return _hour_start(now) - HOURLY_REACH_S


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def hourly_means(buckets: Sequence[HourBucket], now: float) -> tuple[Point, ...] | None:
    """The HOURLY_MEANS window: (hour start, mean) of the last 24 clock hours with data, oldest first."""
    first = _hour_start(now) - HOURLY_REACH_S
    means = tuple(
        (b.start, b.sum / b.count)
        for b in sorted(buckets, key=lambda b: b.start)
        if b.start >= first and b.count > 0
    )
    return means or None


def hourly_value(window: Window, buckets: Sequence[HourBucket], now: float) -> float | None:
    """An hourly window's value from a series' 1-hour buckets (None without data in it)."""
    current = _hour_start(now)
    if window is Window.AVG_1H:
        recent = [b for b in buckets if b.start >= current - HOUR_S and b.count > 0]
        newest = max(recent, key=lambda b: b.start, default=None)
        return None if newest is None else newest.sum / newest.count
    first = current - (_HOURS[window] - 1) * HOUR_S
    inside = [b for b in buckets if b.start >= first and b.count > 0]
    if not inside:
        return None
    if window is Window.MIN_24H:
        return min(b.min for b in inside)
    if window is Window.MAX_24H:
        return max(b.max for b in inside)
    return _mean([b.sum / b.count for b in inside])


def hourly_minutes(counts: Sequence[tuple[float, int]], now: float) -> tuple[Point, ...] | None:
    """The HOURLY_MINUTES window: (hour start, minutes with data) of each of the last 24 clock
    hours, oldest first, the current hour last; None when no hour of them has data."""
    by_hour = {start: minutes for start, minutes in counts}
    first = _hour_start(now) - HOURLY_REACH_S
    slots = tuple((first + i * HOUR_S, float(by_hour.get(first + i * HOUR_S, 0))) for i in range(24))
    return slots if any(m for _, m in slots) else None


@dataclass(frozen=True)
class Readings:
    """What the store returned for one evaluation pass, and the window values made of it."""

    now: float
    max_points: int
    latest: Mapping[int, tuple[float, float]]
    hourly: Mapping[int, Sequence[HourBucket]]
    points: Mapping[PointsRequest, Sequence[Point]]
    minutes: Mapping[int, Sequence[tuple[float, int]]] = field(default_factory=dict)

    def value(self, read: WindowRead, series_id: int) -> WindowValue | None:
        """The value of one read of one series, None when there is no data in the window."""
        if read.window is Window.LATEST:
            newest = self.latest.get(series_id)
            return None if newest is None else newest[1]
        if read.window is Window.HOURLY_MINUTES:
            return hourly_minutes(self.minutes.get(series_id, ()), self.now)
        if read.window is Window.HOURLY_MEANS:
            return hourly_means(self.hourly.get(series_id, ()), self.now)
        if read.window in _HOURLY:
            return hourly_value(read.window, self.hourly.get(series_id, ()), self.now)
        found = self.points.get(points_request(read, series_id, self.now, self.max_points))
        return tuple(found) if found else None
