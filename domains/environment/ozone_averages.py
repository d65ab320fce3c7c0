"""Ozone at the averaging times an AQI reads: clock-hour means and 8-hour moving averages of an O3 series.

docs/standards.md §1.1. Used by both the China (HJ 633) and the US (EPA) AQI.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from domains.inputs import Point, as_series, read_series
from domains.model import InvalidInputError, require_finite

O3_8H_HOURS = 8
O3_8H_MIN_VALID_HOURS = 6
"""Hours an 8-h moving average needs: at least 6 valid hourly values of the 8 (the reference's
practice, from the data-validity rule of GB 3095-2012 §8, Table 4); a parameter, not a constant."""


def o3_8h_moving_average(
    hourly: Sequence[float | None], *, min_valid_hours: int = O3_8H_MIN_VALID_HOURS
) -> float | None:
    """The O3 8-h moving average ending at the last of `hourly` (oldest first; None = missing hour).

    Uses the last 8 entries (fewer count as missing); None when fewer than `min_valid_hours` of
    them are valid. Negative or non-finite hourly values raise InvalidInputError.
    """
    if not 1 <= min_valid_hours <= O3_8H_HOURS:
        raise InvalidInputError(f"min_valid_hours must be 1..{O3_8H_HOURS}, got {min_valid_hours}")
    window = list(hourly)[-O3_8H_HOURS:]
    valid = [require_finite("hourly O3", v, minimum=0.0) for v in window if v is not None]
    if len(valid) < min_valid_hours:
        return None
    return sum(valid) / len(valid)


HOUR_S = 3600


def hourly_means(series: Sequence[Point]) -> dict[int, float]:
    """Clock-hour means of an O3 series: {hour number (epoch // 3600): mean}.

    An hour holds the points stamped within it. Rejects anything that is not a sequence of
    (epoch seconds, value) pairs of finite numbers, and negative values, with InvalidInputError.
    """
    return clock_hour_means(as_series("o3", series, minimum=0.0))


def clock_hour_means(points: Sequence[Point]) -> dict[int, float]:
    """:func:`hourly_means` of points already read by ``as_series`` / ``read_series`` (time-ordered).

    For an index that has read its series once: a second check of 1,440 points would cost as much
    as the bucketing itself.
    """
    # One pass: the points are in time order, so each hour is one run. Each hour's sum is added up
    # in time order, as a per-hour accumulator would, so the means are the same floats.
    means: dict[int, float] = {}
    hour, total, count = 0, 0.0, 0
    for t, v in points:
        h = math.floor(t / HOUR_S)
        if count and h != hour:
            means[hour] = total / count
            total, count = 0.0, 0
        hour = h
        total += v
        count += 1
    if count:
        means[hour] = total / count
    return means


def hours_ending(means: Mapping[int, float], last_hour: int, count: int) -> list[float | None]:
    """The means of the `count` clock hours ending at `last_hour`, oldest first (None: no data)."""
    return [means.get(h) for h in range(last_hour - count + 1, last_hour + 1)]


def o3_from_series(
    series: Sequence[Point], *, min_valid_hours: int = O3_8H_MIN_VALID_HOURS
) -> tuple[float | None, float | None]:
    """(latest 1-h mean, 8-h moving average ending at that hour) of an O3 series; (None, None) if empty."""
    return o3_from_hourly_means(hourly_means(series), min_valid_hours=min_valid_hours)


def o3_from_hourly_means(
    means: Mapping[int, float], *, min_valid_hours: int = O3_8H_MIN_VALID_HOURS
) -> tuple[float | None, float | None]:
    """:func:`o3_from_series` from the series' clock-hour means ({hour number: mean})."""
    if not means:
        return None, None
    last = max(means)
    window = hours_ending(means, last, O3_8H_HOURS)
    return means[last], o3_8h_moving_average(window, min_valid_hours=min_valid_hours)


def o3_daily_from_series(
    series: Sequence[Point], *, min_valid_hours: int = O3_8H_MIN_VALID_HOURS
) -> tuple[float | None, float | None]:
    """(max 1-h mean, max 8-h moving average) over the 24 clock hours ending at the series' last hour.

    The 8-h averages are the 17 whose 8 hours all lie in those 24 (the daily maximum 8-h value is
    taken over windows inside the day, as in Chinese reporting practice); each needs
    `min_valid_hours` valid hours.
    """
    return o3_daily_from_hourly_means(hourly_means(series), min_valid_hours=min_valid_hours)


def o3_daily_from_hourly_means(
    means: Mapping[int, float], *, min_valid_hours: int = O3_8H_MIN_VALID_HOURS
) -> tuple[float | None, float | None]:
    """:func:`o3_daily_from_series` from the series' clock-hour means ({hour number: mean})."""
    if not means:
        return None, None
    last = max(means)
    day = hours_ending(means, last, 24)
    max_1h = max((v for v in day if v is not None), default=None)
    # Each 8-h average is summed afresh rather than as a running sum: adding the new hour and
    # subtracting the old one rounds differently, and 17 windows of 8 cost next to nothing.
    eights = (
        o3_8h_moving_average(day[end - O3_8H_HOURS : end], min_valid_hours=min_valid_hours)
        for end in range(O3_8H_HOURS, len(day) + 1)
    )
    max_8h = max((v for v in eights if v is not None), default=None)
    return max_1h, max_8h


def read_o3_latest(values: Mapping[str, object]) -> tuple[float | None, float | None]:
    """:func:`o3_from_hourly_means` of the "o3" series an AQI index reads; (None, None) without one."""
    o3 = read_series(values, "o3", minimum=0.0)
    return (None, None) if o3 is None else o3_from_hourly_means(clock_hour_means(o3))


def read_o3_daily(values: Mapping[str, object]) -> tuple[float | None, float | None]:
    """:func:`o3_daily_from_hourly_means` of the "o3" series a daily AQI reads; (None, None) without one."""
    o3 = read_series(values, "o3", minimum=0.0)
    return (None, None) if o3 is None else o3_daily_from_hourly_means(clock_hour_means(o3))
