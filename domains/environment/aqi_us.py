"""US EPA Air Quality Index after 40 CFR 58 Appendix G (PM2.5 breakpoints revised 2024).

docs/standards.md §1.2. EPA units: PM in µg/m³, O3 and CO in ppm, SO2 and NO2 in ppb. Each
concentration is truncated to the table's precision before lookup, and the index rounded to the
nearest integer. Arithmetic is exact decimal, so 35.45 truncates to 35.4 and not to a binary
neighbour of it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum
from fractions import Fraction

from domains.environment.ozone_averages import read_o3_latest
from domains.environment.so2_averages import read_so2_hourly
from domains.environment.sub_indices import SubIndices, pollutant_of
from domains.environment.validity import US_DAY_MIN_HOURS, Screen
from domains.inputs import as_choice, read_number
from domains.model import (
    IndexInput,
    IndexResult,
    IndexSpec,
    InvalidInputError,
    Level,
    Severity,
    Text,
    Window,
    require_finite,
)
from domains.scales import band


class UsRow(StrEnum):
    """One column of the EPA breakpoint table: a pollutant at one averaging time."""

    PM25_24H = "pm25_24h"
    PM10_24H = "pm10_24h"
    O3_8H = "o3_8h"
    O3_1H = "o3_1h"
    CO_8H = "co_8h"
    SO2_1H = "so2_1h"
    SO2_24H = "so2_24h"
    NO2_1H = "no2_1h"


# 40 CFR 58 App. G Table 2 as revised 2024 (docs/standards.md §1.2): (C_lo, C_hi, I_lo, I_hi).
# Written as decimal strings so that the table is exact.
_Band = tuple[str, str, int, int]
_TABLE: Mapping[UsRow, tuple[_Band, ...]] = {
    UsRow.PM25_24H: (
        ("0.0", "9.0", 0, 50),
        ("9.1", "35.4", 51, 100),
        ("35.5", "55.4", 101, 150),
        ("55.5", "125.4", 151, 200),
        ("125.5", "225.4", 201, 300),
        ("225.5", "325.4", 301, 500),
    ),
    UsRow.PM10_24H: (
        ("0", "54", 0, 50),
        ("55", "154", 51, 100),
        ("155", "254", 101, 150),
        ("255", "354", 151, 200),
        ("355", "424", 201, 300),
        ("425", "604", 301, 500),
    ),
    # 8-h ozone defines no AQI of 301 or more: those come from 1-h ozone (App. G Table 2 note).
    UsRow.O3_8H: (
        ("0.000", "0.054", 0, 50),
        ("0.055", "0.070", 51, 100),
        ("0.071", "0.085", 101, 150),
        ("0.086", "0.105", 151, 200),
        ("0.106", "0.200", 201, 300),
    ),
    # 1-h ozone is defined only from AQI 101 (App. G Table 2 note).
    UsRow.O3_1H: (
        ("0.125", "0.164", 101, 150),
        ("0.165", "0.204", 151, 200),
        ("0.205", "0.404", 201, 300),
        ("0.405", "0.604", 301, 500),
    ),
    UsRow.CO_8H: (
        ("0.0", "4.4", 0, 50),
        ("4.5", "9.4", 51, 100),
        ("9.5", "12.4", 101, 150),
        ("12.5", "15.4", 151, 200),
        ("15.5", "30.4", 201, 300),
        ("30.5", "50.4", 301, 500),
    ),
    # 1-h SO2 defines no AQI of 200 or more: those come from 24-h SO2 (App. G Table 2 note).
    UsRow.SO2_1H: (
        ("0", "35", 0, 50),
        ("36", "75", 51, 100),
        ("76", "185", 101, 150),
        ("186", "304", 151, 200),
    ),
    # 24-h SO2 rows of 40 CFR 58 App. G Table 2, used only for AQI above 200.
    UsRow.SO2_24H: (
        ("305", "604", 201, 300),
        ("605", "1004", 301, 500),
    ),
    UsRow.NO2_1H: (
        ("0", "53", 0, 50),
        ("54", "100", 51, 100),
        ("101", "360", 101, 150),
        ("361", "649", 151, 200),
        ("650", "1249", 201, 300),
        ("1250", "2049", 301, 500),
    ),
}

# Truncation before lookup (40 CFR 58 App. G; docs/standards.md §1.2).
_QUANTUM: Mapping[UsRow, Decimal] = {
    UsRow.PM25_24H: Decimal("0.1"),
    UsRow.PM10_24H: Decimal("1"),
    UsRow.O3_8H: Decimal("0.001"),
    UsRow.O3_1H: Decimal("0.001"),
    UsRow.CO_8H: Decimal("0.1"),
    UsRow.SO2_1H: Decimal("1"),
    UsRow.SO2_24H: Decimal("1"),
    UsRow.NO2_1H: Decimal("1"),
}

UNITS: Mapping[UsRow, str] = {
    UsRow.PM25_24H: "ug/m^3",
    UsRow.PM10_24H: "ug/m^3",
    UsRow.O3_8H: "ppm",
    UsRow.O3_1H: "ppm",
    UsRow.CO_8H: "ppm",
    UsRow.SO2_1H: "ppb",
    UsRow.SO2_24H: "ppb",
    UsRow.NO2_1H: "ppb",
}
"""The unit each row's concentration is given in (pint expressions; ppb is not in pint's
default registry, so callers convert with :func:`ppb_from_ugm3`)."""

SO2_24H_FROM = 305
"""ppb: the 1-h SO2 value from which the 24-h value defines the AQI (the 1-h table ends at 304)."""


def truncate(row: UsRow, concentration: float) -> Decimal:
    """`concentration` truncated (not rounded) to the precision EPA looks it up at."""
    row = as_choice("EPA table row", row, UsRow)
    c = require_finite(f"{row.value} concentration", concentration, minimum=0.0)
    return Decimal(repr(c)).quantize(_QUANTUM[row], rounding=ROUND_DOWN)


def _round_half_up(x: Fraction) -> int:
    return math.floor(x + Fraction(1, 2))


def sub_index(row: UsRow, concentration: float) -> int | None:
    """The AQI of one pollutant concentration on `row`, or None where the row defines none.

    I = (I_hi − I_lo)/(C_hi − C_lo) · (C − C_lo) + I_lo on the truncated C, rounded to the nearest
    integer (40 CFR 58 App. G, equation 1). None below a row that starts above zero (O3 1-h below
    0.125 ppm, SO2 24-h below 305 ppb) and above a row that stops short of 500 (O3 8-h above
    0.200 ppm, SO2 1-h above 304 ppb). Above the top of a full row: 500, held there
    (:func:`is_capped` tells).
    """
    # Not scales.piecewise_linear: EPA's table has gaps between bands (9.0 | 9.1) and exact
    # half-up rounding needs exact arithmetic.
    row = as_choice("EPA table row", row, UsRow)
    c = truncate(row, concentration)
    bands = _TABLE[row]
    if c < Decimal(bands[0][0]):
        return None
    for c_lo, c_hi, i_lo, i_hi in bands:
        lo, hi = Decimal(c_lo), Decimal(c_hi)
        if lo <= c <= hi:
            return _round_half_up(Fraction(i_hi - i_lo) / Fraction(hi - lo) * Fraction(c - lo) + i_lo)
    top = bands[-1]
    return 500 if top[3] == 500 else None


def is_capped(row: UsRow, concentration: float) -> bool:
    """True when the truncated concentration lies above a full row's top, so the AQI is held at 500."""
    row = as_choice("EPA table row", row, UsRow)
    top = _TABLE[row][-1]
    return top[3] == 500 and truncate(row, concentration) > Decimal(top[1])


