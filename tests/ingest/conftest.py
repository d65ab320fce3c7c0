"""Ingest running against the real broker (the tests' Mosquitto) and the migrated database."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import psycopg
import pytest

from core.settings import Settings
from ingest.consumer import IngestWorker
from store.device_registry import NewDevice, upsert_devices
from tests.broker import Broker, Publisher

DEVICES = [
    NewDevice("aq-1", "environment", "aq_station", tenant="t1", site="station-1"),
    NewDevice("aq-2", "environment", "aq_station", tenant="t1", site="station-2"),
    NewDevice("met-1", "environment", "weather_station", tenant="t1", site="station-1"),
]


@dataclass
class IngestRig:
    """One test's ingest set-up: settings, a publisher, a running worker, and DB access."""

    settings: Settings
    db: psycopg.Connection
    publisher: Publisher
    broker: Broker
    workers: list[tuple[IngestWorker, threading.Thread]]

    def topic(self, device: str) -> str:
        return f"{self.settings.topic_prefix}/{device}/telemetry"

    def publish(self, device: str, payload: bytes | str) -> None:
        self.publisher.publish(self.topic(device), payload)

    def start_worker(self, index: int = 0) -> IngestWorker:
        worker = IngestWorker(self.settings, index)
        thread = threading.Thread(target=worker.run, daemon=True)
        thread.start()
        self.workers.append((worker, thread))
        assert worker._connected.wait(10), "ingest worker did not connect"
        return worker

    def stop_workers(self) -> None:
        for worker, thread in self.workers:
            worker.stop()
            thread.join(timeout=30)
        self.workers.clear()

    def count(self, sql: str = "SELECT count(*) FROM readings", args: tuple[object, ...] = ()) -> int:
        row = self.db.execute(sql, args).fetchone()
        return int(row[0]) if row else 0

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.05)
        raise AssertionError("condition not met in time")

    def wait_count(self, n: int, sql: str = "SELECT count(*) FROM readings", timeout: float = 30.0) -> None:
        try:
            self.wait_for(lambda: self.count(sql) >= n, timeout)
        except AssertionError:
            raise AssertionError(f"expected {n} rows from {sql!r}, have {self.count(sql)}") from None

    def readings(self, device: str, metric: str) -> list[tuple[float, float, int]]:
        rows = self.db.execute(
            "SELECT extract(epoch FROM r.time)::float8, r.value, r.quality FROM readings r "
            "JOIN series s ON s.id = r.series_id WHERE s.device_id = %s AND s.metric = %s ORDER BY r.time",
            (device, metric),
        ).fetchall()
        return [(float(a), float(b), int(c)) for a, b, c in rows]


@pytest.fixture
def rig_settings(migrated: Settings, broker: Broker, topic_prefix: str) -> Settings:
    return migrated.model_copy(
        update={
            "mqtt_url": broker.url,
            "topic_prefix": topic_prefix,
            "ingest_client_id": f"ingest-{uuid.uuid4().hex[:8]}",
            "ingest_shared_group": f"g{uuid.uuid4().hex[:8]}",
            "ingest_batch_latency_ms": 50,
        }
    )


@pytest.fixture
def rig(rig_settings: Settings, db: psycopg.Connection, broker: Broker) -> Iterator[IngestRig]:
    upsert_devices(db, DEVICES)
    publisher = Publisher(broker.url)
    r = IngestRig(rig_settings, db, publisher, broker, [])
    yield r
    r.stop_workers()
    publisher.close()
