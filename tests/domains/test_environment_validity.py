"""Data validity at every boundary of GB 3095-2012 §8 Table 4, HJ 663-2013 and EPA 75 % (standards §1.4)."""

from __future__ import annotations

import pytest

from domains.environment.aqi_china import compute_daily, compute_realtime
from domains.environment.aqi_us import compute as compute_us
from domains.environment.hj633_iaqi import Edition, Row, iaqi
from domains.environment.validity import completeness, covered_minutes, hour_is_valid
from domains.model import InvalidInputError
from tests.domains.validity_rig import full_hours, iaqis, invalid, station

# --- sampling time of an hour ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes_with_data", "interval_s", "covered", "valid"),
    [
        (45, 60, 45, True),  # GB 3095 Table 4: at least 45 minutes
        (44, 60, 44, False),
        (60, 10, 60, True),  # faster than a minute: each minute with data counts once
        (9, 300, 45, True),  # every 5 minutes: 9 readings are 45 minutes of sampling
        (8, 300, 40, False),
        (12, 300, 60, True),
        (2, 3600, 60, True),  # an hourly reporter: one reading covers the hour, never more than 60
        (0, 60, 0, False),
    ],
)
def test_an_hour_is_valid_with_45_minutes_of_sampling(
    minutes_with_data: int, interval_s: float, covered: float, valid: bool
) -> None:
    assert covered_minutes(minutes_with_data, interval_s) == covered
    assert hour_is_valid(covered_minutes(minutes_with_data, interval_s)) is valid


def test_a_report_interval_must_be_positive() -> None:
    with pytest.raises(InvalidInputError):
        covered_minutes(10, 0)


# --- 1-hour values (real-time AQI) ----------------------------------------------------------


def test_the_current_hour_counts_from_its_45th_minute() -> None:
    at_45 = compute_realtime(station("no2", {22: (100.0, 60), 23: (300.0, 45)}))
    assert iaqis(at_45) == {"no2_1h": iaqi(Row.NO2_1H, 300.0, Edition.HJ633_2026)}
    # with 44 minutes the current hour is not yet valid: the previous, complete hour is published
    at_44 = compute_realtime(station("no2", {22: (100.0, 60), 23: (300.0, 44)}))
    assert iaqis(at_44) == {"no2_1h": iaqi(Row.NO2_1H, 100.0, Edition.HJ633_2026)}
    assert invalid(at_44) == {}


def test_an_hour_short_of_45_minutes_is_not_indexed_and_says_why() -> None:
    result = compute_realtime(station("pm25", {22: (80.0, 44)}) | station("no2", {23: (40.0, 50)}))
    assert iaqis(result) == {"no2_1h": 20}
    assert invalid(result) == {
        "pm25": {"en": "PM2.5 1 h: 44 of 45 required minutes", "zh": "PM2.5 1小时：有效分钟 44，需 45"}
    }


def test_nothing_valid_is_published_without_a_level_but_with_the_reasons() -> None:
    result = compute_realtime(station("pm25", {23: (500.0, 30)}))
    assert result is not None and result.value is None and result.level is None
    assert invalid(result)["pm25"]["en"] == "PM2.5 1 h: 30 of 45 required minutes"


def test_a_number_given_directly_is_indexed_as_given() -> None:
    result = compute_realtime({"pm25": 80.0})
    assert iaqis(result) == {"pm25": iaqi(Row.PM25_24H, 80.0, Edition.HJ633_2026)} and invalid(result) == {}


# --- 24-hour means ----------------------------------------------------------------------------


@pytest.mark.parametrize(("valid_hours", "indexed"), [(24, True), (20, True), (19, False)])
def test_a_24_hour_mean_needs_20_valid_hours(valid_hours: int, indexed: bool) -> None:
    hours = full_hours(range(24 - valid_hours, 24), 50.0)
    result = compute_daily(station("pm25", hours))
    if indexed:
        assert iaqis(result) == {"pm25_24h": iaqi(Row.PM25_24H, 50.0, Edition.HJ633_2026)}
        assert invalid(result) == {}
    else:
        assert result is not None and result.value is None
        assert invalid(result) == {
            "pm25_24h": {
                "en": "PM2.5 24 h: 19 of 20 required hours",
                "zh": "PM2.5 24小时：有效小时 19，需 20",
            }
        }


