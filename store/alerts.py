"""The SQL of rule evaluation and the alert lifecycle: the windows rules read, devices and shards,
alerts and their events, silences and rule overrides.

Alert rows change only through `insert_alert` and `update_alert`, each writing the row and its
`alert_events` row in one transaction, and each conditional (the open-fingerprint unique index, the
row's `updated_at` as a version), so an evaluator that replays a change after a crash, or two that
race, change nothing the second time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg.rows import args_row, class_row
from psycopg.types.json import Jsonb

from store.writer import QUALITY_BAD


def _ts(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def database_now(conn: psycopg.Connection) -> float:
    """The database's clock (epoch seconds): every evaluator and every `for` timer use this one."""
    row = conn.execute("SELECT extract(epoch FROM clock_timestamp())::float8").fetchone()
    assert row is not None
    return float(row[0])


# --- shards -------------------------------------------------------------------------------------

# Advisory-lock keys (two-int4 form): the first int names sensegrid's alert shards, the second
# packs the shard count and the shard, so evaluators configured with different counts never
# believe they hold the same devices. Shard 0xFFFF of a count is the membership lock every
# running evaluator holds shared, so they can count each other.
SHARD_LOCK_SPACE = 0x53470A1E
_MEMBER = 0xFFFF
MAX_SHARDS = 4096

# The same hash in SQL and Python: the first 32 bits of the md5 of the device id.
_SHARD_OF_SQL = "mod(('x' || substr(md5({col}), 1, 8))::bit(32)::bigint, %(shards)s)"


def device_shard(device_id: str, shards: int) -> int:
    """The shard of a device among `shards` (as the SQL queries compute it)."""
    return int(hashlib.md5(device_id.encode()).hexdigest()[:8], 16) % shards


def _lock_key(shards: int, shard: int) -> int:
    if not 1 <= shards <= MAX_SHARDS or not 0 <= shard < shards:
        raise ValueError(f"shard {shard} of {shards}: need 0 <= shard < shards <= {MAX_SHARDS}")
    return (shards << 16) | shard


def try_lock_shard(conn: psycopg.Connection, shards: int, shard: int) -> bool:
    """Take shard `shard` for this session if no other session holds it."""
    row = conn.execute(
        "SELECT pg_try_advisory_lock(%s, %s)", (SHARD_LOCK_SPACE, _lock_key(shards, shard))
    ).fetchone()
    return bool(row and row[0])


def unlock_shard(conn: psycopg.Connection, shards: int, shard: int) -> None:
    """Give a shard back (another evaluator takes it on its next tick)."""
    conn.execute("SELECT pg_advisory_unlock(%s, %s)", (SHARD_LOCK_SPACE, _lock_key(shards, shard)))


def join_evaluators(conn: psycopg.Connection, shards: int) -> None:
    """Count this session among the running evaluators (a shared lock; idempotent per session)."""
    conn.execute(
        "SELECT pg_advisory_lock_shared(%s, %s) WHERE NOT EXISTS (SELECT 1 FROM pg_locks "
        "WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND classid = %s::oid "
        "AND objid = %s::oid AND objsubid = 2)",
        (SHARD_LOCK_SPACE, (shards << 16) | _MEMBER, SHARD_LOCK_SPACE, (shards << 16) | _MEMBER),
    )


@dataclass(frozen=True)
class ShardHolders:
    """Who holds what: the evaluator sessions running and the shards held by any session."""

    evaluators: int
    held: frozenset[int]


def shard_holders(conn: psycopg.Connection, shards: int) -> ShardHolders:
    """The evaluators of this database and shard count, and the shards they hold."""
    rows = conn.execute(
        "SELECT objid::bigint, pid FROM pg_locks WHERE locktype = 'advisory' AND granted "
        "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
        "AND classid = %s::oid AND objsubid = 2 AND objid::bigint >> 16 = %s",
        (SHARD_LOCK_SPACE, shards),
    ).fetchall()
    members = {pid for key, pid in rows if key & 0xFFFF == _MEMBER}
    held = frozenset(int(key) & 0xFFFF for key, _ in rows if key & 0xFFFF != _MEMBER)
    return ShardHolders(evaluators=len(members), held=held)


# --- devices ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeviceState:
    """A device as the evaluator sees it: identity, settings, liveness and its series ids."""

    id: str
    tenant: str
    area: str
    kind: str
    name: str
    site: str
    active: bool
    metadata: Mapping[str, object]
    created_at: float
    last_seen: float | None
    online: bool | None
    series: Mapping[str, int] = field(default_factory=dict)


_DEVICE_COLUMNS = """
d.id, d.tenant, d.domain, d.kind, d.name, d.site, d.active, d.metadata,
extract(epoch FROM d.created_at)::float8, extract(epoch FROM d.last_seen)::float8, d.online,
coalesce((SELECT jsonb_object_agg(s.metric, s.id) FROM series s WHERE s.device_id = d.id), '{}'::jsonb)
"""


