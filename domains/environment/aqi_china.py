"""China Air Quality Index (AQI) after HJ 633: real-time and daily AQI, primary and exceeding pollutants.

docs/standards.md §1.1. Concentrations in µg/m³, CO in mg/m³; the IAQI of each pollutant comes from
:mod:`domains.environment.hj633_iaqi` (both editions), the level from
:mod:`domains.environment.hj633_levels`, ozone's averages from :mod:`domains.environment.ozone_averages`.
"""

from __future__ import annotations

from collections.abc import Mapping

from domains.environment.hj633_iaqi import (
    DEFAULT_EDITION,
    IAQI_POINTS,
    Edition,
    Row,
    breakpoints,
    iaqi,
    is_capped,
)
from domains.environment.hj633_levels import LEVELS, level
from domains.environment.sub_indices import POLLUTANTS, SubIndices, pollutant_of
from domains.environment.validity import Screen
from domains.inputs import as_choice
from domains.model import IndexInput, IndexResult, IndexSpec, Text, Window, strictly_above

EXCEEDING_ABOVE = 100  # HJ 633-2012 §3 and §4: a pollutant with IAQI > 100 is an exceeding pollutant
PRIMARY_ABOVE = 50  # HJ 633-2012 §4: primary pollutants are named only when AQI > 50


def exceeding_from(row: Row, edition: Edition = DEFAULT_EDITION) -> float:
    """The lowest concentration (a float) on `row` whose IAQI exceeds 100: the next float above the
    IAQI-100 breakpoint (HJ 633-2012 §3, §4: exceeding is IAQI > 100; docs/standards.md §1.1). An
    exceedance rule's inclusive rung sits here, so it changes where the index's exceeding does."""
    return strictly_above(float(breakpoints(row, edition)[IAQI_POINTS.index(EXCEEDING_ABOVE)]))


