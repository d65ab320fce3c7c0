"""Notification routes: which channel and target is told of which alerts (by area, severity, site).

Routes come from one setting, `SENSEGRID_NOTIFY_ROUTES`, a JSON list. Each route names a channel
and a target, and may narrow what it receives; a filter left out lets everything through:

    [
      {"channel": "webhook", "target": "https://ops.example.com/hooks/sensegrid"},
      {"channel": "mqtt", "target": "sensegrid", "areas": ["city"], "min_severity": "warning"},
      {"channel": "email", "target": "duty@farm.example, agronomist@farm.example",
       "areas": ["agriculture"], "sites": ["field-7", "field-8"], "min_severity": 3},
      {"channel": "webhook", "target": "https://tenant-b.example/alerts", "tenants": ["tenant-b"]}
    ]

- ``channel``: ``webhook`` (target: an http(s) URL; the body is signed, see
  alerts/channels/webhook.py), ``mqtt`` (target: the topic prefix; the alert's current state is
  retained on ``<target>/alerts/<area>/<device>``, default target SENSEGRID_TOPIC_PREFIX) or
  ``email`` (target: one or more addresses, comma-separated; SMTP from SENSEGRID_SMTP_*).
- ``areas``, ``sites``, ``tenants``: lists of ids; the alert's must be among them.
- ``min_severity``: 1-4 or info, warning, major, critical (domains.model.Severity).

Several routes may share a channel and target, e.g. city alerts from warning and all others from
critical on one webhook: an event any of them wants is sent there once.

What a route receives: an alert that starts firing or changes severity (firing or acknowledged)
at ``min_severity`` or above. Once a route was told of an alert, it also hears the rest of its
story — de-escalation below its minimum, acknowledgement, resolution — so a pager or a road sign
is never left showing an alarm that has gone. Events of silenced alerts and of pending alerts are
never routed (the lifecycle writes them already routed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import orjson

from core.settings import Settings
from domains import registry
from domains.model import Severity
from store.alert_rows import AlertChange

CHANNELS = ("webhook", "mqtt", "email")
_FIELDS = {"channel", "target", "areas", "min_severity", "sites", "tenants"}
_SEVERITY_NAMES = ", ".join(s.name.lower() for s in Severity)
# An event in one of these states announces the alert at its severity; a resolution only closes
# what was announced. "pending" is nobody's business (the lifecycle writes it already routed).
ANNOUNCING_STATES = ("firing", "acknowledged")
_NOTIFIABLE_STATES = (*ANNOUNCING_STATES, "resolved")


class RouteError(ValueError):
    """SENSEGRID_NOTIFY_ROUTES is not what it should be; the message says where and what is accepted."""


@dataclass(frozen=True)
class Route:
    """One destination and the alerts it wants (an empty filter lets every alert through)."""

    channel: str
    target: str
    areas: frozenset[str] = frozenset()
    sites: frozenset[str] = frozenset()
    tenants: frozenset[str] = frozenset()
    min_severity: Severity = Severity.INFO

    def covers(self, area: str, site: str, tenant: str) -> bool:
        """Whether alerts of this area, site and tenant are any of this route's business."""
        return (
            (not self.areas or area in self.areas)
            and (not self.sites or site in self.sites)
            and (not self.tenants or tenant in self.tenants)
        )

    def idempotency_key(self, event_id: int) -> str:
        """The outbox key of one event on this route: unique, so an event is routed here once."""
        return f"{event_id}:{self.channel}:{self.target}"

    def describe(self) -> str:
        """One line for people: channel, target and filters."""
        parts = [f"{self.channel} → {self.target}"]
        for name, values in (("areas", self.areas), ("sites", self.sites), ("tenants", self.tenants)):
            if values:
                parts.append(f"{name} {', '.join(sorted(values))}")
        if self.min_severity > Severity.INFO:
            parts.append(f"severity ≥ {self.min_severity.name.lower()}")
        return "; ".join(parts)


def is_notifiable(change: AlertChange) -> bool:
    """False for events nobody is told of: pending alerts and alerts under a silence."""
    event = change.event
    return event.new_state in _NOTIFIABLE_STATES and not event.note.startswith("silenced")


def announced_severity(change: AlertChange) -> int | None:
    """The severity at which this event announces its alert (None: it announces nothing)."""
    if not is_notifiable(change) or change.event.new_state not in ANNOUNCING_STATES:
        return None
    event = change.event
    return event.new_severity if event.new_severity is not None else change.alert.severity


