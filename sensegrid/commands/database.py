"""`sensegrid migrate` (the schema) and `sensegrid retention` (purging old data) of the database."""

from __future__ import annotations

import typer
from rich.console import Console

from sensegrid.commands.settings import configured_settings

console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def migrate(revision: str = typer.Argument("head", help="Target schema revision.")) -> None:
    """Create the database if needed and bring its schema to the newest version (idempotent)."""
    from store.migrate import upgrade

    settings = configured_settings()
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


def retention() -> None:
    """Remove raw readings older than SENSEGRID_RETENTION_DAYS and rollups older than
    SENSEGRID_ROLLUP_RETENTION_DAYS now (run it daily where TimescaleDB's policies are absent:
    the Apache-only build or plain PostgreSQL)."""
    from store.retention import purge

    report = purge(configured_settings())
    for table, n in report.dropped_chunks.items():
        console.print(f"{table}: {n} chunks dropped")
    for table, n in report.deleted_rows.items():
        console.print(f"{table}: {n:,} rows deleted")
