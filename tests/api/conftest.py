"""The API served for real: uvicorn on a free local port in a thread, called over HTTP with httpx."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import psycopg
import pytest

from core.settings import Settings
from store.api_keys import create_key
from tests.api.rig import Server, start_server
from tests.broker import Broker


@pytest.fixture(scope="session")
def api_settings(migrated: Settings, broker: Broker) -> Settings:
    return migrated.model_copy(
        update={
            "mqtt_url": broker.url,
            "api_cors_origins": "https://portal.example",
            "api_max_body_bytes": 4096,
        }
    )


@pytest.fixture(scope="session")
def server(api_settings: Settings) -> Iterator[Server]:
    s = start_server(api_settings)
    yield s
    s.stop()


@pytest.fixture
def api_db(db: psycopg.Connection) -> Iterator[psycopg.Connection]:
    """`db`, with the API keys emptied after the test as well."""
    yield db
    db.execute("TRUNCATE api_keys RESTART IDENTITY")


KeyFactory = Callable[..., str]


@pytest.fixture
def make_key(api_db: psycopg.Connection) -> KeyFactory:
    """Create a key and return its token: make_key("t1", "viewer")."""

    def make(tenant: str, role: str, name: str = "test") -> str:
        return create_key(api_db, tenant=tenant, role=role, name=name)[1]

    return make


@pytest.fixture
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c
