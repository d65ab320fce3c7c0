"""What one rule sees on one device now: its subject's value, the domain's decision, the message.

The judging itself is `domains.conditions` (evaluate with hysteresis, evaluate_silence,
rate_of_change) and the area's IndexSpec; this module only feeds them what the store holds.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from alerts.messages import details_advice, join_advice, render
from alerts.windows import Readings, WindowValue, input_metrics, reads_for, subject_index
from domains import registry
from domains.conditions import Decision, evaluate, evaluate_silence, rate_of_change
from domains.inputs import as_series
from domains.model import (
    Area,
    ConditionKind,
    IndexResult,
    IndexSpec,
    RuleSpec,
    Severity,
    Text,
)
from store.device_state import DeviceState

log = logging.getLogger("sensegrid.alerts")


@dataclass(frozen=True)
class Observation:
    """A rule's verdict on one device: the decision, the value behind it, and the message."""

    decision: Decision
    value: float | None
    message: Text | None  # None when the decision is to clear
    note: str = ""


def applies(rule: RuleSpec, device: DeviceState, area: Area) -> bool:
    """Whether `rule` watches `device`: its kind is in scope and it reports what the rule reads.

    A missing-data rule also watches a device that never reported, when the area's catalogue
    says devices of its kind report the rule's metric.
    """
    if rule.device_kinds and device.kind not in rule.device_kinds:
        return False
    if rule.kind is ConditionKind.MISSING_DATA:
        if rule.subject in device.series:
            return True
        metric = next((m for m in area.metrics if m.name == rule.subject), None)
        return metric is not None and device.kind in metric.device_kinds
    return not input_metrics(rule, area).isdisjoint(device.series)


def _settings(rule: RuleSpec, device: DeviceState) -> dict[str, object]:
    """Settings an index may read: the rule's params, then the device's own (which win)."""
    merged: dict[str, object] = dict(rule.params)
    merged.update({k: v for k, v in device.metadata.items() if isinstance(v, str | int | float | bool)})
    return merged


def _inputs(rule: RuleSpec, device: DeviceState, area: Area, readings: Readings) -> dict[str, WindowValue]:
    found: dict[str, WindowValue] = {}
    for read in reads_for(rule, area):
        sid = device.series.get(read.metric)
        value = None if sid is None else readings.value(read, sid)
        if value is not None:
            found[read.metric] = value
    return found


def _companion_advice(area: Area, rule: RuleSpec, decision: Decision, value: float) -> Text | None:
    """Advice for the exact value from the index that grades the rule's metric on the same levels.

    A metric rule such as city.fog_signal (visibility, rungs at the fog signal's levels) gets the
    fuller advice of the fog_signal index for the visibility seen: the art. 81 speed limit, gap
    and lamps, besides the signal's general advice.
    """
    level = decision.threshold.level if decision.threshold is not None else None
    if level is None:
        return None
    for index in area.indices:
        if level in index.levels and [i.metric for i in index.inputs] == [rule.subject]:
            result = index.compute({rule.subject: value})
            return None if result is None else details_advice(result.details)
    return None


def _unit(area: Area, rule: RuleSpec, index: IndexSpec | None) -> str | None:
    if index is not None:
        return index.unit
    return next((m.unit for m in area.metrics if m.name == rule.subject), None)


def _silence(rule: RuleSpec, device: DeviceState, now: float) -> tuple[Decision, float, str]:
    last = device.last_seen if device.last_seen is not None else device.created_at
    note = ""
    seen = last
    # The broker announced the device gone (its last will, or an "offline" status): that is
    # silence now, whatever its last reading's age — unless the rule says going offline is normal
    # for the device (params["offline_is_silence"] = 0, e.g. a parked vehicle logging out).
    if device.online is False and rule.params.get("offline_is_silence", 1):
        silence = float(rule.params.get("silence_s", 0) or 0)
        seen = min(last, now - silence)
        note = "device reported offline"
    return evaluate_silence(rule, seen, now), max(0.0, now - last), note


def _index_value(
    index: IndexSpec, rule: RuleSpec, device: DeviceState, area: Area, readings: Readings
) -> IndexResult | None:
    inputs = _inputs(rule, device, area, readings)
    if not inputs:
        return None
    return index.compute({**_settings(rule, device), **inputs})


def _metric_value(rule: RuleSpec, device: DeviceState, area: Area, readings: Readings) -> float | None:
    raw = _inputs(rule, device, area, readings).get(rule.subject)
    if raw is None or isinstance(raw, float):
        return raw
    points = as_series(rule.subject, raw)
    if rule.kind is ConditionKind.RATE_OF_CHANGE:
        window = float(rule.params.get("window_s", 0) or 0) or (points[-1][0] - points[0][0]) or 1.0
        return rate_of_change(points, window)
    return points[-1][1] if points else None


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
    index = subject_index(rule, area)
    details: Mapping[str, object] = {}
    note = ""
    observed: float | None
    if rule.kind is ConditionKind.MISSING_DATA:
        decision, observed, note = _silence(rule, device, now)
    else:
        if index is not None:
            result = _index_value(index, rule, device, area, readings)
            observed = None if result is None else result.value
            details = {} if result is None else result.details
        else:
            observed = _metric_value(rule, device, area, readings)
        decision = evaluate(rule, observed, active)
    if decision.severity is None:
        return Observation(decision, observed, None, note or decision.reason.en)
    level = decision.threshold.level if decision.threshold is not None else None
    extra = details_advice(details) if index is not None else None
    if (
        extra is None
        and index is None
        and observed is not None
        and rule.kind is not ConditionKind.MISSING_DATA
    ):
        extra = _companion_advice(area, rule, decision, observed)
    message = render(
        rule.message,
        device=device.name or device.id,
        value=observed,
        unit="s" if rule.kind is ConditionKind.MISSING_DATA else _unit(area, rule, index),
        severity=decision.severity,
        threshold=decision.threshold,
        advice=join_advice(level.advice if level is not None else None, extra),
    )
    return Observation(decision, observed, message, note or decision.reason.en)
