"""`sensegrid backfill`: register a simulated fleet and store days of its history at once."""

from __future__ import annotations

import time

import typer
from rich.console import Console

from core.logging import configure_logging
from core.settings import get_settings
from sensegrid.backfill import Span, backfill
from sensegrid.sim_fleet import register_fleet
from sim.engine import Simulator
from sim.fleet import demo_fleet
from store.db import connect

console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def backfill_cmd(
    days: float = typer.Option(1.0, "--days", min=0.001, help="Days of history ending now."),
    devices: int = typer.Option(120, min=1, help="Simulated devices, every kind of the six areas."),
    seed: int = typer.Option(7, help="Simulator seed (the same seed stores the same readings again)."),
    tenant: str = typer.Option("demo", help="Tenant of the simulated devices."),
    batch_size: int = typer.Option(1, min=1, help="Reading sets per simulated message."),
) -> None:
    """Store days of a simulated fleet's readings straight through ingest's pipeline (no broker),
    with rollups, quality flags and a progress bar — weeks of data for dashboards in minutes."""
    settings = get_settings()
    configure_logging(settings.log_level)
    try:
        fleet = demo_fleet(devices, seed=seed, tenant=tenant)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--devices") from None
    with connect(settings.database_url, autocommit=True) as conn:
        registered = register_fleet(conn, fleet)
    console.print(f"registered {registered} devices for tenant {tenant}")
    end = time.time()
    result = backfill(settings, Simulator(fleet, seed=seed), [Span(end - days * 86400, end)], console=console)
    console.print(
        f"stored {result.stored:,} readings in {result.seconds:,.1f} s "
        f"({result.stored / max(result.seconds, 1e-6):,.0f}/s); {result.duplicates:,} were stored "
        f"already, {result.rejected:,} messages rejected (see rejected_messages)",
        highlight=False,
    )
