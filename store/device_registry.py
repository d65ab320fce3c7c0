"""The device registry as operators keep it (CLI and API): registering, listing, looking up and
editing devices, each listed as one `DeviceRecord`.

The API's calls always give the caller's tenant, which goes into the WHERE clause: a device of
another tenant is indistinguishable from one that does not exist. Only the CLI lists every tenant's
devices (tenant None).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

import psycopg
from psycopg.types.json import Jsonb

DeviceStatus = Literal["online", "offline", "silent"]


@dataclass(frozen=True)
class NewDevice:
    """What registering a device takes. `metadata`: device settings (JSON scalars) merged into the
    stored ones on re-registration, so settings added through the API are kept."""

    id: str
    domain: str
    kind: str
    tenant: str = "default"
    name: str = ""
    site: str = ""
    latitude: float | None = None
    longitude: float | None = None
    metadata: Mapping[str, object] = field(default_factory=dict)


_UPSERT = """
INSERT INTO devices (id, tenant, domain, kind, name, site, latitude, longitude, metadata)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (id) DO UPDATE SET tenant = EXCLUDED.tenant, domain = EXCLUDED.domain,
    kind = EXCLUDED.kind, name = EXCLUDED.name, site = EXCLUDED.site,
    latitude = EXCLUDED.latitude, longitude = EXCLUDED.longitude,
    metadata = devices.metadata || EXCLUDED.metadata, active = true
"""


def upsert_devices(conn: psycopg.Connection, devices: Sequence[NewDevice]) -> int:
    """Register devices (or update them when the id exists); returns how many were written."""
    with conn.cursor() as cur:
        cur.executemany(
            _UPSERT,
            [
                (
                    d.id,
                    d.tenant,
                    d.domain,
                    d.kind,
                    d.name,
                    d.site,
                    d.latitude,
                    d.longitude,
                    Jsonb(dict(d.metadata)),
                )
                for d in devices
            ],
        )
    return len(devices)


@dataclass(frozen=True)
class DeviceRecord:
    """One registered device as listed to operators, with its derived status."""

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
    tenant: str | None,
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
    """A page of devices of `tenant` (None: of every tenant) ordered by id, starting after
    `after_id` (keyset pagination)."""
    of_tenant = "d.tenant = %(tenant)s" if tenant is not None else "true"
    rows = conn.execute(
        f"SELECT * FROM (SELECT {_COLUMNS} FROM devices d WHERE {of_tenant} "
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