def _device(row: Sequence[Any]) -> DeviceState:
    return DeviceState(
        id=row[0],
        tenant=row[1],
        area=row[2],
        kind=row[3],
        name=row[4],
        site=row[5],
        active=row[6],
        metadata=row[7] if isinstance(row[7], dict) else {},
        created_at=float(row[8]),
        last_seen=None if row[9] is None else float(row[9]),
        online=row[10],
        series={str(k): int(v) for k, v in row[11].items()},
    )


def devices_in_shards(
    conn: psycopg.Connection,
    shards: int,
    owned: Iterable[int],
    *,
    ids: Iterable[str] | None = None,
    silent_before: float | None = None,
    after_id: str = "",
    limit: int | None = None,
) -> list[DeviceState]:
    """Active devices of the `owned` shards, ordered by id.

    `ids`: only these. `silent_before`: only those with no reading since then (never reported:
    since registration) or whose MQTT status is offline. `after_id`/`limit`: one page.
    """
    clauses = [f"{_SHARD_OF_SQL.format(col='d.id')} = ANY(%(owned)s)", "d.active", "d.id > %(after)s"]
    args: dict[str, object] = {"shards": shards, "owned": sorted(owned), "after": after_id}
    if ids is not None:
        clauses.append("d.id = ANY(%(ids)s)")
        args["ids"] = sorted(set(ids))
    if silent_before is not None:
        clauses.append("(coalesce(d.last_seen, d.created_at) < %(before)s OR d.online IS false)")
        args["before"] = _ts(silent_before)
    sql = f"SELECT {_DEVICE_COLUMNS} FROM devices d WHERE {' AND '.join(clauses)} ORDER BY d.id"
    if limit is not None:
        sql += " LIMIT %(limit)s"
        args["limit"] = limit
    return [_device(r) for r in conn.execute(sql, args).fetchall()]


def touched_metrics(
    conn: psycopg.Connection, series_ids: Iterable[int], shards: int, owned: Iterable[int]
) -> dict[str, frozenset[str]]:
    """Per device of the `owned` shards, the metrics among `series_ids` (a NOTIFY payload)."""
    rows = conn.execute(
        f"SELECT s.device_id, array_agg(s.metric) FROM series s WHERE s.id = ANY(%(ids)s) "
        f"AND {_SHARD_OF_SQL.format(col='s.device_id')} = ANY(%(owned)s) GROUP BY 1",
        {"ids": sorted(set(series_ids)), "shards": shards, "owned": sorted(owned)},
    ).fetchall()
    return {r[0]: frozenset(r[1]) for r in rows}


# --- windows: what rules read -------------------------------------------------------------------


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
        (ids, _ts(since)),
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
        (ids, _ts(since)),
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
        ([w.series_id for w in wanted], [_ts(w.since) for w in wanted], [w.limit for w in wanted]),
        binary=True,  # results in binary: floats and times parse faster
    ).fetchall()
    out: dict[PointsRequest, list[Point]] = {w: [] for w in wanted}
    for n, t, v in rows:
        out[wanted[int(n) - 1]].append((float(t), float(v)))
    return out


# --- alerts and events --------------------------------------------------------------------------


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


_ALERT_COLUMNS = (
    "id, fingerprint, rule_id, area, tenant, device_id, site, state, severity, level, value, labels, "
    "message_en, message_zh, started_at, fired_at, acknowledged_at, acknowledged_by, resolved_at, "
    "updated_at"
)
# Alert rows are built positionally (psycopg's args_row: twice as fast as by name), so the columns
# must follow AlertRow's fields.
assert [c.strip() for c in _ALERT_COLUMNS.split(",")] == [f.name for f in fields(AlertRow)]
_EVENT_COLUMNS = (
    "id, alert_id, at, actor, old_state, new_state, old_severity, new_severity, value, note, routed_at"
)


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
        clauses.append(f"{_SHARD_OF_SQL.format(col='coalesce(device_id, tenant)')} = ANY(%(owned)s)")
        args.update(shards=shards, owned=sorted(owned))
    with conn.cursor(row_factory=args_row(AlertRow)) as cur:
        cur.execute(f"SELECT {_ALERT_COLUMNS} FROM alerts WHERE {' AND '.join(clauses)} ORDER BY id", args)
        return cur.fetchall()


def get_alert(conn: psycopg.Connection, alert_id: int, *, for_update: bool = False) -> AlertRow | None:
    """One alert by id (`for_update`: locked until the transaction ends)."""
    lock = " FOR UPDATE" if for_update else ""
    with conn.cursor(row_factory=args_row(AlertRow)) as cur:
        cur.execute(f"SELECT {_ALERT_COLUMNS} FROM alerts WHERE id = %s{lock}", (alert_id,))
        return cur.fetchone()


