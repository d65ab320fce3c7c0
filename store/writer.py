"""The batch writer: readings by binary COPY, rollups merged in the same transaction, then NOTIFY.

One call, one transaction: raw readings, their 1-minute and 1-hour rollups, the devices' last-seen
times and the rejected messages of the same batch commit together or not at all, so an ingest
process can ack its MQTT messages once this returns and lose nothing if it dies before.

Fast path: COPY straight into `readings`. A redelivered message makes that COPY hit the unique key
(series_id, time); only then the batch goes through a staging table and
`INSERT … ON CONFLICT DO NOTHING RETURNING`, and the rollups count just the rows that were new.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import psycopg
from psycopg import errors

# Readings flagged bad (domains.model.Quality.BAD) are stored but kept out of the rollups, which
# feed the indices: DOMAIN_REFERENCE §7, "bad readings are stored, flagged, and left out".
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


def _ts(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def _aggregate(
    rows: Iterable[ReadingRow], width: int
) -> list[tuple[datetime, int, int, float, float, float, float, datetime]]:
    """Per (series, bucket of `width` seconds): count, sum, min, max, last value and its time."""
    acc: dict[tuple[int, float], list[float]] = {}
    for t, sid, value, quality in rows:
        if quality == QUALITY_BAD:
            continue
        key = (sid, t - t % width)
        a = acc.get(key)
        if a is None:
            acc[key] = [1, value, value, value, value, t]
        else:
            a[0] += 1
            a[1] += value
            if value < a[2]:
                a[2] = value
            if value > a[3]:
                a[3] = value
            if t >= a[5]:
                a[4] = value
                a[5] = t
    # Sorted, so concurrent writers lock rollup rows in the same order and cannot deadlock.
    return [
        (_ts(bucket), sid, int(a[0]), a[1], a[2], a[3], a[4], _ts(a[5]))
        for (sid, bucket), a in sorted(acc.items())
    ]


_ROLLUP_UPSERT = """
INSERT INTO {table} AS r (bucket, series_id, count, sum, min, max, last, last_time)
SELECT * FROM unnest(%s::timestamptz[], %s::int[], %s::int[], %s::float8[], %s::float8[],
                     %s::float8[], %s::float8[], %s::timestamptz[])
ON CONFLICT (series_id, bucket) DO UPDATE SET
    count = r.count + EXCLUDED.count,
    sum = r.sum + EXCLUDED.sum,
    min = least(r.min, EXCLUDED.min),
    max = greatest(r.max, EXCLUDED.max),
    last = CASE WHEN EXCLUDED.last_time >= r.last_time THEN EXCLUDED.last ELSE r.last END,
    last_time = greatest(r.last_time, EXCLUDED.last_time)
"""

ROLLUPS = {"readings_1m": 60, "readings_1h": 3600}


def _merge_rollups(cur: psycopg.Cursor, rows: Sequence[ReadingRow]) -> None:
    for table, width in ROLLUPS.items():
        agg = _aggregate(rows, width)
        if not agg:
            continue
        columns = list(zip(*agg, strict=True))
        cur.execute(_ROLLUP_UPSERT.format(table=table), [list(c) for c in columns])


def _copy_readings(cur: psycopg.Cursor, table: str, rows: Sequence[ReadingRow]) -> None:
    with cur.copy(f"COPY {table} (time, series_id, value, quality) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(["timestamptz", "int4", "float8", "int2"])
        for t, sid, value, quality in rows:
            copy.write_row((_ts(t), sid, value, quality))


def _insert_new_only(cur: psycopg.Cursor, rows: Sequence[ReadingRow]) -> list[ReadingRow]:
    """The slow path for batches holding readings already stored: keep only the new ones."""
    cur.execute(
        "CREATE TEMP TABLE IF NOT EXISTS readings_staging "
        "(time timestamptz, series_id int, value float8, quality int2) ON COMMIT DELETE ROWS"
    )
    _copy_readings(cur, "readings_staging", rows)
    cur.execute(
        "INSERT INTO readings (time, series_id, value, quality) "
        "SELECT DISTINCT ON (series_id, time) time, series_id, value, quality FROM readings_staging "
        "ORDER BY series_id, time "
        "ON CONFLICT (series_id, time) DO NOTHING "
        "RETURNING extract(epoch FROM time)::float8, series_id, value, quality"
    )
    inserted = [(float(r[0]), int(r[1]), float(r[2]), int(r[3])) for r in cur.fetchall()]
    cur.execute("TRUNCATE readings_staging")
    return inserted


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
            copy.write_row((_ts(r.received_at), r.topic, r.payload, r.reason, r.detail, r.device_id))


def _touch_devices(cur: psycopg.Cursor, last_seen: Mapping[str, float]) -> None:
    ids = sorted(last_seen)
    cur.execute(
        "UPDATE devices d SET last_seen = v.t FROM unnest(%s::text[], %s::timestamptz[]) AS v(id, t) "
        "WHERE d.id = v.id AND (d.last_seen IS NULL OR d.last_seen < v.t)",
        (ids, [_ts(last_seen[i]) for i in ids]),
    )


def write_batch(
    conn: psycopg.Connection,
    rows: Sequence[ReadingRow],
    *,
    rejected: Sequence[RejectedRow] = (),
    last_seen: Mapping[str, float] | None = None,
) -> BatchResult:
    """Store a batch in one transaction (see module doc). Raises on database errors, having
    committed nothing; the caller retries the whole batch."""
    with conn.transaction(), conn.cursor() as cur:
        new_rows: Sequence[ReadingRow] = rows
        if rows:
            try:
                with conn.transaction():
                    _copy_readings(cur, "readings", rows)
            except errors.UniqueViolation:
                new_rows = _insert_new_only(cur, rows)
            _merge_rollups(cur, new_rows)
        if rejected:
            _insert_rejected(cur, rejected)
        if last_seen:
            _touch_devices(cur, last_seen)
        touched = frozenset(r[1] for r in new_rows)
        if touched:
            _notify(cur, touched)
    return BatchResult(
        stored=len(new_rows),
        duplicates=len(rows) - len(new_rows),
        rejected=len(rejected),
        series=touched,
    )
