"""US EPA NowCast: the real-time AQI AirNow publishes, from weighted averages of recent hourly means.

docs/standards.md §1.2.1. PM2.5 and PM10: EPA's NowCast over the last 12 hours with the weight
factor floored at 0.5 (AirNow "How is the NowCast algorithm used to report current air quality?";
AirNow-Tech "The NowCast for PM2.5 and PM10"). Ozone: AirNow's weighted NowCast over the last
8 hours with no floor (AirNow-Tech "AirNow Updates to Ozone Real-time Reporting", 2016-04-21);
AirNow replaced it on 2019-08-01 by a regression over two weeks of hours, which the platform does
not reproduce (§1.2.1 says why). Each NowCast is then truncated and looked up in the AQI table of
40 CFR 58 App. G (:mod:`domains.environment.aqi_us`), as the daily value would be.

Arithmetic is exact (fractions of the values as written), so the truncation before the lookup is
not moved across a boundary by float error.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from domains.environment.aqi_us import (
    LEVELS,
    MOLAR_MASS_G,
    MOLAR_VOLUME_L,
    UsRow,
    is_capped,
    level,
    sub_index,
    truncate,
)
from domains.environment.ozone_averages import HOUR_S
from domains.environment.sub_indices import SubIndices
from domains.inputs import EVALUATED_AT, Point, read_number, read_series
from domains.model import IndexInput, IndexResult, IndexSpec, Text, Window, require_finite


@dataclass(frozen=True)
class Method:
    """One NowCast: how many hours it averages and the floor of its weight factor (None: no floor)."""

    hours: int
    min_weight: Fraction | None


# AirNow / AirNow-Tech (docs/standards.md §1.2.1): PM over 12 hours, weight factor at least 0.5
# ("the minimum limit approximates a 3-hour average"); ozone over 8 hours, no minimum.
PM = Method(hours=12, min_weight=Fraction(1, 2))
OZONE = Method(hours=8, min_weight=None)

RECENT_HOURS = 3
MIN_RECENT_VALID = 2
"""AirNow's only completeness rule for a NowCast: 2 of the 3 most recent hours must be valid."""


def weight_factor(values: Sequence[float], method: Method) -> Fraction:
    """w = 1 − (max − min)/max = min/max of the valid hourly values, floored at `method.min_weight`.

    All-zero hours (max 0) change not at all: w = 1, the plain average.
    """
    exact = [_exact(v) for v in values]
    top = max(exact)
    w = Fraction(1) if top == 0 else min(exact) / top
    return w if method.min_weight is None else max(w, method.min_weight)


def nowcast(recent: Sequence[float | None], method: Method) -> Fraction | None:
    """The NowCast concentration from hourly means, `recent[0]` the most recent hour (None: missing).

    Σ w^i·c_i / Σ w^i over the valid hours among the first `method.hours`, i = hours ago, so a
    missing hour leaves its weight out and later hours keep theirs. None when fewer than 2 of the
    3 most recent hours are valid. Negative or non-finite values raise InvalidInputError.
    """
    window = list(recent)[: method.hours]
    if sum(v is not None for v in window[:RECENT_HOURS]) < MIN_RECENT_VALID:
        return None
    valid = [(i, v) for i, v in enumerate(window) if v is not None]
    w = weight_factor([v for _, v in valid], method)
    numerator, denominator = Fraction(0), Fraction(0)
    for i, v in valid:
        weight = Fraction(w) ** i
        numerator += weight * _exact(v)
        denominator += weight
    return numerator / denominator


def _exact(value: float) -> Fraction:
    return Fraction(repr(require_finite("hourly concentration", value, minimum=0.0)))


def hours_back(series: Sequence[Point], now: float | None, count: int) -> list[float | None]:
    """The hourly means of `series` ((hour start, mean) points) for the `count` clock hours ending at
    the hour holding `now`, most recent first; without `now`, ending at the newest hour with data."""
    means = {math.floor(t / HOUR_S): v for t, v in series}
    if now is None and not means:
        return [None] * count
    last = math.floor(now / HOUR_S) if now is not None else max(means)
    return [means.get(last - i) for i in range(count)]


# --- the index: AirNow's current AQI from PM2.5, PM10 and O3 -----------------------------------

_PPM_PER_UGM3_O3 = Fraction(repr(MOLAR_VOLUME_L)) / Fraction(repr(MOLAR_MASS_G["o3"])) / 1000
"""ppm of ozone per µg/m³ at 25 °C, 1 atm (aqi_us's conversion, exact)."""

_POLLUTANTS: tuple[tuple[str, Method, UsRow], ...] = (
    ("pm25", PM, UsRow.PM25_24H),  # the NowCast stands in for the 24-h mean (App. G Table 2 row)
    ("pm10", PM, UsRow.PM10_24H),
    ("o3", OZONE, UsRow.O3_8H),  # and for the 8-h ozone average
)
_NAMES = {"pm25": "PM2.5", "pm10": "PM10", "o3": "O3"}