def list_alerts(
    conn: psycopg.Connection,
    *,
    states: Sequence[str] | None = None,
    tenant: str | None = None,
    area: str | None = None,
    site: str | None = None,
    device_id: str | None = None,
    rule_id: str | None = None,
    limit: int = 100,
) -> list[AlertRow]:
    """Alerts, newest first, filtered by any of the arguments."""
    filters = {"tenant": tenant, "area": area, "site": site, "device_id": device_id, "rule_id": rule_id}
    clauses = [f"{k} = %({k})s" for k, v in filters.items() if v is not None]
    args: dict[str, object] = {k: v for k, v in filters.items() if v is not None}
    if states is not None:
        clauses.append("state = ANY(%(states)s)")
        args["states"] = list(states)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    args["limit"] = limit
    with conn.cursor(row_factory=args_row(AlertRow)) as cur:
        cur.execute(f"SELECT {_ALERT_COLUMNS} FROM alerts {where} ORDER BY id DESC LIMIT %(limit)s", args)
        return cur.fetchall()


def alert_events(conn: psycopg.Connection, alert_id: int) -> list[EventRow]:
    """Every recorded change of one alert, oldest first."""
    with conn.cursor(row_factory=class_row(EventRow)) as cur:
        cur.execute(f"SELECT {_EVENT_COLUMNS} FROM alert_events WHERE alert_id = %s ORDER BY id", (alert_id,))
        return cur.fetchall()


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
                _ts(started_at),
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


# --- silences -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SilenceRow:
    """A maintenance window: alerts of `tenant` matching every matcher are not notified."""

    id: int
    tenant: str
    matchers: dict[str, str]
    starts_at: datetime
    ends_at: datetime
    created_by: str
    comment: str
    created_at: datetime


_SILENCE_COLUMNS = "id, tenant, matchers, starts_at, ends_at, created_by, comment, created_at"


def insert_silence(
    conn: psycopg.Connection,
    tenant: str,
    matchers: Mapping[str, str],
    starts_at: datetime,
    ends_at: datetime,
    created_by: str,
    comment: str = "",
) -> SilenceRow:
    """Store a silence (validated by alerts.silences)."""
    with conn.cursor(row_factory=class_row(SilenceRow)) as cur:
        cur.execute(
            f"INSERT INTO silences (tenant, matchers, starts_at, ends_at, created_by, comment) "
            f"VALUES (%s, %s, %s, %s, %s, %s) RETURNING {_SILENCE_COLUMNS}",
            (tenant, Jsonb(dict(matchers)), starts_at, ends_at, created_by, comment),
        )
        row = cur.fetchone()
    assert row is not None
    return row


def list_silences(
    conn: psycopg.Connection, *, tenant: str | None = None, include_expired: bool = False
) -> list[SilenceRow]:
    """Silences not yet ended (or all of them), soonest ending first."""
    clauses = ["(%(tenant)s::text IS NULL OR tenant = %(tenant)s)"]
    if not include_expired:
        clauses.append("ends_at > now()")
    with conn.cursor(row_factory=class_row(SilenceRow)) as cur:
        cur.execute(
            f"SELECT {_SILENCE_COLUMNS} FROM silences WHERE {' AND '.join(clauses)} ORDER BY ends_at, id",
            {"tenant": tenant},
        )
        return cur.fetchall()


def active_silences(conn: psycopg.Connection, tenants: Iterable[str] | None = None) -> list[SilenceRow]:
    """Silences in force now (of these tenants)."""
    with conn.cursor(row_factory=class_row(SilenceRow)) as cur:
        cur.execute(
            f"SELECT {_SILENCE_COLUMNS} FROM silences WHERE starts_at <= now() AND ends_at > now() "
            "AND (%(all)s OR tenant = ANY(%(tenants)s)) ORDER BY id",
            {"all": tenants is None, "tenants": sorted(set(tenants or ()))},
        )
        return cur.fetchall()


def end_silence(conn: psycopg.Connection, silence_id: int) -> SilenceRow | None:
    """End a silence now (one that has not started yet is deleted); None if there is no such
    silence or it had already ended."""
    with conn.transaction(), conn.cursor(row_factory=class_row(SilenceRow)) as cur:
        cur.execute(
            f"DELETE FROM silences WHERE id = %s AND starts_at >= now() RETURNING {_SILENCE_COLUMNS}",
            (silence_id,),
        )
        row = cur.fetchone()
        if row is None:
            cur.execute(
                f"UPDATE silences SET ends_at = now() WHERE id = %s AND ends_at > now() "
                f"RETURNING {_SILENCE_COLUMNS}",
                (silence_id,),
            )
            row = cur.fetchone()
        return row


