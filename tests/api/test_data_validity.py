"""Data validity end to end: minute readings stored in PostgreSQL, judged by the AQI views and the
completeness route as GB 3095-2012 §8 Table 4 says (docs/standards.md §1.4)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import httpx
import psycopg
import pytest

from domains.environment.hj633_iaqi import Edition, Row, iaqi
from store.device_registry import NewDevice
from tests.api.conftest import KeyFactory
from tests.api.rig import bearer, register, store_readings


@pytest.fixture
def viewer(make_key: KeyFactory) -> dict[str, str]:
    return bearer(make_key("t1", "viewer"))


def _stations(db: psycopg.Connection, *ids: str) -> None:
    register(db, *(NewDevice(i, "environment", "aq_station", tenant="t1", site="s") for i in ids))


def _current_hour() -> datetime:
    """The current clock hour's start, after waiting out its last seconds so a test stays in it."""
    now = datetime.now(UTC)
    if now.minute == 59 and now.second >= 50:
        time.sleep(61 - now.second)
        now = datetime.now(UTC)
    return now.replace(minute=0, second=0, microsecond=0)


def _minutes(hour: datetime, count: int, value: float) -> list[tuple[datetime, float]]:
    """One reading in each of the first `count` minutes of `hour`."""
    return [(hour + timedelta(minutes=m, seconds=30), value) for m in range(count)]


def _items(client: httpx.Client, viewer: dict[str, str], path: str, **params: str) -> dict[str, dict]:  # type: ignore[type-arg]
    r = client.get(path, params=params, headers=viewer)
    assert r.status_code == 200, r.text
    return {i["device_id"]: i for i in r.json()["items"]}


def test_an_hour_is_indexed_with_45_minutes_of_data_not_44(
    client: httpx.Client, viewer: dict[str, str], api_db: psycopg.Connection
) -> None:
    _stations(api_db, "aq-45", "aq-44")
    previous = _current_hour() - timedelta(hours=1)
    store_readings(api_db, "aq-45", "pm25", _minutes(previous, 45, 80.0))
    store_readings(api_db, "aq-44", "pm25", _minutes(previous, 44, 80.0))
    items = _items(client, viewer, "/environment/aqi")
    assert items["aq-45"]["details"]["iaqi"] == {"pm25": iaqi(Row.PM25_24H, 80.0, Edition.HJ633_2026)}
    assert items["aq-45"]["details"]["invalid"] == {}
    assert items["aq-44"]["value"] is None and items["aq-44"]["level"] is None
    assert items["aq-44"]["details"]["invalid"] == {
        "pm25": {"en": "PM2.5 1 h: 44 of 45 required minutes", "zh": "PM2.5 1小时：有效分钟 44，需 45"}
    }


def test_a_daily_mean_needs_20_valid_hours_and_completeness_shows_them(
    client: httpx.Client, viewer: dict[str, str], api_db: psycopg.Connection
) -> None:
    _stations(api_db, "aq-20", "aq-19")
    current = _current_hour()
    for device, valid_hours in (("aq-20", 20), ("aq-19", 19)):
        points = [
            p for h in range(1, valid_hours + 1) for p in _minutes(current - timedelta(hours=h), 45, 30.0)
        ]
        # an hour of 44 minutes does not count, and its high value stays out of the mean
        points += _minutes(current - timedelta(hours=valid_hours + 1), 44, 900.0)
        store_readings(api_db, device, "pm25", points)
    daily = _items(client, viewer, "/environment/aqi", period="daily")
    assert daily["aq-20"]["details"]["iaqi"] == {"pm25_24h": iaqi(Row.PM25_24H, 30.0, Edition.HJ633_2026)}
    assert daily["aq-19"]["value"] is None
    assert daily["aq-19"]["details"]["invalid"] == {
        "pm25_24h": {"en": "PM2.5 24 h: 19 of 20 required hours", "zh": "PM2.5 24小时：有效小时 19，需 20"}
    }
    complete = _items(client, viewer, "/indices/environment/data_completeness")
    for device, valid_hours in (("aq-20", 20), ("aq-19", 19)):
        pm25 = complete[device]["details"]["pollutants"]["pm25"]
        assert (pm25["valid_hours"], pm25["expected_hours"], pm25["hours_with_data"]) == (
            valid_hours,
            24,
            valid_hours + 1,
        )
        assert pm25["day_valid_cn"] is (valid_hours >= 20) and pm25["day_valid_us"] is True
        assert complete[device]["value"] == valid_hours
    us = _items(client, viewer, "/environment/aqi", standard="US-EPA")
    assert us["aq-19"]["details"]["invalid"] == {}  # EPA needs 18 hours of 24
