"""`sensegrid alerts …`: run the evaluator, list and act on alerts, silences, rule overrides, rules."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import orjson
import typer
from rich.console import Console
from rich.table import Table

from alerts.evaluator import Evaluator
from alerts.lifecycle import OPEN_STATES, AlertState, AlertStateError, acknowledge, resolve
from alerts.overrides import remove_override, set_override
from alerts.silences import MATCHER_KEYS, create_silence, expire_silence
from core.logging import configure_logging
from core.settings import get_settings
from domains import registry
from store.alert_pages import alerts_page
from store.alert_rows import AlertRow, alert_events, get_alert
from store.db import connect
from store.rule_overrides import list_overrides
from store.silences import list_silences

app = typer.Typer(
    help="Evaluate rules, list and act on alerts, manage silences and overrides.", no_args_is_help=True
)
silence_app = typer.Typer(
    help="Maintenance windows: alerts they match are not notified.", no_args_is_help=True
)
override_app = typer.Typer(
    help="Thresholds, for_s, hysteresis or on/off of a rule for a tenant, site or device.",
    no_args_is_help=True,
)
app.add_typer(silence_app, name="silence")
app.add_typer(override_app, name="override")
console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")
_UNIT_S = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> timedelta:
    """'90s', '30m', '2h' or '1d' as a timedelta."""
    match = _DURATION.match(text)
    if not match:
        raise typer.BadParameter(f"give a duration like 90s, 30m, 2h or 1d, got {text!r}")
    return timedelta(seconds=float(match.group(1)) * _UNIT_S[match.group(2)])


def _when(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%SZ") if value else ""


@app.command("run")
def run(
    shards: int | None = typer.Option(
        None, "--shards", min=1, help="Shard count (default SENSEGRID_ALERTS_SHARDS; the same for all)."
    ),
    shard_index: int | None = typer.Option(
        None,
        "--shard-index",
        min=0,
        help="Hold only this shard (waits while another holds it). Default: take an even share of "
        "the shards with the other evaluators running, and take over the shards of any that die.",
    ),
) -> None:
    """The evaluator service: judge rules on new readings and on a tick, keep alerts in step
    (Ctrl-C / SIGTERM: finish the current pass and stop)."""
    settings = get_settings()
    configure_logging(settings.log_level)
    if shards is not None:
        settings = settings.model_copy(update={"alerts_shards": shards})
    try:
        evaluator = Evaluator(settings, shard_index=shard_index)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    evaluator.install_signal_handlers()
    evaluator.run()


_STATE_CHOICES = ("open", "all", *[s.value for s in AlertState])


@app.command("list")
def list_cmd(
    state: str = typer.Option("open", help=f"One of {', '.join(_STATE_CHOICES)}."),
    tenant: str | None = typer.Option(None, help="Only this tenant."),
    area: str | None = typer.Option(None, help="Only this area."),
    site: str | None = typer.Option(None, help="Only this site."),
    device: str | None = typer.Option(None, help="Only this device."),
    lang: str = typer.Option("en", help="Message language: en or zh."),
    limit: int = typer.Option(100, min=1, help="At most this many, newest first."),
) -> None:
    """List alerts with their state, severity and message."""
    if state not in _STATE_CHOICES:
        raise typer.BadParameter(f"--state must be one of {', '.join(_STATE_CHOICES)}, got {state!r}")
    states = None if state == "all" else [s.value for s in OPEN_STATES] if state == "open" else [state]
    with connect(get_settings().database_url, autocommit=True) as conn:
        rows = alerts_page(conn, tenant, states=states, area=area, site=site, device_id=device, limit=limit)
    table = Table("id", "state", "level", "rule", "device", "since", "message")
    for column in table.columns[:6]:
        column.no_wrap = True
    for r in rows:
        message = r.message_zh if lang.lower().startswith("zh") else r.message_en
        table.add_row(
            str(r.id), r.state, r.level or "", r.rule_id, r.device_id or "", _when(r.started_at), message
        )
    console.print(table)


def _print_alert(row: AlertRow) -> None:
    console.print(
        f"alert {row.id}: {row.state}, {row.level} (severity {row.severity}), rule {row.rule_id}, "
        f"device {row.device_id}, site {row.site or '-'}, tenant {row.tenant}",
        highlight=False,
    )
    console.print(f"  {row.message_en}", highlight=False)
    console.print(f"  {row.message_zh}", highlight=False)


@app.command("show")
def show(alert_id: int = typer.Argument(..., help="Alert id.")) -> None:
    """One alert and every change recorded for it."""
    with connect(get_settings().database_url, autocommit=True) as conn:
        row = get_alert(conn, alert_id)
        if row is None:
            err.print(f"no alert {alert_id}")
            raise typer.Exit(1)
        events = alert_events(conn, alert_id)
    _print_alert(row)
    table = Table("at", "actor", "state", "severity", "value", "note")
    for e in events:
        table.add_row(
            _when(e.at),
            e.actor,
            f"{e.old_state or '-'} → {e.new_state}",
            f"{e.old_severity or '-'} → {e.new_severity or '-'}",
            "" if e.value is None else f"{e.value:g}",
            e.note,
        )
    console.print(table)


def _act(alert_id: int, by: str, action: str) -> None:
    with connect(get_settings().database_url, autocommit=True) as conn:
        try:
            row = acknowledge(conn, alert_id, by) if action == "ack" else resolve(conn, alert_id, by)
        except (LookupError, AlertStateError, ValueError) as exc:
            err.print(str(exc))
            raise typer.Exit(1) from None
    _print_alert(row)


@app.command("ack")
def ack(
    alert_id: int = typer.Argument(..., help="Alert id (see `sensegrid alerts list`)."),
    by: str = typer.Option(..., "--by", help="Who acknowledges (recorded in the alert's events)."),
) -> None:
    """Acknowledge a firing alert: it stays open, follows the severity, resolves when the condition clears."""
    _act(alert_id, by, "ack")


@app.command("resolve")
def resolve_cmd(
    alert_id: int = typer.Argument(..., help="Alert id."),
    by: str = typer.Option(..., "--by", help="Who resolves it (recorded in the alert's events)."),
) -> None:
    """Resolve an alert by hand (if its condition still holds, the rule raises a new one)."""
    _act(alert_id, by, "resolve")


@app.command("rules")
def rules(area: str | None = typer.Option(None, help="Only this area.")) -> None:
    """Every rule: id, condition, for_s, titles in English and Chinese, and the source it follows."""
    for r in registry.rules():
        if area is None or r.area == area:
            console.print(f"[bold]{r.id}[/bold]  {r.kind}, for {r.for_s} s", highlight=False)
            console.print(f"    en: {r.title.en}", highlight=False)
            console.print(f"    zh: {r.title.zh}", highlight=False)
            console.print(f"    source: {r.source}", highlight=False)


@silence_app.command("add")
def silence_add(
    tenant: str = typer.Option("default", help="Tenant whose alerts it mutes."),
    device: str | None = typer.Option(None, help="Only this device."),
    site: str | None = typer.Option(None, help="Only this site."),
    rule: str | None = typer.Option(None, help="Only this rule id."),
    area: str | None = typer.Option(None, help="Only this area."),
    duration: str | None = typer.Option(None, "--for", help="How long from now: 90s, 30m, 2h, 1d."),
    until: datetime | None = typer.Option(None, help="Or until when (ISO 8601; UTC if no zone)."),
    by: str = typer.Option(..., "--by", help="Who sets it."),
    comment: str = typer.Option("", help="Why (shown in the list)."),
) -> None:
    """Mute the notifications of matching alerts for a while (all given matchers must match)."""
    if (duration is None) == (until is None):
        raise typer.BadParameter("give either --for or --until")
    now = datetime.now(UTC)
    ends = now + parse_duration(duration) if duration else until
    assert ends is not None
    if ends.tzinfo is None:
        ends = ends.replace(tzinfo=UTC)
    values = dict(zip(MATCHER_KEYS, (device, site, rule, area), strict=True))
    matchers = {k: v for k, v in values.items() if v is not None}
    with connect(get_settings().database_url, autocommit=True) as conn:
        try:
            row = create_silence(
                conn,
                tenant=tenant,
                matchers=matchers,
                ends_at=ends,
                created_by=by,
                starts_at=now,
                comment=comment,
            )
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None
    console.print(f"silence {row.id} until {_when(row.ends_at)}: {orjson.dumps(row.matchers).decode()}")


@silence_app.command("list")
def silence_list(
    tenant: str | None = typer.Option(None, help="Only this tenant."),
    all_: bool = typer.Option(False, "--all", help="Include ended silences."),
) -> None:
    """Silences in force or to come (with --all, ended ones too)."""
    with connect(get_settings().database_url, autocommit=True) as conn:
        rows = list_silences(conn, tenant=tenant, include_expired=all_)
    table = Table("id", "tenant", "matchers", "from", "until", "by", "comment")
    for s in rows:
        table.add_row(
            str(s.id),
            s.tenant,
            orjson.dumps(s.matchers).decode(),
            _when(s.starts_at),
            _when(s.ends_at),
            s.created_by,
            s.comment,
        )
    console.print(table)


@silence_app.command("remove")
def silence_remove(silence_id: int = typer.Argument(..., help="Silence id.")) -> None:
    """End a silence now (one that has not started is deleted)."""
    with connect(get_settings().database_url, autocommit=True) as conn:
        try:
            expire_silence(conn, silence_id)
        except LookupError as exc:
            err.print(str(exc))
            raise typer.Exit(1) from None
    console.print(f"silence {silence_id} ended")


def _rung(text: str) -> dict[str, object]:
    severity, _, value = text.partition("=")
    try:
        return {"severity": severity.strip(), "value": float(value)}
    except ValueError:
        raise typer.BadParameter(f"a rung is severity=value, e.g. major=180; got {text!r}") from None


@override_app.command("set")
def override_set(
    rule_id: str = typer.Argument(..., help="Rule id (see `sensegrid alerts rules`)."),
    tenant: str = typer.Option("default", help="Tenant."),
    site: str | None = typer.Option(None, help="Only this site."),
    device: str | None = typer.Option(None, help="Only this device."),
    rung: list[str] = typer.Option([], "--rung", help="Replacement threshold severity=value (repeat)."),
    for_s: int | None = typer.Option(None, "--for-s", min=0, help="Seconds the condition must hold."),
    hysteresis: float | None = typer.Option(None, min=0, help="Clear hysteresis."),
    enabled: bool | None = typer.Option(None, "--enable/--disable", help="Switch the rule on or off."),
    by: str = typer.Option(..., "--by", help="Who changes it."),
) -> None:
    """Override a rule for a tenant (or one site, or one device): the most specific wins per setting."""
    if site and device:
        raise typer.BadParameter("give --site or --device, not both")
    scope, value = ("device", device) if device else ("site", site) if site else ("tenant", "")
    doc: dict[str, object] = {}
    if rung:
        doc["rungs"] = [_rung(r) for r in rung]
    for key, given in (("for_s", for_s), ("clear_hysteresis", hysteresis), ("enabled", enabled)):
        if given is not None:
            doc[key] = given
    if not doc:
        raise typer.BadParameter(
            "nothing to override: give --rung, --for-s, --hysteresis or --enable/--disable"
        )
    with connect(get_settings().database_url, autocommit=True) as conn:
        try:
            row = set_override(
                conn,
                tenant=tenant,
                rule_id=rule_id,
                scope=scope,
                scope_value=value or "",
                document=doc,
                updated_by=by,
            )
        except (LookupError, ValueError) as exc:
            raise typer.BadParameter(str(exc)) from None
    shown = orjson.dumps(row.thresholds).decode()
    console.print(f"override {row.id} of {rule_id} for {scope} {value or tenant}: {shown}", highlight=False)


@override_app.command("list")
def override_list(
    tenant: str | None = typer.Option(None, help="Only this tenant."),
    rule_id: str | None = typer.Option(None, "--rule", help="Only this rule."),
) -> None:
    """Rule overrides in force."""
    with connect(get_settings().database_url, autocommit=True) as conn:
        rows = list_overrides(conn, tenant=tenant, rule_id=rule_id)
    table = Table("id", "tenant", "rule", "scope", "override", "by")
    for o in rows:
        table.add_row(
            str(o.id),
            o.tenant,
            o.rule_id,
            f"{o.scope} {o.scope_value}".strip(),
            orjson.dumps(o.thresholds).decode(),
            o.updated_by,
        )
    console.print(table)


@override_app.command("remove")
def override_remove(override_id: int = typer.Argument(..., help="Override id.")) -> None:
    """Remove an override: the rule's defaults (or a wider override) apply again."""
    with connect(get_settings().database_url, autocommit=True) as conn:
        if not remove_override(conn, override_id):
            err.print(f"no override {override_id}")
            raise typer.Exit(1)
    console.print(f"override {override_id} removed")
