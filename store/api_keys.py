"""API keys: bearer tokens stored only as their sha256, each with one tenant and one role."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

import psycopg

from store.schema import API_ROLES

TOKEN_PREFIX = "sg_"
# Every change to api_keys but an insert (revocation, deletion) is announced on this channel by a
# trigger (migration 0005), so API workers drop the keys they have verified.
KEYS_CHANNEL = "sensegrid_api_keys"
KEYS_LISTENER = "sensegrid-api-keys"  # application_name of the listening connections


@dataclass(frozen=True)
class ApiKey:
    """A stored key (never its token)."""

    id: int
    tenant: str
    name: str
    role: str
    created_at: datetime
    revoked_at: datetime | None


def hash_token(token: str) -> str:
    """The stored form of a token. sha256 suffices: tokens are 256 random bits, not passwords."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_key(conn: psycopg.Connection, *, tenant: str, role: str, name: str) -> tuple[ApiKey, str]:
    """Store a new key; returns it and its token (shown once, not recoverable afterwards)."""
    if role not in API_ROLES:
        raise ValueError(f"unknown role {role!r}; use one of {', '.join(API_ROLES)}")
    if not tenant:
        raise ValueError("tenant must not be empty")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = conn.execute(
        "INSERT INTO api_keys (tenant, name, role, token_hash) VALUES (%s, %s, %s, %s) "
        "RETURNING id, tenant, name, role, created_at, revoked_at",
        (tenant, name, role, hash_token(token)),
    ).fetchone()
    assert row is not None
    return ApiKey(*row), token


def key_for_token(conn: psycopg.Connection, token: str) -> ApiKey | None:
    """The live (not revoked) key a token belongs to, or None."""
    row = conn.execute(
        "SELECT id, tenant, name, role, created_at, revoked_at FROM api_keys "
        "WHERE token_hash = %s AND revoked_at IS NULL",
        (hash_token(token),),
    ).fetchone()
    return ApiKey(*row) if row else None


def list_keys(conn: psycopg.Connection, tenant: str | None = None) -> list[ApiKey]:
    """Keys ordered by id, optionally of one tenant."""
    rows = conn.execute(
        "SELECT id, tenant, name, role, created_at, revoked_at FROM api_keys "
        "WHERE %(tenant)s::text IS NULL OR tenant = %(tenant)s ORDER BY id",
        {"tenant": tenant},
    ).fetchall()
    return [ApiKey(*r) for r in rows]


def revoke_key(conn: psycopg.Connection, key_id: int) -> bool:
    """Revoke a key; False when there is no such live key."""
    cur = conn.execute(
        "UPDATE api_keys SET revoked_at = now() WHERE id = %s AND revoked_at IS NULL", (key_id,)
    )
    return cur.rowcount == 1


def listen_for_key_changes(conn: psycopg.Connection) -> None:
    """Subscribe an autocommit connection to key changes: read them with `conn.notifies()`."""
    conn.execute(f"SET application_name = '{KEYS_LISTENER}'")
    conn.execute(f"LISTEN {KEYS_CHANNEL}")


def heartbeat(conn: psycopg.Connection) -> None:
    """A round trip on a listening connection: raises or hangs when the connection is gone."""
    conn.execute("SELECT 1")
