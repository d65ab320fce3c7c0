"""The `sensegrid` command: one entry point for every service and administrative task."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from core.logging import configure_logging
from core.settings import Settings, get_settings
from sensegrid.alerts_cli import app as alerts_app
from sensegrid.api_cli import api, keys_app
from sensegrid.backfill_cli import backfill_cmd
from sensegrid.devices_cli import app as devices_app
from sensegrid.grafana_cli import app as grafana_app
from sensegrid.ingest_cli import ingest
from sensegrid.mqtt_cli import app as mqtt_app
from sensegrid.notify_cli import app as notify_app
from sensegrid.simulate_cli import simulate

app = typer.Typer(
    name="sensegrid",
    help="sensegrid — IoT time-series monitoring on TimescaleDB. "
    "Settings come from SENSEGRID_* environment variables (see `sensegrid settings`).",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(devices_app, name="devices")
app.add_typer(alerts_app, name="alerts")
app.command("ingest")(ingest)
app.add_typer(notify_app, name="notify")
app.command("api")(api)
app.add_typer(keys_app, name="keys")
app.add_typer(mqtt_app, name="mqtt")
app.add_typer(grafana_app, name="grafana")
app.command("simulate")(simulate)
app.command("backfill")(backfill_cmd)

console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _settings() -> Settings:
    settings = get_settings()
    configure_logging(settings.log_level)
    return settings


@app.command()
def migrate(revision: str = typer.Argument("head", help="Target schema revision.")) -> None:
    """Create the database if needed and bring its schema to the newest version (idempotent)."""
    from store.migrate import upgrade

    settings = _settings()
    try:
        result = upgrade(settings, revision)
    except Exception as exc:
        err.print(f"[red]migrate failed:[/red] {exc}")
        raise typer.Exit(1) from exc
    if result.created_database:
        console.print("created database")
    if result.before == result.after:
        console.print(f"schema already at {result.after}: nothing to do")
    else:
        console.print(f"schema migrated {result.before or '(empty)'} → {result.after}")
    if result.hypertables:
        console.print(
            f"TimescaleDB {result.timescale.installed_version} ({result.timescale.license}): "
            f"hypertables {', '.join(result.hypertables)}"
        )
    else:
        console.print("plain PostgreSQL tables (no TimescaleDB)")


@app.command()
def retention() -> None:
    """Remove raw readings older than SENSEGRID_RETENTION_DAYS and rollups older than
    SENSEGRID_ROLLUP_RETENTION_DAYS now (run it daily where TimescaleDB's policies are absent:
    the Apache-only build or plain PostgreSQL)."""
    from store.retention import purge

    report = purge(_settings())
    for table, n in report.dropped_chunks.items():
        console.print(f"{table}: {n} chunks dropped")
    for table, n in report.deleted_rows.items():
        console.print(f"{table}: {n:,} rows deleted")


@app.command()
def doctor() -> None:
    """Check the database, TimescaleDB, schema version and MQTT broker; exit 1 if anything is wrong."""
    from sensegrid.doctor import run_doctor

    report = run_doctor(_settings())
    for f in report.findings:
        mark = "[green]ok[/green]  " if f.ok else "[red]FAIL[/red]"
        console.print(f"{mark} {f.what:<12} {f.detail}", highlight=False)
    if not report.ok:
        raise typer.Exit(1)


@app.command("settings")
def show_settings() -> None:
    """List every setting with its environment variable, current value and meaning."""
    settings = get_settings()
    for name, field in Settings.model_fields.items():
        value = getattr(settings, name)
        if name == "database_url" or name == "mqtt_url":
            from sqlalchemy.engine import make_url

            value = make_url(str(value)).render_as_string(hide_password=True)
        console.print(f"[bold]SENSEGRID_{name.upper()}[/bold] = {value}", highlight=False)
        console.print(f"    {field.description}", highlight=False)


@app.command()
def demo(
    devices: int = typer.Option(
        120,
        min=1,
        help="Simulated devices of the six areas, at least one per device kind (besides the scenarios').",
    ),
    seed: int = typer.Option(7, help="Simulator seed: the same seed plays the same fleet."),
    backfill_hours: float = typer.Option(24.0, min=0, help="Hours of history stored before going live."),
    duration: float | None = typer.Option(
        None, min=1, help="Stop after this many seconds (default: Ctrl-C)."
    ),
    api_port: int | None = typer.Option(
        None, help="API port (default SENSEGRID_API_PORT; a free one if taken)."
    ),
    embedded: bool | None = typer.Option(
        None,
        "--embedded/--no-embedded",
        help="Force the embedded PostgreSQL and MQTT broker, or the configured ones. Default: the "
        "configured ones when SENSEGRID_DATABASE_URL / SENSEGRID_MQTT_URL are set, embedded otherwise.",
    ),
    scenario: list[str] = typer.Option(
        [],
        "--scenario",
        help="Play only these scenarios (repeatable; default all; `sensegrid simulate --list-scenarios`).",
    ),
    faults: bool = typer.Option(
        True, "--faults/--no-faults", help="Sensor faults: spikes, flat-lines, drift, dropouts, clock skew."
    ),
    state_dir: Path | None = typer.Option(
        None, help="Where the embedded PostgreSQL keeps its data (default ~/.local/share/sensegrid/demo)."
    ),
) -> None:
    """Run the whole platform on one machine with a simulated fleet: database and broker (embedded
    when none is configured), ingest, alerts, the API and scenarios, with a live summary."""
    from sensegrid.demo import DemoOptions, run_demo

    options = DemoOptions(
        devices=devices,
        seed=seed,
        backfill_hours=backfill_hours,
        duration_s=duration,
        api_port=api_port,
        embedded=embedded,
        scenarios=tuple(scenario),
        faults=faults,
        state_dir=state_dir,
    )
    raise typer.Exit(run_demo(_settings(), options, console))


if __name__ == "__main__":
    app()
