"""The environment area against its standards: HJ 633 (China AQI), 40 CFR 58 App. G (US AQI),
GB 3838-2002 (surface water), and its rules as the alert evaluator will see them.

Expected values come from docs/standards.md (copied here, not read from the implementation) or
are worked by hand in the comments.
"""

from __future__ import annotations

import dataclasses
import math
import string

import pint
import pytest
from hypothesis import given
from hypothesis import strategies as st

from domains import registry
from domains.conditions import INACTIVE, advance, evaluate
from domains.environment import AREA, aqi_us, hj633_iaqi, hj633_levels, ozone_averages
from domains.environment.aqi_china import aqi_daily, aqi_realtime
from domains.environment.aqi_us import UsRow, sub_index
from domains.environment.hj633_iaqi import Edition, Row, iaqi
from domains.environment.ozone_averages import o3_8h_moving_average
from domains.environment.rules import water_class_rule
from domains.environment.water_quality import WaterBody, WaterClass, parameter_class, water_class
from domains.model import InvalidInputError, RuleSpec, Severity
from domains.rule_kinds.missing_data import evaluate_silence

HOUR = 3600

# --- China AQI, HJ 633 ----------------------------------------------------------------------------

IAQI = (0, 50, 100, 150, 200, 300, 400, 500)

