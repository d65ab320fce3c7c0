"""Devices as one tenant sees them through the API: scoped look-ups, filtered listing, edits.

Every function takes the tenant and puts it in the WHERE clause: a device of another tenant is
indistinguishable from one that does not exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import psycopg
from psycopg.types.json import Jsonb

DeviceStatus = Literal["online", "offline", "silent"]


@dataclass(frozen=True)
class DeviceRecord:
    """One device row with its derived status."""

    id: str
    tenant: str
    area: str
    kind: str
    name: str
    site: str
    latitude: float | None
    longitude: float | None
    metadata: dict[str, object]
    active: bool
    created_at: datetime
    last_seen: datetime | None
    online: bool | None
    status: DeviceStatus


class DeviceIdTakenError(Exception):
    """The device id is registered already (ids are MQTT client ids, unique across tenants)."""


# offline: the broker said so (last will); silent: no reading within `silent_after`; else online.
_STATUS = """
CASE WHEN d.online IS FALSE THEN 'offline'
     WHEN d.last_seen IS NULL OR d.last_seen < now() - make_interval(secs => %(silent_after)s) THEN 'silent'
     ELSE 'online' END
"""
_COLUMNS = (
    "d.id, d.tenant, d.domain, d.kind, d.name, d.site, d.latitude, d.longitude, d.metadata, d.active, "
    f"d.created_at, d.last_seen, d.online, {_STATUS} AS status"
)


def _record(row: tuple[object, ...]) -> DeviceRecord:
    return DeviceRecord(*row)  # type: ignore[arg-type]


def get_device(
    conn: psycopg.Connection, tenant: str, device_id: str, silent_after_s: int
) -> DeviceRecord | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM devices d WHERE d.tenant = %(tenant)s AND d.id = %(id)s",
        {"tenant": tenant, "id": device_id, "silent_after": silent_after_s},
    ).fetchone()
    return _record(row) if row else None


def list_devices(
    conn: psycopg.Connection,
    tenant: str,
    *,
    silent_after_s: int,
    area: str | None = None,
    kind: str | None = None,
    site: str | None = None,
    status: DeviceStatus | None = None,
    active: bool | None = None,
    after_id: str | None = None,
    limit: int = 100,
) -> list[DeviceRecord]:
    """A page of devices ordered by id, starting after `after_id` (keyset pagination)."""
    rows = conn.execute(
        f"SELECT * FROM (SELECT {_COLUMNS} FROM devices d WHERE d.tenant = %(tenant)s "
        "AND (%(area)s::text IS NULL OR d.domain = %(area)s) "
        "AND (%(kind)s::text IS NULL OR d.kind = %(kind)s) "
        "AND (%(site)s::text IS NULL OR d.site = %(site)s) "
        "AND (%(active)s::bool IS NULL OR d.active = %(active)s) "
        "AND (%(after)s::text IS NULL OR d.id > %(after)s)) AS x "
        "WHERE %(status)s::text IS NULL OR x.status = %(status)s ORDER BY x.id LIMIT %(limit)s",
        {
            "tenant": tenant,
            "area": area,
            "kind": kind,
            "site": site,
            "active": active,
            "after": after_id,
            "status": status,
            "limit": limit,
            "silent_after": silent_after_s,
        },
    ).fetchall()
    return [_record(r) for r in rows]


def create_device(
    conn: psycopg.Connection,
    tenant: str,
    *,
    device_id: str,
    area: str,
    kind: str,
    name: str,
    site: str,
    latitude: float | None,
    longitude: float | None,
    metadata: Mapping[str, object],
) -> None:
    """Register a new device of `tenant`; raises DeviceIdTakenError when the id exists."""
    try:
        with conn.transaction():
            conn.execute(
                "INSERT INTO devices (id, tenant, domain, kind, name, site, latitude, longitude, metadata) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (device_id, tenant, area, kind, name, site, latitude, longitude, Jsonb(dict(metadata))),
            )
    except psycopg.errors.UniqueViolation as exc:
        raise DeviceIdTakenError(device_id) from exc


_EDITABLE = ("kind", "name", "site", "latitude", "longitude", "metadata", "active")


def update_device(
    conn: psycopg.Connection, tenant: str, device_id: str, changes: Mapping[str, object]
) -> bool:
    """Set the given columns (of `_EDITABLE`) of one device of `tenant`; False when it is not there."""
    unknown = set(changes) - set(_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    if not changes:
        row = conn.execute(
            "SELECT 1 FROM devices WHERE tenant = %s AND id = %s", (tenant, device_id)
        ).fetchone()
        return row is not None
    values = {
        k: Jsonb(dict(v)) if k == "metadata" and isinstance(v, Mapping) else v for k, v in changes.items()
    }
    assignments = ", ".join(f"{column} = %({column})s" for column in values)
    cur = conn.execute(
        f"UPDATE devices SET {assignments} WHERE tenant = %(_tenant)s AND id = %(_id)s",
        {**values, "_tenant": tenant, "_id": device_id},
    )
    return cur.rowcount == 1
