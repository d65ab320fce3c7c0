"""A key of tenant A never sees or touches tenant B's devices or readings, for any resource."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import psycopg
import pytest

from store.device_registry import NewDevice
from tests.api.conftest import KeyFactory
from tests.api.rig import bearer, register, store_readings

T0 = datetime(2026, 3, 1, tzinfo=UTC)


@pytest.fixture
def two_tenants(api_db: psycopg.Connection) -> None:
    register(
        api_db,
        NewDevice("a-1", "environment", "aq_station", tenant="tenant-a", site="shared-site"),
        NewDevice("b-1", "environment", "aq_station", tenant="tenant-b", site="shared-site", name="B's"),
    )
    store_readings(api_db, "a-1", "pm25", [(T0, 1.0)])
    store_readings(api_db, "b-1", "pm25", [(T0, 2.0)])


@pytest.mark.parametrize("role", ["viewer", "operator", "admin"])
def test_a_key_of_tenant_a_never_sees_tenant_b(
    client: httpx.Client, make_key: KeyFactory, two_tenants: None, role: str
) -> None:
    a = bearer(make_key("tenant-a", role))
    assert [d["id"] for d in client.get("/devices", headers=a).json()["items"]] == ["a-1"]
    assert [
        d["id"] for d in client.get("/devices", params={"site": "shared-site"}, headers=a).json()["items"]
    ] == ["a-1"]
    assert client.get("/devices/b-1", headers=a).status_code == 404
    assert client.get("/devices/b-1/calibration", headers=a).status_code == 404
    assert [x["device_id"] for x in client.get("/readings/latest", headers=a).json()] == ["a-1"]
    assert client.get("/readings/latest", params={"device_id": "b-1"}, headers=a).json() == []
    series = {
        "device_id": "b-1",
        "metric": "pm25",
        "start": T0.isoformat(),
        "end": (T0 + timedelta(hours=1)).isoformat(),
    }
    assert client.get("/readings/raw", params=series, headers=a).status_code == 404
    assert client.get("/readings/buckets", params={**series, "interval": "1h"}, headers=a).status_code == 404
    assert client.get("/readings/export.csv", params=series, headers=a).status_code == 404


@pytest.mark.parametrize("role", ["operator", "admin"])
def test_a_key_of_tenant_a_never_changes_tenant_b(
    client: httpx.Client, make_key: KeyFactory, two_tenants: None, role: str, api_db: psycopg.Connection
) -> None:
    a = bearer(make_key("tenant-a", role))
    assert client.patch("/devices/b-1", json={"name": "taken"}, headers=a).status_code == 404
    assert client.delete("/devices/b-1", headers=a).status_code == 404
    calibration = {"metric": "pm25", "effective_from": "2026-01-01T00:00:00Z", "gain": 2}
    assert client.post("/devices/b-1/calibration", json=calibration, headers=a).status_code == 404
    taken = client.post(
        "/devices", json={"id": "b-1", "area": "city", "kind": "visibility_sensor"}, headers=a
    )
    assert taken.status_code == 409
    row = api_db.execute(
        "SELECT tenant, name, domain, active, calibration FROM devices WHERE id = 'b-1'"
    ).fetchone()
    assert row == ("tenant-b", "B's", "environment", True, {})
    b = bearer(make_key("tenant-b", "viewer"))
    assert client.get("/devices/b-1", headers=b).json()["name"] == "B's"
