"""Devices through the API: register, read, change, deactivate, list with filters, calibration."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import psycopg
import pytest

from store.device_registry import NewDevice
from tests.api.conftest import KeyFactory
from tests.api.rig import bearer, register, store_readings


@pytest.fixture
def operator(make_key: KeyFactory) -> dict[str, str]:
    return bearer(make_key("t1", "operator"))


def test_a_registered_device_can_be_read_back(client: httpx.Client, operator: dict[str, str]) -> None:
    body = {
        "id": "aq-1",
        "area": "environment",
        "kind": "aq_station",
        "name": "Station 1",
        "site": "s1",
        "latitude": 31.2,
        "longitude": 121.5,
        "metadata": {"owner": "agency"},
    }
    created = client.post("/devices", json=body, headers=operator)
    assert created.status_code == 201, created.text
    got = client.get("/devices/aq-1", headers=operator).json()
    assert got == created.json()
    assert got["area"] == "environment" and got["site"] == "s1" and got["metadata"] == {"owner": "agency"}
    assert got["active"] is True and got["last_seen"] is None and got["status"] == "silent"


def test_an_unknown_area_or_kind_is_refused_with_the_known_ones(
    client: httpx.Client, operator: dict[str, str]
) -> None:
    r = client.post("/devices", json={"id": "d", "area": "mars", "kind": "rover"}, headers=operator)
    assert r.status_code == 422 and "unknown area 'mars'; known:" in r.json()["detail"]
    assert "environment" in r.json()["detail"]
    r = client.post("/devices", json={"id": "d", "area": "environment", "kind": "rover"}, headers=operator)
    assert r.status_code == 422 and "aq_station" in r.json()["detail"]


def test_a_device_id_with_mqtt_wildcards_is_refused(client: httpx.Client, operator: dict[str, str]) -> None:
    r = client.post(
        "/devices", json={"id": "a/b", "area": "environment", "kind": "aq_station"}, headers=operator
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "body.id"


def test_registering_an_existing_id_is_a_conflict(client: httpx.Client, operator: dict[str, str]) -> None:
    body = {"id": "aq-1", "area": "environment", "kind": "aq_station"}
    assert client.post("/devices", json=body, headers=operator).status_code == 201
    r = client.post("/devices", json=body, headers=operator)
    assert r.status_code == 409 and "registered already" in r.json()["detail"]


def test_update_changes_only_the_given_fields(client: httpx.Client, operator: dict[str, str]) -> None:
    client.post(
        "/devices",
        json={"id": "aq-1", "area": "environment", "kind": "aq_station", "name": "A", "site": "s1"},
        headers=operator,
    )
    r = client.patch("/devices/aq-1", json={"site": "s2", "metadata": {"k": 1}}, headers=operator)
    assert r.status_code == 200
    assert (r.json()["name"], r.json()["site"], r.json()["metadata"]) == ("A", "s2", {"k": 1})
    bad = client.patch("/devices/aq-1", json={"kind": "tractor"}, headers=operator)
    assert bad.status_code == 422
    null = client.patch("/devices/aq-1", json={"name": None}, headers=operator)
    assert null.status_code == 422 and null.json()["errors"][0]["field"] == "body.name"
    assert client.patch("/devices/nope", json={"site": "x"}, headers=operator).status_code == 404


def test_deactivating_keeps_the_device_listed_as_inactive(
    client: httpx.Client, operator: dict[str, str]
) -> None:
    client.post(
        "/devices", json={"id": "aq-1", "area": "environment", "kind": "aq_station"}, headers=operator
    )
    r = client.delete("/devices/aq-1", headers=operator)
    assert r.status_code == 200 and r.json()["active"] is False
    assert client.get("/devices/aq-1", headers=operator).json()["active"] is False
    inactive = client.get("/devices", params={"active": "false"}, headers=operator).json()["items"]
    assert [d["id"] for d in inactive] == ["aq-1"]
    assert client.get("/devices", params={"active": "true"}, headers=operator).json()["items"] == []
    assert client.patch("/devices/aq-1", json={"active": True}, headers=operator).json()["active"] is True


def test_list_filters_by_area_kind_site_and_status(
    client: httpx.Client, operator: dict[str, str], api_db: psycopg.Connection
) -> None:
    register(
        api_db,
        NewDevice("aq-1", "environment", "aq_station", tenant="t1", site="s1"),
        NewDevice("aq-2", "environment", "aq_station", tenant="t1", site="s2"),
        NewDevice("met-1", "environment", "weather_station", tenant="t1", site="s1"),
        NewDevice("fog-1", "city", "visibility_sensor", tenant="t1", site="g1-k12"),
    )
    now = datetime.now(UTC)
    store_readings(api_db, "aq-1", "pm25", [(now - timedelta(seconds=30), 12.0)])
    store_readings(api_db, "aq-2", "pm25", [(now - timedelta(hours=2), 12.0)])
    store_readings(api_db, "met-1", "temperature", [(now - timedelta(seconds=30), 20.0)])
    api_db.execute("UPDATE devices SET online = false, status_at = now() WHERE id = 'met-1'")

    def ids(**params: str) -> list[str]:
        r = client.get("/devices", params=params, headers=operator)
        assert r.status_code == 200, r.text
        return [d["id"] for d in r.json()["items"]]

    assert ids() == ["aq-1", "aq-2", "fog-1", "met-1"]
    assert ids(area="city") == ["fog-1"]
    assert ids(kind="aq_station") == ["aq-1", "aq-2"]
    assert ids(site="s1") == ["aq-1", "met-1"]
    assert ids(status="online") == ["aq-1"]
    assert ids(status="offline") == ["met-1"]
    assert ids(status="silent") == ["aq-2", "fog-1"]
    assert ids(area="environment", site="s1", status="online") == ["aq-1"]
    seen = client.get("/devices/aq-1", headers=operator).json()
    assert seen["last_seen"] is not None and seen["status"] == "online"
    bad = client.get("/devices", params={"status": "asleep"}, headers=operator)
    assert bad.status_code == 422 and "'online', 'offline' or 'silent'" in bad.json()["errors"][0]["accepted"]


def test_list_pages_through_every_device_once(
    client: httpx.Client, operator: dict[str, str], api_db: psycopg.Connection
) -> None:
    register(api_db, *(NewDevice(f"aq-{i:02d}", "environment", "aq_station", tenant="t1") for i in range(25)))
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params = {"limit": "10", **({"cursor": cursor} if cursor else {})}
        page = client.get("/devices", params=params, headers=operator).json()
        seen += [d["id"] for d in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert seen == [f"aq-{i:02d}" for i in range(25)]
    bad = client.get("/devices", params={"cursor": "%%%"}, headers=operator)
    assert bad.status_code == 422 and "query.cursor" in bad.json()["detail"]


def test_calibration_history_lists_every_version_oldest_first(
    client: httpx.Client, operator: dict[str, str]
) -> None:
    client.post(
        "/devices", json={"id": "aq-1", "area": "environment", "kind": "aq_station"}, headers=operator
    )
    later = {"metric": "pm25", "effective_from": "2026-06-01T00:00:00Z", "gain": 1.1}
    earlier = {"metric": "pm25", "effective_from": "2026-01-01T00:00:00Z", "offset": -0.5}
    assert client.post("/devices/aq-1/calibration", json=later, headers=operator).status_code == 201
    r = client.post("/devices/aq-1/calibration", json=earlier, headers=operator)
    assert r.status_code == 201
    history = client.get("/devices/aq-1/calibration", headers=operator).json()
    assert history["device_id"] == "aq-1"
    versions = history["metrics"]["pm25"]
    assert [v["effective_from"] for v in versions] == ["2026-01-01T00:00:00Z", "2026-06-01T00:00:00Z"]
    assert (versions[0]["offset"], versions[1]["gain"]) == (-0.5, 1.1)


def test_csv_import_registers_every_device_in_the_keys_tenant(
    client: httpx.Client, operator: dict[str, str], api_db: psycopg.Connection
) -> None:
    csv_text = (
        "id,area,kind,name,site,latitude,longitude\n"
        "aq-1,environment,aq_station,One,s1,31.2,121.5\n"
        "vis-1,city,visibility_sensor,,G15-K102,,\n"
    )
    r = client.post("/devices/import", content=csv_text, headers={**operator, "Content-Type": "text/csv"})
    assert r.status_code == 201, r.text
    assert r.json() == {"created": 2, "ids": ["aq-1", "vis-1"]}
    rows = api_db.execute("SELECT id, tenant, domain, site, latitude FROM devices ORDER BY id").fetchall()
    assert rows == [("aq-1", "t1", "environment", "s1", 31.2), ("vis-1", "t1", "city", "G15-K102", None)]


def test_csv_import_is_all_or_nothing_and_names_the_wrong_lines(
    client: httpx.Client, operator: dict[str, str], api_db: psycopg.Connection
) -> None:
    headers = {**operator, "Content-Type": "text/csv"}
    bad = (
        "id,area,kind,latitude\n"
        "aq-1,environment,aq_station,\n"
        "aq-2,environment,tractor,\n"
        "aq-3,environment,aq_station,95\n"
    )
    r = client.post("/devices/import", content=bad, headers=headers)
    assert r.status_code == 422
    fields = [e["field"] for e in r.json()["errors"]]
    assert fields == ["body.line 3", "body.line 4.latitude"]
    assert "unknown device kind 'tractor'" in r.json()["detail"]
    no_header = client.post("/devices/import", content="aq-1,environment,aq_station\n", headers=headers)
    assert no_header.status_code == 422 and "missing column(s)" in no_header.json()["detail"]
    client.post(
        "/devices", json={"id": "aq-2", "area": "environment", "kind": "aq_station"}, headers=operator
    )
    taken = "id,area,kind\naq-1,environment,aq_station\naq-2,environment,aq_station\n"
    r = client.post("/devices/import", content=taken, headers=headers)
    assert r.status_code == 409 and "'aq-2'" in r.json()["detail"]
    assert api_db.execute("SELECT id FROM devices ORDER BY id").fetchall() == [("aq-2",)]
