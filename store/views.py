"""The devices a domain view covers, for one tenant: identity, settings and series ids."""

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
        "extract(epoch FROM d.data_at)::float8 "
        "FROM devices d WHERE d.tenant = %(tenant)s AND d.domain = %(area)s AND d.active "
        "AND (%(device)s::text IS NULL OR d.id = %(device)s) "
        "AND (%(site)s::text IS NULL OR d.site = %(site)s) "
        "AND (%(kind)s::text IS NULL OR d.kind = %(kind)s) "
        "ORDER BY d.site, d.id LIMIT %(limit)s",
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
        )
        for r in rows
    ]
