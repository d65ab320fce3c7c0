"""`sensegrid grafana export|push`: the dashboards as JSON files, or uploaded to a Grafana."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from core.settings import get_settings
from sensegrid.grafana.export import DEFAULT_DIR, differences, export

app = typer.Typer(help="Grafana dashboards generated from the domain registry.", no_args_is_help=True)
console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


@app.command("export")
def export_cmd(
    directory: Path = typer.Argument(DEFAULT_DIR, file_okay=False, help="Where the <uid>.json files go."),
    check: bool = typer.Option(
        False, "--check", help="Write nothing; exit 1 if the directory differs from a fresh export."
    ),
) -> None:
    """Write every dashboard as JSON (deterministic: the same registry gives the same bytes)."""
    if check:
        problems = differences(directory)
        for line in problems:
            err.print(line, highlight=False)
        if problems:
            err.print(f"run `sensegrid grafana export {directory}` to update it")
            raise typer.Exit(1)
        console.print(f"{directory}: up to date")
        return
    result = export(directory)
    console.print(
        f"{directory}: {len(result.written)} written, {len(result.unchanged)} unchanged"
        + (f", {len(result.stale)} stale removed" if result.stale else ""),
        highlight=False,
    )


@app.command("push")
def push_cmd(
    url: str | None = typer.Option(None, help="Grafana base URL (default SENSEGRID_GRAFANA_URL)."),
    token: str | None = typer.Option(
        None, help="Service-account token, Editor role (default SENSEGRID_GRAFANA_TOKEN)."
    ),
) -> None:
    """Upload every dashboard into Grafana's sensegrid folder (overwriting the previous version)."""
    from sensegrid.grafana.dashboards import all_dashboards
    from sensegrid.grafana.push import PushError, push

    settings = get_settings()
    target = url or settings.grafana_url
    try:
        result = push(target, token or settings.grafana_token.get_secret_value(), all_dashboards())
    except PushError as exc:
        err.print(f"[red]push failed:[/red] {exc}", highlight=False)
        raise typer.Exit(1) from exc
    folder = "created folder sensegrid; " if result.folder_created else ""
    console.print(f"{target}: {folder}{len(result.dashboards)} dashboards saved", highlight=False)
