"""The RATE_OF_CHANGE kind: Δvalue / Δt of the subject metric over the rule's ``params["window_s"]``."""

from __future__ import annotations

from collections.abc import Sequence

from domains.inputs import as_series
from domains.model import ConditionKind, RuleSpec, Window, require_finite
from domains.rule_kinds.base import ValueKind, WindowValue


def rate_of_change(samples: Sequence[tuple[float, float]], window_s: float) -> float | None:
    """Signed change per second over the last `window_s` seconds of (epoch seconds, value) samples.

    (newest value − oldest value in the window) / (their time apart), the window ending at the
    newest sample; samples need not be ordered. None when fewer than two samples at distinct times
    fall in the window. Signed, so a rule chooses its side with its direction: ABOVE +1 for a
    temperature rising ≥ 1 °C/s (GB 38031-2025 App. C), BELOW −x for a falling pressure; an
    evaluator wanting |Δ/Δt| passes abs() of it.
    """
    window = require_finite("window_s", window_s)
    if window <= 0:
        raise ValueError(f"rate_of_change needs a positive window, got {window_s!r} s")
    if not samples:
        return None
    newest_t, newest_v = samples[0]
    for t, v in samples:
        if t > newest_t:
            newest_t, newest_v = t, v
    start = newest_t - window
    oldest_t, oldest_v = newest_t, newest_v
    for t, v in samples:
        if start <= t < oldest_t:
            oldest_t, oldest_v = t, v
    if oldest_t == newest_t:
        return None
    change = require_finite("newest sample value", newest_v) - require_finite("oldest sample value", oldest_v)
    return change / (newest_t - oldest_t)


class RateOfChangeKind(ValueKind):
    """The rate over the subject metric's raw points against the rungs (units per second).

    Without ``params["window_s"]`` the window is the whole series read.
    """

    kind = ConditionKind.RATE_OF_CHANGE

    def metric_window(self, rule: RuleSpec) -> Window:
        return Window.SERIES

    def metric_value(self, rule: RuleSpec, raw: WindowValue) -> float | None:
        if isinstance(raw, float):
            return raw
        points = as_series(rule.subject, raw)
        window = float(rule.params.get("window_s", 0) or 0) or (points[-1][0] - points[0][0]) or 1.0
        return rate_of_change(points, window)
