"""The COMPOSITE kind: a boolean combination of several inputs, computed by the subject index."""

from __future__ import annotations

from domains.model import ConditionKind
from domains.rule_kinds.base import ValueKind


class CompositeKind(ValueKind):
    """The subject index's value against the rungs (the index reads the inputs it combines)."""

    kind = ConditionKind.COMPOSITE
