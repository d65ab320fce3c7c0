"""A Mosquitto broker owned by the tests: our deploy config, its own port, restartable."""

from __future__ import annotations

import getpass
import shutil
import socket
import subprocess
import time
from pathlib import Path

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion

from sensegrid.ports import free_port

DEPLOY_CONF = Path(__file__).resolve().parents[1] / "deploy" / "mosquitto" / "mosquitto-local.conf"
COMPOSE_CONF = DEPLOY_CONF.with_name("mosquitto-compose.conf")


class Broker:
    """Mosquitto started from deploy/mosquitto/mosquitto-local.conf with a private port and data dir."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        workdir.mkdir(parents=True, exist_ok=True)
        conf = DEPLOY_CONF.read_text()
        conf = conf.replace("listener 1883 127.0.0.1", f"listener {self.port} 127.0.0.1")
        conf = conf.replace("persistence_location /var/lib/mosquitto/", f"persistence_location {workdir}/")
        conf = conf.replace("log_dest file /var/log/mosquitto/mosquitto.log", f"log_dest file {workdir}/log")
        conf += f"\nuser {getpass.getuser()}\n"
        self.conf = workdir / "mosquitto.conf"
        self.conf.write_text(conf)

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def start(self) -> None:
        binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        self.proc = subprocess.Popen(
            [binary, "-c", str(self.conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"mosquitto did not start on port {self.port}; see {self.workdir}/log")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()  # SIGTERM: mosquitto saves its persistent sessions
            self.proc.wait(timeout=10)
            self.proc = None

    def restart(self, down_s: float = 0.5) -> None:
        self.stop()
        time.sleep(down_s)
        self.start()


class AuthBroker(Broker):
    """Mosquitto started from docker-compose's config (login required, ACL) with the password file
    and ACL found in `auth_dir`, on a private port."""

    def __init__(self, workdir: Path, auth_dir: Path) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.proc = None
        workdir.mkdir(parents=True, exist_ok=True)
        conf = COMPOSE_CONF.read_text()
        for old, new in (
            ("listener 1883 0.0.0.0", f"listener {self.port} 127.0.0.1"),
            ("persistence_location /mosquitto/data/", f"persistence_location {workdir}/"),
            ("log_dest stdout", f"log_dest file {workdir}/log"),
            ("/mosquitto/auth/", f"{auth_dir}/"),
        ):
            assert old in conf, f"{COMPOSE_CONF} no longer has {old!r}"
            conf = conf.replace(old, new)
        conf += f"\nuser {getpass.getuser()}\n"
        self.conf = workdir / "mosquitto.conf"
        self.conf.write_text(conf)


class Publisher:
    """A QoS 1 publisher that waits until the broker has each message."""

    def __init__(self, url: str, client_id: str = "") -> None:
        host, port = url.removeprefix("mqtt://").split(":")
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=client_id, protocol=MQTTProtocolVersion.MQTTv5
        )
        self.client.max_inflight_messages_set(1000)
        self.client.connect(host, int(port))
        self.client.loop_start()

    def publish(self, topic: str, payload: bytes | str, *, wait: bool = True) -> mqtt.MQTTMessageInfo:
        info = self.client.publish(topic, payload, qos=1)
        if wait:
            info.wait_for_publish(timeout=10)
        return info

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()
