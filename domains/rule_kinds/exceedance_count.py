"""The EXCEEDANCE_COUNT kind: how many separate times a metric went past a limit within a window.

"Gas first alarm more than 3 times in an hour": ``params["limit"]`` is the metric's limit (its bad
side is the rule's direction, inclusive as a rung is: ABOVE counts readings ≥ limit, BELOW
≤ limit) and ``params["window_s"]`` the window. The observed value is the number of episodes —
runs of consecutive readings past the limit — among the window's good raw points (a run that began
before the window counts once). The rule's rungs are on that count, so "more than 3" is a rung at
4; clear hysteresis and ``for_s`` apply to the count as to any value.

The points are the SERIES read of the last `window_s` seconds, capped at the newest
``alerts_series_max_points`` as every series read is: a window holding more readings than that is
counted over its newest part only. Counting days above a limit over 30 days would need a window of
daily means, which the platform does not read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from domains.conditions import Decision
from domains.inputs import Point, as_series
from domains.model import Area, ConditionKind, Direction, RuleSpec, Severity, Threshold, Window
from domains.rule_kinds.base import ValueKind, WindowRead, WindowValue, param_number, subject_index


def exceedances(points: Sequence[Point], limit: float, direction: Direction) -> int:
    """The number of runs of consecutive points past `limit` on `direction`'s side (points in time order)."""
    count = 0
    inside = False
    for _, value in points:
        past = value >= limit if direction is Direction.ABOVE else value <= limit
        if past and not inside:
            count += 1
        inside = past
    return count


def _limit(rule: RuleSpec) -> float:
    limit = param_number(rule, "limit")
    if limit is None:
        raise ValueError(f"exceedance_count rule {rule.id} needs a number params['limit']")
    return limit


class ExceedanceCountKind(ValueKind):
    """The count of exceedance episodes of the subject metric in the window, against the rungs."""

    kind = ConditionKind.EXCEEDANCE_COUNT
    rung_minimum = 1.0  # a count rung of 0 would be met by every quiet hour

    def problems(self, rule: RuleSpec, area: Area) -> list[str]:
        found = []
        if param_number(rule, "limit") is None:
            found.append(f"rule {rule.id} counts exceedances: give the limit as a number params['limit']")
        window = param_number(rule, "window_s")
        if window is None or window <= 0:
            found.append(f"rule {rule.id} counts exceedances: give the window as params['window_s'] > 0")
        if subject_index(rule, area) is not None:
            found.append(f"rule {rule.id} counts exceedances of a metric's readings, not of an index")
        return found

    def reads(self, rule: RuleSpec, area: Area) -> tuple[WindowRead, ...]:
        return (WindowRead(rule.subject, Window.SERIES, span_s=param_number(rule, "window_s")),)

    def metric_value(self, rule: RuleSpec, raw: WindowValue) -> float | None:
        points = as_series(rule.subject, ((0.0, raw),) if isinstance(raw, float) else raw)
        return float(exceedances(points, _limit(rule), rule.direction)) if points else None

    def unit(self, rule: RuleSpec, area: Area) -> str | None:
        return None  # a count

    def advice_details(
        self, rule: RuleSpec, area: Area, decision: Decision, value: float
    ) -> Mapping[str, object]:
        return {}  # the metric's indices grade readings, not counts

    def drawn(self, rule: RuleSpec) -> RuleSpec | None:
        """The limit on the metric's panel, as an INFO band: readings there count, alarm nothing alone."""
        return replace(rule, thresholds=(Threshold(Severity.INFO, _limit(rule)),))
