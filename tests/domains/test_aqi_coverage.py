"""The real-time AQIs read SO2 at both averaging times, say which pollutants they stand on, and
GB 3838 total nitrogen decides only lakes and reservoirs (docs/standards.md §1.1–§1.3)."""

from __future__ import annotations

import pytest

from domains import registry
from domains.environment.aqi_china import aqi_daily, aqi_realtime, compute_realtime
from domains.environment.aqi_us import aqi_us, ppb_from_ugm3
from domains.environment.aqi_us import compute as compute_us
from domains.environment.hj633_iaqi import Row, iaqi
from domains.environment.water_quality import WaterBody, compute, water_class

H = 3600.0


def _hourly(values: list[float]) -> tuple[tuple[float, float], ...]:
    """(hour start, mean) points of consecutive clock hours, as Window.HOURLY_MEANS gives them."""
    return tuple((1_800_000_000.0 + i * H, v) for i, v in enumerate(values))


def test_so2_900_with_pm25_10_is_not_an_excellent_aqi_of_15() -> None:
    # the case: SO2 at 900 µg/m³ 1-h, with a valid 24-h mean (20 hours, §1.4) of 900 as well
    result = compute_realtime({"so2": _hourly([900.0] * 20), "pm25": 10.0})
    assert result is not None and result.level is not None
    assert result.value == iaqi(Row.SO2_24H, 900.0) == 213 and result.level.code == "heavily_polluted"
    assert result.details["iaqi"] == {"so2_24h": 213, "pm25": 15}
    assert "so2_1h" in result.details["not_indexed"]  # type: ignore[operator]


def test_realtime_so2_is_the_newest_hour_and_its_24_hour_mean_the_mean_of_the_hourly_means() -> None:
    hours = [100.0] * 23 + [700.0]  # 1-h 700 is on the 1-h row
    result = compute_realtime({"so2": _hourly(hours)})
    assert result is not None and result.details["iaqi"] == {"so2_1h": iaqi(Row.SO2_1H, 700.0)}
    hours[-1] = 900.0  # above 800: indexed by the 24-h mean (100·23 + 900) / 24
    result = compute_realtime({"so2": _hourly(hours)})
    assert result is not None and result.details["iaqi"] == {"so2_24h": iaqi(Row.SO2_24H, 3200.0 / 24)}
    # only the 24 clock hours ending at the newest one count
    result = compute_realtime({"so2": _hourly([5000.0, *hours])})
    assert result is not None and result.details["iaqi"] == {"so2_24h": iaqi(Row.SO2_24H, 3200.0 / 24)}


def test_the_realtime_indices_read_so2_as_hourly_means() -> None:
    for index in ("aqi_cn", "aqi_us"):
        inputs = {(i.metric, i.window) for i in registry.index("environment", index).inputs}
        assert ("so2", "hourly_means") in inputs, index


def test_us_aqi_indexes_so2_from_305_ppb_by_the_24_hour_average_from_stored_hourly_means() -> None:
    ppb = ppb_from_ugm3("so2", 1100.0)  # 1100 µg/m³ is 419.78 ppb, truncated to 419
    assert int(ppb) == 419
    result = compute_us({"so2": _hourly([1100.0] * 24)})  # 24-h average 419 ppb as well
    assert result is not None
    assert result.details["sub_indices"] == {"so2_24h": 239}  # (300 − 201)/(604 − 305)·(419 − 305) + 201
    assert result.value == aqi_us(so2_1h=ppb, so2_24h=ppb).value == 239
    short = compute_us({"so2": _hourly([1100.0])})
    assert short is not None and short.value == 239
    low_day = compute_us({"so2": _hourly([20.0] * 23 + [1100.0])})
    assert low_day is not None and low_day.value == 200  # EPA: 1-h ≥ 305, 24-h below 305 → 200


def test_an_aqi_of_pm25_alone_is_published_as_incomplete() -> None:
    result = aqi_realtime(pm25=20.0)
    assert result.level is not None and result.level.code == "excellent"
    assert result.details["indexed"] == ["pm25"]
    assert result.details["missing"] == ["so2", "no2", "co", "o3", "pm10"]
    assert result.details["complete"] is False
    assert result.details["coverage_en"] == "PM2.5 only; missing SO2, NO2, CO, O3, PM10"
    assert result.details["coverage_zh"] == "仅PM2.5；缺SO2、NO2、CO、O3、PM10"


def test_all_six_pollutants_make_a_complete_aqi() -> None:
    result = aqi_realtime(so2_1h=10, no2_1h=20, co_1h=0.5, o3_1h=60, pm25=20, pm10=40)
    assert result.details["complete"] is True and result.details["missing"] == []
    assert "coverage_en" not in result.details
    daily = aqi_daily(so2_24h=10, no2_24h=20, co_24h=0.5, o3_8h_max=60, pm25_24h=20, pm10_24h=40)
    assert daily.details["complete"] is True
    us = aqi_us(pm25_24h=5, pm10_24h=20, o3_8h=0.03, co_8h=0.5, so2_1h=5, no2_1h=10)
    assert us.details["complete"] is True


def test_a_pollutant_given_but_not_indexed_is_neither_indexed_nor_missing() -> None:
    # 1-h SO2 above 800 with no 24-h value: SO2 has data but no IAQI
    result = aqi_realtime(so2_1h=900, pm25=20)
    assert result.details["indexed"] == ["pm25"] and "so2" not in result.details["missing"]  # type: ignore[operator]
    assert result.details["coverage_en"] == "PM2.5 only; missing NO2, CO, O3, PM10; not indexed: SO2"
    # ozone counts as indexed by either averaging time
    assert aqi_realtime(o3_1h=100, o3_8h=900).details["indexed"] == ["o3"]


@pytest.mark.parametrize(("body", "overall"), [(WaterBody.RIVER, "II"), (WaterBody.LAKE, "worse_than_V")])
def test_total_nitrogen_decides_lakes_and_reservoirs_only(body: WaterBody, overall: str) -> None:
    values = {"water_do": 6.5, "water_tn": 3.0}  # DO class II; TN beyond class V
    result = water_class(values, water_body=body)
    assert result.level is not None and result.level.code == overall
    assert result.details["classes"] == {"water_do": "II", "water_tn": "worse_than_V"}


def test_the_water_class_index_takes_the_water_body_from_the_device_setting() -> None:
    river = compute({"water_do": 6.5, "water_tn": 3.0})
    assert river is not None and river.value == 2.0 and river.details["excluded"] == ["water_tn"]
    for setting in ("lake", "reservoir", "LAKE"):
        lake = compute({"water_do": 6.5, "water_tn": 3.0, "water_body": setting})
        assert lake is not None and lake.value == 6.0, setting
    # the lake row for phosphorus: 0.05 is class III in a lake, class II in a river
    tp_lake = compute({"water_tp": 0.05, "water_body": "lake"})
    assert tp_lake is not None and tp_lake.details["classes"] == {"water_tp": "III"}
    assert compute({"water_tn": 3.0}) is None  # a river with nothing but TN has no class
