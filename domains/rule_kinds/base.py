"""The contract every rule condition kind fulfils, and the pure values the platform and a kind exchange.

A kind (``domains/rule_kinds/<kind>.py``) says, for a rule of its kind: what it reads (which
metrics over which windows), which devices it watches, how it judges what was read, whether time
alone can change its decision, how overrides change its rungs, how a dashboard draws it and what
a scenario may expect of it. The platform (``alerts/``, dashboards, the simulator's checks) asks
the kind through :func:`domains.rule_kinds.kind_of` and never looks at ``rule.kind`` itself.

Most kinds compare one observed number with the rule's rungs (:class:`ValueKind`); they differ
only in how the number is made of what was read.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Protocol

from domains.conditions import Decision, evaluate
from domains.inputs import EVALUATED_AT, Point, as_series
from domains.model import Area, ConditionKind, IndexSpec, RuleSpec, Severity, Threshold, Window, input_key

if TYPE_CHECKING:
    from domains.simulation import ExpectedAlert

HOUR_S = 3600.0
DEFAULT_SERIES_S = 24 * HOUR_S
"""How far back a SERIES read reaches when the rule says neither points nor seconds: a day, the
longest any index reads (daily ozone, a pond's oxygen day)."""

WindowValue = float | tuple[Point, ...]
"""The value of one window of one metric: a number, or (epoch seconds, value) points oldest first."""


@dataclass(frozen=True)
class WindowRead:
    """One metric a rule needs, over one window; for SERIES, how far back."""

    metric: str
    window: Window
    points: int | None = None
    span_s: float | None = None

    @property
    def key(self) -> str:
        """The key the value is handed to an index or kind under (:func:`domains.model.input_key`)."""
        return input_key(self.metric, self.window)


@dataclass(frozen=True)
class Evidence:
    """What the platform observed for one rule on one device, for the rule's kind to judge.

    `inputs`: the value of each metric the kind reads (:meth:`RuleKind.reads`) that had data in its
    window. `settings`: the rule's params overlaid with the device's own settings, which an index
    may read. `last_seen`: the device's newest reading (its registration time when it never
    reported); `online`: what the broker last said of it (None: nothing).
    """

    now: float
    inputs: Mapping[str, WindowValue]
    settings: Mapping[str, object] = field(default_factory=dict)
    last_seen: float = 0.0
    online: bool | None = None


@dataclass(frozen=True)
class Verdict:
    """A kind's judgement: the decision, the value behind it and its unit, and what explains it.

    `details`: the numbers of the index result behind the value (its advice for the exact value
    among them), empty when none. `note`: why, when the decision's reason is not the whole story.
    """

    decision: Decision
    value: float | None
    unit: str | None
    details: Mapping[str, object] = field(default_factory=dict)
    note: str = ""


class RuleKind(Protocol):
    """One condition kind: everything the platform needs to know to run rules of that kind."""

    kind: ConditionKind
    compares_values: bool
    """Whether its observed value is compared with the rungs by :func:`domains.conditions.evaluate`."""
    rung_minimum: float
    """The smallest rung value an override may set."""

    def problems(self, rule: RuleSpec, area: Area) -> list[str]:
        """What is wrong with `rule` as a rule of this kind (its params); the registry refuses it."""
        ...

    def reads(self, rule: RuleSpec, area: Area) -> tuple[WindowRead, ...]:
        """What `rule` reads: each metric it needs and over which window."""
        ...

    def input_metrics(self, rule: RuleSpec, area: Area) -> frozenset[str]:
        """The metrics whose new readings can change what `rule` decides."""
        ...

    def applies(self, rule: RuleSpec, area: Area, device_kind: str, reported: Collection[str]) -> bool:
        """Whether `rule` watches a device of `device_kind` that has reported the metrics `reported`."""
        ...

    def judge(self, rule: RuleSpec, area: Area, evidence: Evidence, active: Severity | None) -> Verdict:
        """What `rule` wants given the `evidence` and the alert's `active` severity (None: no alert)."""
        ...

    def silence_s(self, rule: RuleSpec) -> float | None:
        """After how long without readings time alone changes `rule`'s decision; None when only
        readings do. A rule with a silence is also judged again on any reading of its device."""
        ...

    def check_rung_count(self, rule: RuleSpec, count: int) -> None:
        """Refuse (ValueError) an override giving `rule` `count` rungs when its kind cannot use them."""
        ...

    def with_rungs(self, rule: RuleSpec, thresholds: tuple[Threshold, ...]) -> RuleSpec:
        """`rule` with its rungs replaced by an override's."""
        ...

    def drawn(self, rule: RuleSpec) -> RuleSpec | None:
        """`rule` as a dashboard draws it on its subject's panel (rungs in the metric's values), or
        None when it draws no bands there."""
        ...

    def scenario_problems(self, rule: RuleSpec, expected: ExpectedAlert, where: str) -> list[str]:
        """What is wrong with a scenario expecting an alert of `rule`."""
        ...


def subject_index(rule: RuleSpec, area: Area) -> IndexSpec | None:
    """The index a rule watches, or None when its subject is a metric."""
    return next((i for i in area.indices if i.id == rule.subject), None)


def param_number(rule: RuleSpec, name: str) -> float | None:
    """The number under `name` in the rule's params, None when absent or not a number."""
    raw = rule.params.get(name)
    if raw is None or isinstance(raw, str):
        return None
    return float(raw)


def window_read(rule: RuleSpec, metric: str, window: Window) -> WindowRead:
    """A read of `metric` over `window`; a SERIES read takes the newest ``params["points"]``, or
    the last ``params["series_s"]`` (else ``window_s``) seconds, else :data:`DEFAULT_SERIES_S`."""
    if window is not Window.SERIES:
        return WindowRead(metric, window)
    points = param_number(rule, "points")
    if points is not None:
        return WindowRead(metric, Window.SERIES, points=max(2, int(points)))
    span = param_number(rule, "series_s") or param_number(rule, "window_s") or DEFAULT_SERIES_S
    return WindowRead(metric, Window.SERIES, span_s=span)


def _companion_details(area: Area, rule: RuleSpec, decision: Decision, value: float) -> Mapping[str, object]:
    """The result of the index that grades the rule's metric on the same levels, for the exact value.

    A metric rule such as city.fog_signal (visibility, rungs at the fog signal's levels) gets the
    fuller advice of the fog_signal index for the visibility seen: the art. 81 speed limit, gap
    and lamps, besides the signal's general advice.
    """
    level = decision.threshold.level if decision.threshold is not None else None
    if level is None:
        return {}
    for index in area.indices:
        if level in index.levels and [i.metric for i in index.inputs] == [rule.subject]:
            result = index.compute({rule.subject: value})
            return {} if result is None else result.details
    return {}


class ValueKind:
    """A kind whose rule compares one observed number with its rungs (conditions.evaluate).

    The number is the subject index's value when the subject is an index, else
    :meth:`metric_value` of the subject metric over :meth:`metric_window`. Subclasses say which
    kind they are, and change those two when their number is made differently.
    """

    kind: ConditionKind
    compares_values: bool = True
    rung_minimum: float = -math.inf
    draws_bands: bool = False  # its rungs are values of the subject metric, drawn as bands

    def problems(self, rule: RuleSpec, area: Area) -> list[str]:
        return []

    def metric_window(self, rule: RuleSpec) -> Window:
        """The window of the subject metric a rule on a metric reads."""
        return rule.window

    def reads(self, rule: RuleSpec, area: Area) -> tuple[WindowRead, ...]:
        index = subject_index(rule, area)
        if index is not None:
            return tuple(window_read(rule, i.metric, i.window) for i in index.inputs)
        return (window_read(rule, rule.subject, self.metric_window(rule)),)

    def input_metrics(self, rule: RuleSpec, area: Area) -> frozenset[str]:
        return frozenset(r.metric for r in self.reads(rule, area))

    def applies(self, rule: RuleSpec, area: Area, device_kind: str, reported: Collection[str]) -> bool:
        return not self.input_metrics(rule, area).isdisjoint(reported)

    def metric_value(self, rule: RuleSpec, raw: WindowValue) -> float | None:
        """The number a rule on a metric judges, from the subject's window value: the value
        itself, or a series' newest point."""
        if isinstance(raw, float):
            return raw
        points = as_series(rule.subject, raw)
        return points[-1][1] if points else None

    def unit(self, rule: RuleSpec, area: Area) -> str | None:
        """The unit of the judged number: the subject index's, else the subject metric's."""
        index = subject_index(rule, area)
        if index is not None:
            return index.unit
        return next((m.unit for m in area.metrics if m.name == rule.subject), None)

    def advice_details(
        self, rule: RuleSpec, area: Area, decision: Decision, value: float
    ) -> Mapping[str, object]:
        """Details carrying advice for the exact value of a metric rule (an index on the same levels)."""
        return _companion_details(area, rule, decision, value)

    def judge(self, rule: RuleSpec, area: Area, evidence: Evidence, active: Severity | None) -> Verdict:
        index = subject_index(rule, area)
        details: Mapping[str, object] = {}
        observed: float | None
        if index is not None:
            values = {**evidence.settings, **evidence.inputs, EVALUATED_AT: evidence.now}
            result = index.compute(values) if evidence.inputs else None
            observed = None if result is None else result.value
            details = {} if result is None else result.details
        else:
            raw = evidence.inputs.get(rule.subject)
            observed = None if raw is None else self.metric_value(rule, raw)
        decision = evaluate(rule, observed, active)
        if decision.severity is not None and index is None and observed is not None:
            details = self.advice_details(rule, area, decision, observed)
        return Verdict(decision, observed, self.unit(rule, area), details)

    def silence_s(self, rule: RuleSpec) -> float | None:
        return None

    def check_rung_count(self, rule: RuleSpec, count: int) -> None:
        return None

    def with_rungs(self, rule: RuleSpec, thresholds: tuple[Threshold, ...]) -> RuleSpec:
        return replace(rule, thresholds=thresholds)

    def drawn(self, rule: RuleSpec) -> RuleSpec | None:
        return rule if self.draws_bands and rule.thresholds else None

    def scenario_problems(self, rule: RuleSpec, expected: ExpectedAlert, where: str) -> list[str]:
        return []