# docs/standards.md §1.1, 2012 edition.
HJ633_2012 = {
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
# 2026 edition: PM10 and PM2.5 IAQI-100 breakpoints become 120 and 60.
HJ633_2026 = {
    **HJ633_2012,
    Row.PM10_24H: (0, 50, 120, 250, 350, 420, 500, 600),
    Row.PM25_24H: (0, 35, 60, 115, 150, 250, 350, 500),
}
EDITION_TABLES = {Edition.HJ633_2012: HJ633_2012, Edition.HJ633_2026: HJ633_2026}

BREAKPOINT_CASES = [
    pytest.param(edition, row, conc, IAQI[i], id=f"{edition.value}-{row.value}-{conc}")
    for edition, table in EDITION_TABLES.items()
    for row, concs in table.items()
    for i, conc in enumerate(concs)
]


@pytest.mark.parametrize(("edition", "row", "concentration", "expected"), BREAKPOINT_CASES)
def test_every_hj633_breakpoint_gives_its_iaqi(
    edition: Edition, row: Row, concentration: float, expected: int
) -> None:
    assert iaqi(row, concentration, edition) == expected


ABOVE_BREAKPOINT_CASES = [
    pytest.param(edition, row, conc, IAQI[i], id=f"{edition.value}-{row.value}-{conc}+")
    for edition, table in EDITION_TABLES.items()
    for row, concs in table.items()
    for i, conc in enumerate(concs[:-1])
]


@pytest.mark.parametrize(("edition", "row", "breakpoint", "iaqi_at_breakpoint"), ABOVE_BREAKPOINT_CASES)
def test_just_above_each_breakpoint_the_next_band_starts_one_higher(
    edition: Edition, row: Row, breakpoint: float, iaqi_at_breakpoint: int
) -> None:
    # The lower end of every band: 0.001 above a breakpoint adds a fraction of a point
    # (steepest slope: CO 24 h, 25 points per mg/m³ → 0.025), which rounds up to one.
    assert iaqi(row, breakpoint + 0.001, edition) == iaqi_at_breakpoint + 1


def test_pm25_at_75_is_iaqi_100_in_2012_edition_and_above_100_in_2026() -> None:
    assert iaqi(Row.PM25_24H, 75, Edition.HJ633_2012) == 100
    # 2026: (150−100)/(115−60)·(75−60)+100 = 113.6 → 114
    assert iaqi(Row.PM25_24H, 75, Edition.HJ633_2026) == 114


def test_pm25_80_rounds_up_to_107_in_2012_and_119_in_2026() -> None:
    # 2012: (150−100)/(115−75)·(80−75)+100 = 106.25 → 107
    assert iaqi(Row.PM25_24H, 80, Edition.HJ633_2012) == 107
    # 2026: (150−100)/(115−60)·(80−60)+100 = 118.18 → 119
    assert iaqi(Row.PM25_24H, 80, Edition.HJ633_2026) == 119


def test_pm10_130_is_exactly_90_in_2012_and_104_in_2026() -> None:
    # 2012: (100−50)/(150−50)·(130−50)+50 = 90 exactly — must not be rounded up to 91
    assert iaqi(Row.PM10_24H, 130, Edition.HJ633_2012) == 90
    # 2026: (150−100)/(250−120)·(130−120)+100 = 103.85 → 104
    assert iaqi(Row.PM10_24H, 130, Edition.HJ633_2026) == 104


def test_default_edition_is_2026() -> None:
    assert iaqi(Row.PM25_24H, 60) == 100
    assert aqi_realtime(pm25=60).details["edition"] == "HJ633-2026"


@pytest.mark.parametrize(
    ("row", "concentration", "expected"),
    [
        # 50/2 · 2.2 = 55 exactly; in binary floats 55.00000000000001, whose ceiling would be 56.
        (Row.CO_24H, 2.2, 55),
        # 50/35 · 4.9 = 7 exactly; floats give 7.000000000000001.
        (Row.PM25_24H, 4.9, 7),
        # (100−50)/(160−100)·(102.4−100)+50 = 52 exactly; floats give 52.00000000000001.
        (Row.O3_8H, 102.4, 52),
        # (500−400)/(2620−2100)·(2120.8−2100)+400 = 404 exactly; floats give 404.00000000000006.
        (Row.SO2_24H, 2120.8, 404),
    ],
)
def test_exact_integers_are_not_rounded_up_by_float_error(
    row: Row, concentration: float, expected: int
) -> None:
    assert iaqi(row, concentration, Edition.HJ633_2012) == expected


def test_tiny_concentration_rounds_up_to_iaqi_1() -> None:
    assert iaqi(Row.PM25_24H, 0.01) == 1
    assert iaqi(Row.PM25_24H, 0) == 0


def test_so2_24h_uses_its_own_row_not_the_1h_row() -> None:
    # On the 24-h row 150 µg/m³ is IAQI 100; on the 1-h row it would be 50.
    assert iaqi(Row.SO2_24H, 150) == 100
    assert iaqi(Row.SO2_1H, 150) == 50
    # Daily AQI from SO2 24 h = 500: (200−150)/(800−475)·(500−475)+150 = 153.8 → 154
    # (the 1-h row would give exactly 100).
    daily = aqi_daily(so2_24h=500)
    assert daily.value == 154
    assert daily.details["iaqi"] == {"so2_24h": 154}


def test_so2_1h_above_800_switches_to_the_24h_iaqi() -> None:
    # 24 h = 200: (150−100)/(475−150)·(200−150)+100 = 107.7 → 108
    result = aqi_realtime(so2_1h=801, so2_24h=200)
    assert result.value == 108
    assert result.details["iaqi"] == {"so2_24h": 108}
    assert "so2_1h" in result.details["not_indexed"]  # type: ignore[operator]


def test_so2_1h_at_800_is_still_indexed_on_the_1h_row() -> None:
    assert aqi_realtime(so2_1h=800, so2_24h=200).details["iaqi"] == {"so2_1h": 200}


def test_so2_1h_above_800_without_24h_value_reports_so2_as_not_indexable() -> None:
    result = aqi_realtime(so2_1h=900)
    assert result.value is None
    assert result.level is None
    assert "24-h" in str(result.details["not_indexed"])
    # Other pollutants still make an AQI.
    assert aqi_realtime(so2_1h=900, no2_1h=100).value == 50


def test_o3_8h_above_800_switches_to_the_o3_1h_iaqi() -> None:
    # O3 1 h = 850: (400−300)/(1000−800)·(850−800)+300 = 325
    result = aqi_realtime(o3_1h=850, o3_8h=801)
    assert result.value == 325
    assert result.details["iaqi"] == {"o3_1h": 325}
    assert "o3_8h" in result.details["not_indexed"]  # type: ignore[operator]
    daily = aqi_daily(o3_1h_max=850, o3_8h_max=801)
    assert daily.value == 325
    assert "o3_8h_max" in daily.details["not_indexed"]  # type: ignore[operator]


def test_o3_8h_at_800_is_iaqi_300() -> None:
    assert aqi_realtime(o3_8h=800).value == 300


def test_o3_8h_above_800_alone_cannot_be_indexed() -> None:
    result = aqi_realtime(o3_8h=900)
    assert result.value is None
    assert "not given" in str(result.details["not_indexed"])


def test_realtime_aqi_takes_o3_1h_and_8h_as_separate_items() -> None:
    # O3 1 h 250 → (150−100)/(300−200)·50+100 = 125; O3 8 h 180 → (150−100)/(215−160)·20+100 = 118.2 → 119
    result = aqi_realtime(o3_1h=250, o3_8h=180)
    assert result.details["iaqi"] == {"o3_1h": 125, "o3_8h": 119}
    assert result.value == 125
    assert result.details["primary_pollutants"] == ["o3_1h"]


def test_concentration_above_the_top_is_capped_at_500_and_says_so() -> None:
    result = aqi_realtime(pm25=650)
    assert result.value == 500
    assert result.details["capped"] == ["pm25"]
    assert aqi_realtime(pm25=500).details["capped"] == []
    assert hj633_iaqi.is_capped(Row.PM25_24H, 500.1)


def test_aqi_is_the_largest_iaqi() -> None:
    # PM2.5 80 (2012) → 107, PM10 100 → (100−50)/(150−50)·50+50 = 75, NO2 1 h 150 → 75
    result = aqi_realtime(pm25=80, pm10=100, no2_1h=150, edition=Edition.HJ633_2012)
    assert result.value == 107
    assert result.details["primary_pollutants"] == ["pm25"]
    assert result.details["exceeding_pollutants"] == ["pm25"]


def test_all_pollutants_tying_at_the_max_are_primary() -> None:
    # 2026: PM2.5 60 → 100 and PM10 120 → 100; NO2 1 h 100 → 50
    result = aqi_realtime(pm25=60, pm10=120, no2_1h=100)
    assert result.value == 100
    assert sorted(result.details["primary_pollutants"]) == ["pm10", "pm25"]  # type: ignore[call-overload]
    # IAQI exactly 100 is not exceeding: exceeding means > 100.
    assert result.details["exceeding_pollutants"] == []


def test_no_primary_pollutant_at_aqi_50_or_below() -> None:
    result = aqi_realtime(pm25=35, pm10=50)  # both 50
    assert result.value == 50
    assert result.details["primary_pollutants"] == []
    assert aqi_realtime(pm25=35.01).details["primary_pollutants"] == ["pm25"]  # 51


def test_daily_aqi_uses_24h_rows() -> None:
    # NO2 24 h 80 → 100 (the 1-h row would give 40); CO 24 h 4 → 100 (1-h row: 40)
    result = aqi_daily(no2_24h=80, co_24h=4)
    assert result.details["iaqi"] == {"no2_24h": 100, "co_24h": 100}
    assert result.details["variant"] == "daily"


@pytest.mark.parametrize(
    ("aqi", "code", "zh", "color", "severity"),
    [
        (0, "excellent", "优", "#00E400", None),
        (50, "excellent", "优", "#00E400", None),
        (51, "good", "良", "#FFFF00", Severity.INFO),
        (100, "good", "良", "#FFFF00", Severity.INFO),
        (101, "lightly_polluted", "轻度污染", "#FF7E00", Severity.WARNING),
        (150, "lightly_polluted", "轻度污染", "#FF7E00", Severity.WARNING),
        (151, "moderately_polluted", "中度污染", "#FF0000", Severity.MAJOR),
        (200, "moderately_polluted", "中度污染", "#FF0000", Severity.MAJOR),
        (201, "heavily_polluted", "重度污染", "#99004C", Severity.CRITICAL),
        (300, "heavily_polluted", "重度污染", "#99004C", Severity.CRITICAL),
        (301, "severely_polluted", "严重污染", "#7E0023", Severity.CRITICAL),
        (500, "severely_polluted", "严重污染", "#7E0023", Severity.CRITICAL),
    ],
)
def test_china_aqi_levels_at_both_ends(
    aqi: int, code: str, zh: str, color: str, severity: Severity | None
) -> None:
    lvl = hj633_levels.level(aqi)
    assert (lvl.code, lvl.title.zh, lvl.color, lvl.severity) == (code, zh, color, severity)
    assert lvl.title.en and lvl.advice is not None


ROW_TOPS = {row: concs[-1] for row, concs in HJ633_2026.items()}


@given(
    row=st.sampled_from(list(Row)),
    edition=st.sampled_from(list(Edition)),
    a=st.floats(min_value=0, max_value=5000, allow_nan=False),
    b=st.floats(min_value=0, max_value=5000, allow_nan=False),
)
def test_iaqi_never_decreases_as_concentration_rises(row: Row, edition: Edition, a: float, b: float) -> None:
    lo, hi = sorted((a, b))
    top = ROW_TOPS[row]
    if len(HJ633_2012[row]) < len(IAQI):
        lo, hi = min(lo, top), min(hi, top)  # short rows (SO2 1 h, O3 8 h) define nothing above their top
    i_lo, i_hi = iaqi(row, lo, edition), iaqi(row, hi, edition)
    assert i_lo is not None and i_hi is not None
    assert 0 <= i_lo <= i_hi <= 500


@given(row=st.sampled_from(list(Row)), c=st.floats(min_value=0, max_value=1e9, allow_nan=False))
def test_iaqi_is_total_over_non_negative_concentrations(row: Row, c: float) -> None:
    value = iaqi(row, c)
    if value is None:
        assert row in (Row.SO2_1H, Row.O3_8H) and c > 800
    else:
        assert 0 <= value <= 500 and isinstance(value, int)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, -0.1])