def _as_float(value: Fraction) -> float:
    """`value` cut (not rounded) to 6 decimals as a float, so aqi_us's truncation sees the exact digits."""
    return float(Decimal(math.floor(value * 10**6)) / 10**6)


def aqi_nowcast(
    *,
    pm25: Sequence[float | None] = (),
    pm10: Sequence[float | None] = (),
    o3: Sequence[float | None] = (),
) -> IndexResult:
    """AirNow's current AQI from the hourly means of each pollutant, most recent hour first.

    PM in µg/m³, O3 in ppm. Each pollutant's NowCast is truncated and indexed on the 24-h PM rows
    or the 8-h ozone row of App. G Table 2; ozone NowCasts above 0.200 ppm, which that row does not
    cover, are indexed on the 1-h row from the most recent hourly mean (App. G Table 2 note).

    ``details``: nowcast {key: concentration, EPA units, truncated}, weight_factor {key: w},
    sub_indices {key: int}, main_pollutants, indexed, missing, capped, not_indexed {key: reason}.
    Value None (no level) when no pollutant has a valid NowCast.
    """
    got = SubIndices()
    concentrations: dict[str, float] = {}
    weights: dict[str, float] = {}
    for key, method, row in _POLLUTANTS:
        recent = {"pm25": pm25, "pm10": pm10, "o3": o3}[key]
        if not any(v is not None for v in recent):
            got.not_indexed[key] = f"no {_NAMES[key]} hourly means in the last {method.hours} hours"
            continue
        value = nowcast(recent, method)
        if value is None:
            have = sum(v is not None for v in list(recent)[:RECENT_HOURS])
            got.not_indexed[key] = (
                f"{_NAMES[key]} NowCast needs {MIN_RECENT_VALID} of the {RECENT_HOURS} most recent "
                f"hours; {have} of {RECENT_HOURS} have data"
            )
            continue
        c = _as_float(value)
        concentrations[key] = float(truncate(row, c))
        valid = [v for v in list(recent)[: method.hours] if v is not None]
        weights[key] = float(weight_factor(valid, method))
        if got.record(key, sub_index(row, c), capped=is_capped(row, c)) is None:
            _o3_above_8h_row(got, recent[0])
    details: dict[str, object] = {
        "nowcast": concentrations,
        "weight_factor": weights,
        "sub_indices": got.values,
        "indexed": list(got.values),
        "missing": [key for key, _, _ in _POLLUTANTS if key not in got.values],
        "capped": got.capped,
        "not_indexed": got.not_indexed,
    }
    return got.result(details, level)


def _o3_above_8h_row(got: SubIndices, latest: float | None) -> None:
    """Ozone NowCast above 0.200 ppm: the 8-h row ends there, so the latest 1-h mean indexes ozone."""
    reason = "O3 NowCast above 0.200 ppm: the 8-h row defines no AQI there"
    one_hour = None if latest is None else sub_index(UsRow.O3_1H, latest)
    if latest is None or got.record("o3", one_hour, capped=is_capped(UsRow.O3_1H, latest)) is None:
        got.not_indexed["o3"] = reason + "; the most recent 1-h mean is missing or below the 1-h row"
    else:
        got.not_indexed["o3_8h"] = reason + "; ozone is indexed by its most recent 1-h mean"


def compute(values: Mapping[str, object]) -> IndexResult | None:
    """IndexSpec adapter: hourly means (µg/m³) of pm25, pm10 and o3; O3 converted to ppm at 25 °C.

    Reads ``evaluated_at`` (:data:`domains.inputs.EVALUATED_AT`) for the current hour, so a station
    that stopped reporting gets no NowCast; without it the newest hour with data is the current one.
    """
    now = read_number(values, EVALUATED_AT)
    series = {key: read_series(values, key, minimum=0.0) for key, _, _ in _POLLUTANTS}
    if not any(series.values()):
        return None
    recent: dict[str, list[float | None]] = {}
    for key, method, _ in _POLLUTANTS:
        points = series[key]
        recent[key] = [] if points is None else hours_back(points, now, method.hours)
    o3 = [None if v is None else float(_exact(v) * _PPM_PER_UGM3_O3) for v in recent["o3"]]
    return aqi_nowcast(pm25=recent["pm25"], pm10=recent["pm10"], o3=o3)


AQI_US_NOWCAST = IndexSpec(
    id="aqi_us_nowcast",
    title=Text(en="US AQI, NowCast (current, as AirNow)", zh="美国空气质量指数（NowCast 实时）"),
    inputs=tuple(IndexInput(key, Window.HOURLY_MEANS) for key, _, _ in _POLLUTANTS),
    compute=compute,
    source="EPA NowCast as AirNow reports it (PM 12 h, weight ≥ 0.5; O3 8 h, AirNow 2016 method), "
    "40 CFR 58 App. G breakpoints, PM2.5 revised 2024 (docs/standards.md §1.2.1)",
    levels=LEVELS,
)
