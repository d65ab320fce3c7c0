"""Readings through the API: raw pages by cursor, buckets at any interval, latest values, CSV export."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import httpx
import psycopg
import pytest

from store.device_registry import NewDevice
from tests.api.conftest import KeyFactory
from tests.api.rig import bearer, register, store_readings

T0 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def viewer(make_key: KeyFactory, api_db: psycopg.Connection) -> dict[str, str]:
    register(
        api_db,
        NewDevice("aq-1", "environment", "aq_station", tenant="t1", site="s1"),
        NewDevice("aq-2", "environment", "aq_station", tenant="t1", site="s2"),
    )
    return bearer(make_key("t1", "viewer"))


def _iso(t: datetime) -> str:
    return t.isoformat()


def test_raw_readings_page_by_cursor_and_show_bad_quality(
    client: httpx.Client, viewer: dict[str, str], api_db: psycopg.Connection
) -> None:
    good = [(T0 + timedelta(seconds=10 * i), float(i)) for i in range(25)]
    store_readings(api_db, "aq-1", "pm25", good)
    store_readings(api_db, "aq-1", "pm25", [(T0 + timedelta(seconds=5), 999.0)], quality=2)
    params = {"device_id": "aq-1", "metric": "pm25", "start": _iso(T0), "end": _iso(T0 + timedelta(hours=1))}
    items: list[dict[str, object]] = []
    cursor = None
    while True:
        page = client.get(
            "/readings/raw",
            params={**params, "limit": "10", **({"cursor": cursor} if cursor else {})},
            headers=viewer,
        )
        assert page.status_code == 200, page.text
        items += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            break
    assert len(items) == 26
    assert items[1] == {"time": "2026-03-01T10:00:05Z", "value": 999.0, "quality": 2, "bad": True}
    assert [i["value"] for i in items if not i["bad"]] == [float(i) for i in range(25)]


def test_raw_readings_range_is_start_inclusive_end_exclusive(
    client: httpx.Client, viewer: dict[str, str], api_db: psycopg.Connection
) -> None:
    store_readings(api_db, "aq-1", "pm25", [(T0, 1.0), (T0 + timedelta(minutes=1), 2.0)])
    r = client.get(
        "/readings/raw",
        params={
            "device_id": "aq-1",
            "metric": "pm25",
            "start": _iso(T0),
            "end": _iso(T0 + timedelta(minutes=1)),
        },
        headers=viewer,
    )
    assert [i["value"] for i in r.json()["items"]] == [1.0]


def _expected(points: list[tuple[datetime, float]], width: timedelta) -> list[dict[str, object]]:
    origin = datetime(2000, 1, 1, tzinfo=UTC)
    groups: dict[datetime, list[tuple[datetime, float]]] = {}
    for t, v in points:
        groups.setdefault(origin + ((t - origin) // width) * width, []).append((t, v))
    return [
        {
            "start": start.isoformat().replace("+00:00", "Z"),
            "count": len(g),
            "avg": pytest.approx(sum(v for _, v in g) / len(g)),
            "min": min(v for _, v in g),
            "max": max(v for _, v in g),
            "last": max(g)[1],
        }
        for start, g in sorted(groups.items())
    ]


@pytest.mark.parametrize(
    ("interval", "source", "width"),
    [
        ("1h", "readings_1h", timedelta(hours=1)),
        ("2h", "readings_1h", timedelta(hours=2)),
        ("5m", "readings_1m", timedelta(minutes=5)),
        ("90s", "readings", timedelta(seconds=90)),
    ],
)
def test_buckets_at_any_interval_match_the_raw_readings(
    client: httpx.Client,
    viewer: dict[str, str],
    api_db: psycopg.Connection,
    interval: str,
    source: str,
    width: timedelta,
) -> None:
    points = [(T0 + timedelta(seconds=37 * i), float((i * 7) % 23)) for i in range(400)]  # ~4 h
    store_readings(api_db, "aq-1", "pm25", points)
    store_readings(api_db, "aq-1", "pm25", [(T0 + timedelta(seconds=1), 1000.0)], quality=2)
    r = client.get(
        "/readings/buckets",
        params={
            "device_id": "aq-1",
            "metric": "pm25",
            "interval": interval,
            "start": _iso(T0),
            "end": _iso(T0 + timedelta(hours=5)),
        },
        headers=viewer,
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["source"] == source and body["interval_s"] == width.total_seconds()
    assert body["buckets"] == _expected(points, width)  # the bad reading is left out


def test_buckets_show_a_new_and_a_late_reading_on_the_next_request(
    client: httpx.Client, viewer: dict[str, str], api_db: psycopg.Connection
) -> None:
    """Answers are cached per worker until the device's readings are written: never stale."""
    store_readings(api_db, "aq-1", "pm25", [(T0 + timedelta(minutes=m), 10.0) for m in range(10)])
    params = {
        "device_id": "aq-1",
        "metric": "pm25",
        "interval": "1m",
        "start": _iso(T0),
        "end": _iso(T0 + timedelta(minutes=20)),
    }

    def buckets() -> dict[str, float]:
        r = client.get("/readings/buckets", params=params, headers=viewer)
        assert r.status_code == 200, r.text
        return {b["start"]: b["max"] for b in r.json()["buckets"]}

    assert buckets() == buckets()  # the second from the cache
    assert len(buckets()) == 10
    store_readings(api_db, "aq-1", "pm25", [(T0 + timedelta(minutes=12), 50.0)])  # a new one
    assert buckets()["2026-03-01T10:12:00Z"] == 50.0
    store_readings(api_db, "aq-1", "pm25", [(T0 + timedelta(minutes=3, seconds=30), 99.0)], seen=False)
    assert buckets()["2026-03-01T10:03:00Z"] == 99.0  # a late one, into a bucket served before