def test_iaqi_rejects_nan_inf_and_negative(bad: float) -> None:
    with pytest.raises(InvalidInputError, match="pm25_24h"):
        iaqi(Row.PM25_24H, bad)
    with pytest.raises(InvalidInputError):
        aqi_realtime(no2_1h=bad)


@given(st.one_of(st.just(math.nan), st.just(math.inf), st.floats(max_value=-1e-9, allow_nan=False)))
def test_daily_aqi_rejects_any_invalid_concentration(bad: float) -> None:
    with pytest.raises(InvalidInputError):
        aqi_daily(pm25_24h=bad)


# --- O3 8-hour moving average ----------------------------------------------------------------------


def test_o3_8h_average_with_six_valid_hours_is_their_mean() -> None:
    hours = [None, 100.0, 110.0, None, 120.0, 130.0, 140.0, 150.0]
    assert o3_8h_moving_average(hours) == pytest.approx((100 + 110 + 120 + 130 + 140 + 150) / 6)


def test_o3_8h_average_with_five_valid_hours_is_missing() -> None:
    assert o3_8h_moving_average([None, None, None, 100.0, 110.0, 120.0, 130.0, 140.0]) is None


def test_o3_8h_average_uses_only_the_last_eight_hours() -> None:
    assert o3_8h_moving_average([1000.0] * 4 + [80.0] * 8) == 80.0


def test_o3_8h_valid_hour_count_is_a_parameter() -> None:
    hours = [None, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0]
    assert o3_8h_moving_average(hours, min_valid_hours=8) is None
    assert o3_8h_moving_average(hours, min_valid_hours=7) == 100.0
    with pytest.raises(ValueError):
        o3_8h_moving_average(hours, min_valid_hours=9)


def _hourly_series(values: list[float], start_hour: int = 480_000) -> list[tuple[float, float]]:
    """One reading per hour, stamped 30 min into the hour."""
    return [((start_hour + i) * HOUR + 1800.0, v) for i, v in enumerate(values)]


def test_o3_from_series_gives_latest_hour_and_8h_average() -> None:
    # Two readings in the last hour (200, 220 → 210); seven earlier hours at 100.
    series = _hourly_series([100.0] * 7 + [200.0])
    series.append((series[-1][0] + 600, 220.0))
    o3_1h, o3_8h = ozone_averages.o3_from_series(series)
    assert o3_1h == 210.0
    assert o3_8h == pytest.approx((7 * 100 + 210) / 8)


def test_o3_from_series_with_a_gap_drops_the_8h_average() -> None:
    series = _hourly_series([100.0] * 8)
    del series[1:4]  # 3 of 8 hours missing → only 5 valid
    assert ozone_averages.o3_from_series(series) == (100.0, None)


def test_o3_daily_from_series_takes_maxima_over_the_last_24_hours() -> None:
    # 24 hours: 16 at 100, then 8 at 200; one 1-h peak of 300 in hour 20.
    values = [100.0] * 16 + [200.0] * 8
    values[20] = 300.0
    max_1h, max_8h = ozone_averages.o3_daily_from_series(_hourly_series(values))
    assert max_1h == 300.0
    assert max_8h == pytest.approx((7 * 200 + 300) / 8)


# --- China AQI as IndexSpecs -------------------------------------------------------------------------


