"""Rollups stay equal to an aggregate recomputed from the raw rows, whatever the delivery order."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import orjson

from tests.ingest.conftest import IngestRig

RECOMPUTED = """
SELECT date_bin(%s::interval, time, '2000-01-01T00:00:00Z') AS bucket, series_id, count(*),
       sum(value), min(value), max(value),
       (array_agg(value ORDER BY time DESC))[1], max(time)
FROM readings WHERE quality < 2 GROUP BY 1, 2 ORDER BY 2, 1
"""


def rollup(rig: IngestRig, table: str) -> list[tuple[object, ...]]:
    rows = rig.db.execute(
        f"SELECT bucket, series_id, count, sum, min, max, last, last_time FROM {table} ORDER BY 2, 1"
    ).fetchall()
    return [tuple(round(x, 6) if isinstance(x, float) else x for x in r) for r in rows]


def recomputed(rig: IngestRig, width: str) -> list[tuple[object, ...]]:
    rows = rig.db.execute(RECOMPUTED, (width,)).fetchall()
    return [tuple(round(x, 6) if isinstance(x, float) else x for x in r) for r in rows]


def test_rollups_equal_raw_aggregates_after_shuffled_late_and_duplicate_delivery(rig: IngestRig) -> None:
    rng = random.Random(20261127)
    base = datetime(2026, 11, 27, tzinfo=UTC).timestamp()
    base = min(base, datetime.now(UTC).timestamp() - 4 * 3600)  # stay in the past
    readings = []  # (device, t, value): 3 devices x 2 metrics x 3 hours at 20 s, some seconds jittered
    for device in ("aq-1", "aq-2"):
        for k in range(3 * 180):
            t = base + k * 20 + rng.choice((0, 0, 0, 7))
            readings.append(
                (device, t, {"pm25": round(rng.uniform(5, 300), 2), "pm10": rng.randint(10, 500)})
            )
    messages = [orjson.dumps({"ts": t, "metrics": m}) for _, t, m in readings]
    devices = [d for d, _, _ in readings]
    order = list(range(len(messages)))
    rng.shuffle(order)  # out of order, late data into already-written buckets
    duplicates = rng.sample(order, 300)  # redelivered messages, some in the same batch, some later
    rig.start_worker()
    for i in order + duplicates:
        rig.publisher.publish(rig.topic(devices[i]), messages[i], wait=False)
    rig.wait_count(len(readings) * 2)
    rig.stop_workers()  # everything flushed
    assert rig.count() == len(readings) * 2, "each reading stored exactly once"
    assert rollup(rig, "readings_1m") == recomputed(rig, "1 minute")
    assert rollup(rig, "readings_1h") == recomputed(rig, "1 hour")
    total = rig.db.execute("SELECT sum(count) FROM readings_1h").fetchone()
    assert total == (len(readings) * 2,)


def test_late_reading_updates_hourly_rollup_but_not_last_value(rig: IngestRig) -> None:
    t = datetime.now(UTC).replace(minute=0, second=0, microsecond=0).timestamp() - 7200
    rig.start_worker()
    rig.publish("aq-1", orjson.dumps({"ts": t + 600, "metrics": {"pm25": 50}}))
    rig.wait_count(1)
    rig.publish("aq-1", orjson.dumps({"ts": t + 60, "metrics": {"pm25": 10}}))  # late, older
    rig.wait_count(2)
    row = rig.db.execute("SELECT count, sum, min, max, last FROM readings_1h").fetchone()
    assert row == (2, 60.0, 10.0, 50.0, 50.0)
