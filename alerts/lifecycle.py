"""The alert state machine: pending → firing → acknowledged → resolved, one alert per fingerprint.

- A condition that holds opens the alert **pending** (its start kept in `started_at`, so a
  restarted evaluator keeps counting `for`), then **firing** once it has held for the rule's `for_s`
  (`domains.conditions.advance`). A pending condition that goes away resolves the alert quietly.
- Severity escalates and de-escalates **in place**: the same alert, a new event each time. An
  **acknowledged** alert stays acknowledged and keeps following the severity.
- The condition clearing **resolves** the alert (firing or acknowledged); a person may resolve it
  too, and if the condition still holds the rule opens a new alert, pending again.
- Every change writes one `alert_events` row in the same transaction as the alert row, with
  actor 'system' or the person. Events nobody is to be notified of are written already routed:
  pending ones, and those of an alert a silence covers (note 'silenced'). A resolution is notified
  even under a silence when the alert's firing was notified before, so nobody (and no retained
  highway-sign state) is left believing in an alarm that is over; when a silence ends over a
  firing alert whose change it muted, the alert is announced then (note 'silence ended').
- Changes are conditional on the row being as it was read, so a replay or a race changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import psycopg

from alerts.messages import level_code
from alerts.observe import Observation
from alerts.silences import muting
from domains.conditions import INACTIVE, PendingState, advance
from domains.model import RuleSpec, Severity, Text
from store.alert_rows import AlertRow, get_alert
from store.alert_writes import AlertKey, AlertWrite, EventWrite, insert_alert, update_alert
from store.device_state import DeviceState
from store.silences import SilenceRow, active_silences

SYSTEM = "system"
SILENCED = "silenced"


class AlertState(StrEnum):
    """The states of `alerts.state`."""

    PENDING = "pending"
    FIRING = "firing"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


OPEN_STATES = (AlertState.PENDING, AlertState.FIRING, AlertState.ACKNOWLEDGED)


class AlertNotFoundError(LookupError):
    """No alert with that id."""


class AlertStateError(ValueError):
    """The action does not apply to the alert's state; the message says why."""