class _Collector:
    """Gathers IAQIs for one AQI computation, remembering which inputs were capped or unusable."""

    def __init__(self, edition: Edition, given: dict[str, float | None]) -> None:
        self.edition = as_choice("edition", edition, Edition)
        self.subs = SubIndices()
        self.not_indexed = self.subs.not_indexed
        self.given = {pollutant_of(k) for k, v in given.items() if v is not None}

    def add(self, key: str, row: Row, concentration: float) -> int | None:
        value = iaqi(row, concentration, self.edition)
        return self.subs.record(key, value, capped=is_capped(row, concentration, self.edition))

    def result(self, variant: str) -> IndexResult:
        """AQI = max IAQI; primary pollutants (all tying at the max) only when AQI > 50; exceeding > 100."""
        details: dict[str, object] = {
            "edition": self.edition.value,
            "variant": variant,
            "iaqi": self.subs.values,
            "capped": self.subs.capped,
            "not_indexed": self.not_indexed,
            **self.subs.coverage(self.given),
        }
        peak = self.subs.peak()
        if peak is None:
            details.update(primary_pollutants=[], exceeding_pollutants=[])
            return IndexResult(value=None, level=None, details=details)
        aqi, tied = peak
        details["primary_pollutants"] = tied if aqi > PRIMARY_ABOVE else []
        details["exceeding_pollutants"] = [k for k, v in self.subs.values.items() if v > EXCEEDING_ABOVE]
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
    - SO2 counts as given when `so2_1h` is: the 24-h mean alone is no hourly report.

    Returns value None (no level) when no pollutant could be indexed. ``details``: edition,
    variant, iaqi {key: int}, primary_pollutants, exceeding_pollutants, capped, not_indexed
    {key: reason}, and which of the six pollutants the AQI stands on — indexed, missing, complete
    (:meth:`SubIndices.coverage`). Keys are the parameter names; pollutants are metric names.
    """
    got = _Collector(
        edition,
        {
            "so2": so2_1h,
            "no2": no2_1h,
            "co": co_1h,
            "o3_1h": o3_1h,
            "o3_8h": o3_8h,
            "pm25": pm25,
            "pm10": pm10,
        },
    )
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
    got = _Collector(
        edition,
        {
            "so2": so2_24h,
            "no2": no2_24h,
            "co": co_24h,
            "o3_1h": o3_1h_max,
            "o3_8h": o3_8h_max,
            "pm25": pm25_24h,
            "pm10": pm10_24h,
        },
    )
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


# --- IndexSpecs ---------------------------------------------------------------------------------


def compute_realtime(values: Mapping[str, object], edition: Edition = DEFAULT_EDITION) -> IndexResult | None:
    """IndexSpec adapter: each pollutant's newest valid hourly mean, O3 also its 8-h mean (§1.4).

    SO2's 24-h mean (of the valid hours, at least 20) is read only when its 1-h value has no IAQI
    (above 800 µg/m³, HJ 633 Table 1 note). Periods that fail the data-validity rules are left out
    and listed under ``invalid``.
    """
    screen = Screen(values)
    o3_1h, o3_8h = screen.o3_latest("o3_1h", "o3_8h")
    so2_1h = screen.one_hour("so2", "so2_1h")
    beyond_1h = so2_1h is not None and iaqi(Row.SO2_1H, so2_1h, edition) is None
    result = aqi_realtime(
        so2_1h=so2_1h,
        so2_24h=screen.day_mean("so2", "so2_24h", hours_only=True) if beyond_1h else None,
        no2_1h=screen.one_hour("no2", "no2_1h"),
        co_1h=screen.one_hour("co", "co_1h"),
        o3_1h=o3_1h,
        o3_8h=o3_8h,
        pm25=screen.one_hour("pm25", "pm25"),
        pm10=screen.one_hour("pm10", "pm10"),
        edition=edition,
    )
    return screen.annotate(result)


def compute_daily(values: Mapping[str, object], edition: Edition = DEFAULT_EDITION) -> IndexResult | None:
    """IndexSpec adapter: 24-h means of the valid hours, O3 daily maxima (§1.4 validity rules)."""
    screen = Screen(values)
    o3_1h, o3_8h = screen.o3_daily("o3_1h_max", "o3_8h_max")
    result = aqi_daily(
        so2_24h=screen.day_mean("so2", "so2_24h"),
        no2_24h=screen.day_mean("no2", "no2_24h"),
        co_24h=screen.day_mean("co", "co_24h"),
        o3_1h_max=o3_1h,
        o3_8h_max=o3_8h,
        pm25_24h=screen.day_mean("pm25", "pm25_24h"),
        pm10_24h=screen.day_mean("pm10", "pm10_24h"),
        edition=edition,
    )
    return screen.annotate(result)


# Every pollutant is read as clock-hour means beside the minutes of sampling behind each hour
# (docs/standards.md §1.4): the AQI needs O3 (1 h and 8 h) and SO2 (1 h, and 24 h above 800 µg/m³)
# at two averaging times, an index receives one window per metric, and every period it indexes
# must pass the data-validity rules.
_HOURLY_INPUTS = tuple(
    IndexInput(m, w) for m in POLLUTANTS for w in (Window.HOURLY_MEANS, Window.HOURLY_MINUTES)
)

AQI_CN_REALTIME = IndexSpec(
    id="aqi_cn",
    title=Text(en="China AQI (hourly)", zh="空气质量指数（实时）"),
    inputs=_HOURLY_INPUTS,
    compute=compute_realtime,
    source=f"HJ 633 real-time report, edition {DEFAULT_EDITION.value} (docs/standards.md §1.1)",
    levels=LEVELS,
    edition=DEFAULT_EDITION.value,
)

AQI_CN_DAILY = IndexSpec(
    id="aqi_cn_24h",
    title=Text(en="China AQI (daily)", zh="空气质量指数（日报）"),
    inputs=_HOURLY_INPUTS,
    compute=compute_daily,
    source=(
        f"HJ 633 daily report over the last 24 h, edition {DEFAULT_EDITION.value} (docs/standards.md §1.1)"
    ),
    levels=LEVELS,
    edition=DEFAULT_EDITION.value,
)
