"""API keys: bearer tokens, roles viewer < operator < admin, `sensegrid keys create`."""

from __future__ import annotations

import time

import httpx
import psycopg
import pytest

from api.key_cache import KeyCache
from core.settings import Settings
from store.api_keys import KEYS_LISTENER, create_key, hash_token, list_keys, revoke_key
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


def refused_after_revoking(client: httpx.Client, token: str) -> bool:
    """Workers drop verified keys when the revocation's notification reaches them, milliseconds
    after it commits: True once the key is refused (asked for up to 5 s)."""
    deadline = time.monotonic() + 5
    while client.get("/devices", headers=bearer(token)).status_code == 200:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def test_a_revoked_key_stops_working_at_once(
    client: httpx.Client, make_key: KeyFactory, api_db: psycopg.Connection
) -> None:
    token = make_key("t1", "viewer")
    for _ in range(3):  # verified once, then served from the worker's cache
        assert client.get("/devices", headers=bearer(token)).status_code == 200
    (key,) = list_keys(api_db, "t1")
    started = time.monotonic()
    assert revoke_key(api_db, key.id)
    assert refused_after_revoking(client, token)
    print(f"refused {1000 * (time.monotonic() - started):.1f} ms after the revocation")


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


def test_a_key_revoked_while_the_listener_is_cut_off_is_still_refused(
    client: httpx.Client, make_key: KeyFactory, api_db: psycopg.Connection
) -> None:
    token = make_key("t1", "viewer")
    assert client.get("/devices", headers=bearer(token)).status_code == 200
    cut = api_db.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = current_database() AND application_name = %s",
        (KEYS_LISTENER,),
    ).fetchall()
    assert cut and all(ok for (ok,) in cut)  # every API worker's listener lost its connection
    (key,) = list_keys(api_db, "t1")
    assert revoke_key(api_db, key.id)  # its notification reaches no listener
    assert refused_after_revoking(client, token)


def test_a_worker_serves_no_cached_key_while_it_cannot_listen(
    migrated: Settings, api_db: psycopg.Connection
) -> None:
    key, token = create_key(api_db, tenant="t1", role="viewer", name="n")
    unreachable = KeyCache("postgresql://postgres@127.0.0.1:1/none", max_age_s=60)
    unreachable.start()
    try:
        unreachable.put(hash_token(token), key, unreachable.generation())
        assert not unreachable.live
        assert unreachable.get(hash_token(token)) is None
    finally:
        unreachable.stop()
    listening = KeyCache(migrated.database_url, max_age_s=60)
    listening.start()
    try:
        deadline = time.monotonic() + 10
        while not listening.live:
            assert time.monotonic() < deadline, "the listener did not connect"
            time.sleep(0.01)
        generation = listening.generation()
        listening.put(hash_token(token), key, generation)
        assert listening.get(hash_token(token)) == key
        revoke_key(api_db, key.id)
        deadline = time.monotonic() + 5
        while listening.get(hash_token(token)) is not None:
            assert time.monotonic() < deadline, "the revocation did not clear the cache"
            time.sleep(0.005)
        listening.put(hash_token(token), key, generation)  # looked up before the change: not kept
        assert listening.get(hash_token(token)) is None
    finally:
        listening.stop()