# Categories and colours: 40 CFR 58 App. G Table 1 (docs/standards.md §1.2). zh names are the
# common Chinese renderings; severity is sensegrid's mapping onto alert urgency.
US_GOOD = Level("good", Text(en="Good", zh="良好"), None, "#00E400")
US_MODERATE = Level("moderate", Text(en="Moderate", zh="中等"), Severity.INFO, "#FFFF00")
US_SENSITIVE = Level(
    "unhealthy_for_sensitive_groups",
    Text(en="Unhealthy for Sensitive Groups", zh="对敏感人群不健康"),
    Severity.WARNING,
    "#FF7E00",
)
US_UNHEALTHY = Level("unhealthy", Text(en="Unhealthy", zh="不健康"), Severity.MAJOR, "#FF0000")
US_VERY_UNHEALTHY = Level(
    "very_unhealthy", Text(en="Very Unhealthy", zh="非常不健康"), Severity.CRITICAL, "#8F3F97"
)
US_HAZARDOUS = Level("hazardous", Text(en="Hazardous", zh="危险"), Severity.CRITICAL, "#7E0023")
LEVELS: tuple[Level, ...] = (
    US_GOOD,
    US_MODERATE,
    US_SENSITIVE,
    US_UNHEALTHY,
    US_VERY_UNHEALTHY,
    US_HAZARDOUS,
)
LEVEL_UPPER_BOUNDS: tuple[int, ...] = (50, 100, 150, 200, 300)  # App. G Table 1: 0–50, 51–100, ...