def fingerprint(tenant: str, rule_id: str, device_id: str) -> str:
    """What makes one condition one alert: tenant, rule and device, hashed stably."""
    return hashlib.sha256(f"{tenant}\x1f{rule_id}\x1f{device_id}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Target:
    """Where an alert should be after one evaluation: a state (RESOLVED: no open alert) and severity."""

    state: AlertState
    severity: Severity | None


def target(current: AlertRow | None, desired: Severity | None, for_s: float, now: float) -> Target:
    """The state the alert moves to, given what the rule wants now (pure)."""
    if current is None:
        held = INACTIVE
    else:
        held = PendingState(
            Severity(current.severity), current.started_at.timestamp(), current.state != AlertState.PENDING
        )
    pending, firing = advance(held, now, desired, for_s)
    if pending.severity is None:
        return Target(AlertState.RESOLVED, None)
    if firing is None:
        return Target(AlertState.PENDING, pending.severity)
    kept_ack = current is not None and current.state == AlertState.ACKNOWLEDGED
    return Target(AlertState.ACKNOWLEDGED if kept_ack else AlertState.FIRING, firing)


def labels_for(
    rule: RuleSpec, device: DeviceState, level: str | None, previous: Mapping[str, object] | None = None
) -> dict[str, object]:
    """What routing, silences and readers key on (the notifier's contract), plus the mute marks."""
    labels: dict[str, object] = {"announced": False, "muted": False}
    labels.update(previous or {})
    labels.update(
        rule_id=rule.id,
        area=rule.area,
        device_id=device.id,
        device_name=device.name or device.id,
        device_kind=device.kind,
        site=device.site,
        tenant=device.tenant,
        level=level,
        title_en=rule.title.en,
        title_zh=rule.title.zh,
    )
    return labels


@dataclass(frozen=True)
class _Routing:
    routed: bool
    note: str
    labels: dict[str, object]


def _route(
    new_state: AlertState, labels: dict[str, object], silence: SilenceRow | None, note: str
) -> _Routing:
    """Whether the event of a change into `new_state` is to be notified, and the marks after it."""
    if new_state == AlertState.PENDING:
        return _Routing(True, note, labels)
    if new_state == AlertState.RESOLVED:
        if labels.get("announced"):
            return _Routing(False, note, labels | {"muted": False})
        return _Routing(True, SILENCED if silence is not None else note or "never notified", labels)
    if silence is not None:
        return _Routing(True, SILENCED, labels | {"muted": True})
    return _Routing(False, note, labels | {"announced": True, "muted": False})


def reconcile(
    conn: psycopg.Connection,
    device: DeviceState,
    rule: RuleSpec,
    current: AlertRow | None,
    observation: Observation | None,
    now: float,
    silences: Sequence[SilenceRow],
) -> bool:
    """Bring the alert of (`rule`, `device`) to what `observation` calls for; True if anything changed.

    `observation` None: the rule no longer applies (switched off, device deactivated): resolve.
    """
    desired = observation.decision.severity if observation is not None else None
    goal = target(current, desired, rule.for_s, now)
    value = observation.value if observation is not None else None
    reason = observation.note if observation is not None else "rule no longer applies to the device"
    if goal.state == AlertState.RESOLVED:
        if current is None:
            return False
        return _resolve(conn, current, value, reason, muting(silences, device.tenant, current.labels))
    assert goal.severity is not None and observation is not None
    threshold = observation.decision.threshold
    level = level_code(threshold, goal.severity)
    message = observation.message or Text(en="", zh="")
    if current is not None and observation.value is None:  # kept for lack of data: keep what it said
        message, value = Text(en=current.message_en, zh=current.message_zh), current.value
    labels = labels_for(rule, device, level, current.labels if current is not None else None)
    labels.update(observation.labels)
    silence = muting(silences, device.tenant, labels)
    if current is None:
        route = _route(goal.state, labels, silence, reason)
        key = AlertKey(
            fingerprint(device.tenant, rule.id, device.id),
            rule.id,
            rule.area,
            device.tenant,
            device.id,
            device.site,
        )
        write = AlertWrite(goal.state, goal.severity, level, value, route.labels, message.en, message.zh)
        event = EventWrite(SYSTEM, None, goal.state, None, goal.severity, value, route.note, route.routed)
        return insert_alert(conn, key, write, now, event) is not None
    if goal.state == current.state and goal.severity == current.severity:
        if current.state == AlertState.PENDING or not labels.get("muted") or silence is not None:
            return False
        # The silence that muted this alert's last change is over: announce it now.
        route = _Routing(False, "silence ended", labels | {"announced": True, "muted": False})
    else:
        route = _route(goal.state, labels, silence, reason)
    write = AlertWrite(goal.state, goal.severity, level, value, route.labels, message.en, message.zh)
    return update_alert(
        conn, current.id, current.updated_at, write, _event(current, goal.state, goal.severity, value, route)
    )


def _event(
    current: AlertRow, state: str, severity: int, value: float | None, route: _Routing, actor: str = SYSTEM
) -> EventWrite:
    return EventWrite(
        actor, current.state, state, current.severity, severity, value, route.note, route.routed
    )


def _resolve(
    conn: psycopg.Connection,
    current: AlertRow,
    value: float | None,
    note: str,
    silence: SilenceRow | None = None,
) -> bool:
    route = _route(AlertState.RESOLVED, dict(current.labels), silence, note)
    write = AlertWrite(
        AlertState.RESOLVED,
        current.severity,
        current.level,
        value,
        route.labels,
        current.message_en,
        current.message_zh,
    )
    event = _event(current, AlertState.RESOLVED, current.severity, value, route)
    return update_alert(conn, current.id, current.updated_at, write, event)


def retire(conn: psycopg.Connection, current: AlertRow, note: str) -> bool:
    """Resolve an open alert whose rule no longer applies to its device (deactivated, rule gone)."""
    return _resolve(conn, current, current.value, note)


# --- what people do (the API and `sensegrid alerts ack/resolve` call these) ---------------------


def _act(conn: psycopg.Connection, alert_id: int, by: str, new_state: AlertState) -> AlertRow:
    if not by.strip():
        raise ValueError("say who acts on the alert (a user or API key name)")
    with conn.transaction():
        row = get_alert(conn, alert_id, for_update=True)
        if row is None:
            raise AlertNotFoundError(f"no alert {alert_id}")
        if row.state == new_state:
            return row  # done already: asking twice changes nothing
        if row.state == AlertState.RESOLVED:
            raise AlertStateError(
                f"alert {alert_id} is resolved already (at {row.resolved_at:%Y-%m-%d %H:%M:%S%z})"
            )
        if new_state == AlertState.ACKNOWLEDGED and row.state == AlertState.PENDING:
            raise AlertStateError(
                f"alert {alert_id} is pending: its condition has not held long enough to fire; "
                "acknowledge it once it fires"
            )
        labels = dict(row.labels)
        silence = muting(active_silences(conn, [row.tenant]), row.tenant, labels)
        route = _route(new_state, labels, silence, f"{new_state} by {by.strip()}")
        write = AlertWrite(
            new_state,
            row.severity,
            row.level,
            row.value,
            route.labels,
            row.message_en,
            row.message_zh,
            actor=by.strip(),
        )
        event = _event(row, new_state, row.severity, row.value, route, actor=by.strip())
        if not update_alert(conn, row.id, row.updated_at, write, event):  # locked: cannot happen
            raise AlertStateError(f"alert {alert_id} changed meanwhile; try again")
        changed = get_alert(conn, alert_id)
    assert changed is not None
    return changed


def acknowledge(conn: psycopg.Connection, alert_id: int, by: str) -> AlertRow:
    """Acknowledge a firing alert as `by`: it stays open, follows the severity, resolves on clearing.

    Acknowledging an acknowledged alert changes nothing. AlertNotFoundError, AlertStateError (a
    pending or resolved alert) otherwise.
    """
    return _act(conn, alert_id, by, AlertState.ACKNOWLEDGED)


def resolve(conn: psycopg.Connection, alert_id: int, by: str) -> AlertRow:
    """Resolve an open alert as `by`. If its condition still holds, the rule opens a new alert
    (pending for the rule's `for_s` again). Resolving a resolved alert changes nothing."""
    return _act(conn, alert_id, by, AlertState.RESOLVED)
