"""Series ids: one per (device, metric), created on first use."""

from __future__ import annotations

from collections.abc import Iterable

import psycopg


def series_ids(conn: psycopg.Connection, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """Ids of the (device, metric) series, creating the missing ones, in one round trip each way."""
    wanted = list(set(pairs))
    if not wanted:
        return {}
    devices = [p[0] for p in wanted]
    metrics = [p[1] for p in wanted]
    conn.execute(
        "INSERT INTO series (device_id, metric) SELECT * FROM unnest(%s::text[], %s::text[]) "
        "ON CONFLICT (device_id, metric) DO NOTHING",
        (devices, metrics),
    )
    rows = conn.execute(
        "SELECT s.device_id, s.metric, s.id FROM series s "
        "JOIN unnest(%s::text[], %s::text[]) AS w(device_id, metric) USING (device_id, metric)",
        (devices, metrics),
    ).fetchall()
    return {(r[0], r[1]): r[2] for r in rows}
