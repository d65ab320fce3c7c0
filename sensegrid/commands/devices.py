"""`sensegrid devices …`: register devices one by one or from CSV, list them, calibrate them."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from core.settings import get_settings
from domains import registry
from store.calibration import add_calibration
from store.db import connect
from store.device_registry import NewDevice, list_devices, upsert_devices

app = typer.Typer(help="Register, list and calibrate devices.", no_args_is_help=True)
console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

CSV_COLUMNS = ("id", "area", "kind", "tenant", "name", "site", "latitude", "longitude")


def _check_area(area: str, kind: str) -> None:
    try:
        owner = registry.area(area)
    except KeyError as exc:
        raise typer.BadParameter(str(exc)) from None
    if owner.device_kinds and kind not in owner.device_kinds:
        raise typer.BadParameter(
            f"unknown device kind {kind!r} in area {area!r}; known: {', '.join(sorted(owner.device_kinds))}"
        )


@app.command("add")
def add(
    device_id: str = typer.Argument(..., help="Device id = its MQTT client id and topic level."),
    area: str = typer.Option(..., help="Area id (environment, city, agriculture, ...)."),
    kind: str = typer.Option(..., help="Device kind of that area, e.g. aq_station."),
    tenant: str = typer.Option("default", help="Tenant the device belongs to."),
    name: str = typer.Option("", help="Display name."),
    site: str = typer.Option("", help="Site (station, road segment, field...)."),
    latitude: float | None = typer.Option(None, help="WGS84 latitude."),
    longitude: float | None = typer.Option(None, help="WGS84 longitude."),
) -> None:
    """Register one device (or update it if the id exists)."""
    if "/" in device_id or "+" in device_id or "#" in device_id or not device_id:
        raise typer.BadParameter("device id must be non-empty and contain no '/', '+' or '#'")
    _check_area(area, kind)
    with connect(get_settings().database_url, autocommit=True) as conn:
        upsert_devices(conn, [NewDevice(device_id, area, kind, tenant, name, site, latitude, longitude)])
    console.print(f"registered {device_id} ({area}/{kind}, tenant {tenant})")


def read_devices_csv(path: Path) -> list[NewDevice]:
    """Parse a device CSV (header: id,area,kind[,tenant,name,site,latitude,longitude])."""
    devices: list[NewDevice] = []
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = {"id", "area", "kind"} - set(reader.fieldnames or ())
        if missing:
            raise typer.BadParameter(
                f"{path}: missing column(s) {', '.join(sorted(missing))}; expected {','.join(CSV_COLUMNS)}"
            )
        for line, row in enumerate(reader, start=2):
            try:
                _check_area(row["area"], row["kind"])
                lat = row.get("latitude") or None
                lon = row.get("longitude") or None
                devices.append(
                    NewDevice(
                        id=row["id"].strip(),
                        domain=row["area"].strip(),
                        kind=row["kind"].strip(),
                        tenant=(row.get("tenant") or "default").strip(),
                        name=(row.get("name") or "").strip(),
                        site=(row.get("site") or "").strip(),
                        latitude=float(lat) if lat else None,
                        longitude=float(lon) if lon else None,
                    )
                )
            except (typer.BadParameter, ValueError) as exc:
                raise typer.BadParameter(f"{path}, line {line}: {exc}") from None
    return devices


@app.command("import")
def import_csv(
    path: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV file with a header row."),
    chunk: int = typer.Option(1000, min=1, help="Devices written per transaction."),
) -> None:
    """Register every device of a CSV file (id,area,kind[,tenant,name,site,latitude,longitude])."""
    devices = read_devices_csv(path)
    with connect(get_settings().database_url, autocommit=True) as conn, Progress(console=console) as bar:
        task = bar.add_task("importing devices", total=len(devices))
        for i in range(0, len(devices), chunk):
            part = devices[i : i + chunk]
            with conn.transaction():
                upsert_devices(conn, part)
            bar.advance(task, len(part))
    console.print(f"imported {len(devices)} devices from {path}")


@app.command("list")
def list_cmd(
    area: str | None = typer.Option(None, help="Only this area."),
    tenant: str | None = typer.Option(None, help="Only this tenant."),
    limit: int = typer.Option(100, min=1, help="At most this many rows."),
) -> None:
    """List registered devices with their last-seen time."""
    settings = get_settings()
    with connect(settings.database_url, autocommit=True) as conn:
        rows = list_devices(conn, tenant, silent_after_s=settings.api_silent_after_s, area=area, limit=limit)
    table = Table("id", "tenant", "area", "kind", "site", "active", "last seen")
    for r in rows:
        table.add_row(
            r.id,
            r.tenant,
            r.area,
            r.kind,
            r.site,
            "yes" if r.active else "no",
            r.last_seen.isoformat() if r.last_seen else "never",
        )
    console.print(table)


@app.command("calibrate")
def calibrate(
    device_id: str = typer.Argument(...),
    metric: str = typer.Argument(...),
    gain: float = typer.Option(1.0, help="calibrated = offset + gain·raw"),
    offset: float = typer.Option(0.0),
    coefficient: list[float] = typer.Option(
        [], "--coefficient", "-c", help="Polynomial c0, c1, c2… (repeat; overrides gain/offset)."
    ),
    effective_from: datetime | None = typer.Option(
        None,
        formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S"],
        help="When it takes effect (default: now, UTC).",
    ),
) -> None:
    """Add a calibration version for one metric of a device; earlier versions stay on record."""
    when = effective_from or datetime.now(UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    with connect(get_settings().database_url, autocommit=True) as conn:
        try:
            add_calibration(conn, device_id, metric, when, gain=gain, offset=offset, coefficients=coefficient)
        except LookupError as exc:
            err.print(str(exc))
            raise typer.Exit(1) from None
    console.print(f"calibration of {device_id}/{metric} from {when.isoformat()} recorded")
