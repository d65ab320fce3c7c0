"""API keys: bearer tokens, roles viewer < operator < admin, `sensegrid keys create`."""

from __future__ import annotations

import httpx
import psycopg
import pytest

from core.settings import Settings
from store.api_keys import hash_token, list_keys, revoke_key
from tests.api.conftest import KeyFactory
from tests.api.rig import bearer
from tests.cli import run_cli

NEW_DEVICE = {"id": "aq-new", "area": "environment", "kind": "aq_station", "site": "s1"}


def test_a_request_without_a_key_gets_401_with_a_bearer_challenge(client: httpx.Client) -> None:
    r = client.get("/devices")
    assert r.status_code == 401
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert r.headers["content-type"] == "application/problem+json"
    assert "Authorization: Bearer" in r.json()["detail"]


def test_an_unknown_key_is_refused(client: httpx.Client) -> None:
    r = client.get("/devices", headers=bearer("sg_not-a-real-token"))
    assert r.status_code == 401
    assert "unknown or revoked" in r.json()["detail"]


def test_a_revoked_key_stops_working_at_once(
    client: httpx.Client, make_key: KeyFactory, api_db: psycopg.Connection
) -> None:
    token = make_key("t1", "viewer")
    assert client.get("/devices", headers=bearer(token)).status_code == 200
    (key,) = list_keys(api_db, "t1")
    assert revoke_key(api_db, key.id)
    assert client.get("/devices", headers=bearer(token)).status_code == 401


@pytest.mark.parametrize(("role", "can_write"), [("viewer", False), ("operator", True), ("admin", True)])
def test_every_role_reads_and_only_operators_and_admins_write(
    client: httpx.Client, make_key: KeyFactory, role: str, can_write: bool
) -> None:
    headers = bearer(make_key("t1", role))
    assert client.get("/devices", headers=headers).status_code == 200
    assert client.get("/readings/latest", headers=headers).status_code == 200
    created = client.post("/devices", json=NEW_DEVICE, headers=headers)
    patched = client.patch("/devices/aq-new", json={"name": "n"}, headers=headers)
    deleted = client.delete("/devices/aq-new", headers=headers)
    if can_write:
        assert (created.status_code, patched.status_code, deleted.status_code) == (201, 200, 200)
    else:
        assert (created.status_code, patched.status_code, deleted.status_code) == (403, 403, 403)
        assert "role operator or higher; this key is viewer" in created.json()["detail"]


def test_keys_create_prints_a_working_token_and_stores_only_its_hash(
    migrated: Settings, api_db: psycopg.Connection, client: httpx.Client
) -> None:
    out = run_cli(
        "keys",
        "create",
        "--tenant",
        "t-cli",
        "--role",
        "admin",
        "--name",
        "portal",
        SENSEGRID_DATABASE_URL=migrated.database_url,
    )
    assert out.returncode == 0, out.stderr
    token = out.stdout.strip()
    assert token.startswith("sg_") and "shown only now" in out.stderr
    stored = api_db.execute("SELECT tenant, role, name, token_hash FROM api_keys").fetchall()
    assert stored == [("t-cli", "admin", "portal", hash_token(token))]
    assert token not in str(stored)
    assert client.post("/devices", json=NEW_DEVICE, headers=bearer(token)).status_code == 201


def test_keys_create_refuses_an_unknown_role(migrated: Settings) -> None:
    out = run_cli(
        "keys",
        "create",
        "--tenant",
        "t",
        "--role",
        "root",
        "--name",
        "n",
        SENSEGRID_DATABASE_URL=migrated.database_url,
    )
    assert out.returncode != 0
    said = " ".join(out.stderr.replace("│", " ").split())  # rich wraps the message in a box
    assert "unknown role 'root'; use one of viewer, operator, admin" in said
