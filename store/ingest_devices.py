"""Devices as ingest looks them up: the registered devices a batch names, with their calibration."""

from __future__ import annotations

from collections.abc import Iterable

import psycopg

from core.types import Device
from store.calibration import parse_calibration


def get_devices(conn: psycopg.Connection, ids: Iterable[str]) -> dict[str, Device]:
    """The registered devices among `ids` (unknown ids are simply absent)."""
    rows = conn.execute(
        "SELECT id, tenant, domain, kind, name, site, active, calibration FROM devices WHERE id = ANY(%s)",
        (list(ids),),
    ).fetchall()
    return {
        r[0]: Device(
            id=r[0],
            tenant=r[1],
            domain=r[2],
            kind=r[3],
            name=r[4],
            site=r[5],
            active=r[6],
            calibration=parse_calibration(r[7]),
        )
        for r in rows
    }
