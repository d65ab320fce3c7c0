"""`sensegrid doctor`: report whether the configured database and broker work (see sensegrid.checks)."""

from __future__ import annotations

import typer
from rich.console import Console

from sensegrid.commands.settings import configured_settings

console = Console(soft_wrap=True)


def doctor() -> None:
    """Check the database, TimescaleDB, schema version and MQTT broker; exit 1 if anything is wrong."""
    from sensegrid.checks import run_doctor

    report = run_doctor(configured_settings())
    for f in report.findings:
        mark = "[green]ok[/green]  " if f.ok else "[red]FAIL[/red]"
        console.print(f"{mark} {f.what:<12} {f.detail}", highlight=False)
    if not report.ok:
        raise typer.Exit(1)