def test_buckets_refuse_a_bad_interval_or_too_many_buckets(
    client: httpx.Client, viewer: dict[str, str]
) -> None:
    base = {"device_id": "aq-1", "metric": "pm25", "start": _iso(T0), "end": _iso(T0 + timedelta(days=30))}
    bad = client.get("/readings/buckets", params={**base, "interval": "5 minutes"}, headers=viewer)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "query.interval"
    many = client.get("/readings/buckets", params={**base, "interval": "1s"}, headers=viewer)
    assert many.status_code == 422 and "at most 10000" in many.json()["detail"]
    backwards = client.get(
        "/readings/buckets",
        params={**base, "interval": "1h", "end": _iso(T0 - timedelta(days=1))},
        headers=viewer,
    )
    assert backwards.status_code == 422 and "must be before" in backwards.json()["detail"]


def test_latest_gives_the_newest_value_per_device_and_metric(
    client: httpx.Client, viewer: dict[str, str], api_db: psycopg.Connection
) -> None:
    store_readings(api_db, "aq-1", "pm25", [(T0, 10.0), (T0 + timedelta(minutes=2), 12.0)])
    store_readings(api_db, "aq-1", "pm10", [(T0 + timedelta(minutes=1), 40.0)])
    store_readings(api_db, "aq-2", "pm25", [(T0 + timedelta(minutes=3), 80.0)], quality=2)
    r = client.get("/readings/latest", headers=viewer)
    assert r.status_code == 200
    got = {(x["device_id"], x["metric"]): (x["value"], x["bad"]) for x in r.json()}
    assert got == {
        ("aq-1", "pm10"): (40.0, False),
        ("aq-1", "pm25"): (12.0, False),
        ("aq-2", "pm25"): (80.0, True),
    }
    site = client.get("/readings/latest", params={"site": "s2"}, headers=viewer).json()
    assert [(x["device_id"], x["value"]) for x in site] == [("aq-2", 80.0)]


def test_csv_export_streams_every_reading_of_the_range(
    client: httpx.Client, viewer: dict[str, str], api_db: psycopg.Connection
) -> None:
    points = [(T0 + timedelta(seconds=i), float(i)) for i in range(2500)]
    store_readings(api_db, "aq-1", "pm25", points)
    store_readings(api_db, "aq-1", "no2", [(T0, 5.5)])
    params = {"device_id": "aq-1", "start": _iso(T0), "end": _iso(T0 + timedelta(seconds=2000))}
    with client.stream("GET", "/readings/export.csv", params=params, headers=viewer) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/csv")
        assert "attachment" in r.headers["content-disposition"]
        text = "".join(r.iter_text())
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1 + 2000
    assert rows[0] == {
        "time": "2026-03-01T10:00:00+00:00",
        "device_id": "aq-1",
        "metric": "no2",
        "value": "5.5",
        "quality": "0",
    }
    assert [float(r["value"]) for r in rows[1:]] == [float(i) for i in range(2000)]
    one = client.get("/readings/export.csv", params={**params, "metric": "no2"}, headers=viewer)
    assert one.text.count("\n") == 2


def test_reading_routes_answer_404_for_an_unknown_series(
    client: httpx.Client, viewer: dict[str, str]
) -> None:
    for path in ("/readings/raw", "/readings/buckets"):
        r = client.get(
            path, params={"device_id": "aq-1", "metric": "ozone", "interval": "1h"}, headers=viewer
        )
        assert r.status_code == 404 and "no readings of metric 'ozone'" in r.json()["detail"]
    r = client.get("/readings/export.csv", params={"device_id": "nope"}, headers=viewer)
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
