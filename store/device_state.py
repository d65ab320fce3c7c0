"""Devices as the alert evaluator reads them: the active devices of its shards, with their series."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import psycopg

from store.epoch import utc_datetime
from store.shards import shard_of_sql


@dataclass(frozen=True)
class DeviceState:
    """A device as the evaluator sees it: identity, settings, liveness and its series ids."""

    id: str
    tenant: str
    area: str
    kind: str
    name: str
    site: str
    active: bool
    metadata: Mapping[str, object]
    created_at: float
    last_seen: float | None
    online: bool | None
    series: Mapping[str, int] = field(default_factory=dict)
    latitude: float | None = None  # registered position, degrees (indices read it, e.g. FAO-56 ET0)
    longitude: float | None = None


_DEVICE_COLUMNS = """
d.id, d.tenant, d.domain, d.kind, d.name, d.site, d.active, d.metadata,
extract(epoch FROM d.created_at)::float8, extract(epoch FROM d.last_seen)::float8, d.online,
coalesce((SELECT jsonb_object_agg(s.metric, s.id) FROM series s WHERE s.device_id = d.id), '{}'::jsonb),
d.latitude, d.longitude
"""


def _device(row: Sequence[Any]) -> DeviceState:
    return DeviceState(
        id=row[0],
        tenant=row[1],
        area=row[2],
        kind=row[3],
        name=row[4],
        site=row[5],
        active=row[6],
        metadata=row[7] if isinstance(row[7], dict) else {},
        created_at=float(row[8]),
        last_seen=None if row[9] is None else float(row[9]),
        online=row[10],
        series={str(k): int(v) for k, v in row[11].items()},
        latitude=row[12],
        longitude=row[13],
    )


def devices_in_shards(
    conn: psycopg.Connection,
    shards: int,
    owned: Iterable[int],
    *,
    ids: Iterable[str] | None = None,
    silent_before: float | None = None,
    after_id: str = "",
    limit: int | None = None,
) -> list[DeviceState]:
    """Active devices of the `owned` shards, ordered by id.

    `ids`: only these. `silent_before`: only those with no reading since then (never reported:
    since registration) or whose MQTT status is offline. `after_id`/`limit`: one page.
    """
    clauses = [f"{shard_of_sql('d.id')} = ANY(%(owned)s)", "d.active", "d.id > %(after)s"]
    args: dict[str, object] = {"shards": shards, "owned": sorted(owned), "after": after_id}
    if ids is not None:
        clauses.append("d.id = ANY(%(ids)s)")
        args["ids"] = sorted(set(ids))
    if silent_before is not None:
        clauses.append("(coalesce(d.last_seen, d.created_at) < %(before)s OR d.online IS false)")
        args["before"] = utc_datetime(silent_before)
    sql = f"SELECT {_DEVICE_COLUMNS} FROM devices d WHERE {' AND '.join(clauses)} ORDER BY d.id"
    if limit is not None:
        sql += " LIMIT %(limit)s"
        args["limit"] = limit
    return [_device(r) for r in conn.execute(sql, args).fetchall()]


def touched_metrics(
    conn: psycopg.Connection, series_ids: Iterable[int], shards: int, owned: Iterable[int]
) -> dict[str, frozenset[str]]:
    """Per device of the `owned` shards, the metrics among `series_ids` (a NOTIFY payload)."""
    rows = conn.execute(
        f"SELECT s.device_id, array_agg(s.metric) FROM series s WHERE s.id = ANY(%(ids)s) "
        f"AND {shard_of_sql('s.device_id')} = ANY(%(owned)s) GROUP BY 1",
        {"ids": sorted(set(series_ids)), "shards": shards, "owned": sorted(owned)},
    ).fetchall()
    return {r[0]: frozenset(r[1]) for r in rows}
