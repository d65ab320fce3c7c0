"""The rule condition kinds the platform knows: each ConditionKind and the module implementing it.

A new kind is a module here (a :class:`~domains.rule_kinds.base.RuleKind`), its member in
:class:`~domains.model.ConditionKind`, and one line in :data:`KINDS`; the evaluator, overrides,
dashboards and the simulator's checks ask :func:`kind_of` and need no change.
"""

from __future__ import annotations

from collections.abc import Mapping

from domains.model import Area, ConditionKind, RuleSpec
from domains.rule_kinds.base import RuleKind, WindowRead
from domains.rule_kinds.composite import CompositeKind
from domains.rule_kinds.exceedance_count import ExceedanceCountKind
from domains.rule_kinds.level_ladder import LevelLadderKind
from domains.rule_kinds.missing_data import MissingDataKind
from domains.rule_kinds.rate_of_change import RateOfChangeKind
from domains.rule_kinds.run_rule import RunRuleKind
from domains.rule_kinds.threshold import ThresholdKind

KINDS: Mapping[ConditionKind, RuleKind] = {
    ConditionKind.THRESHOLD: ThresholdKind(),
    ConditionKind.LEVEL_LADDER: LevelLadderKind(),
    ConditionKind.RATE_OF_CHANGE: RateOfChangeKind(),
    ConditionKind.MISSING_DATA: MissingDataKind(),
    ConditionKind.COMPOSITE: CompositeKind(),
    ConditionKind.RUN_RULE: RunRuleKind(),
    ConditionKind.EXCEEDANCE_COUNT: ExceedanceCountKind(),
}


def kind_of(rule: RuleSpec) -> RuleKind:
    """The implementation of `rule`'s condition kind (KeyError naming the known kinds if none)."""
    try:
        return KINDS[rule.kind]
    except KeyError:
        known = ", ".join(str(k) for k in KINDS)
        raise KeyError(f"rule {rule.id}: no module implements kind {rule.kind!r}; known: {known}") from None


def reads_for(rule: RuleSpec, area: Area) -> tuple[WindowRead, ...]:
    """What `rule` reads: each metric it needs and over which window."""
    return kind_of(rule).reads(rule, area)


def input_metrics(rule: RuleSpec, area: Area) -> frozenset[str]:
    """The metrics whose new readings can change what `rule` decides."""
    return kind_of(rule).input_metrics(rule, area)
