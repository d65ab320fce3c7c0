"""The migrated schema, with TimescaleDB and on plain PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from core.settings import Settings
from store.db import create_sqlalchemy_engine
from store.migrate import head_revision, upgrade
from store.schema import metadata

EXPECTED_TABLES = {
    "devices",
    "series",
    "readings",
    "readings_1m",
    "readings_1h",
    "alerts",
    "alert_events",
    "silences",
    "notification_outbox",
    "rejected_messages",
}


def _hypertables(conn: psycopg.Connection) -> set[str]:
    has_ext = conn.execute("SELECT count(*) FROM pg_extension WHERE extname = 'timescaledb'").fetchone()
    if not has_ext or not has_ext[0]:
        return set()
    rows = conn.execute("SELECT hypertable_name FROM timescaledb_information.hypertables").fetchall()
    return {r[0] for r in rows}


def test_every_table_of_the_storage_model_exists(migrated: Settings) -> None:
    engine = create_sqlalchemy_engine(migrated.database_url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert tables >= EXPECTED_TABLES


def test_readings_and_rollups_are_hypertables_only_with_timescaledb(
    migrated: Settings, db: psycopg.Connection
) -> None:
    hyper = _hypertables(db)
    if migrated.timescaledb == "on":
        assert hyper == {"readings", "readings_1m", "readings_1h"}
    else:
        assert hyper == set()
        ext = db.execute("SELECT count(*) FROM pg_extension WHERE extname = 'timescaledb'").fetchone()
        assert ext == (0,)


def test_migrated_database_matches_the_sqlalchemy_schema(migrated: Settings) -> None:
    """schema.py and the migrations must describe the same tables, columns and indexes."""
    engine = create_sqlalchemy_engine(migrated.database_url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(ctx, metadata)
    finally:
        engine.dispose()

    def storage_specific(op: object) -> bool:
        # Time indexes differ by design: TimescaleDB makes its own, plain tables get BRIN.
        if isinstance(op, tuple) and op[0] == "remove_index":
            name = op[1].name or ""
            return name.endswith("_brin") or name.endswith("_time_idx") or name.endswith("_bucket_idx")
        return False

    assert [op for op in diff if not storage_specific(op)] == []


def test_migrating_twice_changes_nothing(migrated: Settings, db: psycopg.Connection) -> None:
    before = db.execute(
        "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public'"
    ).fetchone()
    result = upgrade(migrated)
    after = db.execute(
        "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public'"
    ).fetchone()
    assert result.before == result.after == head_revision()
    assert result.created_database is False
    assert before == after


def test_a_redelivered_reading_is_stored_once(db: psycopg.Connection) -> None:
    db.execute("INSERT INTO devices (id, domain, kind) VALUES ('aq-1', 'environment', 'aq_station')")
    series_row = db.execute(
        "INSERT INTO series (device_id, metric) VALUES ('aq-1', 'pm25') RETURNING id"
    ).fetchone()
    assert series_row is not None
    t = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
    db.execute("INSERT INTO readings (time, series_id, value) VALUES (%s, %s, 35.0)", (t, series_row[0]))
    with pytest.raises(psycopg.errors.UniqueViolation):
        db.execute("INSERT INTO readings (time, series_id, value) VALUES (%s, %s, 36.0)", (t, series_row[0]))
    db.execute(
        "INSERT INTO readings (time, series_id, value) VALUES (%s, %s, 36.0) ON CONFLICT DO NOTHING",
        (t, series_row[0]),
    )
    rows = db.execute("SELECT value, quality FROM readings").fetchall()
    assert rows == [(35.0, 0)]


def test_only_one_open_alert_per_fingerprint(db: psycopg.Connection) -> None:
    insert = (
        "INSERT INTO alerts (fingerprint, rule_id, area, tenant, state, severity) "
        "VALUES ('fp-1', 'city.fog', 'city', 't1', %s, 3)"
    )
    db.execute(insert, ("firing",))
    with pytest.raises(psycopg.errors.UniqueViolation):
        db.execute(insert, ("pending",))
    db.execute("UPDATE alerts SET state = 'resolved'")
    db.execute(insert, ("firing",))
    states = sorted(r[0] for r in db.execute("SELECT state FROM alerts").fetchall())
    assert states == ["firing", "resolved"]


def test_alert_state_outside_the_lifecycle_is_refused(db: psycopg.Connection) -> None:
    with pytest.raises(psycopg.errors.CheckViolation):
        db.execute(
            "INSERT INTO alerts (fingerprint, rule_id, area, tenant, state, severity) "
            "VALUES ('fp-2', 'city.fog', 'city', 't1', 'exploded', 3)"
        )


def test_time_range_query_answers_the_same_on_both_storages(db: psycopg.Connection) -> None:
    db.execute("INSERT INTO devices (id, domain, kind) VALUES ('vis-1', 'city', 'visibility_sensor')")
    sid = db.execute("INSERT INTO series (device_id, metric) VALUES ('vis-1', 'visibility') RETURNING id")
    series_id = sid.fetchone()[0]  # type: ignore[index]
    with db.cursor().copy("COPY readings (time, series_id, value) FROM STDIN") as copy:
        for minute in range(180):
            copy.write_row(
                (
                    datetime(2026, 11, 1, 0, 0, tzinfo=UTC).replace(minute=minute % 60, hour=minute // 60),
                    series_id,
                    float(1000 - minute),
                )
            )
    row = db.execute(
        "SELECT count(*), min(value), max(value) FROM readings "
        "WHERE series_id = %s AND time >= '2026-11-01T01:00Z' AND time < '2026-11-01T02:00Z'",
        (series_id,),
    ).fetchone()
    assert row == (60, 881.0, 940.0)


def test_migrate_creates_a_missing_database(throwaway_database: Callable[[str], str]) -> None:
    settings = Settings(database_url=throwaway_database("fresh"), timescaledb="off")
    result = upgrade(settings)
    assert result.created_database is True
    assert result.before is None and result.after == head_revision()
