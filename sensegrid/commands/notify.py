"""`sensegrid notify …`: run the notification dispatcher, list the outbox, check the routes."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from alerts.outbox import Dispatcher, configuration_problems
from alerts.routing import Route, RouteError, routes_from_settings
from core.logging import configure_logging
from core.settings import get_settings
from store.db import connect
from store.outbox import recent_notifications
from store.schema import OUTBOX_STATES

app = typer.Typer(
    help="Alert notifications (webhook, MQTT, e-mail) through the outbox. "
    "Routes: SENSEGRID_NOTIFY_ROUTES (see `sensegrid notify routes`).",
    no_args_is_help=True,
)
console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _routes() -> tuple[Route, ...]:
    settings = get_settings()
    try:
        routes = routes_from_settings(settings)
    except RouteError as exc:
        err.print(f"[red]bad routes:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from None
    problems = configuration_problems(settings, routes)
    for problem in problems:
        err.print(f"[red]not configured:[/red] {problem}", highlight=False)
    if problems:
        raise typer.Exit(2)
    return routes


@app.command("run")
def run(
    once: bool = typer.Option(
        False, "--once", help="Route new events, deliver what is due now, and exit (for cron)."
    ),
) -> None:
    """Route alert events to the outbox and deliver them until SIGTERM/Ctrl-C (then finish and exit)."""
    settings = get_settings()
    configure_logging(settings.log_level)
    routes = _routes()
    if not routes:
        err.print("no routes configured (SENSEGRID_NOTIFY_ROUTES): events are marked routed, nothing is sent")
    dispatcher = Dispatcher(settings, routes)
    if once:
        try:
            routed, outcomes = dispatcher.run_once()
        finally:
            dispatcher.close()
        sent = sum(o.status == "sent" for o in outcomes)
        console.print(f"routed {routed} events; {sent} of {len(outcomes)} deliveries sent")
        return
    dispatcher.install_signal_handlers()
    dispatcher.run()


@app.command("list")
def list_cmd(
    status: str | None = typer.Option(None, help=f"Only this status: {', '.join(OUTBOX_STATES)}."),
    limit: int = typer.Option(50, min=1, help="At most this many rows, newest first."),
) -> None:
    """Recent notifications with their status, attempts and last error."""
    if status is not None and status not in OUTBOX_STATES:
        raise typer.BadParameter(f"unknown status {status!r}; one of {', '.join(OUTBOX_STATES)}")
    with connect(get_settings().database_url, autocommit=True) as conn:
        rows = recent_notifications(conn, status=status, limit=limit)
    table = Table(
        "id", "event", "alert", "state", "channel", "target", "status", "tries", "when", "last error"
    )
    for r in rows:
        when = r.sent_at if r.status == "sent" else r.next_attempt_at if r.status == "pending" else None
        table.add_row(
            str(r.id),
            str(r.alert_event_id or ""),
            f"{r.rule_id} {r.device}",
            r.state,
            r.channel,
            r.target,
            r.status,
            str(r.attempts),
            when.isoformat(timespec="seconds") if when else "",
            r.last_error or "",
        )
    console.print(table)


@app.command("routes")
def routes_cmd() -> None:
    """Check SENSEGRID_NOTIFY_ROUTES and the channel settings, and show who gets which alerts."""
    routes = _routes()
    if not routes:
        console.print("no routes configured: nobody is notified")
    for i, route in enumerate(routes):
        console.print(f"{i}: {route.describe()}", highlight=False)
