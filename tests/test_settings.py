"""Every setting is documented, and `sensegrid settings` shows it without leaking secrets."""

from __future__ import annotations

from core.settings import Settings
from tests.cli import run_cli


def test_every_setting_has_a_description() -> None:
    undocumented = [
        name for name, field in Settings.model_fields.items() if not (field.description or "").strip()
    ]
    assert undocumented == []


def test_settings_command_lists_every_variable_and_hides_passwords() -> None:
    out = run_cli(
        "settings",
        SENSEGRID_DATABASE_URL="postgresql://ops:s3cret@db.example:5432/sg",
        SENSEGRID_MQTT_URL="mqtt://ingest:hunter2@broker:1883",
    )
    assert out.returncode == 0, out.stderr
    for name in Settings.model_fields:
        assert f"SENSEGRID_{name.upper()}" in out.stdout
    assert "s3cret" not in out.stdout and "hunter2" not in out.stdout
    assert "postgresql://ops:***@db.example:5432/sg" in out.stdout
