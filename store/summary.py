"""What a live overview of one tenant shows: its fleet's state and its open alerts, counted."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg


@dataclass(frozen=True)
class AreaFleet:
    """One area's devices of a tenant: how many, how many said they are online, how many reported
    within the last `recent_s` seconds."""

    area: str
    devices: int
    online: int
    reporting: int


@dataclass(frozen=True)
class OpenAlertCount:
    """Open alerts of one area at one severity and state."""

    area: str
    severity: int
    state: str
    count: int


def fleet_by_area(conn: psycopg.Connection, tenant: str, recent_s: float) -> list[AreaFleet]:
    """The tenant's active devices per area, ordered by area."""
    rows = conn.execute(
        "SELECT domain, count(*)::int, count(*) FILTER (WHERE online)::int, "
        "count(*) FILTER (WHERE last_seen > now() - make_interval(secs => %s))::int "
        "FROM devices WHERE tenant = %s AND active GROUP BY domain ORDER BY domain",
        (recent_s, tenant),
    ).fetchall()
    return [AreaFleet(*r) for r in rows]


def open_alert_counts(conn: psycopg.Connection, tenant: str) -> list[OpenAlertCount]:
    """The tenant's alerts that are not resolved, counted by area, severity and state."""
    rows = conn.execute(
        "SELECT area, severity, state, count(*)::int FROM alerts "
        "WHERE tenant = %s AND state <> 'resolved' GROUP BY 1, 2, 3 ORDER BY 1, 2 DESC, 3",
        (tenant,),
    ).fetchall()
    return [OpenAlertCount(*r) for r in rows]
