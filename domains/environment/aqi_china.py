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
from domains.environment.ozone_averages import read_o3_daily, read_o3_latest
from domains.environment.so2_averages import read_so2_hourly
from domains.environment.sub_indices import SubIndices, pollutant_of
from domains.inputs import as_choice, read_number
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
    """IndexSpec adapter: 1-h windows of no2/co/pm25/pm10; SO2 1-h and 24-h, O3 1-h and 8-h from
    their clock-hour means."""
    o3_1h, o3_8h = read_o3_latest(values)
    so2_1h, so2_24h = read_so2_hourly(values)
    result = aqi_realtime(
        so2_1h=so2_1h,
        so2_24h=so2_24h,
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
    o3_1h, o3_8h = read_o3_daily(values)
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


# O3 and SO2 are read as clock-hour means because the AQI needs each at two averaging times (O3 1 h
# and 8 h; SO2 1 h, and 24 h above 800 µg/m³) and an index receives one window per metric. With
# fewer than 8 hours, the 8-h O3 average is missing and ozone is indexed by its 1-h value alone.
AQI_CN_REALTIME = IndexSpec(
    id="aqi_cn",
    title=Text(en="China AQI (hourly)", zh="空气质量指数（实时）"),
    inputs=(
        IndexInput("so2", Window.HOURLY_MEANS),
        IndexInput("no2", Window.AVG_1H),
        IndexInput("co", Window.AVG_1H),
        IndexInput("o3", Window.HOURLY_MEANS),
        IndexInput("pm25", Window.AVG_1H),
        IndexInput("pm10", Window.AVG_1H),
    ),
    compute=compute_realtime,
    source=f"HJ 633 real-time report, edition {DEFAULT_EDITION.value} (docs/standards.md §1.1)",
    levels=LEVELS,
    edition=DEFAULT_EDITION.value,
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
    source=(
        f"HJ 633 daily report over the last 24 h, edition {DEFAULT_EDITION.value} (docs/standards.md §1.1)"
    ),
    levels=LEVELS,
    edition=DEFAULT_EDITION.value,
)
