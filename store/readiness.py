"""Is the database usable by a service: reachable, and its schema at the version this code expects."""

from __future__ import annotations

import psycopg


def schema_revision(conn: psycopg.Connection) -> str | None:
    """The Alembic revision the database is at (None before the first migration)."""
    exists = conn.execute("SELECT to_regclass('alembic_version') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(row[0]) if row else None
