"""`sensegrid demo`: its options; the run itself is sensegrid.demo.runner."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from sensegrid.commands.settings import configured_settings

console = Console(soft_wrap=True)


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
    from sensegrid.demo.runner import DemoOptions, run_demo

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
    raise typer.Exit(run_demo(configured_settings(), options, console))