def test_aqi_cn_index_reads_hourly_values_and_an_o3_series() -> None:
    spec = registry.index("environment", "aqi_cn")
    # O3 8 hours at 180: 1 h on the 1-h row (100−50)/(200−160)·(180−160)+50 = 75; 8 h → 119 (as above).
    # PM2.5 1 h 70 (2026): (150−100)/(115−60)·(70−60)+100 = 109.1 → 110. NO2 1 h 40: 50/100·40 = 20.
    result = spec.compute({"o3": _hourly_series([180.0] * 8), "pm25": 70.0, "no2": 40.0})
    assert result is not None
    assert result.details["iaqi"] == {"no2_1h": 20, "o3_1h": 75, "o3_8h": 119, "pm25": 110}
    assert result.value == 119
    assert result.details["primary_pollutants"] == ["o3_8h"]
    assert result.details["exceeding_pollutants"] == ["o3_8h", "pm25"]
    assert result.level is not None and result.level.code == "lightly_polluted"


def test_aqi_cn_index_without_inputs_is_none() -> None:
    assert registry.index("environment", "aqi_cn").compute({}) is None
    assert registry.index("environment", "aqi_cn_24h").compute({}) is None


def test_aqi_cn_index_rejects_a_non_number() -> None:
    with pytest.raises(InvalidInputError, match="pm25"):
        registry.index("environment", "aqi_cn").compute({"pm25": "high"})
    with pytest.raises(InvalidInputError, match="o3"):
        registry.index("environment", "aqi_cn").compute({"o3": 42.0})


def test_aqi_cn_24h_index_uses_daily_rows() -> None:
    spec = registry.index("environment", "aqi_cn_24h")
    result = spec.compute({"so2": 150.0, "co": 4.0})
    assert result is not None
    assert result.details["iaqi"] == {"so2_24h": 100, "co_24h": 100}


# --- US AQI, 40 CFR 58 App. G ----------------------------------------------------------------------

# docs/standards.md §1.2 plus App. G's 24-h SO2 rows: (C_lo, C_hi, I_lo, I_hi).
EPA: dict[UsRow, list[tuple[float, float, int, int]]] = {
    UsRow.PM25_24H: [
        (0.0, 9.0, 0, 50),
        (9.1, 35.4, 51, 100),
        (35.5, 55.4, 101, 150),
        (55.5, 125.4, 151, 200),
        (125.5, 225.4, 201, 300),
        (225.5, 325.4, 301, 500),
    ],
    UsRow.PM10_24H: [
        (0, 54, 0, 50),
        (55, 154, 51, 100),
        (155, 254, 101, 150),
        (255, 354, 151, 200),
        (355, 424, 201, 300),
        (425, 604, 301, 500),
    ],
    UsRow.O3_8H: [
        (0.000, 0.054, 0, 50),
        (0.055, 0.070, 51, 100),
        (0.071, 0.085, 101, 150),
        (0.086, 0.105, 151, 200),
        (0.106, 0.200, 201, 300),
    ],
    UsRow.O3_1H: [
        (0.125, 0.164, 101, 150),
        (0.165, 0.204, 151, 200),
        (0.205, 0.404, 201, 300),
        (0.405, 0.604, 301, 500),
    ],
    UsRow.CO_8H: [
        (0.0, 4.4, 0, 50),
        (4.5, 9.4, 51, 100),
        (9.5, 12.4, 101, 150),
        (12.5, 15.4, 151, 200),
        (15.5, 30.4, 201, 300),
        (30.5, 50.4, 301, 500),
    ],
    UsRow.SO2_1H: [(0, 35, 0, 50), (36, 75, 51, 100), (76, 185, 101, 150), (186, 304, 151, 200)],
    UsRow.SO2_24H: [(305, 604, 201, 300), (605, 1004, 301, 500)],
    UsRow.NO2_1H: [
        (0, 53, 0, 50),
        (54, 100, 51, 100),
        (101, 360, 101, 150),
        (361, 649, 151, 200),
        (650, 1249, 201, 300),
        (1250, 2049, 301, 500),
    ],
}

EPA_CASES = [
    pytest.param(row, c, i, id=f"{row.value}-{c}")
    for row, bands in EPA.items()
    for c_lo, c_hi, i_lo, i_hi in bands
    for c, i in ((c_lo, i_lo), (c_hi, i_hi))
]


@pytest.mark.parametrize(("row", "concentration", "expected"), EPA_CASES)
def test_every_epa_breakpoint_gives_its_aqi(row: UsRow, concentration: float, expected: int) -> None:
    assert sub_index(row, concentration) == expected


@pytest.mark.parametrize(
    ("row", "concentration", "expected"),
    [
        # PM2.5 35.45 truncates to 35.4 → 100, not 35.5 → 101
        (UsRow.PM25_24H, 35.45, 100),
        (UsRow.PM25_24H, 35.49, 100),
        (UsRow.PM25_24H, 35.5, 101),
        (UsRow.PM25_24H, 9.09, 50),  # → 9.0
        (UsRow.PM10_24H, 54.9, 50),  # → 54
        (UsRow.O3_8H, 0.0709, 100),  # → 0.070
        (UsRow.CO_8H, 4.49, 50),  # → 4.4
        (UsRow.SO2_1H, 35.9, 50),  # → 35
        (UsRow.NO2_1H, 53.99, 50),  # → 53
    ],
)
def test_epa_truncates_before_lookup(row: UsRow, concentration: float, expected: int) -> None:
    assert sub_index(row, concentration) == expected


