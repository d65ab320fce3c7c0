"""The only writes of alert rows: opening an alert and changing one, each with its event.

Alert rows change only through `insert_alert` and `update_alert`, each writing the row and its
`alert_events` row in one transaction, and each conditional (the open-fingerprint unique index, the
row's `updated_at` as a version), so an evaluator that replays a change after a crash, or two that
race, change nothing the second time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from store.epoch import utc_datetime


@dataclass(frozen=True)
class EventWrite:
    """The `alert_events` row of a change. `routed`: nobody is to be notified of it (pending, muted)."""

    actor: str
    old_state: str | None
    new_state: str
    old_severity: int | None
    new_severity: int | None
    value: float | None
    note: str
    routed: bool


@dataclass(frozen=True)
class AlertWrite:
    """What an alert row becomes: its state, severity and what operators read."""

    state: str
    severity: int
    level: str | None
    value: float | None
    labels: Mapping[str, object]
    message_en: str
    message_zh: str
    actor: str = "system"


@dataclass(frozen=True)
class AlertKey:
    """What identifies a new alert."""

    fingerprint: str
    rule_id: str
    area: str
    tenant: str
    device_id: str | None
    site: str


def _insert_event(cur: psycopg.Cursor[Any], alert_id: int, event: EventWrite) -> None:
    cur.execute(
        "INSERT INTO alert_events (alert_id, actor, old_state, new_state, old_severity, new_severity, "
        "value, note, routed_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, CASE WHEN %s THEN now() END)",
        (
            alert_id,
            event.actor,
            event.old_state,
            event.new_state,
            event.old_severity,
            event.new_severity,
            event.value,
            event.note,
            event.routed,
        ),
    )
    if not event.routed:
        # Wakes the notification dispatcher at commit (alerts/outbox.py listens), instead of its
        # next poll.
        cur.execute("SELECT pg_notify('sensegrid_alert_events', '')")


def insert_alert(
    conn: psycopg.Connection, key: AlertKey, alert: AlertWrite, started_at: float, event: EventWrite
) -> int | None:
    """Open an alert and record its first event, in one transaction; None (and nothing written)
    when an alert with this fingerprint is already open."""
    firing = alert.state != "pending"
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(
            "INSERT INTO alerts (fingerprint, rule_id, area, tenant, device_id, site, state, severity, "
            "level, value, labels, message_en, message_zh, started_at, fired_at, updated_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
            "CASE WHEN %s THEN now() END, clock_timestamp()) "
            "ON CONFLICT (fingerprint) WHERE state <> 'resolved' DO NOTHING RETURNING id",
            (
                key.fingerprint,
                key.rule_id,
                key.area,
                key.tenant,
                key.device_id,
                key.site,
                alert.state,
                alert.severity,
                alert.level,
                alert.value,
                Jsonb(dict(alert.labels)),
                alert.message_en,
                alert.message_zh,
                utc_datetime(started_at),
                firing,
            ),
        )
        row = cur.fetchone()
        if row is None:
            return None
        _insert_event(cur, int(row[0]), event)
        return int(row[0])


def update_alert(
    conn: psycopg.Connection, alert_id: int, version: datetime, alert: AlertWrite, event: EventWrite | None
) -> bool:
    """Change an alert that is still as it was read (its `updated_at` is `version`) and record the
    event, in one transaction; False (and nothing written) when it changed meanwhile."""
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(
            """
            UPDATE alerts SET state = %(state)s, severity = %(severity)s, level = %(level)s,
                value = %(value)s, labels = %(labels)s, message_en = %(en)s, message_zh = %(zh)s,
                fired_at = CASE WHEN %(state)s IN ('firing', 'acknowledged')
                    THEN coalesce(fired_at, now()) ELSE fired_at END,
                acknowledged_at = CASE WHEN %(state)s = 'acknowledged'
                    THEN coalesce(acknowledged_at, now()) ELSE acknowledged_at END,
                acknowledged_by = CASE WHEN %(state)s = 'acknowledged'
                    THEN coalesce(acknowledged_by, %(actor)s) ELSE acknowledged_by END,
                resolved_at = CASE WHEN %(state)s = 'resolved' THEN now() ELSE resolved_at END,
                updated_at = clock_timestamp()
            WHERE id = %(id)s AND updated_at = %(version)s AND state <> 'resolved'
            RETURNING id
            """,
            {
                "state": alert.state,
                "severity": alert.severity,
                "level": alert.level,
                "value": alert.value,
                "labels": Jsonb(dict(alert.labels)),
                "en": alert.message_en,
                "zh": alert.message_zh,
                "actor": alert.actor,
                "id": alert_id,
                "version": version,
            },
        )
        if cur.fetchone() is None:
            return False
        if event is not None:
            _insert_event(cur, alert_id, event)
        return True
