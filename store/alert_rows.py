"""Alerts and their recorded changes as stored (`alerts`, `alert_events`), and the reads the
evaluator and the lifecycle make of them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import args_row, class_row

from store.shards import shard_of_sql


@dataclass  # not frozen: a frozen dataclass sets each of its 20 fields through object.__setattr__,
class AlertRow:  # a third of the time an alert page takes to read
    """One alert as stored."""

    id: int
    fingerprint: str
    rule_id: str
    area: str
    tenant: str
    device_id: str | None
    site: str
    state: str
    severity: int
    level: str | None
    value: float | None
    labels: dict[str, Any]
    message_en: str
    message_zh: str
    started_at: datetime
    fired_at: datetime | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    resolved_at: datetime | None
    updated_at: datetime


@dataclass(frozen=True)
class EventRow:
    """One recorded change of an alert."""

    id: int
    alert_id: int
    at: datetime
    actor: str
    old_state: str | None
    new_state: str
    old_severity: int | None
    new_severity: int | None
    value: float | None
    note: str
    routed_at: datetime | None


ALERT_COLUMNS = (
    "id, fingerprint, rule_id, area, tenant, device_id, site, state, severity, level, value, labels, "
    "message_en, message_zh, started_at, fired_at, acknowledged_at, acknowledged_by, resolved_at, "
    "updated_at"
)
# Alert rows are built positionally (psycopg's args_row: twice as fast as by name), so the columns
# must follow AlertRow's fields.
assert [c.strip() for c in ALERT_COLUMNS.split(",")] == [f.name for f in fields(AlertRow)]
EVENT_COLUMNS = (
    "id, alert_id, at, actor, old_state, new_state, old_severity, new_severity, value, note, routed_at"
)
assert [c.strip() for c in EVENT_COLUMNS.split(",")] == [f.name for f in fields(EventRow)]


@dataclass(frozen=True, slots=True)
class AlertChange:
    """One `alert_events` row with the alert it changed (as the alert is now): what notifications
    are routed from and what the API's change stream sends."""

    event: EventRow
    alert: AlertRow


def _prefixed(alias: str, columns: str) -> list[str]:
    return [f"{alias}.{c.strip()}" for c in columns.split(",")]


# The columns of an AlertChange, read from `alert_events e` joined with `alerts a`.
CHANGE_COLUMNS = ", ".join(_prefixed("e", EVENT_COLUMNS) + _prefixed("a", ALERT_COLUMNS))
_EVENT_WIDTH = len(fields(EventRow))


def alert_change(row: Sequence[Any]) -> AlertChange:
    """The AlertChange of a row of CHANGE_COLUMNS."""
    return AlertChange(EventRow(*row[:_EVENT_WIDTH]), AlertRow(*row[_EVENT_WIDTH:]))


def open_alerts(
    conn: psycopg.Connection,
    *,
    fingerprints: Iterable[str] | None = None,
    shards: int | None = None,
    owned: Iterable[int] = (),
) -> list[AlertRow]:
    """Alerts not yet resolved: those with these fingerprints, or those of devices in `owned` shards."""
    clauses = ["state <> 'resolved'"]
    args: dict[str, object] = {}
    if fingerprints is not None:
        clauses.append("fingerprint = ANY(%(fps)s)")
        args["fps"] = sorted(set(fingerprints))
    if shards is not None:
        clauses.append(f"{shard_of_sql('coalesce(device_id, tenant)')} = ANY(%(owned)s)")
        args.update(shards=shards, owned=sorted(owned))
    with conn.cursor(row_factory=args_row(AlertRow)) as cur:
        cur.execute(f"SELECT {ALERT_COLUMNS} FROM alerts WHERE {' AND '.join(clauses)} ORDER BY id", args)
        return cur.fetchall()


def get_alert(conn: psycopg.Connection, alert_id: int, *, for_update: bool = False) -> AlertRow | None:
    """One alert by id (`for_update`: locked until the transaction ends)."""
    lock = " FOR UPDATE" if for_update else ""
    with conn.cursor(row_factory=args_row(AlertRow)) as cur:
        cur.execute(f"SELECT {ALERT_COLUMNS} FROM alerts WHERE id = %s{lock}", (alert_id,))
        return cur.fetchone()


def alert_events(conn: psycopg.Connection, alert_id: int) -> list[EventRow]:
    """Every recorded change of one alert, oldest first."""
    with conn.cursor(row_factory=class_row(EventRow)) as cur:
        cur.execute(f"SELECT {EVENT_COLUMNS} FROM alert_events WHERE alert_id = %s ORDER BY id", (alert_id,))
        return cur.fetchall()