def test_epa_rounds_half_up_to_the_nearest_integer() -> None:
    # CO 1.1 ppm: 50/4.4 · 1.1 = 12.5 → 13 (Python's round() would give 12)
    assert sub_index(UsRow.CO_8H, 1.1) == 13
    # O3 8 h 0.072: (150−101)/(0.085−0.071)·(0.072−0.071)+101 = 104.5 → 105
    assert sub_index(UsRow.O3_8H, 0.072) == 105
    # PM2.5 12.0: (100−51)/(35.4−9.1)·(12.0−9.1)+51 = 56.40 → 56
    assert sub_index(UsRow.PM25_24H, 12.0) == 56


def test_epa_ozone_reports_the_larger_of_8h_and_1h_where_both_apply() -> None:
    # 8 h 0.080: 49/0.014 · 0.009 + 101 = 132.5 → 133; 1 h 0.130: 49/0.039 · 0.005 + 101 = 107.3 → 107
    result = aqi_us.aqi_us(o3_8h=0.080, o3_1h=0.130)
    assert result.details["sub_indices"] == {"o3_8h": 133, "o3_1h": 107}
    assert result.value == 133
    # 1 h 0.300: 99/0.199 · 0.095 + 201 = 248.3 → 248 beats 8 h 0.080
    assert aqi_us.aqi_us(o3_8h=0.080, o3_1h=0.300).value == 248


def test_epa_ozone_8h_above_0_200_uses_the_1h_value() -> None:
    # 1 h 0.250: 99/0.199 · 0.045 + 201 = 223.4 → 223
    result = aqi_us.aqi_us(o3_8h=0.201, o3_1h=0.250)
    assert result.value == 223
    assert "o3_8h" in result.details["not_indexed"]  # type: ignore[operator]
    assert aqi_us.aqi_us(o3_8h=0.201).value is None


def test_epa_ozone_1h_below_0_125_defines_no_aqi() -> None:
    # 8 h 0.060: 49/0.015 · 0.005 + 51 = 67.3 → 67
    result = aqi_us.aqi_us(o3_8h=0.060, o3_1h=0.100)
    assert result.value == 67
    assert result.details["sub_indices"] == {"o3_8h": 67}
    assert sub_index(UsRow.O3_1H, 0.124) is None


def test_epa_so2_1h_of_305_or_more_uses_the_24h_value() -> None:
    # 24 h 400: (300−201)/(604−305)·(400−305)+201 = 232.5 → 232
    result = aqi_us.aqi_us(so2_1h=305, so2_24h=400)
    assert result.value == 232
    assert result.details["sub_indices"] == {"so2_24h": 232}
    assert aqi_us.aqi_us(so2_1h=304).value == 200


def test_epa_so2_24h_rows_are_from_app_g() -> None:
    # 605–1004 ppb → 301–500: at 805, (500−301)/(1004−605)·200+301 = 400.7 → 401
    assert sub_index(UsRow.SO2_24H, 805) == 401
    assert sub_index(UsRow.SO2_24H, 304) is None


def test_epa_so2_high_1h_with_low_24h_is_fixed_at_200() -> None:
    result = aqi_us.aqi_us(so2_1h=400, so2_24h=200)
    assert result.value == 200
    assert result.details["sub_indices"] == {"so2_1h": 200}


def test_epa_so2_high_1h_without_24h_is_not_indexed() -> None:
    result = aqi_us.aqi_us(so2_1h=400, no2_1h=53)
    assert result.value == 50
    assert "so2_1h" in result.details["not_indexed"]  # type: ignore[operator]


def test_epa_above_the_top_is_capped_at_500() -> None:
    result = aqi_us.aqi_us(pm25_24h=400.0)
    assert result.value == 500
    assert result.details["capped"] == ["pm25_24h"]


@pytest.mark.parametrize(
    ("aqi", "en", "color"),
    [
        (0, "Good", "#00E400"),
        (50, "Good", "#00E400"),
        (51, "Moderate", "#FFFF00"),
        (100, "Moderate", "#FFFF00"),
        (101, "Unhealthy for Sensitive Groups", "#FF7E00"),
        (150, "Unhealthy for Sensitive Groups", "#FF7E00"),
        (151, "Unhealthy", "#FF0000"),
        (200, "Unhealthy", "#FF0000"),
        (201, "Very Unhealthy", "#8F3F97"),
        (300, "Very Unhealthy", "#8F3F97"),
        (301, "Hazardous", "#7E0023"),
        (500, "Hazardous", "#7E0023"),
    ],
)
def test_epa_categories_and_colours(aqi: int, en: str, color: str) -> None:
    lvl = aqi_us.level(aqi)
    assert (lvl.title.en, lvl.color) == (en, color)
    assert lvl.title.zh


def test_epa_main_pollutants_include_ties() -> None:
    # PM10 154 → 100 and NO2 100 → 100
    result = aqi_us.aqi_us(pm10_24h=154, no2_1h=100)
    assert sorted(result.details["main_pollutants"]) == ["no2_1h", "pm10_24h"]  # type: ignore[call-overload]


@given(
    row=st.sampled_from(list(UsRow)),
    a=st.floats(min_value=0, max_value=3000, allow_nan=False),
    b=st.floats(min_value=0, max_value=3000, allow_nan=False),
)
def test_epa_sub_index_never_decreases_where_defined(row: UsRow, a: float, b: float) -> None:
    lo, hi = sorted((a, b))
    i_lo, i_hi = sub_index(row, lo), sub_index(row, hi)
    if i_lo is not None and i_hi is not None:
        assert 0 <= i_lo <= i_hi <= 500


@given(c=st.floats(min_value=0, max_value=1e6, allow_nan=False))
def test_epa_pm25_is_total(c: float) -> None:
    value = sub_index(UsRow.PM25_24H, c)
    assert value is not None and 0 <= value <= 500


@pytest.mark.parametrize("bad", [math.nan, math.inf, -1.0])
def test_epa_rejects_nan_inf_and_negative(bad: float) -> None:
    with pytest.raises(InvalidInputError):
        aqi_us.aqi_us(pm25_24h=bad)


