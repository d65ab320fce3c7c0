"""Apply sensegrid's Alembic migrations and report the schema version; create the database if absent."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import psycopg
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from psycopg import sql

from core.settings import Settings
from store.db import create_sqlalchemy_engine
from store.db_url import database_name, with_database
from store.retention import PolicyReport, apply_policies
from store.timescale import TimescaleStatus, hypertables, status

MIGRATIONS = Path(__file__).parent / "migrations"


@dataclass(frozen=True)
class MigrationResult:
    """What `upgrade` found and left."""

    created_database: bool
    before: str | None
    after: str | None
    timescale: TimescaleStatus
    hypertables: tuple[str, ...]
    policies: PolicyReport  # compression and retention policies, or why they were skipped


def alembic_config(settings: Settings | None = None) -> Config:
    """An Alembic Config pointing at our migrations (no alembic.ini needed)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if settings is not None:
        cfg.attributes["timescaledb"] = settings.timescaledb
    return cfg


def head_revision() -> str:
    """The newest migration shipped with this version of sensegrid."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migrations found"
    return head


def _maintenance_url(url: str) -> str:
    return with_database(url, "postgres")


def drop_database(url: str) -> None:
    """Drop the database named in `url` if it exists (its connections are ended first)."""
    name = database_name(url)
    if not name:
        raise ValueError(f"no database name in {url!r}")
    with psycopg.connect(_maintenance_url(url), autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def ensure_database(url: str) -> bool:
    """Create the database named in `url` if it does not exist; True when it was created."""
    name = database_name(url)
    if not name:
        return False
    with psycopg.connect(_maintenance_url(url), autocommit=True, connect_timeout=5) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists:
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


def upgrade(settings: Settings, revision: str = "head") -> MigrationResult:
    """Bring the database to `revision`; running it again is a no-op."""
    created = ensure_database(settings.database_url)
    engine = create_sqlalchemy_engine(settings.database_url)
    try:
        with engine.begin() as conn:
            before = MigrationContext.configure(conn).get_current_revision()
            cfg = alembic_config(settings)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
        with engine.connect() as conn:
            after = MigrationContext.configure(conn).get_current_revision()
            ts = status(conn)
            hyper = hypertables(conn)
        with engine.begin() as conn:
            policies = apply_policies(conn, settings)
    finally:
        engine.dispose()
    return MigrationResult(created, before, after, ts, hyper, policies)
