"""The devices a domain view covers, for one tenant: identity, settings and series ids (`ViewDevice`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import psycopg


@dataclass(frozen=True)
class ViewDevice:
    """An active device of one area with what an index needs to be computed for it."""

    id: str
    kind: str
    name: str
    site: str
    metadata: Mapping[str, object]
    series: Mapping[str, int]
    data_at: float | None = None  # when its readings were last written (epoch s), None: never
    latitude: float | None = None  # registered position, degrees (indices read it, e.g. FAO-56 ET0)
    longitude: float | None = None


# The devices a view covers: one tenant's active devices of an area, optionally narrowed.
_COVERED = (
    "d.tenant = %(tenant)s AND d.domain = %(area)s AND d.active "
    "AND (%(device)s::text IS NULL OR d.id = %(device)s) "
    "AND (%(site)s::text IS NULL OR d.site = %(site)s) "
    "AND (%(kind)s::text IS NULL OR d.kind = %(kind)s)"
)


def area_state(
    conn: psycopg.Connection,
    tenant: str,
    area: str,
    *,
    device_id: str | None = None,
    site: str | None = None,
    kind: str | None = None,
) -> str:
    """A digest of all a view of these devices depends on but the clock: which devices, their
    settings and position, their series' metrics and when their readings were last written (`data_at`).
    One row from the database, however many devices: the cheap check before a cached view."""
    row = conn.execute(
        "SELECT coalesce(md5(jsonb_agg(jsonb_build_array(d.id, d.kind, d.name, d.site, d.metadata, "
        "d.latitude, d.longitude, "
        "(SELECT array_agg(s.metric ORDER BY s.metric) FROM series s WHERE s.device_id = d.id), d.data_at) "
        "ORDER BY d.id)::text), '') "
        f"FROM devices d WHERE {_COVERED}",
        {"tenant": tenant, "area": area, "device": device_id, "site": site, "kind": kind},
    ).fetchone()
    return str(row[0]) if row else ""


def area_devices(
    conn: psycopg.Connection,
    tenant: str,
    area: str,
    *,
    device_id: str | None = None,
    site: str | None = None,
    kind: str | None = None,
    limit: int = 1000,
) -> list[ViewDevice]:
    """Active devices of `area` in `tenant` (optionally one device, site or kind), ordered by site, id."""
    rows = conn.execute(
        "SELECT d.id, d.kind, d.name, d.site, d.metadata, "
        "coalesce((SELECT jsonb_object_agg(s.metric, s.id) FROM series s WHERE s.device_id = d.id), '{}'), "
        "extract(epoch FROM d.data_at)::float8, d.latitude, d.longitude "
        f"FROM devices d WHERE {_COVERED} ORDER BY d.site, d.id LIMIT %(limit)s",
        {"tenant": tenant, "area": area, "device": device_id, "site": site, "kind": kind, "limit": limit},
    ).fetchall()
    return [
        ViewDevice(
            id=r[0],
            kind=r[1],
            name=r[2],
            site=r[3],
            metadata=dict(r[4] or {}),
            series={str(k): int(v) for k, v in (r[5] or {}).items()},
            data_at=r[6],
            latitude=r[7],
            longitude=r[8],
        )
        for r in rows
    ]