def test_ugm3_to_ppb_at_25_degrees() -> None:
    # 1 mol of SO2 (64.07 g) in 24.45 L: 64.07 µg/m³ is 24.45 ppb
    assert aqi_us.ppb_from_ugm3("so2", 64.07) == pytest.approx(24.45)
    with pytest.raises(InvalidInputError, match="molar mass"):
        aqi_us.ppb_from_ugm3("h2s", 1.0)


def test_aqi_us_index_converts_platform_units() -> None:
    spec = registry.index("environment", "aqi_us")
    # O3 8 h of 100 µg/m³ = 100 · 24.45/48.00 = 50.9 ppb = 0.0509 ppm → 0.050 → 50/0.054 · 0.050 = 46.3 → 46
    # CO 5 mg/m³ = 5 · 24.45/28.01 = 4.36 ppm → 4.3 → 50/4.4 · 4.3 = 48.9 → 49
    result = spec.compute({"o3": _hourly_series([100.0] * 8), "co": 5.0})
    assert result is not None
    assert result.details["sub_indices"] == {"o3_8h": 46, "co_8h": 49}
    assert spec.compute({}) is None


# --- Surface water, GB 3838-2002 -------------------------------------------------------------------

CLASSES = (WaterClass.I, WaterClass.II, WaterClass.III, WaterClass.IV, WaterClass.V)
AT_MOST = {
    "water_cod_mn": (2, 4, 6, 10, 15),
    "water_nh3n": (0.15, 0.5, 1.0, 1.5, 2.0),
    "water_tn": (0.2, 0.5, 1.0, 1.5, 2.0),
}
TP = {WaterBody.RIVER: (0.02, 0.1, 0.2, 0.3, 0.4), WaterBody.LAKE: (0.01, 0.025, 0.05, 0.1, 0.2)}


@pytest.mark.parametrize(
    ("parameter", "limit", "cls"),
    [(p, lim, c) for p, limits in AT_MOST.items() for lim, c in zip(limits, CLASSES, strict=True)],
)
def test_upper_limit_parameters_at_and_just_above_each_limit(
    parameter: str, limit: float, cls: WaterClass
) -> None:
    assert parameter_class(parameter, limit) == cls
    assert parameter_class(parameter, limit + 0.001) == WaterClass(cls + 1)


@pytest.mark.parametrize(
    ("body", "limit", "cls"),
    [(b, lim, c) for b, limits in TP.items() for lim, c in zip(limits, CLASSES, strict=True)],
)
def test_total_phosphorus_limits_for_rivers_and_lakes(body: WaterBody, limit: float, cls: WaterClass) -> None:
    assert parameter_class("water_tp", limit, water_body=body) == cls
    assert parameter_class("water_tp", limit + 0.0001, water_body=body) == WaterClass(cls + 1)


def test_tp_0_05_is_class_ii_in_a_river_and_iii_in_a_lake() -> None:
    assert parameter_class("water_tp", 0.05) == WaterClass.II
    assert parameter_class("water_tp", 0.05, water_body=WaterBody.LAKE) == WaterClass.III


@pytest.mark.parametrize(
    ("value", "cls"),
    [
        (15, WaterClass.I),
        (15.01, WaterClass.III),
        (20, WaterClass.III),
        (30, WaterClass.IV),
        (40, WaterClass.V),
    ],
)
def test_cod_class_ii_shares_class_i_limit_so_15_is_class_i(value: float, cls: WaterClass) -> None:
    assert parameter_class("water_cod", value) == cls
    assert parameter_class("water_cod", 40.01) == WaterClass.WORSE_THAN_V


@pytest.mark.parametrize(
    ("value", "cls"),
    [
        (9.0, WaterClass.I),
        (7.5, WaterClass.I),
        (7.49, WaterClass.II),
        (6, WaterClass.II),
        (5.99, WaterClass.III),
        (5, WaterClass.III),
        (4.99, WaterClass.IV),
        (3, WaterClass.IV),
        (2.99, WaterClass.V),
        (2, WaterClass.V),
        (1.99, WaterClass.WORSE_THAN_V),
    ],
)
def test_dissolved_oxygen_is_at_least_higher_is_better(value: float, cls: WaterClass) -> None:
    assert parameter_class("water_do", value) == cls


@pytest.mark.parametrize(
    ("ph", "cls"),
    [
        (6.0, WaterClass.I),
        (7.2, WaterClass.I),
        (9.0, WaterClass.I),
        (5.99, WaterClass.WORSE_THAN_V),
        (9.01, WaterClass.WORSE_THAN_V),
    ],
)
def test_ph_6_to_9_for_every_class(ph: float, cls: WaterClass) -> None:
    assert parameter_class("water_ph", ph) == cls


def test_overall_class_is_the_worst_single_parameter() -> None:
    result = water_class({"water_do": 8.0, "water_nh3n": 1.2, "water_cod_mn": 5.0, "water_ph": 7.5})
    assert result.value == 4  # NH3-N 1.2 > 1.0 → IV; DO I, COD_Mn III, pH I
    assert result.level is not None and result.level.title.zh == "Ⅳ类"
    assert result.details["deciding_parameters"] == ["water_nh3n"]
    assert result.details["classes"] == {
        "water_do": "I",
        "water_nh3n": "IV",
        "water_cod_mn": "III",
        "water_ph": "I",
    }


def test_excluded_parameters_are_classed_but_do_not_decide() -> None:
    result = water_class({"water_do": 8.0, "water_tn": 2.5}, exclude={"water_tn"})
    assert result.value == 1
    assert result.details["classes"] == {"water_do": "I", "water_tn": "worse_than_V"}
    assert water_class({"water_tn": 2.5}, exclude={"water_tn"}).value is None
    with pytest.raises(InvalidInputError, match="unknown"):
        water_class({"water_do": 8.0}, exclude={"water_bod5"})


