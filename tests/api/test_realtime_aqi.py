"""Real-time AQI as the public sites publish it: the US NowCast over stored hourly data, and the
HJ 633 edition named in every China AQI view."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import psycopg
import pytest

from store.device_registry import NewDevice
from tests.api.conftest import KeyFactory
from tests.api.rig import bearer, register, store_readings

# EPA's worked NowCast example (AirNow training material, docs/standards.md §1.2.1): hourly PM2.5,
# most recent first; NowCast 17.4 µg/m³, AQI 66 on the 2024 table. Without the oldest hour the
# NowCast is 17.40 too, so an hour boundary passing during the test does not change the answer.
SITES = ("live", "stale")
EPA_PM_MOST_RECENT_FIRST = (13.0, 16.0, 10.0, 21.0, 74.0, 64.0, 53.0, 82.0, 90.0, 75.0, 80.0, 50.0)


@pytest.fixture
def viewer(make_key: KeyFactory) -> dict[str, str]:
    return bearer(make_key("t1", "viewer"))


def _hour_start(hours_ago: int) -> datetime:
    now = datetime.now(UTC)
    return now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=hours_ago)


# Hours 12–23 before the example's: the day's PM2.5 averages need 20 (China) and 18 (US) valid hours
# (docs/standards.md §1.4); they lie outside the NowCast's 12 hours, whenever the test runs.
EARLIER_DAY = (40.0,) * 12
HOURLY = {"report_interval_s": 3600}  # one reading an hour stands for the hour's sampling (§1.4)


@pytest.fixture
def stations(api_db: psycopg.Connection) -> None:
    """aq-live: a day of hourly PM2.5 ending with EPA's example up to the current hour; aq-stale:
    stopped 3 hours ago."""
    register(
        api_db,
        *(NewDevice(f"aq-{s}", "environment", "aq_station", "t1", site=s, metadata=HOURLY) for s in SITES),
    )
    live = [(_hour_start(k), v) for k, v in enumerate(EPA_PM_MOST_RECENT_FIRST + EARLIER_DAY)]
    store_readings(api_db, "aq-live", "pm25", live)
    stale = [(_hour_start(k), v) for k, v in enumerate(EPA_PM_MOST_RECENT_FIRST) if k >= 3]
    store_readings(api_db, "aq-stale", "pm25", stale)


def _nowcast_item(client: httpx.Client, viewer: dict[str, str], site: str) -> dict[str, Any]:
    """The one item of the generic NowCast view for `site`."""
    r = client.get("/indices/environment/aqi_us_nowcast", params={"site": site}, headers=viewer)
    assert r.status_code == 200, r.text
    (item,) = r.json()["items"]
    assert item["device_id"] == f"aq-{site}"
    return dict(item)


def test_nowcast_view_gives_epa_example_aqi_from_stored_hourly_readings(
    client: httpx.Client, viewer: dict[str, str], stations: None
) -> None:
    item = _nowcast_item(client, viewer, "live")
    assert item["details"]["nowcast"] == {"pm25": 17.4}
    assert item["details"]["weight_factor"] == {"pm25": 0.5}
    assert item["value"] == 66.0
    assert item["level"]["code"] == "moderate" and item["level"]["title_en"] == "Moderate"
    assert item["details"]["missing"] == ["pm10", "o3"]
    assert item["error"] is None


def test_nowcast_view_publishes_no_aqi_for_a_station_silent_for_three_hours(
    client: httpx.Client, viewer: dict[str, str], stations: None
) -> None:
    item = _nowcast_item(client, viewer, "stale")
    assert item["value"] is None and item["level"] is None
    assert "0 of 3" in item["details"]["not_indexed"]["pm25"]


@pytest.mark.parametrize(
    ("params", "edition"),
    [
        ({"standard": "HJ633-2026"}, "HJ633-2026"),
        ({"standard": "HJ633-2012"}, "HJ633-2012"),
        ({"standard": "HJ633-2012", "period": "daily"}, "HJ633-2012"),
        ({"standard": "HJ633-2026", "period": "daily"}, "HJ633-2026"),
        ({}, "HJ633-2026"),
        ({"standard": "US-EPA"}, None),
    ],
)
def test_every_aqi_view_names_the_edition_it_was_computed_after(
    client: httpx.Client,
    viewer: dict[str, str],
    stations: None,
    params: dict[str, str],
    edition: str | None,
) -> None:
    r = client.get("/environment/aqi", params=params, headers=viewer)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["edition"] == edition
    computed = [item for item in body["items"] if item["value"] is not None]
    assert computed  # aq-live has PM2.5 for every period
    for item in computed:
        assert item["details"].get("edition") == edition  # the US AQI has no edition key


@pytest.mark.parametrize("index", ["aqi_cn", "aqi_cn_24h"])
def test_generic_index_view_and_listing_name_the_china_aqi_edition(
    client: httpx.Client, viewer: dict[str, str], stations: None, index: str
) -> None:
    r = client.get(f"/indices/environment/{index}", headers=viewer)
    assert r.status_code == 200, r.text
    assert r.json()["edition"] == "HJ633-2026"
    listing = client.get("/indices", headers=viewer).json()
    editions = {(i["area"], i["id"]): i["edition"] for i in listing}
    assert editions[("environment", index)] == "HJ633-2026"
    assert editions[("environment", "aqi_us_nowcast")] is None
