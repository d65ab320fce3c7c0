"""Fixtures on the real services: a throwaway database per test session (with and without
TimescaleDB) and unique MQTT topic prefixes on the real broker."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import psycopg
import pytest
from psycopg import sql

from core.settings import Settings
from store.db_url import libpq_url
from store.migrate import upgrade
from tests.broker import Broker

SERVER_URL = os.environ.get("SENSEGRID_TEST_SERVER_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
MQTT_URL = os.environ.get("SENSEGRID_TEST_MQTT_URL", "mqtt://127.0.0.1:1883")
STORAGE_MODES = ("timescaledb", "plain")


def _server() -> psycopg.Connection:
    return psycopg.connect(libpq_url(SERVER_URL), autocommit=True, connect_timeout=5)


def _database_url(name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)


def _drop(name: str) -> None:
    with _server() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _timescaledb_usable() -> bool:
    with _server() as conn:
        available = conn.execute(
            "SELECT count(*) FROM pg_available_extensions WHERE name = 'timescaledb'"
        ).fetchone()
        preload = conn.execute("SHOW shared_preload_libraries").fetchone()
    return bool(available and available[0]) and bool(preload and "timescaledb" in str(preload[0]))


@pytest.fixture(scope="session")
def throwaway_database() -> Iterator[Callable[[str], str]]:
    """A factory of empty databases with unique names, all dropped when the session ends."""
    created: list[str] = []

    def make(label: str) -> str:
        name = f"sensegrid_test_{label}_{uuid.uuid4().hex[:8]}"
        created.append(name)
        return _database_url(name)

    yield make
    for name in created:
        _drop(name)


@pytest.fixture(scope="session", params=STORAGE_MODES)
def migrated(request: pytest.FixtureRequest, throwaway_database: Callable[[str], str]) -> Settings:
    """Settings for a freshly migrated database, once with TimescaleDB and once on plain PostgreSQL."""
    mode = request.param
    if mode == "timescaledb" and not _timescaledb_usable():
        pytest.skip("the TimescaleDB extension is not installed on this server (deploy/services.sh)")
    url = throwaway_database(mode)
    settings = Settings(
        database_url=url,
        mqtt_url=MQTT_URL,
        timescaledb="on" if mode == "timescaledb" else "off",
    )
    upgrade(settings)
    return settings


@pytest.fixture
def db(migrated: Settings) -> Iterator[psycopg.Connection]:
    """A connection to the migrated database; the tables each test touched are emptied after it."""
    conn = psycopg.connect(libpq_url(migrated.database_url), autocommit=True)
    yield conn
    try:
        conn.execute("SELECT 1")
    except psycopg.OperationalError:  # a fault test restarted the server under this connection
        conn = psycopg.connect(libpq_url(migrated.database_url), autocommit=True)
    with conn:
        conn.execute(
            "TRUNCATE devices, series, readings, readings_1m, readings_1h, alerts, alert_events, "
            "rule_overrides, silences, notification_outbox, rejected_messages, api_keys "
            "RESTART IDENTITY CASCADE"
        )


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Broker]:
    """A Mosquitto of the tests' own (deploy config, private port), restartable by fault tests."""
    b = Broker(tmp_path_factory.mktemp("mosquitto"))
    b.start()
    yield b
    b.stop()


@pytest.fixture
def topic_prefix() -> str:
    """A topic prefix no other test uses, so tests on the shared broker never see each other."""
    return f"sgtest-{uuid.uuid4().hex[:10]}"