def test_unknown_water_parameter_and_bad_values_are_rejected() -> None:
    with pytest.raises(InvalidInputError, match="water_bod5"):
        parameter_class("water_bod5", 3.0)
    for bad in (math.nan, math.inf, -0.5):
        with pytest.raises(InvalidInputError):
            parameter_class("water_nh3n", bad)


@given(
    parameter=st.sampled_from(["water_cod_mn", "water_cod", "water_nh3n", "water_tp", "water_tn"]),
    a=st.floats(min_value=0, max_value=100, allow_nan=False),
    b=st.floats(min_value=0, max_value=100, allow_nan=False),
)
def test_more_pollutant_never_gives_a_better_class(parameter: str, a: float, b: float) -> None:
    lo, hi = sorted((a, b))
    assert parameter_class(parameter, lo) <= parameter_class(parameter, hi)


@given(
    a=st.floats(min_value=0, max_value=20, allow_nan=False),
    b=st.floats(min_value=0, max_value=20, allow_nan=False),
)
def test_more_dissolved_oxygen_never_gives_a_worse_class(a: float, b: float) -> None:
    lo, hi = sorted((a, b))
    assert parameter_class("water_do", lo) >= parameter_class("water_do", hi)


def test_water_class_index_from_station_readings() -> None:
    spec = registry.index("environment", "water_class")
    result = spec.compute({"water_do": 4.0, "water_tp": 0.15})  # DO IV, TP (river) III
    assert result is not None and result.value == 4
    assert spec.compute({}) is None


# --- Rules ---------------------------------------------------------------------------------------------


def _rule(name: str) -> RuleSpec:
    return registry.rule(f"environment.{name}")


@pytest.mark.parametrize(
    ("aqi", "severity", "level"),
    [
        (100, None, None),
        (101, Severity.WARNING, "lightly_polluted"),
        (150, Severity.WARNING, "lightly_polluted"),
        (151, Severity.MAJOR, "moderately_polluted"),
        (201, Severity.CRITICAL, "heavily_polluted"),
        (301, Severity.CRITICAL, "severely_polluted"),
    ],
)
def test_aqi_ladder_rises_with_the_level(aqi: int, severity: Severity | None, level: str | None) -> None:
    decision = evaluate(_rule("aqi_cn_level"), aqi)
    assert decision.severity == severity
    got_level = (
        None
        if decision.threshold is None or decision.threshold.level is None
        else decision.threshold.level.code
    )
    assert got_level == level


@pytest.mark.parametrize("aqi", [101, 151, 201, 300, 301, 500])
def test_aqi_ladder_names_the_same_level_whatever_order_its_rungs_are_listed_in(aqi: int) -> None:
    rule = _rule("aqi_cn_level")
    worst_first = dataclasses.replace(rule, thresholds=rule.thresholds[::-1])
    assert evaluate(worst_first, aqi) == evaluate(rule, aqi)
    assert evaluate(worst_first, aqi - 3, Severity.CRITICAL) == evaluate(rule, aqi - 3, Severity.CRITICAL)


def test_aqi_ladder_rungs_match_the_severity_of_their_levels() -> None:
    for rung in _rule("aqi_cn_level").thresholds:
        assert rung.level is not None and rung.level.severity == rung.severity
        assert hj633_levels.level(rung.value) == rung.level


def test_aqi_ladder_fires_only_after_an_hour_of_pollution() -> None:
    rule = _rule("aqi_cn_level")
    state, firing = advance(INACTIVE, 0, evaluate(rule, 120).severity, rule.for_s)
    assert firing is None
    state, firing = advance(state, 3599, evaluate(rule, 125).severity, rule.for_s)
    assert firing is None
    state, firing = advance(state, 3600, evaluate(rule, 118).severity, rule.for_s)
    assert firing is Severity.WARNING


def test_aqi_ladder_does_not_fire_when_pollution_breaks_within_the_hour() -> None:
    rule = _rule("aqi_cn_level")
    state, _ = advance(INACTIVE, 0, evaluate(rule, 120).severity, rule.for_s)
    state, _ = advance(state, 1800, evaluate(rule, 90).severity, rule.for_s)
    state, firing = advance(state, 3600, evaluate(rule, 120).severity, rule.for_s)
    assert firing is None


def test_aqi_alert_does_not_clear_while_hovering_just_under_the_boundary() -> None:
    rule = _rule("aqi_cn_level")
    assert evaluate(rule, 98, active=Severity.WARNING).severity is Severity.WARNING
    assert evaluate(rule, 90, active=Severity.WARNING).severity is None


def test_pm25_exceedance_trips_above_the_2026_iaqi_100_breakpoint() -> None:
    rule = _rule("pm25_24h_exceedance")
    assert rule.subject == "pm25_24h_mean"  # the 24-h mean of valid periods only (GB 3095 §8)
    assert evaluate(rule, 59.9).severity is None
    # HJ 633: exceeding is IAQI > 100; 60.0 µg/m³ is IAQI 100 exactly (2026 edition), not exceeding
    assert iaqi(Row.PM25_24H, 60.0) == 100 and evaluate(rule, 60.0).severity is None
    above = math.nextafter(60.0, math.inf)
    assert iaqi(Row.PM25_24H, 60.01) == 101 and evaluate(rule, above).severity is Severity.WARNING
    assert evaluate(rule, 75.0).severity is Severity.WARNING


@pytest.mark.parametrize(
    ("cls", "severity"),
    [(1, None), (3, None), (4, Severity.WARNING), (5, Severity.MAJOR), (6, Severity.CRITICAL)],
)
def test_water_class_worse_than_iii_alerts(cls: int, severity: Severity | None) -> None:
    assert evaluate(_rule("water_class_below_target"), cls).severity == severity


