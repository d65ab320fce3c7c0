"""What one rule sees on one device now: its subject's value, the domain's decision, the message.

The judging itself is the rule's kind (`domains.rule_kinds`: the subject's value against the
rungs with hysteresis, a rate of change, silence...); this module only feeds it what the store holds.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

from alerts.messages import coverage_labels, details_advice, details_coverage, join_advice, render
from alerts.windows import Readings
from domains import registry
from domains.conditions import Decision
from domains.device_settings import device_settings
from domains.model import Area, RuleSpec, Severity, Text
from domains.rule_kinds import kind_of, reads_for
from domains.rule_kinds.base import Evidence, WindowValue
from store.device_state import DeviceState

log = logging.getLogger("sensegrid.alerts")


@dataclass(frozen=True)
class Observation:
    """A rule's verdict on one device: the decision, the value behind it, and the message."""

    decision: Decision
    value: float | None
    message: Text | None  # None when the decision is to clear
    note: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)  # from the index result: what it stands on


def applies(rule: RuleSpec, device: DeviceState, area: Area) -> bool:
    """Whether `rule` watches `device`: its kind is in scope and it reports what the rule reads.

    A missing-data rule also watches a device that never reported, when the area's catalogue
    says devices of its kind report the rule's metric.
    """
    if rule.device_kinds and device.kind not in rule.device_kinds:
        return False
    return kind_of(rule).applies(rule, area, device.kind, device.series)


def _settings(rule: RuleSpec, device: DeviceState) -> dict[str, object]:
    """Settings an index may read: the rule's params, then the device's own and its position (which win)."""
    merged: dict[str, object] = dict(rule.params)
    merged.update(device_settings(device.metadata, latitude=device.latitude, longitude=device.longitude))
    return merged


def _evidence(rule: RuleSpec, device: DeviceState, area: Area, readings: Readings, now: float) -> Evidence:
    """What the store holds of what `rule`'s kind reads on `device`, and the device's state."""
    found: dict[str, WindowValue] = {}
    for read in reads_for(rule, area):
        sid = device.series.get(read.metric)
        value = None if sid is None else readings.value(read, sid)
        if value is not None:
            found[read.key] = value
    return Evidence(
        now=now,
        inputs=found,
        settings=_settings(rule, device),
        last_seen=device.last_seen if device.last_seen is not None else device.created_at,
        online=device.online,
    )


def observe(
    rule: RuleSpec,
    device: DeviceState,
    readings: Readings,
    now: float,
    active: Severity | None,
) -> Observation:
    """What `rule` wants for `device` given the alert's `active` severity (None: no open alert).

    Raises InvalidInputError when the device's settings are not what the rule's index accepts.
    """
    area = registry.area(device.area)
    verdict = kind_of(rule).judge(rule, area, _evidence(rule, device, area, readings, now), active)
    decision, observed, note = verdict.decision, verdict.value, verdict.note
    if decision.severity is None:
        return Observation(decision, observed, None, note or decision.reason.en)
    level = decision.threshold.level if decision.threshold is not None else None
    message = render(
        rule.message,
        device=device.name or device.id,
        value=observed,
        unit=verdict.unit,
        severity=decision.severity,
        threshold=decision.threshold,
        advice=join_advice(level.advice if level is not None else None, details_advice(verdict.details)),
        coverage=details_coverage(verdict.details),
    )
    labels = coverage_labels(verdict.details)
    return Observation(decision, observed, message, note or decision.reason.en, labels)
