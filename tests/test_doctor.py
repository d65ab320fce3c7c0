"""`sensegrid doctor` and `sensegrid migrate` as a user runs them: a real process, real services."""

from __future__ import annotations

from collections.abc import Callable

from core.settings import Settings
from store.migrate import head_revision
from tests.cli import run_cli


def test_doctor_reports_a_healthy_installation(migrated: Settings) -> None:
    out = run_cli(
        "doctor", SENSEGRID_DATABASE_URL=migrated.database_url, SENSEGRID_MQTT_URL=migrated.mqtt_url
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "FAIL" not in out.stdout
    assert "PostgreSQL 1" in out.stdout
    assert f"schema       at {head_revision()} (newest)" in out.stdout
    assert "mosquitto" in out.stdout.lower()
    if migrated.timescaledb == "on":
        assert "license apache" in out.stdout or "license timescale" in out.stdout
        assert "hypertables: readings, readings_1m, readings_1h" in out.stdout
    else:
        assert "hypertables: none (plain tables)" in out.stdout


def test_doctor_fails_clearly_when_the_database_url_is_wrong() -> None:
    out = run_cli("doctor", SENSEGRID_DATABASE_URL="postgresql://postgres@127.0.0.1:1/nowhere")
    assert out.returncode == 1
    assert "FAIL database" in out.stdout
    assert "cannot connect to postgresql://postgres@127.0.0.1:1/nowhere" in out.stdout
    assert "SENSEGRID_DATABASE_URL" in out.stdout


def test_doctor_fails_when_the_schema_was_never_migrated(
    throwaway_database: Callable[[str], str],
) -> None:
    url = throwaway_database("unmigrated")
    from store.migrate import ensure_database

    ensure_database(url)
    out = run_cli("doctor", SENSEGRID_DATABASE_URL=url)
    assert out.returncode == 1
    assert "FAIL schema" in out.stdout and "run `sensegrid migrate`" in out.stdout


def test_doctor_fails_clearly_when_the_broker_is_unreachable(migrated: Settings) -> None:
    out = run_cli(
        "doctor", SENSEGRID_DATABASE_URL=migrated.database_url, SENSEGRID_MQTT_URL="mqtt://127.0.0.1:1"
    )
    assert out.returncode == 1
    assert "FAIL broker" in out.stdout and "cannot connect to 127.0.0.1:1" in out.stdout


def test_doctor_rejects_a_malformed_mqtt_url(migrated: Settings) -> None:
    out = run_cli("doctor", SENSEGRID_DATABASE_URL=migrated.database_url, SENSEGRID_MQTT_URL="http://x")
    assert out.returncode == 1
    assert "must start with mqtt:// or mqtts://" in out.stdout


def test_migrate_command_is_idempotent(throwaway_database: Callable[[str], str]) -> None:
    url = throwaway_database("cli")
    first = run_cli("migrate", SENSEGRID_DATABASE_URL=url, SENSEGRID_TIMESCALEDB="off")
    second = run_cli("migrate", SENSEGRID_DATABASE_URL=url, SENSEGRID_TIMESCALEDB="off")
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert "created database" in first.stdout and f"→ {head_revision()}" in first.stdout
    assert "nothing to do" in second.stdout
