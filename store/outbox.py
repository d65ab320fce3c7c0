"""The notification outbox: alert events waiting to be routed, outbox rows to claim, deliver and settle.

Routing and delivery are two steps with their own guarantees:

- Routing turns each `alert_events` row with `routed_at IS NULL` into outbox rows and sets
  `routed_at` in the same transaction. `idempotency_key` is unique, so an event reaches one
  channel and target at most once even if routing runs again. One dispatcher routes at a time
  (a transaction-scoped advisory lock), so the events of one alert are routed in order.
- Delivery claims one due row with `FOR UPDATE SKIP LOCKED` and holds that lock while it sends:
  several dispatchers never take the same row, and one that dies mid-delivery releases the row
  with its connection, for another to retry. The row is settled (sent, retry later, gave up) in
  the same transaction. (A server-side idle_in_transaction_session_timeout, if set, must be longer
  than SENSEGRID_NOTIFY_TIMEOUT_S.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import class_row
from psycopg.types.json import Jsonb

from store.alert_rows import CHANGE_COLUMNS, AlertChange, alert_change

# Key of the advisory lock held while routing: "SGNROUTE" in ASCII, a key no other lock of ours uses.
ROUTING_LOCK = 0x53_47_4E_52_4F_55_54_45


def lock_routing(conn: psycopg.Connection) -> bool:
    """Take the routing lock for the current transaction; False when another dispatcher holds it."""
    row = conn.execute("SELECT pg_try_advisory_xact_lock(%s)", (ROUTING_LOCK,)).fetchone()
    return bool(row and row[0])


def unrouted_events(conn: psycopg.Connection, limit: int) -> list[AlertChange]:
    """The oldest alert events nobody has routed yet, with their alerts, oldest first."""
    rows = conn.execute(
        f"SELECT {CHANGE_COLUMNS} FROM alert_events e JOIN alerts a ON a.id = e.alert_id "
        "WHERE e.routed_at IS NULL ORDER BY e.id LIMIT %s",
        (limit,),
    ).fetchall()
    return [alert_change(r) for r in rows]


def notified_severities(
    conn: psycopg.Connection, alert_ids: Sequence[int], announcing: Sequence[str]
) -> dict[int, int]:
    """Per alert, the highest severity it was routed at so far in one of the `announcing` states,
    leaving out events muted by a silence (note 'silenced'), which nobody was told of."""
    rows = conn.execute(
        "SELECT e.alert_id, max(coalesce(e.new_severity, a.severity)) FROM alert_events e "
        "JOIN alerts a ON a.id = e.alert_id "
        "WHERE e.alert_id = ANY(%s) AND e.routed_at IS NOT NULL AND e.new_state = ANY(%s) "
        "AND e.note NOT LIKE 'silenced%%' GROUP BY e.alert_id",
        (list(alert_ids), list(announcing)),
    ).fetchall()
    return {int(r[0]): int(r[1]) for r in rows}


@dataclass(frozen=True, slots=True)
class NewNotification:
    """An outbox row to add: one event for one channel and target."""

    alert_event_id: int
    channel: str
    target: str
    payload: dict[str, Any]
    idempotency_key: str


def add_notifications(conn: psycopg.Connection, items: Sequence[NewNotification]) -> int:
    """Insert outbox rows; a key already present is left as it is. Returns how many were new."""
    if not items:
        return 0
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO notification_outbox (alert_event_id, channel, target, payload, idempotency_key) "
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (idempotency_key) DO NOTHING",
            [(i.alert_event_id, i.channel, i.target, Jsonb(i.payload), i.idempotency_key) for i in items],
        )
        return max(cur.rowcount, 0)


def mark_routed(conn: psycopg.Connection, event_ids: Sequence[int]) -> None:
    """Record that these events have been routed (whether or not any route wanted them)."""
    conn.execute(
        "UPDATE alert_events SET routed_at = now() WHERE id = ANY(%s) AND routed_at IS NULL",
        (list(event_ids),),
    )


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """A claimed outbox row: what to send where, and how often it was tried before."""

    id: int
    alert_event_id: int | None
    alert_id: int | None
    channel: str
    target: str
    payload: dict[str, Any]
    idempotency_key: str
    attempts: int


def claim_due(conn: psycopg.Connection) -> OutboxItem | None:
    """Lock the next pending row that is due (skipping rows other dispatchers hold), or None.

    Call it inside a transaction and settle the row in the same one: the lock is the claim.
    """
    with conn.cursor(row_factory=class_row(OutboxItem)) as cur:
        cur.execute(
            "SELECT o.id, o.alert_event_id, e.alert_id, o.channel, o.target, o.payload, o.idempotency_key, "
            "o.attempts FROM notification_outbox o LEFT JOIN alert_events e ON e.id = o.alert_event_id "
            "WHERE o.status = 'pending' AND o.next_attempt_at <= now() "
            "ORDER BY o.next_attempt_at, o.id LIMIT 1 FOR UPDATE OF o SKIP LOCKED"
        )
        return cur.fetchone()


# clock_timestamp(), not now(): the claim's transaction began before the delivery was made.
def mark_sent(conn: psycopg.Connection, outbox_id: int) -> None:
    """The row was delivered: status sent, sent_at now (an earlier error stays in last_error)."""
    conn.execute(
        "UPDATE notification_outbox SET status = 'sent', attempts = attempts + 1, "
        "sent_at = clock_timestamp() WHERE id = %s",
        (outbox_id,),
    )


def schedule_retry(conn: psycopg.Connection, outbox_id: int, delay_s: float, error: str) -> None:
    """The attempt failed and may succeed later: try again after `delay_s` seconds."""
    conn.execute(
        "UPDATE notification_outbox SET attempts = attempts + 1, last_error = %s, "
        "next_attempt_at = clock_timestamp() + make_interval(secs => %s) WHERE id = %s",
        (error, delay_s, outbox_id),
    )


def give_up(conn: psycopg.Connection, outbox_id: int, error: str) -> None:
    """The row will not be delivered: status gave_up with the reason."""
    conn.execute(
        "UPDATE notification_outbox SET status = 'gave_up', attempts = attempts + 1, last_error = %s "
        "WHERE id = %s",
        (error, outbox_id),
    )


def latest_event(conn: psycopg.Connection, alert_id: int) -> AlertChange | None:
    """The alert as it is now, with its most recent event."""
    row = conn.execute(
        f"SELECT {CHANGE_COLUMNS} FROM alerts a JOIN alert_events e ON e.alert_id = a.id "
        "WHERE a.id = %s ORDER BY e.id DESC LIMIT 1",
        (alert_id,),
    ).fetchone()
    return alert_change(row) if row else None


def active_device_alerts(conn: psycopg.Connection, area: str, device_id: str | None) -> list[AlertChange]:
    """The firing or acknowledged alerts of one device (of one area), each with its latest event."""
    rows = conn.execute(
        f"SELECT DISTINCT ON (a.id) {CHANGE_COLUMNS} FROM alerts a "
        "JOIN alert_events e ON e.alert_id = a.id "
        "WHERE a.area = %s AND a.device_id IS NOT DISTINCT FROM %s "
        "AND a.state IN ('firing', 'acknowledged') ORDER BY a.id, e.id DESC",
        (area, device_id),
    ).fetchall()
    return [alert_change(r) for r in rows]


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """An outbox row as `sensegrid notify list` shows it."""

    id: int
    created_at: datetime
    alert_event_id: int | None
    channel: str
    target: str
    status: str
    attempts: int
    next_attempt_at: datetime
    sent_at: datetime | None
    last_error: str | None
    rule_id: str
    device: str
    state: str
    idempotency_key: str


def recent_notifications(
    conn: psycopg.Connection, *, status: str | None = None, limit: int = 50
) -> list[OutboxRow]:
    """The newest outbox rows, optionally of one status."""
    with conn.cursor(row_factory=class_row(OutboxRow)) as cur:
        cur.execute(
            "SELECT id, created_at, alert_event_id, channel, target, status, attempts, next_attempt_at, "
            "sent_at, last_error, coalesce(payload->>'rule_id', '') AS rule_id, "
            "coalesce(payload->>'device', '') AS device, coalesce(payload->>'state', '') AS state, "
            "idempotency_key FROM notification_outbox "
            "WHERE (%(status)s::text IS NULL OR status = %(status)s) ORDER BY id DESC LIMIT %(limit)s",
            {"status": status, "limit": limit},
        )
        return cur.fetchall()
