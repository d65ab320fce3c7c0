"""The `et0` index: a field station's FAO-56 reference evapotranspiration over the last 24 hours.

A rolling daily value: the 24 hours ending at the evaluation time make the "day" of FAO-56 eq. 6
(read it at the end of the local day for that day's figure). What it reads, and why those
windows (docs/standards.md §3, Reference evapotranspiration):

- air temperature and relative humidity as raw series: the day's true extremes Tmax, Tmin, RHmax,
  RHmin (eq. 17 wants extremes, and one index reads each metric over one window only);
- wind speed and global solar radiation as clock-hour means: u (eq. 47) is their mean, Rₛ the mean
  irradiance × 0.0864 MJ m⁻² day⁻¹ per W/m²;
- device settings: `latitude` (the device's registered position), `longitude` (only to place the
  day in local solar time), `altitude_m` (default 0 m) and `wind_height_m` (default 2 m).

Each input must cover at least 20 of the 24 clock hours (sensegrid's completeness rule, the same
proportion GB 3095-2012 asks of a daily mean); otherwise the index says which input fell short
and publishes no value.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, datetime

from domains.agriculture.evapotranspiration import W_M2_TO_MJ_DAY, DailyWeather, reference_et0
from domains.inputs import Point, read_number, read_series
from domains.model import IndexInput, IndexResult, IndexSpec, Text, Window

MIN_HOURS = 20  # clock hours of data each input needs in the last 24 (sensegrid default, see above)
DEFAULT_ALTITUDE_M = 0.0  # sea level when the device has no altitude_m setting (FAO-56 eq. 7)
DEFAULT_WIND_HEIGHT_M = 2.0  # FAO-56's standard anemometer height: no eq. 47 conversion

_SERIES_INPUTS = ("air_temperature", "relative_humidity")
_HOURLY_INPUTS = ("wind_speed", "solar_radiation")


def _hours(points: tuple[Point, ...]) -> int:
    """How many distinct clock hours the points fall in."""
    return len({math.floor(t / 3600.0) for t, _ in points})


def _day_of_year(points: tuple[Point, ...], longitude: float | None) -> int:
    """The day the window is centred on, in local mean solar time when the longitude is known."""
    middle = (points[0][0] + points[-1][0]) / 2.0
    if longitude is not None:
        middle += longitude / 15.0 * 3600.0
    return datetime.fromtimestamp(middle, UTC).timetuple().tm_yday


def _mean(points: tuple[Point, ...]) -> float:
    return sum(v for _, v in points) / len(points)


def _setting(inputs: Mapping[str, object], name: str, default: float) -> float:
    value = read_number(inputs, name)
    return default if value is None else value


def _et0_from_inputs(inputs: Mapping[str, object]) -> IndexResult | None:
    series = {name: read_series(inputs, name) for name in (*_SERIES_INPUTS, *_HOURLY_INPUTS)}
    if all(points is None for points in series.values()):
        return None
    latitude = read_number(inputs, "latitude")
    short: dict[str, str] = {}
    for name, points in series.items():
        hours = 0 if points is None else _hours(points)
        if hours < MIN_HOURS:
            short[name] = f"{hours} of {MIN_HOURS} required hours"
    temperatures, rh = series["air_temperature"], series["relative_humidity"]
    wind, solar = series["wind_speed"], series["solar_radiation"]
    if latitude is None:
        short["latitude"] = "the device has no registered latitude"
    if short or temperatures is None or rh is None or wind is None or solar is None or latitude is None:
        return IndexResult(value=None, level=None, details={"incomplete": short})
    day = DailyWeather(
        t_max_c=max(v for _, v in temperatures),
        t_min_c=min(v for _, v in temperatures),
        rh_max=max(v for _, v in rh),
        rh_min=min(v for _, v in rh),
        wind_m_s=_mean(wind),
        rs=_mean(solar) * W_M2_TO_MJ_DAY,
        latitude_deg=latitude,
        day_of_year=_day_of_year(temperatures, read_number(inputs, "longitude")),
        altitude_m=_setting(inputs, "altitude_m", DEFAULT_ALTITUDE_M),
        wind_height_m=_setting(inputs, "wind_height_m", DEFAULT_WIND_HEIGHT_M),
    )
    et = reference_et0(day)
    details: dict[str, object] = {
        "et0_mm_day": round(et.et0, 3),
        "t_max_c": day.t_max_c,
        "t_min_c": day.t_min_c,
        "rh_max": day.rh_max,
        "rh_min": day.rh_min,
        "u2_m_s": round(et.u2, 3),
        "rs_mj_m2_day": round(day.rs, 3),
        "ra_mj_m2_day": round(et.ra, 3),
        "rso_mj_m2_day": round(et.rso, 3),
        "rn_mj_m2_day": round(et.rn, 3),
        "rnl_mj_m2_day": round(et.rnl, 3),
        "es_kpa": round(et.es, 4),
        "ea_kpa": round(et.ea, 4),
        "delta_kpa_c": round(et.delta, 5),
        "gamma_kpa_c": round(et.gamma, 5),
        "day_of_year": day.day_of_year,
        "latitude_deg": day.latitude_deg,
        "altitude_m": day.altitude_m,
        "wind_height_m": day.wind_height_m,
    }
    # A cold, humid, dark day can give a slightly negative ET0 (dew): no water demand.
    return IndexResult(value=round(max(et.et0, 0.0), 2), level=None, details=details)


ET0_INDEX = IndexSpec(
    id="et0",
    title=Text(en="Reference evapotranspiration ET0 (FAO-56)", zh="参考作物蒸散量 ET0（FAO-56）"),
    inputs=(
        IndexInput("air_temperature", Window.SERIES),
        IndexInput("relative_humidity", Window.SERIES),
        IndexInput("wind_speed", Window.HOURLY_MEANS),
        IndexInput("solar_radiation", Window.HOURLY_MEANS),
    ),
    compute=_et0_from_inputs,
    source=(
        "FAO Irrigation and Drainage Paper 56 (Allen et al. 1998), eq. 6 with chapter 3 (eqs. 7–47), "
        "daily step (G = 0) over the last 24 h; mm/day of grass-reference evapotranspiration "
        "(docs/standards.md §3)"
    ),
    unit="mm/day",
)
