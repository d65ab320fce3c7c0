"""Connections to the database: the one pool factory and the URL forms each driver wants."""

from __future__ import annotations

import orjson
import psycopg
from psycopg.types.json import set_json_loads
from psycopg_pool import ConnectionPool
from sqlalchemy import Engine, create_engine

from core.settings import Settings
from store.db_url import libpq_url, sqlalchemy_url

# json/jsonb columns (device metadata, alert labels) parse with orjson: several times faster than
# the standard library on the read paths that return many rows.
set_json_loads(orjson.loads)


def connect(url: str, *, autocommit: bool = False, connect_timeout: int = 5) -> psycopg.Connection:
    """One connection, for commands and tests; services use `create_pool`."""
    return psycopg.connect(libpq_url(url), autocommit=autocommit, connect_timeout=connect_timeout)


def _utc_session(conn: psycopg.Connection) -> None:
    # Timestamps come back as datetimes in the session's time zone: UTC's is the standard library's
    # fixed `timezone.utc`, which builds several times faster than a zoneinfo zone (a 1,440-bucket
    # series parses in half the time) — and every sensegrid service works in UTC.
    conn.execute("SET TimeZone = 'UTC'")
    if not conn.autocommit:
        conn.commit()


def create_pool(settings: Settings, *, name: str = "sensegrid", autocommit: bool = False) -> ConnectionPool:
    """The pool every long-running sensegrid process uses (opened; close it on shutdown). Sessions
    run in UTC; `autocommit` connections commit each statement (the API's reads)."""
    pool = ConnectionPool(
        libpq_url(settings.database_url),
        min_size=settings.db_pool_min,
        max_size=settings.db_pool_max,
        kwargs={"autocommit": autocommit},
        configure=_utc_session,
        # a connection comes back as it was handed out, whatever a request switched on it
        reset=lambda conn: setattr(conn, "autocommit", autocommit),
        name=name,
        open=False,
    )
    pool.open(wait=True, timeout=30)
    return pool


def create_sqlalchemy_engine(url: str) -> Engine:
    """A SQLAlchemy engine for migrations and schema inspection (not for the hot path)."""
    return create_engine(sqlalchemy_url(url), pool_pre_ping=True)
