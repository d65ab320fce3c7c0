"""SO2 at the two averaging times a real-time AQI needs: the newest clock-hour mean and the 24-hour mean.

HJ 633-2012 Table 1 note: a 1-hour SO2 concentration above 800 µg/m³ has no 1-hour IAQI, and SO2
is then indexed by its 24-hour mean; 40 CFR 58 App. G likewise indexes 1-hour SO2 from 305 ppb by
the 24-hour average (docs/standards.md §1.1, §1.2). An index receives one window per metric, so
SO2 is read as its clock-hour means (``Window.HOURLY_MEANS``), as ozone is, and both values are
taken from them: the 1-hour value is the newest hour's mean, the 24-hour value the mean of the
hourly means of the 24 clock hours ending at that hour (HJ 633 daily values are means of hourly
means). The US AQI reads SO2 so; the China real-time AQI takes both values through the
data-validity screen instead (:class:`domains.environment.validity.Screen`, docs/standards.md §1.4).
"""

from __future__ import annotations

from collections.abc import Mapping

from domains.environment.ozone_averages import clock_hour_means, hours_ending
from domains.inputs import read_series

DAY_HOURS = 24


def so2_from_hourly_means(means: Mapping[int, float]) -> tuple[float | None, float | None]:
    """(newest 1-h mean, 24-h mean of the hourly means ending at that hour); (None, None) if empty."""
    if not means:
        return None, None
    last = max(means)
    day = [v for v in hours_ending(means, last, DAY_HOURS) if v is not None]
    return means[last], sum(day) / len(day)


def read_so2_hourly(values: Mapping[str, object]) -> tuple[float | None, float | None]:
    """:func:`so2_from_hourly_means` of the "so2" series an AQI reads; (None, None) without one.

    The series may be raw readings or the (hour start, mean) points of ``Window.HOURLY_MEANS``:
    either is bucketed into clock hours.
    """
    so2 = read_series(values, "so2", minimum=0.0)
    return (None, None) if so2 is None else so2_from_hourly_means(clock_hour_means(so2))
