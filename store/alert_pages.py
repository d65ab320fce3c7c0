"""Alerts as operators read them: pages of alerts (the API and `sensegrid alerts list`) and the
stream of alert changes (the API's live stream, the demo screen)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import psycopg
from psycopg.rows import args_row

from store.alert_rows import ALERT_COLUMNS, CHANGE_COLUMNS, AlertChange, AlertRow, alert_change


def alerts_page(
    conn: psycopg.Connection,
    tenant: str | None,
    *,
    states: Sequence[str] | None = None,
    min_severity: int | None = None,
    area: str | None = None,
    site: str | None = None,
    device_id: str | None = None,
    rule_id: str | None = None,
    started_from: datetime | None = None,
    started_before: datetime | None = None,
    before_id: int | None = None,
    limit: int = 100,
) -> list[AlertRow]:
    """One page of alerts, newest (highest id) first: those of `tenant` (None: of every tenant,
    for the CLI; the API always gives the caller's) below `before_id`, filtered;
    `started_from`/`started_before` bound `started_at` as [from, before)."""
    filters = {"tenant": tenant, "area": area, "site": site, "device_id": device_id, "rule_id": rule_id}
    clauses = [f"{k} = %({k})s" for k, v in filters.items() if v is not None]
    args: dict[str, object] = {k: v for k, v in filters.items() if v is not None}
    args["limit"] = limit
    for clause, key, value in (
        ("state = ANY(%(states)s)", "states", None if states is None else list(states)),
        ("severity >= %(min_severity)s", "min_severity", min_severity),
        ("started_at >= %(started_from)s", "started_from", started_from),
        ("started_at < %(started_before)s", "started_before", started_before),
        ("id < %(before_id)s", "before_id", before_id),
    ):
        if value is not None:
            clauses.append(clause)
            args[key] = value
    where = f"WHERE {' AND '.join(clauses)} " if clauses else ""
    with conn.cursor(row_factory=args_row(AlertRow)) as cur:
        cur.execute(
            f"SELECT {ALERT_COLUMNS} FROM alerts {where}ORDER BY id DESC LIMIT %(limit)s",
            args,
            binary=True,
        )
        return cur.fetchall()


def alert_changes_after(
    conn: psycopg.Connection, tenant: str, after_event_id: int, limit: int = 500
) -> list[AlertChange]:
    """A tenant's alert events with an id above `after_event_id`, oldest first, each with its alert."""
    rows = conn.execute(
        f"SELECT {CHANGE_COLUMNS} FROM alert_events e JOIN alerts a ON a.id = e.alert_id "
        "WHERE a.tenant = %s AND e.id > %s ORDER BY e.id LIMIT %s",
        (tenant, after_event_id, limit),
    ).fetchall()
    return [alert_change(r) for r in rows]


def last_alert_event_id(conn: psycopg.Connection) -> int:
    """The id of the newest alert event of any tenant (0: none yet): where a live stream starts."""
    row = conn.execute("SELECT coalesce(max(id), 0) FROM alert_events").fetchone()
    assert row is not None
    return int(row[0])
