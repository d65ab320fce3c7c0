"""TimescaleDB background policies: compression of old raw chunks and retention of raw and rollup data.

Compression and the policy scheduler are Timescale License features: the official
`timescale/timescaledb` images have them, the Apache-only build (deploy/services.sh) and plain
PostgreSQL do not. There `apply_policies` changes nothing and says why in one sentence.
Applying them again is a no-op; a changed setting replaces the policy.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Connection, text

from core.settings import Settings
from store.db import create_sqlalchemy_engine
from store.schema import TIME_PARTITIONED
from store.timescale import is_hypertable, status

log = logging.getLogger("sensegrid.store.retention")

RAW_TABLE = "readings"
ROLLUP_TABLES = ("readings_1m", "readings_1h")


@dataclass(frozen=True)
class PolicyReport:
    """What `apply_policies` left in place, or why it did nothing."""

    applied: tuple[str, ...] = ()  # e.g. "compress readings after 7 days"
    changed: tuple[str, ...] = ()  # those of `applied` that were new or replaced an older setting
    skipped: str | None = None  # one sentence: why nothing was applied and what would enable it


def skip_reason(conn: Connection) -> str | None:
    """Why compression and retention policies cannot be used in this database, or None when they can."""
    ts = status(conn)
    if ts.installed_version is None:
        return (
            "compression and retention policies skipped: TimescaleDB is not used in this database "
            "(plain PostgreSQL tables); they need the TimescaleDB extension with the Timescale License, "
            "e.g. the timescale/timescaledb image of docker-compose.yml"
        )
    if ts.license != "timescale":
        return (
            f"compression and retention policies skipped: TimescaleDB {ts.installed_version} here is the "
            f"{ts.license!r}-licensed build, which has neither; the full build with the Timescale License "
            "(the timescale/timescaledb image of docker-compose.yml, timescaledb.license = 'timescale') "
            "would enable them"
        )
    if not is_hypertable(conn, RAW_TABLE):
        return "compression and retention policies skipped: readings is not a hypertable"
    return None


def _job_setting(conn: Connection, proc: str, table: str, key: str) -> timedelta | None:
    value = conn.execute(
        text(
            "SELECT (config->>:key)::interval FROM timescaledb_information.jobs "
            "WHERE proc_name = :proc AND hypertable_name = :table"
        ),
        {"key": key, "proc": proc, "table": table},
    ).scalar_one_or_none()
    return value if isinstance(value, timedelta) else None


def _ensure_compression(conn: Connection, days: int) -> bool:
    """Compressed by series, newest first inside a segment; True when the policy was (re)created."""
    compressed = conn.execute(
        text(
            "SELECT compression_enabled FROM timescaledb_information.hypertables WHERE hypertable_name = :t"
        ),
        {"t": RAW_TABLE},
    ).scalar_one()
    if not compressed:
        conn.execute(
            text(
                f"ALTER TABLE {RAW_TABLE} SET (timescaledb.compress, "
                "timescaledb.compress_segmentby = 'series_id', timescaledb.compress_orderby = 'time DESC')"
            )
        )
    if _job_setting(conn, "policy_compression", RAW_TABLE, "compress_after") == timedelta(days=days):
        return False
    conn.execute(text("SELECT remove_compression_policy(:t, if_exists => true)"), {"t": RAW_TABLE})
    conn.execute(
        text("SELECT add_compression_policy(:t, make_interval(days => :d))"), {"t": RAW_TABLE, "d": days}
    )
    return True


def _ensure_retention(conn: Connection, table: str, days: int) -> bool:
    """Chunks entirely older than `days` are dropped; True when the policy was (re)created."""
    if _job_setting(conn, "policy_retention", table, "drop_after") == timedelta(days=days):
        return False
    conn.execute(text("SELECT remove_retention_policy(:t, if_exists => true)"), {"t": table})
    conn.execute(text("SELECT add_retention_policy(:t, make_interval(days => :d))"), {"t": table, "d": days})
    return True


def apply_policies(conn: Connection, settings: Settings) -> PolicyReport:
    """Compression of raw chunks older than `compress_after_days` (0: none) and retention of raw
    readings (`retention_days`) and rollups (`rollup_retention_days`), where TimescaleDB offers them."""
    reason = skip_reason(conn)
    if reason is not None:
        log.info("%s", reason)
        return PolicyReport(skipped=reason)
    wanted: list[tuple[str, bool]] = []
    if settings.compress_after_days:
        changed = _ensure_compression(conn, settings.compress_after_days)
        wanted.append((f"compress {RAW_TABLE} after {settings.compress_after_days} days", changed))
    else:
        conn.execute(text("SELECT remove_compression_policy(:t, if_exists => true)"), {"t": RAW_TABLE})
    changed = _ensure_retention(conn, RAW_TABLE, settings.retention_days)
    wanted.append((f"drop {RAW_TABLE} after {settings.retention_days} days", changed))
    for table in ROLLUP_TABLES:
        if is_hypertable(conn, table):
            changed = _ensure_retention(conn, table, settings.rollup_retention_days)
            wanted.append((f"drop {table} after {settings.rollup_retention_days} days", changed))
    report = PolicyReport(applied=tuple(w for w, _ in wanted), changed=tuple(w for w, c in wanted if c))
    log.info("TimescaleDB policies: %s", "; ".join(report.applied))
    return report


PURGE_BATCH = 50_000  # rows deleted per statement on plain tables, so no transaction grows huge


@dataclass(frozen=True)
class PurgeReport:
    """What `purge_expired` removed, per table: chunks dropped (hypertables) or rows deleted."""

    dropped_chunks: dict[str, int]
    deleted_rows: dict[str, int]


def purge_expired(conn: Connection, settings: Settings) -> PurgeReport:
    """Remove raw readings older than `retention_days` and rollups older than
    `rollup_retention_days` now: `drop_chunks` on hypertables (whole chunks past the age; an
    Apache-licensed function, so it works where policies do not), batched deletes on plain tables.
    Commits after each batch."""
    dropped: dict[str, int] = {}
    deleted: dict[str, int] = {}
    ages = {RAW_TABLE: settings.retention_days} | dict.fromkeys(ROLLUP_TABLES, settings.rollup_retention_days)
    for table, days in ages.items():
        if is_hypertable(conn, table):
            dropped[table] = conn.execute(
                text(
                    "SELECT count(*) FROM drop_chunks(CAST(:t AS regclass), "
                    "older_than => make_interval(days => :d))"
                ),
                {"t": table, "d": days},
            ).scalar_one()
            conn.commit()
            continue
        column = TIME_PARTITIONED[table]
        total = 0
        while True:
            n = conn.execute(
                text(
                    f"DELETE FROM {table} WHERE ctid = ANY(ARRAY(SELECT ctid FROM {table} "
                    f"WHERE {column} < now() - make_interval(days => :d) LIMIT {PURGE_BATCH}))"
                ),
                {"d": days},
            ).rowcount
            conn.commit()
            total += n
            if n < PURGE_BATCH:
                break
        deleted[table] = total
    log.info(
        "retention: %s",
        "; ".join(
            [f"{t}: {n} chunks dropped" for t, n in dropped.items()]
            + [f"{t}: {n} rows deleted" for t, n in deleted.items()]
        ),
    )
    return PurgeReport(dropped, deleted)


def purge(settings: Settings) -> PurgeReport:
    """`purge_expired` on its own connection to the configured database."""
    engine = create_sqlalchemy_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            return purge_expired(conn, settings)
    finally:
        engine.dispose()
