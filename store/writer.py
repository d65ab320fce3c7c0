"""The batch writer: readings by binary COPY, rollups merged in the same transaction, then NOTIFY.

One call, one transaction: raw readings, their 1-minute and 1-hour rollups, the devices' last-seen
times and the rejected messages of the same batch commit together or not at all, so an ingest
process can ack its MQTT messages once this returns and lose nothing if it dies before.

The batch travels once from Python, by binary COPY into a session-private staging table (no
index, no WAL). From there one `INSERT … SELECT` moves it into `readings` and one statement
aggregates it into minutes and merges those into both rollups — the aggregation runs in the
server, set-based, instead of once per row in Python or as an upsert per row.

Fast path: the plain `INSERT … SELECT`. A redelivered reading makes it hit the unique key
(series_id, time); only then the batch is inserted with `ON CONFLICT DO NOTHING RETURNING`, the
staging table keeps just the rows that were new, and the rollups count those alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import psycopg
from psycopg import errors

from store.epoch import utc_datetime

# Readings flagged bad (domains.model.Quality.BAD) are stored but kept out of the rollups, which
# feed the indices: docs/standards.md §7, "bad readings are stored, flagged, and left out".
QUALITY_BAD = 2
NOTIFY_CHANNEL = "sensegrid_readings"
_NOTIFY_MAX_BYTES = 7900  # PostgreSQL caps a NOTIFY payload at 8000 bytes

ReadingRow = tuple[float, int, float, int]  # (epoch seconds, series_id, value, quality)


@dataclass(frozen=True, slots=True)
class RejectedRow:
    """A message (or part of one) that could not be stored, for `rejected_messages`."""

    received_at: float
    topic: str
    payload: bytes
    reason: str
    detail: str
    device_id: str | None


@dataclass(frozen=True, slots=True)
class BatchResult:
    stored: int
    duplicates: int
    rejected: int
    series: frozenset[int]


_UPSERT_SET = """
ON CONFLICT (series_id, bucket) DO UPDATE SET
    count = r.count + EXCLUDED.count,
    sum = r.sum + EXCLUDED.sum,
    min = least(r.min, EXCLUDED.min),
    max = greatest(r.max, EXCLUDED.max),
    last = CASE WHEN EXCLUDED.last_time >= r.last_time THEN EXCLUDED.last ELSE r.last END,
    last_time = greatest(r.last_time, EXCLUDED.last_time)
"""

# One statement: the batch is aggregated once into minutes; the minutes are merged into the
# 1-minute rollup and, aggregated again (60x fewer rows), into the 1-hour rollup. Rows are merged
# sorted, so concurrent writers lock rollup rows in the same order and cannot deadlock. It returns
# the series the batch touched, for NOTIFY.
_ROLLUP_MERGE = f"""
WITH m AS MATERIALIZED (
    SELECT date_bin('1 minute', time, '2000-01-01T00:00:00Z') AS bucket, series_id,
           count(*)::int AS count, sum(value) AS sum, min(value) AS min, max(value) AS max,
           (array_agg(value ORDER BY time DESC))[1] AS last, max(time) AS last_time
    FROM {{source}} WHERE quality < {QUALITY_BAD}
    GROUP BY 1, 2
), minutes AS (
    INSERT INTO readings_1m AS r (bucket, series_id, count, sum, min, max, last, last_time)
    SELECT * FROM m ORDER BY series_id, bucket
    {_UPSERT_SET}
)
INSERT INTO readings_1h AS r (bucket, series_id, count, sum, min, max, last, last_time)
SELECT date_bin('1 hour', bucket, '2000-01-01T00:00:00Z'), series_id, sum(count)::int, sum(sum),
       min(min), max(max), (array_agg(last ORDER BY last_time DESC))[1], max(last_time)
FROM m GROUP BY 1, 2 ORDER BY 2, 1
{_UPSERT_SET}
RETURNING series_id
"""


def _merge_rollups(cur: psycopg.Cursor, source: str) -> frozenset[int]:
    """Merge the batch's new readings (in table `source`) into both rollups; the series touched."""
    cur.execute(_ROLLUP_MERGE.format(source=source))
    return frozenset(r[0] for r in cur.fetchall())


