"""The demo's live summary: readings per second, devices by area, open alerts, the latest changes.

On a terminal it is one rich screen redrawn every second; otherwise (a pipe, a log, CI) it prints
a status line every few seconds and one line per alert change, so a script can follow it.
"""

from __future__ import annotations

import contextlib
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from rich.console import Console, Group
from rich.live import Live
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from core.settings import Settings
from domains import registry
from domains.model import Severity
from store.alert_pages import alert_changes_after, last_alert_event_id
from store.alert_rows import AlertChange
from store.db import connect
from store.summary import AreaFleet, OpenAlertCount, fleet_by_area, open_alert_counts

REPORTING_S = 300.0  # a device counts as reporting when its newest reading is this recent
_SEVERITY_STYLE = {
    Severity.INFO: "blue",
    Severity.WARNING: "yellow",
    Severity.MAJOR: "dark_orange",
    Severity.CRITICAL: "bold red",
}
_STATE_WORD = {
    "pending": "pending 待定",
    "firing": "FIRING 告警",
    "acknowledged": "acked 已确认",
    "resolved": "cleared 已恢复",
}


@dataclass
class Counters:
    """What the running services counted, read once a second."""

    stored: Callable[[], int]
    published: Callable[[], int]


def _severity_name(severity: int) -> str:
    try:
        return Severity(severity).name.lower()
    except ValueError:
        return str(severity)


def change_line(change: AlertChange) -> str:
    """One alert change in a line an operator reads: time, state, severity, device, message."""
    alert, event = change.alert, change.event
    when = event.at.astimezone().strftime("%H:%M:%S")
    word = _STATE_WORD.get(event.new_state, event.new_state)
    severity = _severity_name(event.new_severity or alert.severity)
    return (
        f"{when} {word:<15} {severity:<8} {alert.device_id or alert.site:<18} "
        f"{alert.message_en} / {alert.message_zh}"
    )


class DemoScreen:
    """Polls the database once a second and shows what the platform is doing."""

    def __init__(self, settings: Settings, tenant: str, api_url: str, console: Console) -> None:
        self.settings = settings
        self.tenant = tenant
        self.api_url = api_url
        self.console = console
        self.recent: deque[AlertChange] = deque(maxlen=10)
        self.fired = 0
        self.cleared = 0

    def show(self, counters: Counters, until: float | None) -> None:
        """Run until `until` (epoch s; None: until Ctrl-C raises KeyboardInterrupt)."""
        with connect(self.settings.database_url, autocommit=True) as conn:
            after = last_alert_event_id(conn)
            started, stored0 = time.monotonic(), counters.stored()
            last_t, last_stored = started, stored0
            rate = 0.0
            live = (
                Live(console=self.console, refresh_per_second=2, transient=False)
                if self.console.is_terminal
                else None
            )
            next_line = 0.0
            with live or contextlib.nullcontext():
                while until is None or time.time() < until:
                    time.sleep(1.0)
                    now, stored = time.monotonic(), counters.stored()
                    rate = (stored - last_stored) / max(now - last_t, 1e-6)
                    last_t, last_stored = now, stored
                    changes = alert_changes_after(conn, self.tenant, after)
                    if changes:
                        after = changes[-1].event.id
                    for change in changes:
                        self.recent.append(change)
                        self.fired += change.event.new_state == "firing"
                        self.cleared += change.event.new_state == "resolved"
                        if live is None:
                            self.console.print(f"alert {change_line(change)}", highlight=False)
                    fleet = fleet_by_area(conn, self.tenant, REPORTING_S)
                    alerts = open_alert_counts(conn, self.tenant)
                    if live is not None:
                        live.update(self._render(rate, stored, counters.published(), fleet, alerts))
                    elif now >= next_line:
                        self.console.print(
                            self._status_line(rate, stored, counters.published(), fleet, alerts),
                            highlight=False,
                        )
                        next_line = now + 5.0

    def _status_line(
        self, rate: float, stored: int, published: int, fleet: list[AreaFleet], alerts: list[OpenAlertCount]
    ) -> str:
        online = sum(f.reporting for f in fleet)
        total = sum(f.devices for f in fleet)
        firing = sum(a.count for a in alerts if a.state in ("firing", "acknowledged"))
        return (
            f"status readings/s {rate:,.0f}  stored {stored:,}  published {published:,}  "
            f"devices reporting {online}/{total}  open alerts {firing}  fired {self.fired}  "
            f"cleared {self.cleared}"
        )

    def _render(
        self, rate: float, stored: int, published: int, fleet: list[AreaFleet], alerts: list[OpenAlertCount]
    ) -> Group:
        head = Text.assemble(
            ("sensegrid demo  ", "bold"),
            f"readings/s {rate:,.0f}   stored {stored:,}   published {published:,}   ",
            f"alerts fired {self.fired}, cleared {self.cleared}   ",
            (f"API {self.api_url}/docs", "underline"),
        )
        table = Table(expand=True, title="Fleet by area  各领域设备", title_justify="left")
        table.add_column("area 领域")
        table.add_column("devices 设备", justify="right")
        table.add_column("reporting 在报", justify="right")
        table.add_column("online 在线", justify="right")
        for severity in reversed(Severity):
            table.add_column(severity.name.lower(), justify="right", style=_SEVERITY_STYLE[severity])
        by_area: dict[str, dict[int, int]] = {}
        for a in alerts:
            if a.state in ("firing", "acknowledged"):
                by_area.setdefault(a.area, {}).setdefault(a.severity, 0)
                by_area[a.area][a.severity] += a.count
        for f in fleet:
            title = registry.area(f.area).title if f.area in {x.id for x in registry.areas()} else None
            name = f"{title.en} {title.zh}" if title else f.area
            counts = by_area.get(f.area, {})
            table.add_row(
                name,
                str(f.devices),
                str(f.reporting),
                str(f.online),
                *[str(counts.get(int(s), "")) for s in reversed(Severity)],
            )
        changes = Text()
        for change in reversed(self.recent):
            style = _SEVERITY_STYLE.get(Severity(change.alert.severity), "")
            if change.event.new_state == "resolved":
                style = "green"
            changes.append(change_line(change) + "\n", style=style)
        return Group(
            head,
            table,
            Panel(
                changes or Text("none yet 暂无"),
                title="Latest alert changes  最新告警变化",
                title_align="left",
            ),
            Text("Ctrl-C stops everything 按 Ctrl-C 停止", style="dim"),
        )
