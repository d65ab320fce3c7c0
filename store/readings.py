"""Reading queries for the API, always scoped to one tenant: raw pages, buckets, latest, export.

Bucketed series read the rollups whenever the interval is a whole number of hours (readings_1h)
or minutes (readings_1m) and fall back to `date_bin` over raw readings otherwise. Both paths leave
out readings flagged bad, as the rollups do (store/writer.py), so the answers agree.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

import psycopg
from psycopg import sql

from store.writer import QUALITY_BAD

BUCKET_ORIGIN = datetime(2000, 1, 1, tzinfo=UTC)
Source = Literal["readings_1h", "readings_1m", "readings"]
NATIVE_INTERVAL: dict[Source, timedelta | None] = {
    "readings_1h": timedelta(hours=1),
    "readings_1m": timedelta(minutes=1),
    "readings": None,
}


@dataclass(frozen=True)
class RawReading:
    time: datetime
    value: float
    quality: int

    @property
    def bad(self) -> bool:
        return self.quality >= QUALITY_BAD


@dataclass  # not frozen: a 1,440-bucket series builds 5x faster, and the API serializes it as is
class Bucket:
    start: datetime
    count: int
    avg: float
    min: float
    max: float
    last: float


@dataclass(frozen=True)
class LatestValue:
    device_id: str
    metric: str
    time: datetime
    value: float
    quality: int

    @property
    def bad(self) -> bool:
        return self.quality >= QUALITY_BAD


@dataclass(frozen=True)
class SeriesRef:
    """A series of one of a tenant's devices, and when that device's readings were last written
    (`devices.data_at`, None: never): an answer computed from the series stays right until it moves."""

    id: int
    data_at: datetime | None


def find_series(conn: psycopg.Connection, tenant: str, device_id: str, metric: str) -> SeriesRef | None:
    """The series of a tenant's device and metric (None: no such device, metric or tenant)."""
    row = conn.execute(
        "SELECT s.id, d.data_at FROM series s JOIN devices d ON d.id = s.device_id "
        "WHERE d.tenant = %s AND s.device_id = %s AND s.metric = %s",
        (tenant, device_id, metric),
        binary=True,
    ).fetchone()
    return SeriesRef(int(row[0]), row[1]) if row else None


def raw_page(
    conn: psycopg.Connection,
    series: int,
    start: datetime,
    end: datetime,
    *,
    after: datetime | None,
    limit: int,
) -> list[RawReading]:
    """Readings of one series in [start, end), oldest first, after `after` (the cursor)."""
    rows = conn.execute(
        "SELECT time, value, quality FROM readings WHERE series_id = %s AND time >= %s AND time < %s "
        "AND (%s::timestamptz IS NULL OR time > %s) ORDER BY time LIMIT %s",
        (series, start, end, after, after, limit),
        binary=True,
    ).fetchall()
    return [RawReading(*r) for r in rows]


def bucket_source(interval: timedelta) -> Source:
    """Which table can answer buckets of `interval` exactly."""
    seconds = interval.total_seconds()
    if seconds % 3600 == 0:
        return "readings_1h"
    if seconds % 60 == 0:
        return "readings_1m"
    return "readings"


