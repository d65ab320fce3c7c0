"""Domain views agree with the domain functions computed directly on the same stored data."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta

import httpx
import psycopg
import pytest

from domains import registry
from domains.environment.aqi_china import compute_daily, compute_realtime
from domains.environment.aqi_us import compute as compute_us
from domains.environment.hj633_iaqi import Edition, Row, iaqi
from domains.model import IndexResult
from store.device_registry import NewDevice
from tests.api.conftest import KeyFactory
from tests.api.rig import bearer, register, store_readings


def _json(result: IndexResult) -> dict[str, object]:
    details: dict[str, object] = json.loads(json.dumps(dict(result.details)))
    return details


@pytest.fixture
def viewer(make_key: KeyFactory) -> dict[str, str]:
    return bearer(make_key("t1", "viewer"))


@pytest.fixture
def station(api_db: psycopg.Connection) -> datetime:
    """Two stations of t1 and one of t2 on the same site; returns when the newest readings were taken."""
    hourly = {"report_interval_s": 3600}  # each reading stands for an hour of sampling (§1.4)
    register(
        api_db,
        NewDevice("aq-1", "environment", "aq_station", tenant="t1", site="station-1", metadata=hourly),
        NewDevice("aq-2", "environment", "aq_station", tenant="t1", site="station-2", metadata=hourly),
        NewDevice("aq-other", "environment", "aq_station", tenant="t2", site="station-1", metadata=hourly),
    )
    now = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)
    for device in ("aq-1", "aq-other"):
        store_readings(api_db, device, "pm25", [(now - timedelta(hours=2), 40.0), (now, 80.0)])
        store_readings(api_db, device, "pm10", [(now, 120.0)])
        store_readings(api_db, device, "no2", [(now, 50.0)])
        store_readings(api_db, device, "o3", [(now, 90.0)])
    return now


@pytest.mark.parametrize("edition", [Edition.HJ633_2026, Edition.HJ633_2012])
def test_hourly_china_aqi_matches_hj633_on_the_stored_hourly_means(
    client: httpx.Client, viewer: dict[str, str], station: datetime, edition: Edition
) -> None:
    r = client.get("/environment/aqi", params={"standard": edition.value}, headers=viewer)
    assert r.status_code == 200, r.text
    (item,) = r.json()["items"]  # aq-2 has no data; aq-other is another tenant's
    expected = compute_realtime(
        {"pm25": 80.0, "pm10": 120.0, "no2": 50.0, "o3": ((station.timestamp(), 90.0),)}, edition
    )
    assert expected is not None and expected.level is not None
    assert item["device_id"] == "aq-1" and item["site"] == "station-1"
    assert item["value"] == expected.value
    assert item["level"]["code"] == expected.level.code
    assert item["level"]["title_zh"] == expected.level.title.zh
    assert item["details"] == _json(expected)
    assert item["inputs"] == {}  # every pollutant is read as hourly means beside their minutes
    minutes = {f"{m}:minutes": 24 for m in ("pm25", "pm10", "no2", "o3")}
    assert item["series_points"] == {"pm25": 2, "pm10": 1, "no2": 1, "o3": 1} | minutes


def test_daily_china_aqi_leaves_out_means_short_of_their_20_hours_and_says_why(
    client: httpx.Client, viewer: dict[str, str], station: datetime
) -> None:
    r = client.get(
        "/environment/aqi",
        params={"standard": "HJ633-2012", "period": "daily", "site": "station-1"},
        headers=viewer,
    )
    assert r.status_code == 200, r.text
    (item,) = r.json()["items"]
    # two hours of PM2.5, one of the others: no 24-h mean is valid; ozone's 1-h maximum needs none
    expected = compute_daily({"o3": ((station.timestamp(), 90.0),)}, Edition.HJ633_2012)
    assert expected is not None
    assert item["value"] == expected.value and item["details"]["iaqi"] == {"o3_1h_max": 29}
    assert item["details"]["invalid"] == {
        "pm25_24h": {"en": "PM2.5 24 h: 2 of 20 required hours", "zh": "PM2.5 24小时：有效小时 2，需 20"},
        "pm10_24h": {"en": "PM10 24 h: 1 of 20 required hours", "zh": "PM10 24小时：有效小时 1，需 20"},
        "no2_24h": {"en": "NO2 24 h: 1 of 20 required hours", "zh": "NO2 24小时：有效小时 1，需 20"},
        "o3_8h_max": {
            "en": "O3 daily max 8 h: 0 of 14 required 8-hour means",
            "zh": "O3 日最大8小时：有效8小时均值 0，需 14",
        },
    }


def test_us_epa_aqi_matches_the_epa_function(
    client: httpx.Client, viewer: dict[str, str], station: datetime
) -> None:
    r = client.get("/environment/aqi", params={"standard": "US-EPA"}, headers=viewer)
    (item,) = r.json()["items"]
    # PM 24-h averages of 2 and 1 hours fail EPA's 75 %; NO2 and ozone are indexed
    expected = compute_us({"no2": 50.0, "o3": ((station.timestamp(), 90.0),)})
    assert expected is not None and expected.level is not None
    assert (item["value"], item["level"]["code"]) == (expected.value, expected.level.code)
    assert item["details"]["invalid"]["pm25_24h"]["en"] == "PM2.5 24 h: 2 of 18 required hours"
    assert set(item["details"]["invalid"]) == {"pm25_24h", "pm10_24h"}
    refused = client.get("/environment/aqi", params={"standard": "US-EPA", "period": "daily"}, headers=viewer)
    assert refused.status_code == 422 and "query.period" in refused.json()["detail"]
    unknown = client.get("/environment/aqi", params={"standard": "WHO"}, headers=viewer)
    assert (
        unknown.status_code == 422
        and "'HJ633-2026', 'HJ633-2012' or 'US-EPA'" in unknown.json()["errors"][0]["accepted"]
    )


def test_fog_status_per_road_segment_matches_the_fog_signal(
    client: httpx.Client, viewer: dict[str, str], api_db: psycopg.Connection
) -> None:
    register(
        api_db,
        NewDevice("vis-1", "city", "visibility_sensor", tenant="t1", site="G15-K102"),
        NewDevice("vis-2", "city", "visibility_sensor", tenant="t1", site="G15-K110"),
    )
    now = datetime.now(UTC) - timedelta(seconds=1)
    store_readings(api_db, "vis-1", "visibility", [(now - timedelta(minutes=1), 800.0), (now, 150.0)])
    store_readings(api_db, "vis-2", "visibility", [(now, 2000.0)])
    r = client.get("/indices/city/fog_signal", headers=viewer)
    assert r.status_code == 200, r.text
    by_site = {i["site"]: i for i in r.json()["items"]}
    spec = registry.index("city", "fog_signal")
    for site, visibility in (("G15-K102", 150.0), ("G15-K110", 2000.0)):
        expected = spec.compute({"visibility": visibility})
        assert expected is not None
        got = by_site[site]
        assert got["value"] == expected.value and got["details"] == _json(expected)
        assert got["level"]["code"] == (expected.level.code if expected.level else None)
    one = client.get("/indices/city/fog_signal", params={"site": "G15-K102"}, headers=viewer).json()["items"]
    assert [i["device_id"] for i in one] == ["vis-1"]


def test_index_catalogue_and_unknown_index(client: httpx.Client, viewer: dict[str, str]) -> None:
    catalogue = client.get("/indices", headers=viewer).json()
    ids = {(i["area"], i["id"]) for i in catalogue}
    assert ("environment", "aqi_cn") in ids and ("city", "fog_signal") in ids
    r = client.get("/indices/city/no_such_index", headers=viewer)
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"


def test_a_view_shows_new_readings_at_once_although_views_are_cached(
    client: httpx.Client, viewer: dict[str, str], station: datetime, api_db: psycopg.Connection
) -> None:
    def pm25_iaqi() -> object:
        r = client.get("/environment/aqi", params={"site": "station-1"}, headers=viewer)
        assert r.status_code == 200, r.text
        (item,) = r.json()["items"]
        return item["details"]["iaqi"]["pm25"]

    def of_mean(mean: float) -> int:
        return iaqi(Row.PM25_24H, mean, Edition.HJ633_2026)

    assert pm25_iaqi() == of_mean(80.0)
    assert pm25_iaqi() == of_mean(80.0)  # answered from the cache
    store_readings(api_db, "aq-1", "pm25", [(station + timedelta(milliseconds=500), 200.0)])
    assert pm25_iaqi() == of_mean(140.0)  # the hour's mean of 80 and 200, not the cached 80
    # a late reading (its time before the newest, so last_seen stays) changes the hour's mean too
    store_readings(api_db, "aq-1", "pm25", [(station - timedelta(milliseconds=500), 20.0)])
    assert pm25_iaqi() == of_mean(100.0)


def test_a_view_shows_a_device_setting_change_at_once(
    client: httpx.Client, viewer: dict[str, str], station: datetime, api_db: psycopg.Connection
) -> None:
    first = client.get("/environment/aqi", params={"site": "station-1"}, headers=viewer).json()
    assert [i["name"] for i in first["items"]] == [""]
    api_db.execute("UPDATE devices SET name = 'Station One' WHERE id = 'aq-1'")
    again = client.get("/environment/aqi", params={"site": "station-1"}, headers=viewer).json()
    assert [i["name"] for i in again["items"]] == ["Station One"]


def test_et0_of_a_field_station_uses_its_registered_position_and_says_what_is_missing(
    client: httpx.Client, viewer: dict[str, str], api_db: psycopg.Connection
) -> None:
    register(
        api_db,
        NewDevice(
            "fs-1",
            "agriculture",
            "field_station",
            tenant="t1",
            site="tiandong",
            latitude=23.6,
            longitude=107.12,
            metadata={"altitude_m": 110, "wind_height_m": 10},
        ),
        NewDevice("fs-2", "agriculture", "field_station", tenant="t1", site="nowhere"),
    )
    now = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)
    half_hours = [now - timedelta(minutes=30 * k) for k in range(46, -1, -1)]  # the last 23 hours
    hours = [now - timedelta(hours=k) for k in range(22, -1, -1)]
    temperature = [(t, 22.0 + 8.0 * math.sin(k / 7.0)) for k, t in enumerate(half_hours)]
    humidity = [(t, 70.0 - 20.0 * math.sin(k / 7.0)) for k, t in enumerate(half_hours)]
    wind = [(t, 2.0 + 0.1 * k) for k, t in enumerate(hours)]
    sun = [(t, 300.0 + 10.0 * k) for k, t in enumerate(hours)]
    for device in ("fs-1", "fs-2"):
        store_readings(api_db, device, "air_temperature", temperature)
        store_readings(api_db, device, "relative_humidity", humidity)
        store_readings(api_db, device, "wind_speed", wind)
        store_readings(api_db, device, "solar_radiation", sun)

    r = client.get("/indices/agriculture/et0", headers=viewer)
    assert r.status_code == 200, r.text
    by_device = {i["device_id"]: i for i in r.json()["items"]}

    def hourly(points: list[tuple[datetime, float]]) -> tuple[tuple[float, float], ...]:
        return tuple((float(math.floor(t.timestamp() / 3600) * 3600), v) for t, v in points)

    expected = registry.index("agriculture", "et0").compute(
        {
            "air_temperature": tuple((t.timestamp(), v) for t, v in temperature),
            "relative_humidity": tuple((t.timestamp(), v) for t, v in humidity),
            "wind_speed": hourly(wind),
            "solar_radiation": hourly(sun),
            "latitude": 23.6,
            "longitude": 107.12,
            "altitude_m": 110,
            "wind_height_m": 10,
        }
    )
    assert expected is not None and expected.value is not None and expected.value > 0
    assert by_device["fs-1"]["value"] == expected.value
    assert by_device["fs-1"]["details"] == _json(expected)
    assert by_device["fs-1"]["series_points"] == {
        "air_temperature": 47,
        "relative_humidity": 47,
        "wind_speed": 23,
        "solar_radiation": 23,
    }
    assert by_device["fs-2"]["value"] is None
    assert by_device["fs-2"]["details"] == {
        "incomplete": {"latitude": "the device has no registered latitude"}
    }

    # Registering the position later shows at once (the view cache keys on it).
    api_db.execute("UPDATE devices SET latitude = 23.6, longitude = 107.12 WHERE id = 'fs-2'")
    again = client.get("/indices/agriculture/et0", params={"device_id": "fs-2"}, headers=viewer).json()
    (item,) = again["items"]
    assert item["value"] is not None and item["details"]["latitude_deg"] == 23.6
    assert item["details"]["altitude_m"] == 0.0  # no altitude_m setting: sea level, as documented
