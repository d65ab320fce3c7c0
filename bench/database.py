"""A throwaway, migrated database for one benchmark run, dropped afterwards."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from core.settings import Settings
from store.migrate import upgrade


@contextmanager
def throwaway_database(
    storage: str, *, keep: bool = False, name: str | None = None, **overrides: object
) -> Iterator[Settings]:
    """Settings for a new database on SENSEGRID_TEST_SERVER_URL's server (TimescaleDB hypertables
    when `storage` is "timescaledb", plain tables otherwise), migrated; dropped on exit unless
    `keep`. `name` reuses a database an earlier run kept (it is then kept again). `overrides` are
    further Settings fields."""
    server = os.environ.get("SENSEGRID_TEST_SERVER_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    keep = keep or name is not None
    name = name or f"sensegrid_bench_{uuid.uuid4().hex[:8]}"
    fields: dict[str, object] = {
        "database_url": server.rsplit("/", 1)[0] + "/" + name,
        "timescaledb": "on" if storage == "timescaledb" else "off",
        "topic_prefix": f"bench{uuid.uuid4().hex[:6]}",
    }
    fields.update(overrides)
    settings = Settings(**fields)  # type: ignore[arg-type]
    print(f"database {name} ({storage}){'; kept afterwards' if keep else ''}; migrating…", flush=True)
    upgrade(settings)
    try:
        yield settings
    finally:
        if not keep:
            with psycopg.connect(server, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
