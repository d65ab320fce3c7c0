"""`sensegrid simulate`: a simulated fleet of every area's devices, publishing real MQTT.

The fleet and signals are `sim`'s (see sim/README.md); this command picks them from the options,
optionally registers the devices (and the scenarios' time compression) in the database, and
publishes until Ctrl-C or `--duration`, with a live summary.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import typer
from rich.console import Console, Group
from rich.live import Live
from rich.table import Table

from core.logging import configure_logging
from core.settings import Settings, get_settings
from domains.simulation import Scenario
from sim.engine import Simulator
from sim.fleet import demo_fleet, with_interval
from sim.publish import Publisher, PublishStats, StatsSnapshot
from sim.scenarios import ScenarioRun, all_scenarios, demo_overrides, find, fleet_of, place_starting_at
from sim.signals import DEMO_FAULTS, NO_FAULTS
from store.db import connect

console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _minutes(seconds: float) -> str:
    """A scenario time as people say it: "+13 d 2 h", "+28 h 59 min", "+30 min 10 s"."""
    whole = int(seconds)
    if whole >= 2 * 86_400:
        return f"+{whole // 86_400} d {whole % 86_400 // 3600} h"
    if whole >= 5400:
        return f"+{whole // 3600} h {whole % 3600 // 60} min"
    minutes, rest = divmod(whole, 60)
    return f"+{minutes} min {rest} s" if rest else f"+{minutes} min"


def _print_scenarios() -> None:
    for s in all_scenarios():
        console.print(
            f"[bold]{s.id}[/bold] ({s.area}) — {s.title.zh} / {s.title.en}, {_minutes(s.duration_s)}"
        )
        console.print(f"    {s.story.en}", highlight=False)
        for e in s.expected:
            clears = "stays open" if e.clears_by_s is None else f"clears by {_minutes(e.clears_by_s)}"
            console.print(
                f"    → {e.rule} on {e.role}: {e.severity.name.lower()} ({e.level}), "
                f"fires by {_minutes(e.fires_by_s)}, {clears}",
                highlight=False,
            )


def _chosen(ids: list[str]) -> list[Scenario]:
    try:
        return [find(i) for i in ids]
    except KeyError as exc:
        raise typer.BadParameter(str(exc.args[0])) from None


def _register(settings: Settings, simulator: Simulator, runs: list[ScenarioRun], tenant: str) -> None:
    from sensegrid.sim_fleet import apply_overrides, register_fleet

    with connect(settings.database_url, autocommit=True) as conn:
        count = register_fleet(conn, simulator.fleet)
        console.print(f"registered {count} devices for tenant {tenant}")
        overrides = demo_overrides(runs)
        if overrides:
            apply_overrides(conn, tenant, overrides, by="sensegrid simulate")
            console.print(
                f"time compression for the scenarios (tenant {tenant}): "
                + ", ".join(f"{rule} {dict(doc)}" for rule, doc in overrides.items()),
                highlight=False,
            )


def _summary(stats: StatsSnapshot, began: float, devices: int) -> Table:
    elapsed = max(time.monotonic() - began, 1e-6)
    table = Table(box=None, show_header=False, pad_edge=False)
    sim_time = (
        datetime.fromtimestamp(stats.sim_time, UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S")
        if stats.sim_time
        else "—"
    )
    table.add_row("simulated time", sim_time)
    table.add_row("devices", f"{devices:,}")
    table.add_row("messages", f"{stats.messages:,} sent, {stats.acked:,} acked, {stats.errors:,} failed")
    table.add_row("readings", f"{stats.readings:,} ({stats.readings / elapsed:,.0f}/s)")
    table.add_row("per area", ", ".join(f"{a} {n:,}" for a, n in sorted(stats.per_area.items())) or "—")
    return table


def simulate(
    devices: int = typer.Option(60, "--devices", "-n", help="Demo devices, spread over every device kind."),
    seed: int = typer.Option(0, help="The same seed plays the same fleet and readings."),
    interval: float | None = typer.Option(
        None, min=0.1, help="Seconds between a device's readings (default: each device kind's own)."
    ),
    rate: float = typer.Option(0.0, min=0.0, help="At most this many messages per second (0: no limit)."),
    duration: float | None = typer.Option(
        None, min=0.1, help="Stop after this many seconds (default: Ctrl-C)."
    ),
    batch_size: int = typer.Option(1, min=1, help="Reading sets of one device per message."),
    speedup: float = typer.Option(
        1.0, min=1.0, help="Simulated seconds per real second while replaying --history (never ahead of now)."
    ),
    history: float = typer.Option(0.0, min=0.0, help="Start simulated time this many hours ago."),
    scenario: list[str] = typer.Option(
        [], "--scenario", "-s", help="Play this scenario from the start (repeatable; see --list-scenarios)."
    ),
    list_scenarios: bool = typer.Option(False, "--list-scenarios", help="List the scenarios and exit."),
    register: bool = typer.Option(
        False, help="Register the fleet in the database first (and the scenarios' time compression)."
    ),
    tenant: str = typer.Option("demo", help="Tenant of the simulated devices."),
    faults: bool = typer.Option(
        True, "--faults/--no-faults", help="Sensor faults: spikes, flat-lines, drift…"
    ),
) -> None:
    """Simulate devices of all six areas and publish their readings over MQTT (Ctrl-C stops)."""
    if list_scenarios:
        _print_scenarios()
        return
    settings = get_settings()
    configure_logging(settings.log_level)
    chosen = _chosen(scenario)
    try:
        fleet = demo_fleet(devices, seed, tenant)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    origin = time.time() - history * 3600.0
    runs = [place_starting_at(s, origin) for s in chosen]
    fleet += fleet_of(runs, tenant)
    if interval is not None:
        fleet = with_interval(fleet, interval)
    simulator = Simulator(fleet, seed, runs, DEMO_FAULTS if faults else NO_FAULTS)
    if register:
        _register(settings, simulator, runs, tenant)
    stats = PublishStats()
    publisher = Publisher(
        settings,
        simulator,
        start=origin,
        speedup=speedup,
        batch_size=batch_size,
        rate=rate,
        duration_s=duration,
        stats=stats,
    )
    failure: list[BaseException] = []

    def run() -> None:
        try:
            publisher.run()
        except BaseException as exc:  # shown to the user below, not lost in the thread
            failure.append(exc)

    thread = threading.Thread(target=run, name="simulate", daemon=True)
    began = time.monotonic()
    thread.start()
    console.print(
        f"publishing {len(fleet)} devices to {settings.mqtt_url} under {settings.topic_prefix}/…"
        + (f", scenarios {', '.join(s.id for s in chosen)}" if chosen else "")
        + " (Ctrl-C stops)",
        highlight=False,
    )
    try:
        with Live(
            _summary(stats.snapshot(), began, len(fleet)), console=console, refresh_per_second=2
        ) as live:
            while thread.is_alive():
                thread.join(0.5)
                live.update(Group(_summary(stats.snapshot(), began, len(fleet))))
    except KeyboardInterrupt:
        console.print("stopping: sending what is buffered…")
        publisher.stop()
        thread.join(timeout=60)
    if failure:
        err.print(f"[red]simulate failed:[/red] {failure[0]}")
        raise typer.Exit(1)
    final = stats.snapshot()
    console.print()
    console.print(f"done: {final.messages:,} messages, {final.readings:,} readings, {final.errors:,} failed")
