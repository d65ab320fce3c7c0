"""Compression and retention policies: applied by migrate on the full TimescaleDB, skipped with the
reason on the Apache-only build and on plain PostgreSQL (where migrate still succeeds); and the
purge that removes expired data everywhere (`sensegrid retention`)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from core.settings import Settings
from store.device_registry import NewDevice
from store.migrate import upgrade
from store.retention import purge
from tests.api.rig import register, store_readings


def test_migrate_reports_the_policies_or_why_they_were_skipped(
    migrated: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="sensegrid.store.retention"):
        result = upgrade(migrated)
    assert result.after is not None and result.before == result.after
    lines = [r.getMessage() for r in caplog.records if r.name == "sensegrid.store.retention"]
    assert len(lines) == 1
    if result.timescale.license == "timescale":
        assert result.policies.skipped is None
        assert f"compress readings after {migrated.compress_after_days} days" in result.policies.applied
        assert result.policies.changed == ()  # the first migrate already applied them
    elif result.timescale.installed_version:
        assert result.policies.applied == ()
        assert result.policies.skipped == lines[0]
        assert "'apache'-licensed build" in lines[0] and "Timescale License" in lines[0]
    else:
        assert result.policies.applied == ()
        assert result.policies.skipped == lines[0]
        assert "plain PostgreSQL tables" in lines[0]


def test_purge_removes_readings_and_rollups_past_their_age_and_keeps_the_rest(
    migrated: Settings, db: psycopg.Connection
) -> None:
    register(db, NewDevice("old-1", "environment", "aq_station"))
    now = datetime.now(UTC)
    ages = {
        "ancient": now - timedelta(days=800),
        "old": now - timedelta(days=100),
        "new": now - timedelta(days=1),
    }
    for when in ages.values():
        store_readings(db, "old-1", "pm25", [(when, 35.0)])
    report = purge(migrated)

    def times(table: str, column: str) -> set[str]:
        rows = db.execute(f"SELECT {column} FROM {table}").fetchall()
        return {
            name for name, when in ages.items() for (t,) in rows if abs((t - when).total_seconds()) < 86400
        }

    assert times("readings", "time") == {"new"}  # raw kept 90 days
    assert times("readings_1m", "bucket") == {"old", "new"}  # rollups kept 730 days
    assert times("readings_1h", "bucket") == {"old", "new"}
    removed = report.dropped_chunks if report.dropped_chunks else report.deleted_rows
    assert removed["readings"] >= 2 and removed["readings_1m"] >= 1 and removed["readings_1h"] >= 1
    again = purge(migrated)  # nothing left to remove: a second run removes nothing
    assert set((again.dropped_chunks or again.deleted_rows).values()) == {0}