def test_hours_short_of_45_minutes_are_left_out_of_the_24_hour_mean() -> None:
    hours = full_hours(range(4, 24), 30.0, minutes=45) | full_hours(range(4), 900.0, minutes=44)
    result = compute_daily(station("so2", hours))
    assert iaqis(result) == {"so2_24h": iaqi(Row.SO2_24H, 30.0, Edition.HJ633_2026)}
    nineteen = full_hours(range(5, 24), 30.0, minutes=45) | full_hours(range(5), 900.0, minutes=44)
    assert (
        invalid(compute_daily(station("so2", nineteen)))["so2_24h"]["en"]
        == "SO2 24 h: 19 of 20 required hours"
    )


@pytest.mark.parametrize(("valid_hours", "indexed"), [(18, True), (17, False)])
def test_the_us_24_hour_average_needs_75_percent_of_the_hours(valid_hours: int, indexed: bool) -> None:
    result = compute_us(station("pm25", full_hours(range(24 - valid_hours, 24), 20.0)))
    assert result is not None
    if indexed:
        assert result.details["sub_indices"] == {"pm25_24h": 71}  # 20.0 µg/m³: 51 + 49/26.3 · 10.9 = 71.3
    else:
        assert result.value is None
        assert invalid(result)["pm25_24h"]["en"] == "PM2.5 24 h: 17 of 18 required hours"


# --- ozone ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("valid_of_8", "indexed"), [(8, True), (6, True), (5, False)])
def test_an_8_hour_ozone_mean_needs_6_valid_hours(valid_of_8: int, indexed: bool) -> None:
    hours = full_hours(range(24 - valid_of_8, 24), 150.0) | full_hours(range(16, 24 - valid_of_8), 900.0, 44)
    result = compute_realtime(station("o3", hours))
    if indexed:
        assert iaqis(result)["o3_8h"] == iaqi(Row.O3_8H, 150.0, Edition.HJ633_2026)
    else:
        assert "o3_8h" not in iaqis(result)
        assert invalid(result) == {
            "o3_8h": {"en": "O3 8 h: 5 of 6 required hours", "zh": "O3 8小时：有效小时 5，需 6"}
        }


# The 17 eight-hour windows of the day start at hours 0..16; with the first m hours missing,
# window k keeps 8 − max(0, m − k) hours, so 19 − m windows have their 6 hours.
@pytest.mark.parametrize(
    ("missing_first", "level", "indexed"),
    [
        (5, 100.0, True),  # 14 valid 8-hour means (HJ 663)
        (6, 100.0, False),  # 13
        (6, 170.0, True),  # 13, but above the 160 µg/m³ limit: the exceedance stands
        (6, 160.0, False),  # at the limit is not above it
    ],
)
def test_the_daily_maximum_8_hour_ozone_needs_14_valid_8_hour_means(
    missing_first: int, level: float, indexed: bool
) -> None:
    result = compute_daily(station("o3", full_hours(range(missing_first, 24), level)))
    assert iaqis(result)["o3_1h_max"] == iaqi(Row.O3_1H, level, Edition.HJ633_2026)
    if indexed:
        assert iaqis(result)["o3_8h_max"] == iaqi(Row.O3_8H, level, Edition.HJ633_2026)
        assert invalid(result) == {}
    else:
        assert "o3_8h_max" not in iaqis(result)
        assert invalid(result) == {
            "o3_8h_max": {
                "en": "O3 daily max 8 h: 13 of 14 required 8-hour means",
                "zh": "O3 日最大8小时：有效8小时均值 13，需 14",
            }
        }


# --- completeness -----------------------------------------------------------------------------


def test_completeness_counts_valid_hours_per_pollutant() -> None:
    values = station("pm25", full_hours(range(4, 24), 10.0, minutes=45) | {3: (10.0, 44)})
    values |= station("o3", full_hours(range(24), 90.0, minutes=44))
    result = completeness(values)
    assert result is not None
    pollutants = result.details["pollutants"]
    assert isinstance(pollutants, dict)
    assert pollutants["pm25"] == {
        "valid_hours": 20,
        "expected_hours": 24,
        "hours_with_data": 21,
        "required_hours_cn": 20,
        "day_valid_cn": True,
        "required_hours_us": 18,
        "day_valid_us": True,
        "current_hour_minutes": 45.0,
        "previous_hour_minutes": 45.0,
    }
    assert result.value == 0 and pollutants["o3"]["valid_hours"] == 0  # 44 minutes: no hour counts
    assert completeness({}) is None
    # 9 readings 5 minutes apart are 45 minutes of sampling: every hour counts
    every_5_min = completeness(station("o3", full_hours(range(24), 90.0, minutes=9), report_interval_s=300))
    assert every_5_min is not None and every_5_min.value == 24