def test_water_class_target_is_configurable() -> None:
    rule = water_class_rule(WaterClass.II)
    assert rule.configurable_default
    assert evaluate(rule, 2).severity is None
    assert evaluate(rule, 3).severity is Severity.WARNING
    assert evaluate(rule, 6).severity is Severity.CRITICAL
    assert "II" in rule.message.en
    with pytest.raises(ValueError):
        water_class_rule(WaterClass.WORSE_THAN_V)


@pytest.mark.parametrize(
    ("name", "silent_after"),
    [("aq_station_silent", 2 * HOUR), ("weather_station_silent", 600), ("water_station_silent", 8 * HOUR)],
)
def test_silent_stations_alert_after_their_silence(name: str, silent_after: int) -> None:
    rule = _rule(name)
    assert evaluate_silence(rule, 0, silent_after - 1).severity is None
    assert evaluate_silence(rule, 0, silent_after).severity is Severity.WARNING


# --- The area as a whole ---------------------------------------------------------------------------

ALLOWED_PLACEHOLDERS = {"device", "value", "unit", "level", "threshold", "advice", "coverage"}


def test_area_is_registered_and_valid() -> None:
    area = registry.area("environment")
    assert area is AREA
    assert area.title.en == "Environment monitoring" and area.title.zh == "环境监测"
    assert {i.id for i in area.indices} == {
        "aqi_cn",
        "aqi_cn_24h",
        "aqi_us",
        "aqi_us_nowcast",
        "pm25_24h_mean",
        "water_class",
        "data_completeness",
    }
    assert any(r.kind == "missing_data" for r in area.rules)
    registry.validate(area)


def test_rule_messages_use_only_known_placeholders() -> None:
    for rule in AREA.rules:
        for template in (rule.message.en, rule.message.zh):
            names = {f for _, f, _, _ in string.Formatter().parse(template) if f}
            assert names <= ALLOWED_PLACEHOLDERS, (rule.id, names)
        assert rule.source


def test_every_metric_unit_is_a_pint_unit_and_every_device_kind_is_described() -> None:
    ureg: pint.UnitRegistry[float] = pint.UnitRegistry()
    for metric in AREA.metrics:
        ureg.Unit(metric.unit)
        assert metric.device_kinds and set(metric.device_kinds) <= set(AREA.device_kinds)
        assert metric.title.en and metric.title.zh
    assert registry.metric("environment", "water_ph").unit == "dimensionless"
    assert registry.metric("environment", "co").unit == "mg/m^3"


def test_weather_metrics_carry_the_section_7_qc_limits() -> None:
    t = registry.metric("environment", "air_temperature")
    assert t.plausible == (-80, 60)
    assert (t.qc.step_suspect, t.qc.step_error, t.qc.persistence_min_change) == (2, 3, 0.1)
    rh = registry.metric("environment", "relative_humidity")
    assert (rh.qc.step_suspect, rh.qc.step_error, rh.qc.persistence_below) == (5, 15, 95)
    p = registry.metric("environment", "air_pressure")
    assert p.plausible == (500, 1100) and (p.qc.step_suspect, p.qc.step_error) == (0.5, 2)
    assert registry.metric("environment", "wind_speed").plausible == (0, 75)


def _per_hour_accumulator_means(series: list[tuple[float, float]]) -> dict[int, float]:
    """hourly_means as first written: one accumulator per hour, filled in time order."""
    sums: dict[int, list[float]] = {}
    for t, v in sorted(series):
        acc = sums.setdefault(math.floor(t / 3600), [0.0, 0.0])
        acc[0] += v
        acc[1] += 1
    return {hour: total / count for hour, (total, count) in sums.items()}


# Times on and just off hour boundaries, where floor(t / 3600) is easiest to get wrong.
_o3_times = st.one_of(
    st.floats(min_value=1.7e9, max_value=1.7e9 + 30 * 3600),
    st.integers(min_value=472_222, max_value=472_252).map(lambda h: h * 3600.0),
    st.integers(min_value=472_222, max_value=472_252).map(lambda h: math.nextafter(h * 3600.0, 0.0)),
)
_o3_series = st.lists(
    st.tuples(_o3_times, st.floats(min_value=0, max_value=1000)), unique_by=lambda p: p[0], max_size=80
)


@given(_o3_series)
def test_hourly_means_match_a_per_hour_accumulator_to_the_last_bit(series: list[tuple[float, float]]) -> None:
    assert ozone_averages.hourly_means(series) == _per_hour_accumulator_means(series)


@given(_o3_series, st.sampled_from(["aqi_cn", "aqi_cn_24h", "aqi_us"]))
def test_an_o3_series_gives_the_same_aqi_sent_oldest_or_newest_first(
    series: list[tuple[float, float]], index_id: str
) -> None:
    spec = registry.index("environment", index_id)
    oldest_first = sorted(series)
    assert spec.compute({"o3": oldest_first, "pm25": 40.0}) == spec.compute(
        {"o3": oldest_first[::-1], "pm25": 40.0}
    )


def test_a_day_of_minute_o3_readings_gives_the_hourly_and_daily_aqi() -> None:
    start = 472_222 * 3600.0
    series = [(start + 60.0 * i, 60.0 + (i // 60) * 5.0) for i in range(1440)]  # hour h: 60 + 5h µg/m³
    o3_1h, o3_8h = ozone_averages.o3_from_series(series)
    assert o3_1h == 175.0  # the last hour, 23: 60 + 115
    assert o3_8h == pytest.approx(157.5)  # hours 16..23
    assert ozone_averages.o3_daily_from_series(series) == (175.0, o3_8h)