def _copy_readings(cur: psycopg.Cursor, table: str, rows: Sequence[ReadingRow]) -> None:
    # Times travel as epoch float8 and become timestamptz in the server (a generated column):
    # building a datetime per reading was the largest Python cost of the whole write.
    with cur.copy(f"COPY {table} (epoch, series_id, value, quality) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(["float8", "int4", "float8", "int2"])
        for row in rows:
            copy.write_row(row)


_STAGING = "readings_batch"


def _stage(cur: psycopg.Cursor, rows: Sequence[ReadingRow]) -> None:
    """Binary COPY of the batch into a session-private table without indexes (cheap, no WAL)."""
    cur.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {_STAGING} (epoch float8, series_id int, value float8, "
        "quality int2, time timestamptz GENERATED ALWAYS AS (to_timestamp(epoch)) STORED) "
        "ON COMMIT DELETE ROWS"
    )
    _copy_readings(cur, _STAGING, rows)


def _store_new_only(cur: psycopg.Cursor) -> int:
    """The slow path for batches holding readings already stored: keep only the new ones, and
    leave exactly those in the staging table for the rollups."""
    cur.execute(
        f"""
        WITH inserted AS (
            INSERT INTO readings (time, series_id, value, quality)
            SELECT DISTINCT ON (series_id, time) time, series_id, value, quality FROM {_STAGING}
            ORDER BY series_id, time
            ON CONFLICT (series_id, time) DO NOTHING
            RETURNING time, series_id
        ), dropped AS (
            DELETE FROM {_STAGING} b WHERE NOT EXISTS (
                SELECT 1 FROM inserted i WHERE i.series_id = b.series_id AND i.time = b.time)
        )
        SELECT count(*) FROM inserted
        """
    )
    row = cur.fetchone()
    # A reading repeated inside the batch stays twice in staging: keep one copy for the rollups.
    cur.execute(
        f"DELETE FROM {_STAGING} a USING {_STAGING} b WHERE a.series_id = b.series_id "
        "AND a.time = b.time AND a.ctid > b.ctid"
    )
    return int(row[0]) if row else 0


def _notify(cur: psycopg.Cursor, series: Iterable[int]) -> None:
    chunk: list[str] = []
    size = 0
    for sid in sorted(series):
        text = str(sid)
        if size + len(text) + 1 > _NOTIFY_MAX_BYTES:
            cur.execute("SELECT pg_notify(%s, %s)", (NOTIFY_CHANNEL, ",".join(chunk)))
            chunk, size = [], 0
        chunk.append(text)
        size += len(text) + 1
    if chunk:
        cur.execute("SELECT pg_notify(%s, %s)", (NOTIFY_CHANNEL, ",".join(chunk)))


def _insert_rejected(cur: psycopg.Cursor, rejected: Sequence[RejectedRow]) -> None:
    with cur.copy(
        "COPY rejected_messages (received_at, topic, payload, reason, detail, device_id) FROM STDIN"
    ) as copy:
        for r in rejected:
            copy.write_row((utc_datetime(r.received_at), r.topic, r.payload, r.reason, r.detail, r.device_id))


def _touch_devices(cur: psycopg.Cursor, last_seen: Mapping[str, float], touched: frozenset[int]) -> None:
    """Move `last_seen` forward, and stamp `data_at` on every device whose rollups this batch
    changed (late readings included): the domain views recompute when it moves."""
    written: set[str] = set()
    if touched:
        cur.execute("SELECT DISTINCT device_id FROM series WHERE id = ANY(%s)", (sorted(touched),))
        written = {r[0] for r in cur.fetchall()}
    ids = sorted(written | set(last_seen))
    if not ids:
        return
    seen = [utc_datetime(last_seen[i]) if i in last_seen else None for i in ids]
    cur.execute(
        "UPDATE devices d SET last_seen = CASE WHEN d.last_seen IS NULL OR d.last_seen < v.t THEN "
        "coalesce(v.t, d.last_seen) ELSE d.last_seen END, "
        "data_at = CASE WHEN v.w THEN now() ELSE d.data_at END "
        "FROM unnest(%s::text[], %s::timestamptz[], %s::bool[]) AS v(id, t, w) WHERE d.id = v.id",
        (ids, seen, [i in written for i in ids]),
    )


def _set_status(cur: psycopg.Cursor, status: Mapping[str, tuple[bool, float]]) -> None:
    """Online/offline from the status topic; an older report never overwrites a newer one."""
    ids = sorted(status)
    cur.execute(
        "UPDATE devices d SET online = v.online, status_at = v.t "
        "FROM unnest(%s::text[], %s::bool[], %s::timestamptz[]) AS v(id, online, t) "
        "WHERE d.id = v.id AND (d.status_at IS NULL OR d.status_at <= v.t)",
        (ids, [status[i][0] for i in ids], [utc_datetime(status[i][1]) for i in ids]),
    )


def write_batch(
    conn: psycopg.Connection,
    rows: Sequence[ReadingRow],
    *,
    rejected: Sequence[RejectedRow] = (),
    last_seen: Mapping[str, float] | None = None,
    status: Mapping[str, tuple[bool, float]] | None = None,
) -> BatchResult:
    """Store a batch in one transaction (see module doc). Raises on database errors, having
    committed nothing; the caller retries the whole batch."""
    stored = 0
    touched: frozenset[int] = frozenset()
    with conn.transaction(), conn.cursor() as cur:
        if rows:
            _stage(cur, rows)
            try:
                with conn.transaction():
                    cur.execute(
                        f"INSERT INTO readings SELECT time, series_id, value, quality FROM {_STAGING}"
                    )
                stored = len(rows)
            except errors.UniqueViolation:
                stored = _store_new_only(cur)
            if stored:
                touched = _merge_rollups(cur, _STAGING)
        if rejected:
            _insert_rejected(cur, rejected)
        if last_seen or touched:
            _touch_devices(cur, last_seen or {}, touched)
        if status:
            _set_status(cur, status)
        if touched:
            _notify(cur, touched)
    return BatchResult(stored=stored, duplicates=len(rows) - stored, rejected=len(rejected), series=touched)
