"""What the database is and holds: server version, TimescaleDB, schema version (for doctor/readyz)."""

from __future__ import annotations

from dataclasses import dataclass

from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from store.db import create_sqlalchemy_engine
from store.timescale import TimescaleStatus, is_hypertable, status


@dataclass(frozen=True)
class DatabaseReport:
    """A snapshot of the database sensegrid is configured to use."""

    server_version: str
    timescale: TimescaleStatus
    schema_revision: str | None
    hypertables: tuple[str, ...]


def inspect_database(url: str) -> DatabaseReport:
    """Connect and report; raises the driver's OperationalError when the database is unreachable."""
    engine = create_sqlalchemy_engine(url)
    try:
        with engine.connect() as conn:
            version = conn.execute(text("SHOW server_version")).scalar_one()
            revision = MigrationContext.configure(conn).get_current_revision()
            hyper = tuple(t for t in ("readings", "readings_1m", "readings_1h") if is_hypertable(conn, t))
            return DatabaseReport(str(version), status(conn), revision, hyper)
    finally:
        engine.dispose()
