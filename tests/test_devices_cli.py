"""`sensegrid devices add / import / list / calibrate` against the real database."""

from __future__ import annotations

from pathlib import Path

import psycopg

from core.settings import Settings
from tests.cli import run_cli


def test_devices_add_registers_a_device_with_its_area_and_kind(
    migrated: Settings, db: psycopg.Connection
) -> None:
    out = run_cli(
        "devices",
        "add",
        "vis-k12",
        "--area",
        "city",
        "--kind",
        "visibility_sensor",
        "--tenant",
        "g15",
        "--site",
        "G15 K12",
        "--latitude",
        "31.2",
        "--longitude",
        "121.4",
        SENSEGRID_DATABASE_URL=migrated.database_url,
    )
    assert out.returncode == 0, out.stderr
    row = db.execute(
        "SELECT tenant, domain, kind, site, latitude FROM devices WHERE id = 'vis-k12'"
    ).fetchone()
    assert row == ("g15", "city", "visibility_sensor", "G15 K12", 31.2)


def test_devices_add_refuses_an_unknown_area_or_kind(migrated: Settings, db: psycopg.Connection) -> None:
    bad_area = run_cli(
        "devices",
        "add",
        "x1",
        "--area",
        "mars",
        "--kind",
        "rover",
        SENSEGRID_DATABASE_URL=migrated.database_url,
    )
    assert bad_area.returncode != 0 and "unknown area 'mars'" in bad_area.stderr
    bad_kind = run_cli(
        "devices",
        "add",
        "x1",
        "--area",
        "city",
        "--kind",
        "rover",
        SENSEGRID_DATABASE_URL=migrated.database_url,
    )
    assert bad_kind.returncode != 0 and "unknown device kind 'rover'" in bad_kind.stderr
    assert db.execute("SELECT count(*) FROM devices").fetchone() == (0,)


def test_devices_import_reads_a_csv_and_list_shows_it(
    migrated: Settings, db: psycopg.Connection, tmp_path: Path
) -> None:
    csv_file = tmp_path / "devices.csv"
    lines = ["id,area,kind,tenant,name,site,latitude,longitude"]
    lines += [
        f"aq-{i:03d},environment,aq_station,epb,Station {i},district-{i % 3},31.{i},121.{i}"
        for i in range(250)
    ]
    csv_file.write_text("\n".join(lines) + "\n")
    out = run_cli("devices", "import", str(csv_file), SENSEGRID_DATABASE_URL=migrated.database_url)
    assert out.returncode == 0, out.stderr
    assert "imported 250 devices" in out.stdout
    assert db.execute("SELECT count(*) FROM devices WHERE tenant = 'epb'").fetchone() == (250,)
    listed = run_cli(
        "devices",
        "list",
        "--area",
        "environment",
        "--limit",
        "5",
        SENSEGRID_DATABASE_URL=migrated.database_url,
    )
    assert listed.returncode == 0 and "aq-000" in listed.stdout and "aq-005" not in listed.stdout


def test_devices_import_names_the_bad_line(
    migrated: Settings, db: psycopg.Connection, tmp_path: Path
) -> None:
    csv_file = tmp_path / "devices.csv"
    csv_file.write_text("id,area,kind\nok-1,city,visibility_sensor\nbad-2,city,toaster\n")
    out = run_cli("devices", "import", str(csv_file), SENSEGRID_DATABASE_URL=migrated.database_url)
    assert out.returncode != 0
    assert "line 3" in out.stderr and "toaster" in out.stderr
    assert db.execute("SELECT count(*) FROM devices").fetchone() == (0,)


def test_devices_calibrate_keeps_every_version(migrated: Settings, db: psycopg.Connection) -> None:
    env = {"SENSEGRID_DATABASE_URL": migrated.database_url}
    assert (
        run_cli("devices", "add", "aq-1", "--area", "environment", "--kind", "aq_station", **env).returncode
        == 0
    )
    first = run_cli(
        "devices",
        "calibrate",
        "aq-1",
        "pm25",
        "--gain",
        "1.1",
        "--offset",
        "-2",
        "--effective-from",
        "2026-01-01T00:00:00+00:00",
        **env,
    )
    second = run_cli(
        "devices",
        "calibrate",
        "aq-1",
        "pm25",
        "-c",
        "1",
        "-c",
        "2",
        "-c",
        "0.5",
        "--effective-from",
        "2026-06-01T00:00:00+00:00",
        **env,
    )
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    versions = db.execute("SELECT calibration -> 'pm25' FROM devices WHERE id = 'aq-1'").fetchone()[0]  # type: ignore[index]
    assert [v["gain"] for v in versions] == [1.1, 1.0]
    assert versions[1]["coefficients"] == [1.0, 2.0, 0.5]
    missing = run_cli("devices", "calibrate", "ghost", "pm25", "--gain", "2", **env)
    assert missing.returncode == 1 and "no device 'ghost'" in missing.stderr