def level(aqi: float) -> Level:
    """The EPA category holding `aqi`."""
    return band(require_finite("AQI", aqi, minimum=0.0), LEVEL_UPPER_BOUNDS, LEVELS)


def aqi_us(
    *,
    pm25_24h: float | None = None,
    pm10_24h: float | None = None,
    o3_8h: float | None = None,
    o3_1h: float | None = None,
    co_8h: float | None = None,
    so2_1h: float | None = None,
    so2_24h: float | None = None,
    no2_1h: float | None = None,
) -> IndexResult:
    """The US AQI from whichever pollutants are given, in EPA units (µg/m³, ppm, ppb).

    - Ozone: the 8-h value up to 0.200 ppm, the 1-h value from 0.125 ppm; where both apply the
      larger is reported, as App. G Table 2 note 1 allows; above 0.200 ppm 8-h only 1-h counts.
    - SO2: the 1-h value up to 304 ppb; from 305 ppb the 24-h value defines the AQI (App. G). When
      that 24-h value is below 305 ppb the AQI is fixed at 200, EPA's rule for that case (Technical
      Assistance Document for the Reporting of Daily Air Quality, SO2 note).
    - Above the top of a row: 500, listed under ``capped``.

    ``details``: sub_indices {key: int}, main_pollutants (all tying at the max), truncated
    {key: the looked-up concentration}, capped, not_indexed {key: reason}, and indexed, missing,
    complete over the six pollutants (:meth:`SubIndices.coverage`; SO2 counts as given when either
    of its values is). Value None when no pollutant could be indexed.
    """
    given = {
        pollutant_of(k)
        for k, v in (
            ("pm25", pm25_24h),
            ("pm10", pm10_24h),
            ("o3_8h", o3_8h),
            ("o3_1h", o3_1h),
            ("co", co_8h),
            ("so2_1h", so2_1h),
            ("so2_24h", so2_24h),
            ("no2", no2_1h),
        )
        if v is not None
    }
    got = SubIndices()
    subs, not_indexed = got.values, got.not_indexed
    truncated: dict[str, float] = {}

    def add(key: str, row: UsRow, concentration: float) -> int | None:
        value = sub_index(row, concentration)
        truncated[key] = float(truncate(row, concentration))
        return got.record(key, value, capped=is_capped(row, concentration))

    for key, row, conc in (
        ("pm25_24h", UsRow.PM25_24H, pm25_24h),
        ("pm10_24h", UsRow.PM10_24H, pm10_24h),
        ("co_8h", UsRow.CO_8H, co_8h),
        ("no2_1h", UsRow.NO2_1H, no2_1h),
    ):
        if conc is not None:
            add(key, row, conc)

    if o3_8h is not None and add("o3_8h", UsRow.O3_8H, o3_8h) is None:
        not_indexed["o3_8h"] = "8-h O3 above 0.200 ppm defines no AQI; 1-h O3 is used" + (
            "" if o3_1h is not None else ", and was not given"
        )
    if o3_1h is not None and add("o3_1h", UsRow.O3_1H, o3_1h) is None:
        not_indexed["o3_1h"] = "1-h O3 below 0.125 ppm defines no AQI (the 8-h value does)"

    if so2_1h is not None and add("so2_1h", UsRow.SO2_1H, so2_1h) is None:
        if so2_24h is None:
            not_indexed["so2_1h"] = "1-h SO2 of 305 ppb or more defines no AQI; give the 24-h SO2 average"
        elif add("so2_24h", UsRow.SO2_24H, so2_24h) is None:
            subs["so2_1h"] = 200
    elif so2_1h is None and so2_24h is not None and add("so2_24h", UsRow.SO2_24H, so2_24h) is None:
        not_indexed["so2_24h"] = "24-h SO2 below 305 ppb defines no AQI; give the 1-h SO2 value"

    details: dict[str, object] = {
        "sub_indices": subs,
        "truncated": truncated,
        "capped": got.capped,
        "not_indexed": not_indexed,
        **got.coverage(given),
    }
    return got.result(details, level)


