"""Helpers of the API tests: a real uvicorn server in a thread, auth headers, test data."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import psycopg
import uvicorn

from api.app import create_app
from core.settings import Settings
from sensegrid.ports import free_port
from store.device_registry import NewDevice, upsert_devices
from store.series import series_ids
from store.writer import write_batch


@dataclass
class Server:
    """A running API: its base URL and settings."""

    url: str
    settings: Settings
    _server: uvicorn.Server
    _thread: threading.Thread

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=30)


def start_server(settings: Settings) -> Server:
    port = free_port()
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_config=None, access_log=False, lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive(), "the API server died while starting"
        assert time.monotonic() < deadline, "the API server did not start in 30 s"
        time.sleep(0.02)
    return Server(f"http://127.0.0.1:{port}", settings, server, thread)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def register(db: psycopg.Connection, *devices: NewDevice) -> None:
    upsert_devices(db, list(devices))


def store_readings(
    db: psycopg.Connection,
    device_id: str,
    metric: str,
    points: Sequence[tuple[datetime, float]],
    *,
    quality: int = 0,
    seen: bool = True,
) -> None:
    """Store readings as ingest does (raw, rollups and last_seen in one batch)."""
    sid = series_ids(db, [(device_id, metric)])[(device_id, metric)]
    rows = [(t.timestamp(), sid, v, quality) for t, v in points]
    last_seen = {device_id: max(t.timestamp() for t, _ in points)} if seen and points else None
    write_batch(db, rows, last_seen=last_seen)
