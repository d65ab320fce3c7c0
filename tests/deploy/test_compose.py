"""docker-compose.yml is valid for Docker Compose v2 and has the production stack's shape.

Needs only the compose binary, no engine: deploy/services.sh extracts it from Debian 13's
`docker-compose` package into /var/lib/sensegrid/tools (or set SENSEGRID_COMPOSE_BIN)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOLS_COMPOSE = Path("/var/lib/sensegrid/tools/docker-compose")
ONE_SHOTS = {"migrate", "mqtt-credentials"}


def compose_command() -> list[str] | None:
    """How to run Compose v2 here: the extracted plugin, one on PATH, or `docker compose`."""
    for candidate in (
        os.environ.get("SENSEGRID_COMPOSE_BIN"),
        str(TOOLS_COMPOSE),
        shutil.which("docker-compose"),
    ):
        if candidate and os.access(candidate, os.X_OK):
            return [candidate]
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    return None


@pytest.fixture(scope="module")
def compose() -> list[str]:
    cmd = compose_command()
    if cmd is None:
        pytest.skip(
            "no Docker Compose v2 binary: run `bash deploy/services.sh` as root (it extracts Debian 13's "
            f"docker-compose into {TOOLS_COMPOSE}) or set SENSEGRID_COMPOSE_BIN"
        )
    return cmd


def _config(compose: list[str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SENSEGRID_", "POSTGRES_", "MQTT_"))}
    return subprocess.run(
        [
            *compose,
            "--project-directory",
            str(ROOT),
            "--env-file",
            str(ROOT / ".env.example"),
            "-f",
            str(ROOT / "docker-compose.yml"),
            "config",
            *args,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.fixture(scope="module")
def stack(compose: list[str]) -> dict[str, Any]:
    out = _config(compose, "--format", "json")
    assert out.returncode == 0, out.stderr
    parsed: dict[str, Any] = json.loads(out.stdout)
    return parsed


def test_compose_file_is_valid(compose: list[str]) -> None:
    out = _config(compose, "-q")
    assert out.returncode == 0, out.stderr


def test_services_have_healthchecks_restart_policies_and_named_volumes(stack: dict[str, Any]) -> None:
    services = stack["services"]
    assert {
        "timescaledb",
        "mosquitto",
        "grafana",
        "migrate",
        "mqtt-credentials",
        "ingest",
        "alerts",
        "api",
    } <= set(services)
    for name, service in services.items():
        if name in ONE_SHOTS:
            assert service["restart"] == "no", name
        else:
            assert service["restart"] == "unless-stopped", name
            assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
    assert set(stack["volumes"]) >= {"pgdata", "mosquitto-auth", "mosquitto-data", "grafana-data"}
    assert "timescale/timescaledb" in services["timescaledb"]["image"]


def test_services_wait_for_the_one_shot_migration(stack: dict[str, Any]) -> None:
    for name in ("ingest", "alerts", "api", "grafana"):
        assert (
            stack["services"][name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        )
    creds = stack["services"]["mosquitto"]["depends_on"]["mqtt-credentials"]
    assert creds["condition"] == "service_completed_successfully"


def test_ingest_replicas_share_one_subscription_with_the_ingest_login(stack: dict[str, Any]) -> None:
    ingest = stack["services"]["ingest"]
    assert ingest["deploy"]["replicas"] >= 2
    assert "--shared" in (ROOT / "deploy" / "ingest-replica.sh").read_text()
    assert ingest["environment"]["SENSEGRID_MQTT_URL"].startswith("mqtt://ingest:")
    assert stack["services"]["notify"]["environment"]["SENSEGRID_MQTT_URL"].startswith("mqtt://alerts:")


def test_broker_requires_login_and_acl() -> None:
    conf = (ROOT / "deploy" / "mosquitto" / "mosquitto-compose.conf").read_text()
    assert re.search(r"^allow_anonymous false$", conf, re.M)
    assert re.search(r"^password_file /mosquitto/auth/passwd$", conf, re.M)
    assert re.search(r"^acl_file /mosquitto/auth/acl$", conf, re.M)


def test_env_example_documents_every_variable_the_compose_file_uses() -> None:
    used = set(re.findall(r"\$\{([A-Z0-9_]+)", (ROOT / "docker-compose.yml").read_text()))
    documented = set(re.findall(r"^([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert used - documented == set()