# --- Unit conversion for the platform's µg/m³ / mg/m³ metrics ------------------------------------

MOLAR_VOLUME_L = 24.45
"""L/mol of an ideal gas at 25 °C and 101.325 kPa: the reference state of EPA's ppb ↔ µg/m³
conversions, and of gaseous pollutants in GB 3095-2012 as amended in 2018."""

MOLAR_MASS_G: Mapping[str, float] = {"o3": 48.00, "no2": 46.01, "so2": 64.07, "co": 28.01}
"""g/mol of the gaseous pollutants (standard atomic weights)."""


def ppb_from_ugm3(gas: str, ugm3: float) -> float:
    """µg/m³ → ppb (equivalently mg/m³ → ppm) of `gas` at 25 °C, 1 atm."""
    value = require_finite(f"{gas} concentration", ugm3, minimum=0.0)
    try:
        return value * MOLAR_VOLUME_L / MOLAR_MASS_G[gas]
    except KeyError:
        raise InvalidInputError(f"no molar mass for {gas!r}; known: {', '.join(MOLAR_MASS_G)}") from None


def compute(values: Mapping[str, object]) -> IndexResult | None:
    """IndexSpec adapter: converts the platform's µg/m³ (CO mg/m³) to EPA units and computes.

    PM2.5 and PM10 24-h averages count with 18 valid hours of 24 (EPA's 75 %, docs/standards.md
    §1.4); a period short of it is listed under ``invalid``. SO2 and O3 come as clock-hour means:
    SO2's newest hour is the 1-h value and the mean of the hourly means of 24 h the 24-h value
    (indexing SO2 from 305 ppb 1-h, App. G); they are not screened for validity yet.
    """
    no2, co = read_number(values, "no2"), read_number(values, "co")
    so2_1h_ug, so2_24h_ug = read_so2_hourly(values)
    o3_1h_ug, o3_8h_ug = read_o3_latest(values)
    screen = Screen(values)
    result = aqi_us(
        pm25_24h=screen.day_mean("pm25", "pm25_24h", min_hours=US_DAY_MIN_HOURS),
        pm10_24h=screen.day_mean("pm10", "pm10_24h", min_hours=US_DAY_MIN_HOURS),
        # µg/m³ → ppb, then ppb → ppm for ozone
        o3_8h=None if o3_8h_ug is None else ppb_from_ugm3("o3", o3_8h_ug) / 1000,
        o3_1h=None if o3_1h_ug is None else ppb_from_ugm3("o3", o3_1h_ug) / 1000,
        co_8h=None if co is None else ppb_from_ugm3("co", co),  # mg/m³ → ppm
        so2_1h=None if so2_1h_ug is None else ppb_from_ugm3("so2", so2_1h_ug),
        so2_24h=None if so2_24h_ug is None else ppb_from_ugm3("so2", so2_24h_ug),
        no2_1h=None if no2 is None else ppb_from_ugm3("no2", no2),
    )
    return screen.annotate(result)


# SO2 and O3 are read as clock-hour means: an index gets one window per metric, and each is
# needed at two averaging times (SO2 1 h and 24 h, O3 1 h and 8 h).
AQI_US = IndexSpec(
    id="aqi_us",
    title=Text(en="US AQI (EPA)", zh="美国空气质量指数（EPA）"),
    inputs=(
        IndexInput("pm25", Window.HOURLY_MEANS),
        IndexInput("pm25", Window.HOURLY_MINUTES),
        IndexInput("pm10", Window.HOURLY_MEANS),
        IndexInput("pm10", Window.HOURLY_MINUTES),
        IndexInput("o3", Window.HOURLY_MEANS),
        IndexInput("co", Window.MOVING_AVG_8H),
        IndexInput("so2", Window.HOURLY_MEANS),
        IndexInput("no2", Window.AVG_1H),
    ),
    compute=compute,
    source="40 CFR 58 App. G, PM2.5 breakpoints revised 2024 (docs/standards.md §1.2)",
    levels=LEVELS,
)
