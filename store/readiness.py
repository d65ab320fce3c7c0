"""Is the database usable by sensegrid: reachable, its schema version, what TimescaleDB it offers
and which tables are hypertables (the API's /readyz and `sensegrid doctor` check through here)."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from sqlalchemy import text

from store.db import create_sqlalchemy_engine
from store.timescale import TimescaleStatus, hypertables, status


def schema_revision(conn: psycopg.Connection) -> str | None:
    """The Alembic revision the database is at (None before the first migration)."""
    exists = conn.execute("SELECT to_regclass('alembic_version') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(row[0]) if row else None


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
            driver = conn.connection.driver_connection  # the psycopg connection under SQLAlchemy's
            assert isinstance(driver, psycopg.Connection)
            revision = schema_revision(driver)
            return DatabaseReport(str(version), status(conn), revision, hypertables(conn))
    finally:
        engine.dispose()
