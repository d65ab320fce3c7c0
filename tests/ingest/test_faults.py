"""Nothing lost, nothing stored twice: a killed ingest process, a restarted database or broker,
a SIGTERM, and two workers sharing one subscription."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import orjson
import psycopg
import pytest

from store.db_url import libpq_url
from tests.ingest.conftest import IngestRig

T0 = time.time() - 10 * 3600


class IngestProcess:
    """`sensegrid ingest` as a real process, configured through SENSEGRID_* variables."""

    def __init__(self, rig: IngestRig, log: Path, workers: int = 1) -> None:
        s = rig.settings
        env = {k: v for k, v in os.environ.items() if not k.startswith("SENSEGRID_")}
        env.update(
            SENSEGRID_DATABASE_URL=s.database_url,
            SENSEGRID_MQTT_URL=s.mqtt_url,
            SENSEGRID_TOPIC_PREFIX=s.topic_prefix,
            SENSEGRID_INGEST_CLIENT_ID=s.ingest_client_id,
            SENSEGRID_INGEST_SHARED_GROUP=s.ingest_shared_group,
            SENSEGRID_INGEST_BATCH_LATENCY_MS="50",
            SENSEGRID_TIMESCALEDB=s.timescaledb,
        )
        self.log = log
        self.workers = workers
        self.fh = log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sensegrid.cli", "ingest", "--workers", str(workers)],
            env=env,
            stdout=self.fh,
            stderr=subprocess.STDOUT,
        )

    def wait_subscribed(self, times: int = 1, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.log.read_text().count("subscribed to") >= times:
                return
            if self.proc.poll() is not None:
                raise AssertionError(f"ingest exited early:\n{self.log.read_text()}")
            time.sleep(0.05)
        raise AssertionError(f"ingest did not subscribe:\n{self.log.read_text()}")

    def signal(self, sig: int) -> int:
        self.proc.send_signal(sig)
        return self.proc.wait(timeout=60)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)
        self.fh.close()


def messages(n: int, devices: tuple[str, ...] = ("aq-1", "aq-2")) -> list[tuple[str, bytes]]:
    """n messages of 10 readings each, all with distinct (device, metric, time)."""
    out = []
    for k in range(n):
        device = devices[k % len(devices)]
        sets = [{"ts": T0 + (k * 10 + j), "metrics": {"pm25": float(k), "pm10": float(j)}} for j in range(5)]
        out.append((device, orjson.dumps({"readings": sets})))
    return out


def stream(rig: IngestRig, msgs: list[tuple[str, bytes]], pace_s: float = 0.002) -> threading.Thread:
    def run() -> None:
        for device, payload in msgs:
            rig.publisher.publish(rig.topic(device), payload, wait=False)
            time.sleep(pace_s)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def assert_exactly_once(rig: IngestRig, n_messages: int, db: psycopg.Connection | None = None) -> None:
    conn = db or rig.db
    expected = n_messages * 10
    rejected = conn.execute("SELECT count(*) FROM rejected_messages").fetchone()
    assert rejected == (0,)
    total, distinct = conn.execute(
        "SELECT count(*), count(DISTINCT (series_id, time)) FROM readings"
    ).fetchone()  # type: ignore[misc]
    assert total == distinct == expected
    rollup_total = conn.execute("SELECT coalesce(sum(count), 0) FROM readings_1m").fetchone()
    assert rollup_total == (expected,), "rollups count each reading once"


def wait_rows(conn: psycopg.Connection, n: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    have = 0
    while time.monotonic() < deadline:
        have = conn.execute("SELECT count(*) FROM readings").fetchone()[0]  # type: ignore[index]
        if have >= n:
            return
        time.sleep(0.1)
    raise AssertionError(f"expected {n} readings, have {have}")


def test_sigkill_mid_stream_then_restart_stores_every_reading_exactly_once(
    rig: IngestRig, tmp_path: Path
) -> None:
    msgs = messages(1500)
    first = IngestProcess(rig, tmp_path / "ingest.log")
    first.wait_subscribed()
    sender = stream(rig, msgs)
    wait_rows(rig.db, 2000)  # well into the stream
    first.kill()  # SIGKILL: no flush, no ack for what was in flight
    stored_at_kill = rig.count()
    assert stored_at_kill < len(msgs) * 10
    sender.join()
    second = IngestProcess(rig, tmp_path / "ingest.log")
    try:
        second.wait_subscribed(times=2)
        wait_rows(rig.db, len(msgs) * 10)
        time.sleep(0.5)  # any straggling redelivery would show up as a duplicate attempt
        assert_exactly_once(rig, len(msgs))
    finally:
        second.kill()


def test_sigterm_flushes_acks_and_exits_cleanly(rig: IngestRig, tmp_path: Path) -> None:
    msgs = messages(800)
    proc = IngestProcess(rig, tmp_path / "ingest.log")
    proc.wait_subscribed()
    sender = stream(rig, msgs)
    wait_rows(rig.db, 1000)
    assert proc.signal(signal.SIGTERM) == 0
    assert "stopped:" in proc.log.read_text()
    sender.join()
    again = IngestProcess(rig, tmp_path / "ingest.log")
    try:
        again.wait_subscribed(times=2)
        wait_rows(rig.db, len(msgs) * 10)
        assert_exactly_once(rig, len(msgs))
    finally:
        again.kill()


def test_database_restart_mid_stream_loses_nothing(rig: IngestRig, tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("restarting the PostgreSQL cluster needs root (CI runs as root)")
    msgs = messages(1500)
    rig.start_worker()
    sender = stream(rig, msgs, pace_s=0.003)
    wait_rows(rig.db, 1500)
    version = rig.db.execute("SHOW server_version_num").fetchone()[0][:2]  # type: ignore[index]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True, timeout=120
    )
    sender.join()
    with psycopg.connect(libpq_url(rig.settings.database_url), autocommit=True) as conn:
        wait_rows(conn, len(msgs) * 10, timeout=120)
        rig.stop_workers()
        assert_exactly_once(rig, len(msgs), conn)


def test_broker_restart_mid_stream_loses_nothing(rig: IngestRig) -> None:
    msgs = messages(1000)
    worker = rig.start_worker()
    for device, payload in msgs[:500]:
        rig.publisher.publish(rig.topic(device), payload, wait=False)
    rig.broker.restart()
    worker._connected.clear()
    assert worker._connected.wait(30), "worker did not resume after the broker restart"
    publisher_connected = time.monotonic() + 30
    while not rig.publisher.client.is_connected() and time.monotonic() < publisher_connected:
        time.sleep(0.05)
    for device, payload in msgs[500:]:
        rig.publisher.publish(rig.topic(device), payload)
    # messages the publisher had not handed over before the restart are resent by its client
    wait_rows(rig.db, len(msgs) * 10, timeout=60)
    rig.stop_workers()
    assert_exactly_once(rig, len(msgs))


def test_two_workers_on_one_shared_subscription_store_each_reading_once(
    rig: IngestRig, tmp_path: Path
) -> None:
    msgs = messages(1200)
    proc = IngestProcess(rig, tmp_path / "ingest.log", workers=2)
    try:
        proc.wait_subscribed(times=2)
        sender = stream(rig, msgs, pace_s=0.001)
        sender.join()
        wait_rows(rig.db, len(msgs) * 10)
        assert proc.signal(signal.SIGTERM) == 0
        assert_exactly_once(rig, len(msgs))
        log = proc.log.read_text()
        assert (
            f"{rig.settings.ingest_client_id}-0 stopped" in log
            and f"{rig.settings.ingest_client_id}-1 stopped" in log
        )
    finally:
        proc.kill()
