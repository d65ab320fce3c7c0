"""The RUN_RULE kind: Western Electric / Nelson rules over the last points, computed by an SPC index."""

from __future__ import annotations

from domains.model import ConditionKind
from domains.rule_kinds.base import ValueKind


class RunRuleKind(ValueKind):
    """The SPC index's value against the rungs (the index reads the series it judges)."""

    kind = ConditionKind.RUN_RULE
