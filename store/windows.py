"""The windows rules and index views read: newest readings, hourly rollups, recent raw points,
all measured against the database's clock."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import psycopg

from store.epoch import utc_datetime
from store.writer import QUALITY_BAD


def database_now(conn: psycopg.Connection) -> float:
    """The database's clock (epoch seconds): every evaluator and every `for` timer use this one."""
    row = conn.execute("SELECT extract(epoch FROM clock_timestamp())::float8").fetchone()
    assert row is not None
    return float(row[0])


@dataclass(frozen=True)
class HourBucket:
    """One row of the 1-hour rollup (good readings only)."""

    start: float
    count: int
    sum: float
    min: float
    max: float


@dataclass(frozen=True)
class PointsRequest:
    """The newest good raw points of one series since `since` (epoch s), at most `limit`."""

    series_id: int
    since: float
    limit: int


Point = tuple[float, float]


def latest_readings(
    conn: psycopg.Connection, series_ids: Iterable[int], since: float
) -> dict[int, tuple[float, float]]:
    """The newest good reading (epoch s, value) of each series, if one is newer than `since`."""
    ids = sorted(set(series_ids))
    if not ids:
        return {}
    rows = conn.execute(
        "SELECT q.id, extract(epoch FROM r.time)::float8, r.value FROM unnest(%s::int[]) AS q(id) "
        "CROSS JOIN LATERAL (SELECT time, value FROM readings WHERE series_id = q.id "
        f"AND time >= %s AND quality < {QUALITY_BAD} ORDER BY time DESC LIMIT 1) r",
        (ids, utc_datetime(since)),
        binary=True,  # results in binary: floats and times parse faster
    ).fetchall()
    return {int(r[0]): (float(r[1]), float(r[2])) for r in rows}


def hourly_rollups(
    conn: psycopg.Connection, series_ids: Iterable[int], since: float
) -> dict[int, list[HourBucket]]:
    """The 1-hour rollup buckets of each series starting at or after `since`, oldest first."""
    ids = sorted(set(series_ids))
    if not ids:
        return {}
    rows = conn.execute(
        "SELECT series_id, extract(epoch FROM bucket)::float8, count, sum, min, max FROM readings_1h "
        "WHERE series_id = ANY(%s) AND bucket >= %s ORDER BY series_id, bucket",
        (ids, utc_datetime(since)),
        binary=True,  # results in binary: floats and times parse faster
    ).fetchall()
    out: dict[int, list[HourBucket]] = {}
    for sid, start, count, total, low, high in rows:
        out.setdefault(int(sid), []).append(HourBucket(float(start), int(count), total, low, high))
    return out


def recent_points(
    conn: psycopg.Connection, requests: Iterable[PointsRequest]
) -> dict[PointsRequest, list[Point]]:
    """The points of each request, oldest first."""
    wanted = sorted(set(requests), key=lambda r: (r.series_id, r.since, r.limit))
    if not wanted:
        return {}
    rows = conn.execute(
        "SELECT q.n, extract(epoch FROM r.time)::float8, r.value "
        "FROM unnest(%s::int[], %s::timestamptz[], %s::int[]) WITH ORDINALITY AS q(id, since, lim, n) "
        "CROSS JOIN LATERAL (SELECT time, value FROM readings WHERE series_id = q.id "
        f"AND time >= q.since AND quality < {QUALITY_BAD} ORDER BY time DESC LIMIT q.lim) r "
        "ORDER BY q.n, r.time",
        (
            [w.series_id for w in wanted],
            [utc_datetime(w.since) for w in wanted],
            [w.limit for w in wanted],
        ),
        binary=True,  # results in binary: floats and times parse faster
    ).fetchall()
    out: dict[PointsRequest, list[Point]] = {w: [] for w in wanted}
    for n, t, v in rows:
        out[wanted[int(n) - 1]].append((float(t), float(v)))
    return out


def minutes_per_hour(
    conn: psycopg.Connection, series_ids: Iterable[int], since: float
) -> dict[int, list[tuple[float, int]]]:
    """(clock-hour start, distinct minutes with good data) of each series from `since`, oldest first.

    Counted in the 1-minute rollup, which holds good readings only: one row per minute that had
    any. Hours without data are absent. The sampling time the data-validity rules judge
    (docs/standards.md §1.4).
    """
    if not (ids := sorted(set(series_ids))):
        return {}
    rows = conn.execute(
        "SELECT series_id, extract(epoch FROM date_bin('1 hour', bucket, timestamptz '2000-01-01 00:00+00'))"
        "::float8 AS hour, count(*) FROM readings_1m "
        "WHERE series_id = ANY(%s) AND bucket >= %s AND count > 0 GROUP BY 1, 2 ORDER BY 1, 2",
        (ids, utc_datetime(since)),
        binary=True,  # results in binary: floats and times parse faster
    ).fetchall()
    out: dict[int, list[tuple[float, int]]] = {}
    for sid, hour, minutes in rows:
        out.setdefault(int(sid), []).append((float(hour), int(minutes)))
    return out