def recipients(routes: Sequence[Route], change: AlertChange, notified_severity: int | None) -> list[Route]:
    """The routes that get the event `change`, one per channel and target (several routes to one
    target are alternatives: an alert any of them wants is sent there once).

    `notified_severity`: the highest severity this alert was routed at before (None: never), which
    tells whether a route already knows the alert and so must hear how it goes on.
    """
    if not is_notifiable(change):
        return []
    alert = change.alert
    severity = announced_severity(change)
    chosen: dict[tuple[str, str], Route] = {}
    for route in routes:
        if not route.covers(alert.area, alert.site, alert.tenant):
            continue
        knows_alert = notified_severity is not None and notified_severity >= route.min_severity
        announces = severity is not None and severity >= route.min_severity
        if announces or knows_alert:
            chosen.setdefault((route.channel, route.target), route)
    return list(chosen.values())


def _severity(value: object, where: str) -> Severity:
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return Severity(value)
        except ValueError:
            pass
    elif isinstance(value, str) and value.upper() in Severity.__members__:
        return Severity[value.upper()]
    raise RouteError(f"{where}: min_severity {value!r} is not one of 1-4 or {_SEVERITY_NAMES}")


def _names(value: object, where: str, field: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise RouteError(f"{where}: {field} must be a list of non-empty strings, got {value!r}")
    return frozenset(value)


def _check_target(channel: str, target: str, where: str) -> None:
    if channel == "webhook":
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise RouteError(f"{where}: a webhook target must be an http:// or https:// URL, got {target!r}")
    elif channel == "mqtt":
        if not target or any(c in target for c in "+#") or target.startswith("/") or target.endswith("/"):
            raise RouteError(
                f"{where}: an mqtt target is a topic prefix such as 'sensegrid' "
                f"(no '+', '#', or leading/trailing '/'), got {target!r}"
            )
    elif channel == "email":
        addresses = [a.strip() for a in target.split(",")]
        if not all("@" in a and " " not in a for a in addresses):
            raise RouteError(
                f"{where}: an email target is one or more addresses separated by commas, got {target!r}"
            )


def _route(item: object, where: str, default_topic_prefix: str) -> Route:
    if not isinstance(item, dict):
        raise RouteError(f"{where}: each route must be a JSON object, got {item!r}")
    unknown = set(item) - _FIELDS
    if unknown:
        raise RouteError(
            f"{where}: unknown field(s) {', '.join(sorted(unknown))}; accepted: {', '.join(sorted(_FIELDS))}"
        )
    channel = item.get("channel")
    if channel not in CHANNELS:
        raise RouteError(f"{where}: channel must be one of {', '.join(CHANNELS)}, got {channel!r}")
    target = item.get("target", default_topic_prefix if channel == "mqtt" else None)
    if not isinstance(target, str) or not target.strip():
        raise RouteError(f"{where}: target is required (a URL, a topic prefix or e-mail addresses)")
    target = target.strip().strip("/") if channel == "mqtt" else target.strip()
    _check_target(channel, target, where)
    areas = _names(item["areas"], where, "areas") if "areas" in item else frozenset()
    known = {a.id for a in registry.areas()}
    if areas - known:
        raise RouteError(
            f"{where}: unknown area(s) {', '.join(sorted(areas - known))}; known: {', '.join(sorted(known))}"
        )
    return Route(
        channel=channel,
        target=target,
        areas=areas,
        sites=_names(item["sites"], where, "sites") if "sites" in item else frozenset(),
        tenants=_names(item["tenants"], where, "tenants") if "tenants" in item else frozenset(),
        min_severity=_severity(item["min_severity"], where) if "min_severity" in item else Severity.INFO,
    )


def parse_routes(text: str, *, default_topic_prefix: str = "sensegrid") -> tuple[Route, ...]:
    """Routes from their JSON text (SENSEGRID_NOTIFY_ROUTES); RouteError says what is wrong."""
    try:
        doc: Any = orjson.loads(text or "[]")
    except orjson.JSONDecodeError as exc:
        raise RouteError(f"SENSEGRID_NOTIFY_ROUTES is not valid JSON: {exc}") from None
    if not isinstance(doc, list):
        raise RouteError(f"SENSEGRID_NOTIFY_ROUTES must be a JSON list of routes, got {type(doc).__name__}")
    return tuple(
        _route(item, f"SENSEGRID_NOTIFY_ROUTES[{i}]", default_topic_prefix) for i, item in enumerate(doc)
    )


def routes_from_settings(settings: Settings) -> tuple[Route, ...]:
    """The configured routes (RouteError when SENSEGRID_NOTIFY_ROUTES is malformed)."""
    return parse_routes(settings.notify_routes, default_topic_prefix=settings.topic_prefix)
