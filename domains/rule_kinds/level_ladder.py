"""The LEVEL_LADDER kind: several limits, the severity rising rung by rung."""

from __future__ import annotations

from domains.model import ConditionKind
from domains.rule_kinds.base import ValueKind


class LevelLadderKind(ValueKind):
    """The observed value against the ladder; a dashboard draws the rungs on the metric."""

    kind = ConditionKind.LEVEL_LADDER
    draws_bands = True
