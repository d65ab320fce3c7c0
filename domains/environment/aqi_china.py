"""China Air Quality Index (AQI) after HJ 633: IAQI per pollutant, AQI, level and primary pollutants.

DOMAIN_REFERENCE §1.1. Concentrations in µg/m³, CO in mg/m³. Both editions are selectable:
"HJ633-2012" and "HJ633-2026" (in force since 2026-03-01, the default).

Arithmetic is exact (fractions of the decimal value as written), because the IAQI is rounded
*up*: in binary floats CO 1h = 1.1 mg/m³ is 1.1000000000000000888, which would turn IAQI 11 into
12. Every input goes through ``repr`` → Fraction, so a value written as 1.1 is exactly 11/10.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from enum import StrEnum
from fractions import Fraction

from domains.inputs import Point, as_series, read_number, read_series
from domains.model import (
    IndexInput,
    IndexResult,
    IndexSpec,
    Level,
    Severity,
    Text,
    Window,
    require_finite,
)
from domains.scales import band


class Edition(StrEnum):
    """Which edition of HJ 633 the breakpoints come from."""

    HJ633_2012 = "HJ633-2012"
    HJ633_2026 = "HJ633-2026"


DEFAULT_EDITION = Edition.HJ633_2026


class Row(StrEnum):
    """One row of HJ 633 Table 1: a pollutant at one averaging time."""

    SO2_24H = "so2_24h"
    SO2_1H = "so2_1h"
    NO2_24H = "no2_24h"
    NO2_1H = "no2_1h"
    PM10_24H = "pm10_24h"
    CO_24H = "co_24h"
    CO_1H = "co_1h"
    O3_1H = "o3_1h"
    O3_8H = "o3_8h"
    PM25_24H = "pm25_24h"


IAQI_POINTS: tuple[int, ...] = (0, 50, 100, 150, 200, 300, 400, 500)  # HJ 633-2012 Table 1, header row

# HJ 633-2012 Table 1 (DOMAIN_REFERENCE §1.1): concentration at each IAQI point, µg/m³ (CO mg/m³).
# A row shorter than IAQI_POINTS stops where the standard stops: above its last value the standard
# defines no IAQI for that row (Table 1 notes: SO2 1h above 800, O3 8h above 800).
# The SO2 24h row is its own row; a known public implementation reuses the SO2 1h row for it, which
# is wrong (DOMAIN_REFERENCE §1.1).
_TABLE_2012: Mapping[Row, tuple[int, ...]] = {
    Row.SO2_24H: (0, 50, 150, 475, 800, 1600, 2100, 2620),
    Row.SO2_1H: (0, 150, 500, 650, 800),
    Row.NO2_24H: (0, 40, 80, 180, 280, 565, 750, 940),
    Row.NO2_1H: (0, 100, 200, 700, 1200, 2340, 3090, 3840),
    Row.PM10_24H: (0, 50, 150, 250, 350, 420, 500, 600),
    Row.CO_24H: (0, 2, 4, 14, 24, 36, 48, 60),
    Row.CO_1H: (0, 5, 10, 35, 60, 90, 120, 150),
    Row.O3_1H: (0, 160, 200, 300, 400, 800, 1000, 1200),
    Row.O3_8H: (0, 100, 160, 215, 265, 800),
    Row.PM25_24H: (0, 35, 75, 115, 150, 250, 350, 500),
}

# HJ 633-2026 changes the IAQI-100 breakpoints of PM10 (150 → 120) and PM2.5 (75 → 60)
# (DOMAIN_REFERENCE §1.1). [verify nothing else changed]: every other value is carried over
# from the 2012 table until checked against the 2026 text.
_IAQI_100_2026: Mapping[Row, int] = {Row.PM10_24H: 120, Row.PM25_24H: 60}


def breakpoints(row: Row, edition: Edition = DEFAULT_EDITION) -> tuple[int, ...]:
    """The concentrations at IAQI 0, 50, 100, ... of `row` in `edition` (HJ 633 Table 1)."""
    values = _TABLE_2012[row]
    if edition is Edition.HJ633_2026 and row in _IAQI_100_2026:
        index_100 = IAQI_POINTS.index(100)
        values = (*values[:index_100], _IAQI_100_2026[row], *values[index_100 + 1 :])
    return values


def _exact(value: float) -> Fraction:
    """The decimal a person wrote, exactly: repr() is the shortest string that round-trips."""
    return Fraction(repr(float(value)))


def iaqi(row: Row, concentration: float, edition: Edition = DEFAULT_EDITION) -> int | None:
    """The IAQI of `concentration` on `row`, or None where HJ 633 defines none.

    IAQI = (IAQI_hi − IAQI_lo)/(BP_hi − BP_lo) · (C − BP_lo) + IAQI_lo, rounded up to an integer
    (HJ 633-2012 §4, formula (1); DOMAIN_REFERENCE §1.1). Above the top breakpoint of a full row
    the IAQI is held at 500 (:func:`is_capped` tells); above the top of a short row (SO2 1h, O3 8h
    above 800) the result is None and the caller switches to the other averaging time.
    Raises InvalidInputError for NaN, infinite or negative concentrations.
    """
    # Not scales.piecewise_linear: it works in floats, and rounding up needs exact arithmetic.
    c = _exact(require_finite(f"{row.value} concentration", concentration, minimum=0.0))
    bps = breakpoints(row, edition)
    if c > bps[-1]:
        return IAQI_POINTS[-1] if len(bps) == len(IAQI_POINTS) else None
    for i in range(1, len(bps)):
        if c <= bps[i]:
            lo, hi = bps[i - 1], bps[i]
            i_lo, i_hi = IAQI_POINTS[i - 1], IAQI_POINTS[i]
            return math.ceil(Fraction(i_hi - i_lo, hi - lo) * (c - lo) + i_lo)
    raise AssertionError("unreachable: c <= bps[-1] was checked")  # pragma: no cover


def is_capped(row: Row, concentration: float, edition: Edition = DEFAULT_EDITION) -> bool:
    """True when `concentration` lies beyond the top of a full row, so its IAQI is held at 500."""
    c = _exact(require_finite(f"{row.value} concentration", concentration, minimum=0.0))
    bps = breakpoints(row, edition)
    return len(bps) == len(IAQI_POINTS) and c > bps[-1]


# Levels, colours and health advice: HJ 633-2012 Table 2 and Appendix A (DOMAIN_REFERENCE §1.1).
# Severity is sensegrid's mapping of the levels onto alert urgency, not part of the standard.
EXCELLENT = Level(
    "excellent",
    Text(en="Excellent", zh="优"),
    None,
    "#00E400",
    Text(en="Air quality is satisfactory; everyone can be active outdoors.", zh="各类人群可正常活动"),
)
GOOD = Level(
    "good",
    Text(en="Good", zh="良"),
    Severity.INFO,
    "#FFFF00",
    Text(
        en="Very few unusually sensitive people should reduce outdoor activity.",
        zh="极少数异常敏感人群应减少户外活动",
    ),
)
LIGHTLY_POLLUTED = Level(
    "lightly_polluted",
    Text(en="Lightly polluted", zh="轻度污染"),
    Severity.WARNING,
    "#FF7E00",
    Text(
        en="Children, the elderly and people with heart or respiratory disease should reduce long, "
        "strenuous outdoor exercise.",
        zh="儿童、老年人及心脏病、呼吸系统疾病患者应减少长时间、高强度的户外锻炼",
    ),
)
MODERATELY_POLLUTED = Level(
    "moderately_polluted",
    Text(en="Moderately polluted", zh="中度污染"),
    Severity.MAJOR,
    "#FF0000",
    Text(
        en="Children, the elderly and people with heart or respiratory disease should avoid long, "
        "strenuous outdoor exercise; everyone else should reduce outdoor exercise.",
        zh="儿童、老年人及心脏病、呼吸系统疾病患者避免长时间、高强度的户外锻炼，一般人群适量减少户外运动",
    ),
)
HEAVILY_POLLUTED = Level(
    "heavily_polluted",
    Text(en="Heavily polluted", zh="重度污染"),
    Severity.CRITICAL,
    "#99004C",
    Text(
        en="Children, the elderly and people with heart or lung disease should stay indoors and stop "
        "outdoor exercise; everyone else should reduce outdoor activity.",
        zh="儿童、老年人和心脏病、肺病患者应停留在室内，停止户外运动，一般人群减少户外运动",
    ),
)
SEVERELY_POLLUTED = Level(
    "severely_polluted",
    Text(en="Severely polluted", zh="严重污染"),
    Severity.CRITICAL,
    "#7E0023",
    Text(
        en="Children, the elderly and the sick should stay indoors and avoid exertion; everyone else "
        "should avoid outdoor activity.",
        zh="儿童、老年人和病人应当留在室内，避免体力消耗，一般人群应避免户外活动",
    ),
)
LEVELS: tuple[Level, ...] = (
    EXCELLENT,
    GOOD,
    LIGHTLY_POLLUTED,
    MODERATELY_POLLUTED,
    HEAVILY_POLLUTED,
    SEVERELY_POLLUTED,
)
LEVEL_UPPER_BOUNDS: tuple[int, ...] = (50, 100, 150, 200, 300)  # HJ 633-2012 Table 2: 0–50, 51–100, ...

EXCEEDING_ABOVE = 100  # HJ 633-2012 §3 and §4: a pollutant with IAQI > 100 is an exceeding pollutant
PRIMARY_ABOVE = 50  # HJ 633-2012 §4: primary pollutants are named only when AQI > 50


def level(aqi: float) -> Level:
    """The AQI level (优 … 严重污染) holding `aqi` (HJ 633-2012 Table 2)."""
    return band(require_finite("AQI", aqi, minimum=0.0), LEVEL_UPPER_BOUNDS, LEVELS)


POLLUTANT_TITLES: Mapping[str, Text] = {
    "so2_1h": Text(en="SO2 1-h", zh="二氧化硫1小时"),
    "so2_24h": Text(en="SO2 24-h", zh="二氧化硫24小时"),
    "no2_1h": Text(en="NO2 1-h", zh="二氧化氮1小时"),
    "no2_24h": Text(en="NO2 24-h", zh="二氧化氮24小时"),
    "co_1h": Text(en="CO 1-h", zh="一氧化碳1小时"),
    "co_24h": Text(en="CO 24-h", zh="一氧化碳24小时"),
    "o3_1h": Text(en="O3 1-h", zh="臭氧1小时"),
    "o3_8h": Text(en="O3 8-h moving average", zh="臭氧8小时滑动平均"),
    "o3_1h_max": Text(en="O3 daily maximum 1-h", zh="臭氧日最大1小时"),
    "o3_8h_max": Text(en="O3 daily maximum 8-h", zh="臭氧日最大8小时滑动平均"),
    "pm25": Text(en="PM2.5", zh="细颗粒物(PM2.5)"),
    "pm10": Text(en="PM10", zh="可吸入颗粒物(PM10)"),
}
"""Display names of the pollutant keys used in AQI details (HJ 633 names in zh)."""


class _Collector:
    """Gathers IAQIs for one AQI computation, remembering which inputs were capped or unusable."""

    def __init__(self, edition: Edition) -> None:
        self.edition = edition
        self.iaqis: dict[str, int] = {}
        self.capped: list[str] = []
        self.not_indexed: dict[str, str] = {}

    def add(self, key: str, row: Row, concentration: float) -> int | None:
        value = iaqi(row, concentration, self.edition)
        if value is not None:
            self.iaqis[key] = value
            if is_capped(row, concentration, self.edition):
                self.capped.append(key)
        return value

    def result(self, variant: str) -> IndexResult:
        """AQI = max IAQI; primary pollutants (all tying at the max) only when AQI > 50; exceeding > 100."""
        details: dict[str, object] = {
            "edition": self.edition.value,
            "variant": variant,
            "iaqi": self.iaqis,
            "capped": self.capped,
            "not_indexed": self.not_indexed,
        }
        if not self.iaqis:
            details.update(primary_pollutants=[], exceeding_pollutants=[])
            return IndexResult(value=None, level=None, details=details)
        aqi = max(self.iaqis.values())
        primary = [k for k, v in self.iaqis.items() if v == aqi] if aqi > PRIMARY_ABOVE else []
        details["primary_pollutants"] = primary
        details["exceeding_pollutants"] = [k for k, v in self.iaqis.items() if v > EXCEEDING_ABOVE]
        return IndexResult(value=float(aqi), level=level(aqi), details=details)


def aqi_realtime(
    *,
    so2_1h: float | None = None,
    no2_1h: float | None = None,
    co_1h: float | None = None,
    o3_1h: float | None = None,
    o3_8h: float | None = None,
    pm25: float | None = None,
    pm10: float | None = None,
    so2_24h: float | None = None,
    edition: Edition = DEFAULT_EDITION,
) -> IndexResult:
    """The hourly (real-time) AQI of HJ 633-2012 §5 from whichever pollutants are given.

    - SO2, NO2, CO, O3: 1-h averages on their 1-h rows; O3 also as its 8-h moving average.
    - PM2.5 / PM10: HJ 633 has only 24-h rows for them; real-time practice applies those rows to
      the hourly figure the operator publishes (1-h average, or 24-h moving average) — pass that.
    - SO2 1h above 800 µg/m³: no 1-h IAQI (Table 1 note); the SO2 24-h IAQI is used when `so2_24h`
      is given (it is used for nothing else). Either way "so2_1h" is listed under ``not_indexed``.
    - O3 8h above 800 µg/m³: no 8-h IAQI (Table 1 note); the O3 1-h IAQI stands for ozone.
    - Concentrations above a row's top: IAQI 500, listed under ``capped``.

    Returns value None (no level) when no pollutant could be indexed. ``details``: edition,
    variant, iaqi {key: int}, primary_pollutants, exceeding_pollutants, capped, not_indexed
    {key: reason}. Keys are the parameter names.
    """
    got = _Collector(edition)
    if so2_1h is not None and got.add("so2_1h", Row.SO2_1H, so2_1h) is None:
        reason = "SO2 1-h above 800 µg/m³ has no IAQI (HJ 633 Table 1 note); "
        if so2_24h is not None:
            got.add("so2_24h", Row.SO2_24H, so2_24h)
            got.not_indexed["so2_1h"] = reason + "SO2 is indexed by its 24-h average"
        else:
            got.not_indexed["so2_1h"] = reason + "give the SO2 24-h average to index SO2"
    if no2_1h is not None:
        got.add("no2_1h", Row.NO2_1H, no2_1h)
    if co_1h is not None:
        got.add("co_1h", Row.CO_1H, co_1h)
    if o3_1h is not None:
        got.add("o3_1h", Row.O3_1H, o3_1h)
    if o3_8h is not None and got.add("o3_8h", Row.O3_8H, o3_8h) is None:
        got.not_indexed["o3_8h"] = _o3_8h_reason(have_1h=o3_1h is not None)
    if pm25 is not None:
        got.add("pm25", Row.PM25_24H, pm25)
    if pm10 is not None:
        got.add("pm10", Row.PM10_24H, pm10)
    return got.result("realtime")


def aqi_daily(
    *,
    so2_24h: float | None = None,
    no2_24h: float | None = None,
    co_24h: float | None = None,
    o3_1h_max: float | None = None,
    o3_8h_max: float | None = None,
    pm25_24h: float | None = None,
    pm10_24h: float | None = None,
    edition: Edition = DEFAULT_EDITION,
) -> IndexResult:
    """The daily AQI of HJ 633-2012 §5: 24-h averages, O3 daily maximum 1-h and maximum 8-h.

    O3 8-h maximum above 800 µg/m³ has no 8-h IAQI; the O3 1-h maximum's IAQI stands for ozone.
    Details as in :func:`aqi_realtime`, keyed by these parameter names ("pm25_24h", ...).
    """
    got = _Collector(edition)
    if so2_24h is not None:
        got.add("so2_24h", Row.SO2_24H, so2_24h)
    if no2_24h is not None:
        got.add("no2_24h", Row.NO2_24H, no2_24h)
    if co_24h is not None:
        got.add("co_24h", Row.CO_24H, co_24h)
    if o3_1h_max is not None:
        got.add("o3_1h_max", Row.O3_1H, o3_1h_max)
    if o3_8h_max is not None and got.add("o3_8h_max", Row.O3_8H, o3_8h_max) is None:
        got.not_indexed["o3_8h_max"] = _o3_8h_reason(have_1h=o3_1h_max is not None)
    if pm25_24h is not None:
        got.add("pm25_24h", Row.PM25_24H, pm25_24h)
    if pm10_24h is not None:
        got.add("pm10_24h", Row.PM10_24H, pm10_24h)
    return got.result("daily")


def _o3_8h_reason(*, have_1h: bool) -> str:
    base = "O3 8-h above 800 µg/m³ has no IAQI (HJ 633 Table 1 note); ozone is indexed by its 1-h value"
    return base if have_1h else base + ", which was not given"


# --- O3 8-hour moving average over hourly values ------------------------------------------------

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
        raise ValueError(f"min_valid_hours must be 1..{O3_8H_HOURS}, got {min_valid_hours}")
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


def _hours_ending(means: Mapping[int, float], last_hour: int, count: int) -> list[float | None]:
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
    window = _hours_ending(means, last, O3_8H_HOURS)
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
    day = _hours_ending(means, last, 24)
    max_1h = max((v for v in day if v is not None), default=None)
    # Each 8-h average is summed afresh rather than as a running sum: adding the new hour and
    # subtracting the old one rounds differently, and 17 windows of 8 cost next to nothing.
    eights = (
        o3_8h_moving_average(day[end - O3_8H_HOURS : end], min_valid_hours=min_valid_hours)
        for end in range(O3_8H_HOURS, len(day) + 1)
    )
    max_8h = max((v for v in eights if v is not None), default=None)
    return max_1h, max_8h


# --- IndexSpecs ---------------------------------------------------------------------------------


def compute_realtime(values: Mapping[str, object], edition: Edition = DEFAULT_EDITION) -> IndexResult | None:
    """IndexSpec adapter: 1-h windows of so2/no2/co/pm25/pm10, and O3 1-h + 8-h from its series."""
    o3 = read_series(values, "o3", minimum=0.0)
    o3_1h, o3_8h = (None, None) if o3 is None else o3_from_hourly_means(clock_hour_means(o3))
    result = aqi_realtime(
        so2_1h=read_number(values, "so2"),
        no2_1h=read_number(values, "no2"),
        co_1h=read_number(values, "co"),
        o3_1h=o3_1h,
        o3_8h=o3_8h,
        pm25=read_number(values, "pm25"),
        pm10=read_number(values, "pm10"),
        edition=edition,
    )
    return result if result.value is not None else None


def compute_daily(values: Mapping[str, object], edition: Edition = DEFAULT_EDITION) -> IndexResult | None:
    """IndexSpec adapter: 24-h windows of so2/no2/co/pm25/pm10, O3 daily maxima from its series."""
    o3 = read_series(values, "o3", minimum=0.0)
    o3_1h, o3_8h = (None, None) if o3 is None else o3_daily_from_hourly_means(clock_hour_means(o3))
    result = aqi_daily(
        so2_24h=read_number(values, "so2"),
        no2_24h=read_number(values, "no2"),
        co_24h=read_number(values, "co"),
        o3_1h_max=o3_1h,
        o3_8h_max=o3_8h,
        pm25_24h=read_number(values, "pm25"),
        pm10_24h=read_number(values, "pm10"),
        edition=edition,
    )
    return result if result.value is not None else None


# O3 is read as a raw series because the AQI needs it at two averaging times (1 h and 8 h) and an
# index receives one window per metric. The series must reach back 8 h (real-time) or 24 h (daily);
# with less, the 8-h average is missing and ozone is indexed by its 1-h value alone.
AQI_CN_REALTIME = IndexSpec(
    id="aqi_cn",
    title=Text(en="China AQI (hourly)", zh="空气质量指数（实时）"),
    inputs=(
        IndexInput("so2", Window.AVG_1H),
        IndexInput("no2", Window.AVG_1H),
        IndexInput("co", Window.AVG_1H),
        IndexInput("o3", Window.HOURLY_MEANS),
        IndexInput("pm25", Window.AVG_1H),
        IndexInput("pm10", Window.AVG_1H),
    ),
    compute=compute_realtime,
    source=f"HJ 633 real-time report, edition {DEFAULT_EDITION.value} (DOMAIN_REFERENCE §1.1)",
    levels=LEVELS,
)

AQI_CN_DAILY = IndexSpec(
    id="aqi_cn_24h",
    title=Text(en="China AQI (daily)", zh="空气质量指数（日报）"),
    inputs=(
        IndexInput("so2", Window.AVG_24H),
        IndexInput("no2", Window.AVG_24H),
        IndexInput("co", Window.AVG_24H),
        IndexInput("o3", Window.HOURLY_MEANS),
        IndexInput("pm25", Window.AVG_24H),
        IndexInput("pm10", Window.AVG_24H),
    ),
    compute=compute_daily,
    source=f"HJ 633 daily report over the last 24 h, edition {DEFAULT_EDITION.value} (DOMAIN_REFERENCE §1.1)",
    levels=LEVELS,
)
