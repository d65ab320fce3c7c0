"""The AQI and water-class views over stored data: SO2 above 800 µg/m³ indexed by its 24-h mean,
which pollutants an AQI stands on, and total nitrogen deciding only a lake's class (docs/standards.md
§1.1–§1.3)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import psycopg
import pytest

from domains.environment.aqi_china import compute_realtime
from domains.environment.aqi_us import UsRow, ppb_from_ugm3, sub_index
from domains.environment.hj633_iaqi import Row, iaqi
from store.device_registry import NewDevice
from tests.api.conftest import KeyFactory
from tests.api.rig import bearer, register, store_readings

HOURLY = {"report_interval_s": 3600}
"""An hourly reporter: each reading stands for its hour of sampling, so every stored hour is valid
(docs/standards.md §1.4)."""


@pytest.fixture
def viewer(make_key: KeyFactory) -> dict[str, str]:
    return bearer(make_key("t1", "viewer"))


@pytest.fixture
def so2_station(api_db: psycopg.Connection) -> list[tuple[datetime, float]]:
    """A station whose SO2 was 100 µg/m³ for 22 hours and 900 µg/m³ in the newest hour, PM2.5 10."""
    register(
        api_db,
        NewDevice("aq-so2", "environment", "aq_station", tenant="t1", site="smelter", metadata=HOURLY),
    )
    now = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)
    so2 = [(now - timedelta(hours=k), 100.0) for k in range(22, 0, -1)] + [(now, 900.0)]
    store_readings(api_db, "aq-so2", "so2", so2)
    store_readings(api_db, "aq-so2", "pm25", [(now, 10.0)])
    return so2


def _item(client: httpx.Client, viewer: dict[str, str], standard: str, site: str) -> dict[str, object]:
    r = client.get("/environment/aqi", params={"standard": standard, "site": site}, headers=viewer)
    assert r.status_code == 200, r.text
    (item,) = r.json()["items"]
    assert isinstance(item, dict)
    return item


def test_hourly_china_aqi_indexes_so2_above_800_by_its_24_hour_mean(
    client: httpx.Client, viewer: dict[str, str], so2_station: list[tuple[datetime, float]]
) -> None:
    item = _item(client, viewer, "HJ633-2026", "smelter")
    mean_24h = sum(v for _, v in so2_station) / len(so2_station)  # one reading per clock hour
    so2_iaqi = iaqi(Row.SO2_24H, mean_24h)
    assert so2_iaqi > iaqi(Row.PM25_24H, 10.0) == 15
    assert item["value"] == so2_iaqi, "SO2 decides the AQI; PM2.5 alone would give 15"
    details = item["details"]
    assert isinstance(details, dict)
    assert details["iaqi"] == {"so2_24h": so2_iaqi, "pm25": 15}
    assert "so2_1h" in details["not_indexed"] and details["primary_pollutants"] == ["so2_24h"]
    expected = compute_realtime({"so2": tuple((t.timestamp(), v) for t, v in so2_station), "pm25": 10.0})
    assert expected is not None and item["value"] == expected.value
    # every pollutant comes as hourly means beside the 24 hours' sampling minutes (§1.4)
    hours = {"so2": len(so2_station), "pm25": 1}
    assert item["series_points"] == hours | {f"{m}:minutes": 24 for m in hours}


def test_us_aqi_indexes_so2_from_305_ppb_by_the_24_hour_rule(
    client: httpx.Client, viewer: dict[str, str], so2_station: list[tuple[datetime, float]]
) -> None:
    assert ppb_from_ugm3("so2", 900.0) >= 305  # 1-h SO2 beyond the 1-h table
    mean_24h = sum(v for _, v in so2_station) / len(so2_station)
    assert sub_index(UsRow.SO2_24H, ppb_from_ugm3("so2", mean_24h)) is None  # 24-h below 305 ppb
    item = _item(client, viewer, "US-EPA", "smelter")
    # EPA's SO2 note: 1-h ≥ 305 ppb with a 24-h average below 305 ppb is AQI 200
    assert item["value"] == 200
    details = item["details"]
    assert isinstance(details, dict) and details["sub_indices"]["so2_1h"] == 200


def test_an_aqi_of_pm25_alone_says_what_is_missing(
    client: httpx.Client, viewer: dict[str, str], api_db: psycopg.Connection
) -> None:
    register(
        api_db,
        NewDevice("aq-pm", "environment", "aq_station", tenant="t1", site="roadside", metadata=HOURLY),
    )
    now = datetime.now(UTC) - timedelta(seconds=1)  # a day of hourly PM2.5: the US 24-h average is valid
    store_readings(api_db, "aq-pm", "pm25", [(now - timedelta(hours=k), 20.0) for k in range(23, -1, -1)])
    for standard in ("HJ633-2026", "HJ633-2012", "US-EPA"):
        item = _item(client, viewer, standard, "roadside")
        assert item["indexed"] == ["pm25"], standard
        assert item["missing"] == ["so2", "no2", "co", "o3", "pm10"], standard
        assert item["complete"] is False, standard
        details = item["details"]
        assert isinstance(details, dict)
        assert details["coverage_en"] == "PM2.5 only; missing SO2, NO2, CO, O3, PM10"
        assert details["coverage_zh"] == "仅PM2.5；缺SO2、NO2、CO、O3、PM10"


def test_a_station_with_all_six_pollutants_is_complete(
    client: httpx.Client, viewer: dict[str, str], api_db: psycopg.Connection
) -> None:
    register(
        api_db, NewDevice("aq-all", "environment", "aq_station", tenant="t1", site="park", metadata=HOURLY)
    )
    now = datetime.now(UTC) - timedelta(seconds=1)
    for metric, value in {
        "so2": 10.0,
        "no2": 30.0,
        "co": 0.5,
        "o3": 60.0,
        "pm25": 20.0,
        "pm10": 40.0,
    }.items():
        store_readings(api_db, "aq-all", metric, [(now, value)])
    item = _item(client, viewer, "HJ633-2026", "park")
    assert (item["indexed"], item["missing"], item["complete"]) == (
        ["so2", "no2", "co", "o3", "pm25", "pm10"],
        [],
        True,
    )
    assert "coverage_en" not in item["details"]  # type: ignore[operator]


def test_total_nitrogen_decides_a_lakes_class_but_not_a_rivers(
    client: httpx.Client, viewer: dict[str, str], api_db: psycopg.Connection
) -> None:
    lake_setting = {"water_body": "lake"}  # GB 3838: the TN row is for lakes and reservoirs
    stations = [("ws-river", "river", {}), ("ws-lake", "lake", lake_setting)]
    register(
        api_db,
        *(
            NewDevice(d, "environment", "water_station", "t1", "", site, metadata=m)
            for d, site, m in stations
        ),
    )
    now = datetime.now(UTC) - timedelta(seconds=1)
    for device in ("ws-river", "ws-lake"):
        store_readings(api_db, device, "water_do", [(now, 8.0)])  # class I
        store_readings(api_db, device, "water_tn", [(now, 2.5)])  # beyond class V's 2.0
    r = client.get("/indices/environment/water_class", headers=viewer)
    assert r.status_code == 200, r.text
    by_site = {i["site"]: i for i in r.json()["items"]}
    river, lake = by_site["river"], by_site["lake"]
    assert (river["value"], river["level"]["code"]) == (1.0, "I")
    assert river["details"]["classes"]["water_tn"] == "worse_than_V" and river["details"]["excluded"] == [
        "water_tn"
    ]
    assert (lake["value"], lake["level"]["code"]) == (6.0, "worse_than_V")
    assert lake["details"]["deciding_parameters"] == ["water_tn"]
