"""What every notification channel receives (the alert payload) and how it reports a failed delivery.

The payload is one flat JSON object, the same for webhook, MQTT and e-mail, with no links in it
(receivers must not need access to sensegrid to understand an alarm):

    {"event_id": 812, "event_time": "2026-11-27T06:15:00+00:00", "actor": "system",
     "state": "firing", "previous_state": "firing",
     "alert_id": 97, "fingerprint": "…", "rule_id": "city.fog_visibility", "area": "city",
     "tenant": "expressway-co", "device": "g15-k102-vis", "site": "G15 K100-K105",
     "severity": 3, "severity_name": "major", "previous_severity": 2, "level": "orange",
     "value": 180.0, "started_at": "…",
     "title": {"en": "Fog", "zh": "大雾"},
     "message": {"en": "Visibility 180 m: limit 60 km/h", "zh": "能见度 180 米：限速 60 km/h"},
     "severity_title": {"en": "major", "zh": "严重"}}

`state`, `severity` and `value` are the event's (what changed); level, title and message are the
alert's when it was routed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

import psycopg

from domains.conditions import SEVERITY_TITLES
from domains.model import Severity
from store.alert_rows import AlertChange
from store.outbox import OutboxItem


class DeliveryError(Exception):
    """A delivery that did not happen, with the reason a person reads in `sensegrid notify list`.

    `permanent`: trying again cannot help (the receiver rejected the message), so the dispatcher
    gives up at once. `retry_after_s`: the receiver asked to wait at least this long.
    """

    def __init__(self, reason: str, *, permanent: bool = False, retry_after_s: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_after_s = retry_after_s


class Channel(Protocol):
    """A way out of sensegrid. `deliver` returns when the receiver has the message, else raises
    DeliveryError. It runs inside the transaction that claimed `item` and may read through `conn`."""

    def deliver(self, item: OutboxItem, conn: psycopg.Connection) -> None: ...

    def close(self) -> None: ...


def _iso(t: datetime | None) -> str | None:
    return t.isoformat() if t is not None else None


def severity_name(severity: int) -> str:
    """info, warning, major, critical (or "severity N" for a number outside the scale)."""
    try:
        return Severity(severity).name.lower()
    except ValueError:
        return f"severity {severity}"


def alert_payload(change: AlertChange, *, as_now: bool = False) -> dict[str, Any]:
    """The notification of one alert event. `as_now`: state, severity and value of the alert as it
    is now (the MQTT channel publishes current state) instead of those the event recorded."""
    event, alert = change.event, change.alert
    labels = alert.labels
    if as_now:
        state, severity, value = alert.state, alert.severity, alert.value
    else:
        state = event.new_state
        severity = event.new_severity if event.new_severity is not None else alert.severity
        value = event.value if event.value is not None else alert.value
    try:
        severity_title = SEVERITY_TITLES[Severity(severity)]
        title_of_severity = {"en": severity_title.en, "zh": severity_title.zh}
    except ValueError:
        title_of_severity = {"en": severity_name(severity), "zh": severity_name(severity)}
    return {
        "event_id": event.id,
        "event_time": _iso(event.at),
        "actor": event.actor,
        "state": state,
        "previous_state": event.old_state,
        "alert_id": alert.id,
        "fingerprint": alert.fingerprint,
        "rule_id": alert.rule_id,
        "area": alert.area,
        "tenant": alert.tenant,
        "device": alert.device_id,
        "site": alert.site,
        "severity": severity,
        "severity_name": severity_name(severity),
        "previous_severity": event.old_severity,
        "level": alert.level if alert.level is not None else labels.get("level"),
        "value": value,
        "started_at": _iso(alert.started_at),
        "title": {"en": str(labels.get("title_en", "")), "zh": str(labels.get("title_zh", ""))},
        "message": {"en": alert.message_en, "zh": alert.message_zh},
        "severity_title": title_of_severity,
    }
