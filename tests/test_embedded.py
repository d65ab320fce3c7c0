"""The demo's embedded services for real: the wheel's PostgreSQL under the migrations and ingest,
amqtt under the real ingest worker and paho, recovery after a killed run, root and normal users."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import orjson
import paho.mqtt.client as mqtt
import psycopg
import pytest
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion

from core.settings import Settings
from ingest.consumer import IngestWorker
from sensegrid.embedded.broker import EmbeddedBroker
from sensegrid.embedded.postgres import SERVICE_USER, EmbeddedPostgres
from sensegrid.embedded.service import EmbeddedServiceError
from store.device_registry import NewDevice, upsert_devices
from store.migrate import MigrationResult, head_revision, upgrade

ROOT = os.geteuid() == 0
LINUX_PDEATHSIG = sys.platform == "linux" and shutil.which("setpriv") is not None


@pytest.fixture(scope="module")
def base_dir() -> Iterator[Path]:
    """Not pytest's tmp_path: as root, PostgreSQL runs as the `sensegrid` user, which must be able
    to enter the directory, and pytest's base directory is private to root."""
    path = Path(tempfile.mkdtemp(prefix="sensegrid-embedded-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def postgres(base_dir: Path) -> Iterator[EmbeddedPostgres]:
    with EmbeddedPostgres(base_dir / "demo") as pg:
        yield pg


@pytest.fixture(scope="module")
def broker() -> Iterator[EmbeddedBroker]:
    with EmbeddedBroker() as b:
        yield b


@pytest.fixture(scope="module")
def migration(postgres: EmbeddedPostgres) -> MigrationResult:
    return upgrade(Settings(database_url=postgres.url, timescaledb="auto"))


def _server_pid(pg: EmbeddedPostgres) -> int:
    return int((pg.pgdata / "postmaster.pid").read_text().split()[0])


def _process_uid(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("Uid:")).split()[1])


def _gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def _client(
    broker: EmbeddedBroker,
    client_id: str = "",
    *,
    persistent: bool = False,
    on_message: Callable[[bytes], None] | None = None,
) -> mqtt.Client:
    """A connected paho client speaking the embedded broker's MQTT 3.1.1."""
    client = mqtt.Client(
        CallbackAPIVersion.VERSION2,
        client_id=client_id,
        protocol=MQTTProtocolVersion.MQTTv311,
        clean_session=not persistent,
    )
    if on_message is not None:  # before connecting: a resumed session delivers right after CONNACK
        client.on_message = lambda _c, _u, msg: on_message(bytes(msg.payload))
    assert broker.port is not None
    client.connect("127.0.0.1", broker.port)
    client.loop_start()
    return client


def test_migrations_make_plain_tables_on_the_embedded_postgres(
    postgres: EmbeddedPostgres, migration: MigrationResult
) -> None:
    assert postgres.url.startswith("postgresql://postgres:") and "@127.0.0.1:" in postgres.url
    assert migration.created_database
    assert migration.after == head_revision()
    assert migration.hypertables == ()  # the wheel has no TimescaleDB: SENSEGRID_TIMESCALEDB=auto falls back
    with psycopg.connect(postgres.url) as conn:
        found = conn.execute("SELECT to_regclass('readings'), to_regclass('readings_1h')").fetchone()
    assert found == ("readings", "readings_1h")


@pytest.mark.skipif(not ROOT or sys.platform != "linux", reason="the root path: run as root on Linux")
def test_as_root_postgres_runs_as_the_unprivileged_service_user(postgres: EmbeddedPostgres) -> None:
    service_uid = pwd.getpwnam(SERVICE_USER).pw_uid
    assert _process_uid(_server_pid(postgres)) == service_uid
    assert postgres.pgdata.stat().st_uid == service_uid
    assert (postgres.state_dir / "postgres.password").stat().st_mode & 0o077 == 0


def test_a_reading_published_to_the_embedded_broker_is_stored_in_the_embedded_postgres(
    postgres: EmbeddedPostgres, broker: EmbeddedBroker, migration: MigrationResult
) -> None:
    settings = Settings(
        database_url=postgres.url,
        mqtt_url=broker.url,
        mqtt_protocol=EmbeddedBroker.protocol,
        ingest_client_id=f"ingest-{uuid.uuid4().hex[:8]}",
        ingest_batch_latency_ms=50,
    )
    with psycopg.connect(postgres.url, autocommit=True) as conn:
        upsert_devices(conn, [NewDevice("aq-1", "environment", "aq_station", tenant="t1", site="s1")])
        worker = IngestWorker(settings)
        thread = threading.Thread(target=worker.run, daemon=True)
        thread.start()
        publisher = _client(broker)
        try:
            assert worker._connected.wait(10), "ingest did not connect and subscribe to the embedded broker"
            ts = int(time.time()) - 60
            payload = orjson.dumps({"ts": ts, "metrics": {"pm25": 35.2}})
            publisher.publish("sensegrid/aq-1/telemetry", payload, qos=1).wait_for_publish(10)
            deadline = time.monotonic() + 20
            row = None
            while row is None and time.monotonic() < deadline:
                row = conn.execute(
                    "SELECT extract(epoch FROM r.time)::bigint, r.value FROM readings r "
                    "JOIN series s ON s.id = r.series_id WHERE s.device_id = 'aq-1' AND s.metric = 'pm25'"
                ).fetchone()
                time.sleep(0.05)
        finally:
            publisher.disconnect()
            publisher.loop_stop()
            worker.stop()
            thread.join(timeout=30)
    assert row == (ts, 35.2)
    assert worker.stored == 1


def test_the_embedded_broker_keeps_qos1_messages_for_a_persistent_session_while_it_is_away(
    broker: EmbeddedBroker,
) -> None:
    got: list[bytes] = []
    subscribed = threading.Event()
    away = _client(broker, "away-and-back", persistent=True)
    away.on_subscribe = lambda *_a: subscribed.set()
    away.subscribe("away/#", qos=1)
    assert subscribed.wait(5)
    away.disconnect()
    away.loop_stop()
    publisher = _client(broker)
    publisher.publish("away/x", b"while away", qos=1).wait_for_publish(5)
    publisher.disconnect()
    publisher.loop_stop()
    back = _client(broker, "away-and-back", persistent=True, on_message=got.append)
    deadline = time.monotonic() + 5
    while not got and time.monotonic() < deadline:
        time.sleep(0.05)
    back.disconnect()
    back.loop_stop()
    assert got == [b"while away"]


def test_a_busy_port_is_refused_with_what_to_do(base_dir: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(EmbeddedServiceError, match=f"port {port} on 127.0.0.1 is already in use"):
            EmbeddedBroker(port=port).start()
        with pytest.raises(EmbeddedServiceError, match="choose another port, or give none"):
            EmbeddedPostgres(base_dir / "busy", port=port).start()


def test_a_second_process_on_the_same_data_directory_is_refused(postgres: EmbeddedPostgres) -> None:
    with pytest.raises(EmbeddedServiceError, match="another sensegrid process is running the embedded"):
        EmbeddedPostgres(postgres.state_dir).start()
    with psycopg.connect(postgres.url) as conn:  # the first one is untouched
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_a_stale_postmaster_pid_does_not_stop_the_next_start(base_dir: Path) -> None:
    state = base_dir / "stale"
    with EmbeddedPostgres(state, database="postgres") as pg, psycopg.connect(pg.url, autocommit=True) as conn:
        conn.execute("CREATE TABLE kept (x int)")
    # A killed run's pid file naming a live process that is no PostgreSQL (a pid reused after a reboot).
    unrelated = subprocess.Popen(["sleep", "30"])
    try:
        (state / "postgres" / "postmaster.pid").write_text(f"{unrelated.pid}\n{state / 'postgres'}\n")
        with EmbeddedPostgres(state, database="postgres") as pg, psycopg.connect(pg.url) as conn:
            assert conn.execute("SELECT to_regclass('kept')").fetchone() == ("kept",)
        assert unrelated.poll() is None  # not ours: left alone
    finally:
        unrelated.kill()
        unrelated.wait()


@pytest.mark.skipif(not LINUX_PDEATHSIG, reason="the parent-death signal needs Linux and setpriv")
def test_postgres_dies_with_a_killed_parent_and_the_next_run_takes_over(base_dir: Path) -> None:
    state = base_dir / "killed"
    parent = subprocess.Popen(
        [sys.executable, "-c", _START_AND_WAIT, str(state)], stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    url = parent.stdout.readline().strip()
    assert url.startswith("postgresql://"), "the child did not start PostgreSQL"
    server = int((state / "postgres" / "postmaster.pid").read_text().split()[0])
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 30
    while not _gone(server) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _gone(server), "PostgreSQL outlived its SIGKILLed parent"
    with EmbeddedPostgres(state, database="postgres") as pg, psycopg.connect(pg.url) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)


@pytest.mark.skipif(not ROOT or shutil.which("runuser") is None, reason="needs root to become another user")
def test_a_normal_user_runs_the_embedded_postgres_as_itself(base_dir: Path) -> None:
    def as_nobody(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["runuser", "-u", "nobody", "--", sys.executable, "-c", *args],
            capture_output=True, text=True, timeout=120, cwd=Path(__file__).resolve().parents[1],
        )  # fmt: skip

    probe = as_nobody("import sensegrid.embedded.postgres")
    if probe.returncode != 0:  # e.g. a Python installed under /root
        pytest.skip(f"user nobody cannot run this Python: {probe.stderr.strip()}")
    nobody = pwd.getpwnam("nobody")
    home = base_dir / "nobody"
    home.mkdir()
    os.chown(home, nobody.pw_uid, nobody.pw_gid)
    out = as_nobody(_START_AND_REPORT, str(home / "demo"))
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["ready", str(nobody.pw_uid)]


# The child processes of the last two tests: start the embedded PostgreSQL on argv[1], then
# wait to be killed, or report who the server runs as and stop.
_START_AND_WAIT = """
import sys, time
from pathlib import Path
from sensegrid.embedded.postgres import EmbeddedPostgres
pg = EmbeddedPostgres(Path(sys.argv[1]), database="postgres")
print(pg.start(), flush=True)
time.sleep(120)
"""

_START_AND_REPORT = """
import sys
from pathlib import Path
import psycopg
from sensegrid.embedded.postgres import EmbeddedPostgres
with EmbeddedPostgres(Path(sys.argv[1]), database="postgres") as pg, psycopg.connect(pg.url) as conn:
    conn.execute("SELECT 1")
    pid = int((pg.pgdata / "postmaster.pid").read_text().split()[0])
    uid = next(l for l in open(f"/proc/{pid}/status") if l.startswith("Uid:")).split()[1]
    print("ready", uid)
"""
