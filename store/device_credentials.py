"""Devices' MQTT password hashes (`devices.credentials_hash`), for `sensegrid mqtt credentials`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import psycopg


@dataclass(frozen=True)
class DeviceCredential:
    """An active device and its stored password hash (None: it has none yet)."""

    device_id: str
    credentials_hash: str | None


def active_device_credentials(conn: psycopg.Connection) -> list[DeviceCredential]:
    """Every active device with its hash, ordered by id; the rows are locked until the transaction ends
    so two runs cannot hand one device two passwords."""
    rows = conn.execute(
        "SELECT id, credentials_hash FROM devices WHERE active ORDER BY id FOR UPDATE"
    ).fetchall()
    return [DeviceCredential(r[0], r[1]) for r in rows]


def set_credentials_hashes(conn: psycopg.Connection, hashes: Mapping[str, str]) -> None:
    """Store new password hashes by device id."""
    with conn.cursor() as cur:
        cur.executemany(
            "UPDATE devices SET credentials_hash = %s WHERE id = %s", [(h, d) for d, h in hashes.items()]
        )
