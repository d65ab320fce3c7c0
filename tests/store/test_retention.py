"""Compression and retention policies: applied by migrate on the full TimescaleDB, skipped with the
reason on the Apache-only build and on plain PostgreSQL (where migrate still succeeds)."""

from __future__ import annotations

import logging

import pytest

from core.settings import Settings
from store.migrate import upgrade


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
