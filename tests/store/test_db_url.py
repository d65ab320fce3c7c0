"""Database URLs with several hosts (a primary and its replicas, as an HA pair is reached) work
wherever sensegrid takes a URL: migrations, connections, listings (passwords hidden)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sensegrid.ports import free_port
from store.db import connect, create_sqlalchemy_engine
from store.db_url import database_name, libpq_url, parse, redacted, sqlalchemy_url, with_database
from tests.cli import run_cli

PAIR = "postgresql://ops:s3cret@10.0.0.1:5451,10.0.0.2:5452/sensegrid?target_session_attrs=read-write"


def test_a_multi_host_url_keeps_every_host_for_libpq_and_sqlalchemy() -> None:
    assert parse(PAIR).hosts == ("10.0.0.1:5451", "10.0.0.2:5452")
    assert libpq_url(PAIR.replace("postgresql://", "postgresql+psycopg://")) == PAIR
    assert sqlalchemy_url(PAIR) == (
        "postgresql+psycopg://ops:s3cret@/sensegrid"
        "?host=10.0.0.1:5451&host=10.0.0.2:5452&target_session_attrs=read-write"
    )
    assert database_name(PAIR) == "sensegrid"
    assert with_database(PAIR, "postgres") == PAIR.replace("/sensegrid?", "/postgres?")
    assert redacted(PAIR) == PAIR.replace("s3cret", "***")


def test_a_single_host_url_reads_as_before() -> None:
    url = "postgresql+psycopg://postgres@127.0.0.1:5432/sg"
    assert libpq_url(url) == "postgresql://postgres@127.0.0.1:5432/sg"
    assert sqlalchemy_url(url) == url
    assert redacted("mqtt://ingest:hunter2@broker:1883") == "mqtt://ingest:***@broker:1883"


def test_a_url_of_another_kind_is_refused_saying_what_is_accepted() -> None:
    with pytest.raises(ValueError, match=r"starts with postgresql://"):
        parse("mysql://root@localhost/sg")


def test_migrate_finds_the_writable_server_of_a_multi_host_url(
    throwaway_database: Callable[[str], str],
) -> None:
    """The first host refuses connections (a lost server); libpq moves on to the live one."""
    single = parse(throwaway_database("multihost"))
    dead = f"127.0.0.1:{free_port()}"
    url = (
        f"postgresql://{single.userinfo + '@' if single.userinfo else ''}{dead},{single.hosts[0]}"
        f"/{single.database}?target_session_attrs=read-write"
    )
    out = run_cli("migrate", SENSEGRID_DATABASE_URL=url, SENSEGRID_TIMESCALEDB="off")
    assert out.returncode == 0, out.stdout + out.stderr
    with connect(url) as conn:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    assert row is not None and row[0]
    engine = create_sqlalchemy_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT current_database()").scalar() == single.database
    finally:
        engine.dispose()