def align(start: datetime, end: datetime, interval: timedelta) -> tuple[datetime, datetime]:
    """[start, end) widened to whole buckets of `interval` counted from BUCKET_ORIGIN."""
    first = BUCKET_ORIGIN + ((start - BUCKET_ORIGIN) // interval) * interval
    last = BUCKET_ORIGIN + -((BUCKET_ORIGIN - end) // interval) * interval
    return first, last


def buckets(
    conn: psycopg.Connection, series: int, start: datetime, end: datetime, interval: timedelta
) -> tuple[Source, list[Bucket]]:
    """Aggregates per bucket of `interval` covering [start, end) (whole buckets), oldest first."""
    source = bucket_source(interval)
    first, last = align(start, end, interval)
    query: sql.Composable
    if source == "readings":
        query = sql.SQL(
            "SELECT date_bin(%(i)s, time, %(o)s) AS b, count(*)::int, avg(value), min(value), max(value), "
            "(array_agg(value ORDER BY time DESC))[1] FROM readings "
            "WHERE series_id = %(s)s AND time >= %(a)s AND time < %(z)s AND quality < %(bad)s "
            "GROUP BY 1 ORDER BY 1"
        )
    elif interval == NATIVE_INTERVAL[source]:  # the rollup's own buckets: nothing to merge
        query = sql.SQL(
            "SELECT bucket, count, sum / count, min, max, last FROM {table} "
            "WHERE series_id = %(s)s AND bucket >= %(a)s AND bucket < %(z)s AND count > 0 ORDER BY bucket"
        ).format(table=sql.Identifier(source))
    else:
        query = sql.SQL(
            "SELECT date_bin(%(i)s, bucket, %(o)s) AS b, sum(count)::int, sum(sum) / sum(count), "
            "min(min), max(max), (array_agg(last ORDER BY last_time DESC))[1] FROM {table} "
            "WHERE series_id = %(s)s AND bucket >= %(a)s AND bucket < %(z)s GROUP BY 1 ORDER BY 1"
        ).format(table=sql.Identifier(source))
    rows = conn.execute(
        query,
        {"i": interval, "o": BUCKET_ORIGIN, "s": series, "a": first, "z": last, "bad": QUALITY_BAD},
        binary=True,  # binary timestamps and floats parse in half the time of text
    ).fetchall()
    return source, [Bucket(*r) for r in rows]


def latest(
    conn: psycopg.Connection,
    tenant: str,
    *,
    device_id: str | None = None,
    site: str | None = None,
    area: str | None = None,
    metric: str | None = None,
    limit: int = 1000,
) -> list[LatestValue]:
    """The newest stored reading of each series of the tenant's matching devices."""
    rows = conn.execute(
        "SELECT s.device_id, s.metric, r.time, r.value, r.quality FROM series s "
        "JOIN devices d ON d.id = s.device_id "
        "CROSS JOIN LATERAL (SELECT time, value, quality FROM readings WHERE series_id = s.id "
        "ORDER BY time DESC LIMIT 1) r "
        "WHERE d.tenant = %(tenant)s AND (%(device)s::text IS NULL OR d.id = %(device)s) "
        "AND (%(site)s::text IS NULL OR d.site = %(site)s) "
        "AND (%(area)s::text IS NULL OR d.domain = %(area)s) "
        "AND (%(metric)s::text IS NULL OR s.metric = %(metric)s) "
        "ORDER BY s.device_id, s.metric LIMIT %(limit)s",
        {"tenant": tenant, "device": device_id, "site": site, "area": area, "metric": metric, "limit": limit},
    ).fetchall()
    return [LatestValue(*r) for r in rows]


def export_rows(
    conn: psycopg.Connection,
    tenant: str,
    device_id: str,
    start: datetime,
    end: datetime,
    metric: str | None = None,
) -> Generator[tuple[datetime, str, str, float, int], None, None]:
    """Every reading of a device in [start, end) as (time, device, metric, value, quality), streamed
    from a server-side cursor so a long range never sits in memory. Needs an open transaction."""
    with conn.cursor(name="sensegrid_export") as cur:
        cur.itersize = 5000
        cur.execute(
            "SELECT r.time, s.device_id, s.metric, r.value, r.quality FROM readings r "
            "JOIN series s ON s.id = r.series_id JOIN devices d ON d.id = s.device_id "
            "WHERE d.tenant = %s AND d.id = %s AND (%s::text IS NULL OR s.metric = %s) "
            "AND r.time >= %s AND r.time < %s ORDER BY s.metric, r.time",
            (tenant, device_id, metric, metric, start, end),
        )
        yield from cur


def device_exists(conn: psycopg.Connection, tenant: str, device_id: str) -> bool:
    row = conn.execute("SELECT 1 FROM devices WHERE tenant = %s AND id = %s", (tenant, device_id)).fetchone()
    return row is not None