# --- rule overrides -----------------------------------------------------------------------------


@dataclass(frozen=True)
class OverrideRow:
    """Changed thresholds (and for_s, hysteresis, enabled) of one rule for a tenant, site or device."""

    id: int
    tenant: str
    rule_id: str
    scope: str
    scope_value: str
    thresholds: Any
    updated_by: str
    updated_at: datetime


_OVERRIDE_COLUMNS = "id, tenant, rule_id, scope, scope_value, thresholds, updated_by, updated_at"


def upsert_override(
    conn: psycopg.Connection,
    tenant: str,
    rule_id: str,
    scope: str,
    scope_value: str,
    thresholds: object,
    updated_by: str,
) -> OverrideRow:
    """Store the override of a rule at one scope, replacing the one there (validated by alerts.overrides)."""
    with conn.cursor(row_factory=class_row(OverrideRow)) as cur:
        cur.execute(
            "INSERT INTO rule_overrides (tenant, rule_id, scope, scope_value, thresholds, updated_by) "
            "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (tenant, rule_id, scope, scope_value) DO UPDATE "
            "SET thresholds = EXCLUDED.thresholds, updated_by = EXCLUDED.updated_by, updated_at = now() "
            f"RETURNING {_OVERRIDE_COLUMNS}",
            (tenant, rule_id, scope, scope_value, Jsonb(thresholds), updated_by),
        )
        row = cur.fetchone()
    assert row is not None
    return row


def list_overrides(
    conn: psycopg.Connection, *, tenant: str | None = None, rule_id: str | None = None
) -> list[OverrideRow]:
    """Rule overrides, by tenant, rule and scope."""
    with conn.cursor(row_factory=class_row(OverrideRow)) as cur:
        cur.execute(
            f"SELECT {_OVERRIDE_COLUMNS} FROM rule_overrides WHERE (%(t)s::text IS NULL OR tenant = %(t)s) "
            "AND (%(r)s::text IS NULL OR rule_id = %(r)s) ORDER BY tenant, rule_id, scope, scope_value",
            {"t": tenant, "r": rule_id},
        )
        return cur.fetchall()


def delete_override(conn: psycopg.Connection, override_id: int) -> bool:
    """Remove an override (the rule's defaults, or a wider override, apply again)."""
    return conn.execute("DELETE FROM rule_overrides WHERE id = %s", (override_id,)).rowcount == 1


# --- what the API reads (tenant-scoped) ---------------------------------------------------------


def alerts_page(
    conn: psycopg.Connection,
    tenant: str,
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
    """One page of a tenant's alerts, newest (highest id) first: those below `before_id`, filtered;
    `started_from`/`started_before` bound `started_at` as [from, before)."""
    filters = {"area": area, "site": site, "device_id": device_id, "rule_id": rule_id}
    clauses = ["tenant = %(tenant)s"] + [f"{k} = %({k})s" for k, v in filters.items() if v is not None]
    args: dict[str, object] = {"tenant": tenant, "limit": limit}
    args.update({k: v for k, v in filters.items() if v is not None})
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
    with conn.cursor(row_factory=args_row(AlertRow)) as cur:
        cur.execute(
            f"SELECT {_ALERT_COLUMNS} FROM alerts WHERE {' AND '.join(clauses)} "
            "ORDER BY id DESC LIMIT %(limit)s",
            args,
            binary=True,
        )
        return cur.fetchall()


@dataclass(frozen=True)
class AlertChange:
    """One `alert_events` row with the alert it changed (what the API's change stream sends)."""

    event: EventRow
    alert: AlertRow


def alert_changes_after(
    conn: psycopg.Connection, tenant: str, after_event_id: int, limit: int = 500
) -> list[AlertChange]:
    """A tenant's alert events with an id above `after_event_id`, oldest first, each with its alert."""
    event_cols = ", ".join(f"e.{c.strip()}" for c in _EVENT_COLUMNS.split(","))
    alert_cols = ", ".join(f"a.{c.strip()}" for c in _ALERT_COLUMNS.split(","))
    rows = conn.execute(
        f"SELECT {event_cols}, {alert_cols} FROM alert_events e JOIN alerts a ON a.id = e.alert_id "
        "WHERE a.tenant = %s AND e.id > %s ORDER BY e.id LIMIT %s",
        (tenant, after_event_id, limit),
    ).fetchall()
    n = len(_EVENT_COLUMNS.split(","))
    return [AlertChange(EventRow(*r[:n]), AlertRow(*r[n:])) for r in rows]


def last_alert_event_id(conn: psycopg.Connection) -> int:
    """The id of the newest alert event of any tenant (0: none yet): where a live stream starts."""
    row = conn.execute("SELECT coalesce(max(id), 0) FROM alert_events").fetchone()
    assert row is not None
    return int(row[0])
