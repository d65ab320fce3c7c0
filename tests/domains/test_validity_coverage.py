"""Data validity (standards §1.4) meets the AQI's coverage and the SO2 1-h/24-h switch (§1.1).

A pollutant left out for an invalid period had data: it is "not indexed", never "missing", and the
AQI is not complete. SO2 above 800 µg/m³ 1-h is indexed by its 24-h mean only when that mean is valid.
"""

from __future__ import annotations

from domains.environment.aqi_china import compute_daily, compute_realtime
from domains.environment.aqi_us import compute as compute_us
from domains.environment.hj633_iaqi import Edition, Row, iaqi
from tests.domains.validity_rig import full_hours, iaqis, invalid, station

CURRENT = 23  # the current clock hour's slot in `station`


def test_so2_above_800_is_indexed_by_a_valid_24_hour_mean() -> None:
    # 20 hours of 45 minutes at 900 µg/m³: the 1-h value has no IAQI, the 24-h mean (900) has one
    result = compute_realtime(station("so2", full_hours(range(4, 24), 900.0, minutes=45)))
    assert iaqis(result) == {"so2_24h": iaqi(Row.SO2_24H, 900.0, Edition.HJ633_2026)} == {"so2_24h": 213}
    assert result is not None and result.level is not None and result.level.code == "heavily_polluted"
    assert invalid(result) == {}
    assert result.details["indexed"] == ["so2"]


def test_so2_above_800_with_an_invalid_24_hour_period_is_not_indexed_and_says_why() -> None:
    values = station("so2", full_hours(range(5, 24), 900.0, minutes=45))  # 19 valid hours
    values |= station("pm25", {CURRENT: (20.0, 60)})
    result = compute_realtime(values)
    assert iaqis(result) == {"pm25": iaqi(Row.PM25_24H, 20.0, Edition.HJ633_2026)}
    assert invalid(result) == {
        "so2_24h": {"en": "SO2 24 h: 19 of 20 required hours", "zh": "SO2 24小时：有效小时 19，需 20"}
    }
    assert result is not None
    assert "so2_1h" in result.details["not_indexed"]  # type: ignore[operator]
    assert result.details["indexed"] == ["pm25"]
    assert result.details["missing"] == ["no2", "co", "o3", "pm10"]  # SO2 had data
    assert result.details["complete"] is False
    assert result.details["coverage_en"] == "PM2.5 only; missing NO2, CO, O3, PM10; not indexed: SO2"
    assert result.details["coverage_zh"] == "仅PM2.5；缺NO2、CO、O3、PM10；未计入SO2"


def test_the_so2_24_hour_mean_is_not_read_while_the_1_hour_value_has_an_iaqi() -> None:
    # two hours of 700 µg/m³: on the 1-h row, so the short day is no reason to report anything
    result = compute_realtime(station("so2", full_hours((22, 23), 700.0)))
    assert iaqis(result) == {"so2_1h": iaqi(Row.SO2_1H, 700.0, Edition.HJ633_2026)}
    assert invalid(result) == {}


def test_a_plain_so2_number_is_a_1_hour_value_without_a_24_hour_mean() -> None:
    result = compute_realtime({"so2": 900.0, "pm25": 10.0})
    assert iaqis(result) == {"pm25": 15} and invalid(result) == {}
    assert result is not None and "so2_1h" in result.details["not_indexed"]  # type: ignore[operator]


def test_an_hour_short_of_45_minutes_makes_its_pollutant_not_indexed_not_missing() -> None:
    values = station("pm25", {CURRENT: (80.0, 44)}) | station("no2", {CURRENT: (40.0, 50)})
    result = compute_realtime(values)
    assert result is not None
    assert result.details["indexed"] == ["no2"]
    assert result.details["missing"] == ["so2", "co", "o3", "pm10"]
    assert result.details["complete"] is False
    assert result.details["coverage_en"] == "NO2 only; missing SO2, CO, O3, PM10; not indexed: PM2.5"


def test_a_daily_mean_short_of_20_hours_makes_its_pollutant_not_indexed_not_missing() -> None:
    values = station("pm25", full_hours(range(5, 24), 50.0)) | station("no2", full_hours(range(24), 40.0))
    result = compute_daily(values)
    assert result is not None and set(invalid(result)) == {"pm25_24h"}
    assert result.details["indexed"] == ["no2"] and "pm25" not in result.details["missing"]  # type: ignore[operator]
    assert result.details["coverage_en"] == "NO2 only; missing SO2, CO, O3, PM10; not indexed: PM2.5"


def test_a_us_pm_average_short_of_18_hours_is_not_indexed_not_missing() -> None:
    result = compute_us(station("pm25", full_hours(range(7, 24), 20.0)))  # 17 valid hours
    assert result is not None and result.value is None and set(invalid(result)) == {"pm25_24h"}
    assert result.details["indexed"] == [] and "pm25" not in result.details["missing"]  # type: ignore[operator]
    assert result.details["complete"] is False
