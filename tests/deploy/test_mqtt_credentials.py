"""`sensegrid mqtt credentials` on the real Mosquitto with docker-compose's broker config: each device
may publish only to its own topics, ingest may only subscribe, anonymous clients are refused."""

from __future__ import annotations

import base64
import csv
import shutil
import subprocess
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion

from core.settings import Settings
from sensegrid.mqtt_credentials import hash_password, verify_password
from store.db import connect
from store.device_registry import NewDevice, upsert_devices
from store.migrate import upgrade
from tests.broker import AuthBroker
from tests.cli import run_cli

INGEST_PASSWORD = "ingest-" + uuid.uuid4().hex
ALERTS_PASSWORD = "alerts-" + uuid.uuid4().hex
NOT_AUTHORIZED = 135  # MQTT 5 reason codes (PUBACK)
NO_SUBSCRIBERS = 16
UNREACHABLE = "postgresql://nobody@127.0.0.1:1/none"


@dataclass
class Rig:
    settings: Settings
    auth_dir: Path
    broker: AuthBroker
    passwords: dict[str, str]
    prefix: str

    def credentials(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run_cli(
            "mqtt",
            "credentials",
            "--out",
            str(self.auth_dir),
            *args,
            SENSEGRID_DATABASE_URL=self.settings.database_url,
            SENSEGRID_TOPIC_PREFIX=self.prefix,
            SENSEGRID_MQTT_INGEST_PASSWORD=INGEST_PASSWORD,
            SENSEGRID_MQTT_ALERTS_PASSWORD=ALERTS_PASSWORD,
        )


def _new_passwords(auth_dir: Path) -> dict[str, str]:
    with (auth_dir / "new-device-passwords.csv").open() as f:
        return {row["device_id"]: row["password"] for row in csv.DictReader(f)}


@pytest.fixture(scope="module")
def rig(throwaway_database: Callable[[str], str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rig]:
    settings = Settings(database_url=throwaway_database("mqttauth"), timescaledb="off")
    upgrade(settings)
    with connect(settings.database_url) as conn:
        upsert_devices(
            conn, [NewDevice("dev-a", "environment", "aq_station"), NewDevice("dev-b", "city", "fog")]
        )
    auth_dir = tmp_path_factory.mktemp("auth")
    rig = Rig(settings, auth_dir, AuthBroker(tmp_path_factory.mktemp("mosq"), auth_dir), {}, "sgsec")
    out = rig.credentials()
    assert out.returncode == 0, out.stderr
    rig.passwords = _new_passwords(auth_dir)
    assert set(rig.passwords) == {"dev-a", "dev-b"}
    rig.broker.start()
    yield rig
    rig.broker.stop()


@dataclass
class Session:
    """One MQTT 5 client: what the broker answered to its CONNECT and PUBLISHes, what it received."""

    client: mqtt.Client
    connack: int | None = None
    connected: threading.Event = field(default_factory=threading.Event)
    pubacks: dict[int, int] = field(default_factory=dict)
    acked: threading.Condition = field(default_factory=threading.Condition)
    received: list[tuple[str, bytes]] = field(default_factory=list)
    got: threading.Event = field(default_factory=threading.Event)

    def publish(self, topic: str, payload: bytes) -> int:
        """Publish with QoS 1 and return the PUBACK's reason code."""
        with self.acked:
            info = self.client.publish(topic, payload, qos=1)
            assert self.acked.wait_for(lambda: info.mid in self.pubacks, timeout=5), "no PUBACK"
            return self.pubacks[info.mid]

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def session(port: int, username: str | None, password: str | None) -> Session:
    client = mqtt.Client(
        CallbackAPIVersion.VERSION2,
        client_id=f"t-{uuid.uuid4().hex[:8]}",
        protocol=MQTTProtocolVersion.MQTTv5,
    )
    s = Session(client)

    def on_connect(_c: mqtt.Client, _u: object, _f: object, reason: mqtt.ReasonCode, _p: object) -> None:
        s.connack = reason.value
        s.connected.set()

    def on_publish(_c: mqtt.Client, _u: object, mid: int, reason: mqtt.ReasonCode, _p: object) -> None:
        with s.acked:
            s.pubacks[mid] = reason.value
            s.acked.notify_all()

    def on_message(_c: mqtt.Client, _u: object, msg: mqtt.MQTTMessage) -> None:
        s.received.append((msg.topic, msg.payload))
        s.got.set()

    client.on_connect, client.on_publish, client.on_message = on_connect, on_publish, on_message
    client.reconnect_delay_set(60, 60)  # a refused client stays refused during the test
    if username is not None:
        client.username_pw_set(username, password)
    client.connect("127.0.0.1", port)
    client.loop_start()
    assert s.connected.wait(5), "no CONNACK"
    return s


def test_anonymous_and_wrong_password_are_refused(rig: Rig) -> None:
    for user, password in ((None, None), ("dev-a", "not-its-password"), ("nobody", "x")):
        s = session(rig.broker.port, user, password)
        s.close()
        assert s.connack is not None and s.connack >= 128, (user, s.connack)


def test_device_publishes_only_to_its_own_topics_and_ingest_only_subscribes(rig: Rig) -> None:
    ingest = session(rig.broker.port, "ingest", INGEST_PASSWORD)
    dev_a = session(rig.broker.port, "dev-a", rig.passwords["dev-a"])
    try:
        assert ingest.connack == 0 and dev_a.connack == 0
        ingest.client.subscribe(f"$share/sensegrid-ingest/{rig.prefix}/+/telemetry", qos=1)
        ingest.client.subscribe(f"$share/sensegrid-ingest/{rig.prefix}/+/status", qos=1)
        # Publish the device's status until the subscription is in place (16: no subscribers yet).
        for _ in range(100):
            assert dev_a.publish(f"{rig.prefix}/dev-a/status", b"online") in (0, NO_SUBSCRIBERS)
            if ingest.got.wait(0.05):
                break
        assert ingest.received, "ingest received nothing from dev-a"

        assert dev_a.publish(f"{rig.prefix}/dev-b/telemetry", b"forged") == NOT_AUTHORIZED
        assert dev_a.publish(f"{rig.prefix}/alerts/city/dev-b", b"forged") == NOT_AUTHORIZED
        assert ingest.publish(f"{rig.prefix}/dev-a/telemetry", b"forged") == NOT_AUTHORIZED
        assert dev_a.publish(f"{rig.prefix}/dev-a/telemetry", b"genuine") == 0
        for _ in range(100):  # QoS 1 from one publisher arrives in order: "forged" would come first
            if any(p == b"genuine" for _, p in ingest.received):
                break
            ingest.got.clear()
            ingest.got.wait(0.05)
        assert (f"{rig.prefix}/dev-a/telemetry", b"genuine") in ingest.received
        assert not any(p == b"forged" for _, p in ingest.received)
    finally:
        ingest.close()
        dev_a.close()


def test_alerts_login_publishes_alerts_only(rig: Rig) -> None:
    alerts = session(rig.broker.port, "alerts", ALERTS_PASSWORD)
    try:
        assert alerts.connack == 0
        assert alerts.publish(f"{rig.prefix}/alerts/city/dev-b", b"{}") in (0, NO_SUBSCRIBERS)
        assert alerts.publish(f"{rig.prefix}/dev-b/telemetry", b"forged") == NOT_AUTHORIZED
    finally:
        alerts.close()


def test_rerun_keeps_device_passwords_and_rotate_replaces_one(rig: Rig) -> None:
    out = rig.credentials()
    assert out.returncode == 0, out.stderr
    assert "no new device passwords" in out.stdout
    out = rig.credentials("--rotate", "dev-b")
    assert out.returncode == 0, out.stderr
    rotated = _new_passwords(rig.auth_dir)
    assert set(rotated) == {"dev-b"} and rotated["dev-b"] != rig.passwords["dev-b"]
    line = {u: h for u, h in (x.split(":", 1) for x in (rig.auth_dir / "passwd").read_text().split())}
    assert verify_password(rig.passwords["dev-a"], line["dev-a"])
    assert verify_password(rotated["dev-b"], line["dev-b"])
    with connect(rig.settings.database_url) as conn:
        stored = conn.execute("SELECT credentials_hash FROM devices WHERE id = 'dev-b'").fetchone()
    assert stored is not None and stored[0] == line["dev-b"]
    rig.passwords["dev-b"] = rotated["dev-b"]


def test_missing_service_password_says_which_variable(rig: Rig) -> None:
    out = run_cli("mqtt", "credentials", "--out", str(rig.auth_dir), SENSEGRID_DATABASE_URL=UNREACHABLE)
    assert out.returncode == 2
    assert "SENSEGRID_MQTT_INGEST_PASSWORD" in out.stderr


@pytest.mark.skipif(shutil.which("mosquitto_passwd") is None, reason="mosquitto_passwd is not installed")
def test_hash_is_the_one_mosquitto_passwd_writes(tmp_path: Path) -> None:
    pwfile = tmp_path / "pw"
    subprocess.run(["mosquitto_passwd", "-b", "-c", str(pwfile), "u", "s3cret"], check=True)
    theirs = pwfile.read_text().strip().split(":", 1)[1]
    salt = base64.b64decode(theirs.split("$")[3])
    assert hash_password("s3cret", salt=salt) == theirs
    assert verify_password("s3cret", theirs) and not verify_password("other", theirs)
