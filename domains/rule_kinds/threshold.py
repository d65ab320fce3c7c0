"""The THRESHOLD kind: one limit, one severity, on a metric window or an index value."""

from __future__ import annotations

from domains.model import ConditionKind
from domains.rule_kinds.base import ValueKind


class ThresholdKind(ValueKind):
    """The observed value against the rule's rung; a dashboard draws the rung on the metric."""

    kind = ConditionKind.THRESHOLD
    draws_bands = True
