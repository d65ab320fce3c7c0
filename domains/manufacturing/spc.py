"""SPC run rules (Western Electric, Nelson) over a sequence of measurements on a Shewhart chart.

docs/standards.md §4. Given the centre line CL and sigma (or UCL and CL: σ = (UCL − CL)/3), each
rule looks for one non-random pattern and reports the indices of the points that complete it.

How the patterns are read where the wording leaves room:

- "Beyond kσ" is strictly beyond: |x − CL| > kσ. A point exactly on a limit is not beyond it (a
  point on the UCL is not "beyond the control limits"). "Within 1σ" is the complement:
  |x − CL| ≤ σ. So every point is either within or beyond, never both or neither.
- "On one side" is strictly one side: a point exactly on the centre line breaks a run.
- "k of n beyond ... on the same side": the point reported must itself be one of the k (otherwise
  the pattern was already complete at an earlier point), and the window is the last n points,
  fewer at the very start of the sequence (two points beyond 2σ are already "2 of 3" whatever
  the third will be).
- Trends and alternation compare neighbours strictly: two equal values break the run. "6 in a
  row rising" is 6 points, i.e. 5 rises; "14 alternating" is 14 points, i.e. 13 alternating steps.
- Nelson 8 (8 in a row beyond 1σ) needs points on both sides, as Nelson (1984) wrote it: the test
  is for a mixture of two processes. Eight beyond 1σ on one side is caught by rule 6.
- A run longer than the rule asks for is reported at every point from the one that completes it
  onwards (a run of 10 on one side trips Western Electric rule 4 at the 8th, 9th and 10th points).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from domains.inputs import as_choice, read_choice, read_number, read_series
from domains.model import (
    IndexInput,
    IndexResult,
    IndexSpec,
    InvalidInputError,
    Level,
    Severity,
    Text,
    Window,
    require_finite,
)


@dataclass(frozen=True)
class ControlLimits:
    """Centre line and one sigma of a Shewhart chart."""

    centre: float
    sigma: float

    def __post_init__(self) -> None:
        require_finite("centre line", self.centre)
        if require_finite("sigma", self.sigma) <= 0:
            raise InvalidInputError(f"sigma must be > 0, got {self.sigma:g}; check UCL > CL")

    @classmethod
    def from_ucl(cls, ucl: float, centre: float) -> ControlLimits:
        """Limits from the upper control limit and the centre line: σ = (UCL − CL)/3 (§4)."""
        u, c = require_finite("UCL", ucl), require_finite("centre line", centre)
        if u <= c:
            raise InvalidInputError(f"UCL must be above the centre line, got UCL {u:g} ≤ CL {c:g}")
        return cls(centre=c, sigma=(u - c) / 3.0)

    @property
    def ucl(self) -> float:
        return self.centre + 3.0 * self.sigma

    @property
    def lcl(self) -> float:
        return self.centre - 3.0 * self.sigma


MOVING_RANGE_D2 = 1.128
"""d2 for moving ranges of two (ISO 7870-2 / Montgomery, individuals chart): σ ≈ mean |Δx| / 1.128."""


def estimate_limits(values: Sequence[float]) -> ControlLimits:
    """Phase-I limits of an individuals chart from the data itself: mean and mean moving range / d2.

    Only a fallback for a process whose limits nobody has configured: limits should come from a
    stable reference period, not from the window being judged.
    """
    xs = [require_finite(f"value[{i}]", v) for i, v in enumerate(values)]
    if len(xs) < 2:
        raise InvalidInputError("estimating control limits needs at least 2 values")
    mean_mr = sum(abs(b - a) for a, b in itertools.pairwise(xs)) / (len(xs) - 1)
    if mean_mr == 0:
        raise InvalidInputError("all values are equal: sigma cannot be estimated; configure the limits")
    return ControlLimits(centre=sum(xs) / len(xs), sigma=mean_mr / MOVING_RANGE_D2)


@dataclass(frozen=True)
class RunRule:
    """One run rule: its id, its set, and what it looks for."""

    id: str
    title: Text


@dataclass(frozen=True)
class RunRuleViolation:
    """A rule that tripped and the indices of the points that complete its pattern (ascending)."""

    rule: RunRule
    points: tuple[int, ...]


class RuleSet(StrEnum):
    WESTERN_ELECTRIC = "western_electric"
    NELSON = "nelson"


# Rule texts after docs/standards.md §4 (Western Electric handbook 1956; Nelson, JQT 1984).
_BEYOND_3 = Text(en="1 point beyond 3σ", zh="1点落在3σ控制限以外")
_TWO_OF_THREE = Text(en="2 of 3 points beyond 2σ on the same side", zh="连续3点中有2点落在同侧2σ以外")
_FOUR_OF_FIVE = Text(en="4 of 5 points beyond 1σ on the same side", zh="连续5点中有4点落在同侧1σ以外")

WE1 = RunRule("we1", _BEYOND_3)
WE2 = RunRule("we2", _TWO_OF_THREE)
WE3 = RunRule("we3", _FOUR_OF_FIVE)
WE4 = RunRule("we4", Text(en="8 points in a row on one side of the centre line", zh="连续8点落在中心线同侧"))
NELSON1 = RunRule("nelson1", _BEYOND_3)
NELSON2 = RunRule(
    "nelson2", Text(en="9 points in a row on one side of the centre line", zh="连续9点落在中心线同侧")
)
NELSON3 = RunRule("nelson3", Text(en="6 points in a row steadily rising or falling", zh="连续6点递增或递减"))
NELSON4 = RunRule(
    "nelson4", Text(en="14 points in a row alternating up and down", zh="连续14点中相邻点交替上下")
)
NELSON5 = RunRule("nelson5", _TWO_OF_THREE)
NELSON6 = RunRule("nelson6", _FOUR_OF_FIVE)
NELSON7 = RunRule("nelson7", Text(en="15 points in a row within 1σ", zh="连续15点落在中心线两侧1σ以内"))
NELSON8 = RunRule(
    "nelson8",
    Text(en="8 points in a row beyond 1σ, on both sides", zh="连续8点落在中心线两侧且无一在1σ以内"),
)


def _z(values: Sequence[float], limits: ControlLimits) -> list[float]:
    return [(require_finite(f"value[{i}]", v) - limits.centre) / limits.sigma for i, v in enumerate(values)]


def _side(z: float) -> int:
    return (z > 0) - (z < 0)


def _k_of_n_beyond(z: Sequence[float], k: int, n: int, bound: float) -> tuple[int, ...]:
    """Points beyond `bound` σ that complete k of the last n (fewer at the start) on their side."""
    hits = []
    for i, zi in enumerate(z):
        if abs(zi) <= bound:
            continue
        side = _side(zi)
        window = z[max(0, i - n + 1) : i + 1]
        if sum(1 for w in window if abs(w) > bound and _side(w) == side) >= k:
            hits.append(i)
    return tuple(hits)


def _run_ends(flags: Sequence[bool], length: int) -> tuple[int, ...]:
    """Indices i where flags[i-length+1 .. i] are all True."""
    hits, run = [], 0
    for i, flag in enumerate(flags):
        run = run + 1 if flag else 0
        if run >= length:
            hits.append(i)
    return tuple(hits)


def _same_side_run(z: Sequence[float], length: int) -> tuple[int, ...]:
    hits, run, side = [], 0, 0
    for i, zi in enumerate(z):
        s = _side(zi)
        run = run + 1 if s != 0 and s == side else (1 if s != 0 else 0)
        side = s
        if run >= length:
            hits.append(i)
    return tuple(hits)


def _trend(values: Sequence[float], points: int) -> tuple[int, ...]:
    hits, run, direction = [], 1, 0
    for i in range(1, len(values)):
        step = _side(values[i] - values[i - 1])
        run = run + 1 if step != 0 and step == direction else (2 if step != 0 else 1)
        direction = step
        if run >= points:
            hits.append(i)
    return tuple(hits)


def _alternating(values: Sequence[float], points: int) -> tuple[int, ...]:
    hits, run, last_step = [], 1, 0
    for i in range(1, len(values)):
        step = _side(values[i] - values[i - 1])
        if step == 0:
            run = 1
        elif last_step != 0 and step == -last_step:
            run += 1
        else:
            run = 2
        last_step = step
        if run >= points:
            hits.append(i)
    return tuple(hits)


def _beyond_both_sides(z: Sequence[float], length: int) -> tuple[int, ...]:
    hits = []
    for i in _run_ends([abs(zi) > 1.0 for zi in z], length):
        sides = {_side(w) for w in z[i - length + 1 : i + 1]}
        if len(sides) == 2:
            hits.append(i)
    return tuple(hits)


_Detector = Callable[[Sequence[float], Sequence[float]], tuple[int, ...]]
"""(raw values, z-scores) → indices where the rule trips."""

RULES: Mapping[RuleSet, tuple[tuple[RunRule, _Detector], ...]] = {
    RuleSet.WESTERN_ELECTRIC: (
        (WE1, lambda x, z: _k_of_n_beyond(z, 1, 1, 3.0)),
        (WE2, lambda x, z: _k_of_n_beyond(z, 2, 3, 2.0)),
        (WE3, lambda x, z: _k_of_n_beyond(z, 4, 5, 1.0)),
        (WE4, lambda x, z: _same_side_run(z, 8)),
    ),
    RuleSet.NELSON: (
        (NELSON1, lambda x, z: _k_of_n_beyond(z, 1, 1, 3.0)),
        (NELSON2, lambda x, z: _same_side_run(z, 9)),
        (NELSON3, lambda x, z: _trend(x, 6)),
        (NELSON4, lambda x, z: _alternating(x, 14)),
        (NELSON5, lambda x, z: _k_of_n_beyond(z, 2, 3, 2.0)),
        (NELSON6, lambda x, z: _k_of_n_beyond(z, 4, 5, 1.0)),
        (NELSON7, lambda x, z: _run_ends([abs(zi) <= 1.0 for zi in z], 15)),
        (NELSON8, lambda x, z: _beyond_both_sides(z, 8)),
    ),
}


def run_rule_violations(
    values: Sequence[float], limits: ControlLimits, rule_set: RuleSet = RuleSet.WESTERN_ELECTRIC
) -> tuple[RunRuleViolation, ...]:
    """The rules of `rule_set` that `values` violate, each with the indices where it trips."""
    xs = [require_finite(f"value[{i}]", v) for i, v in enumerate(values)]
    z = _z(xs, limits)
    found = []
    for rule, detect in RULES[as_choice("spc_rule_set", rule_set, RuleSet)]:
        points = detect(xs, z)
        if points:
            found.append(RunRuleViolation(rule, points))
    return tuple(found)


def western_electric(values: Sequence[float], limits: ControlLimits) -> tuple[RunRuleViolation, ...]:
    """The Western Electric rules 1–4 that `values` violate."""
    return run_rule_violations(values, limits, RuleSet.WESTERN_ELECTRIC)


def nelson(values: Sequence[float], limits: ControlLimits) -> tuple[RunRuleViolation, ...]:
    """The Nelson rules 1–8 that `values` violate."""
    return run_rule_violations(values, limits, RuleSet.NELSON)


IN_CONTROL = Level(
    code="in_control",
    title=Text(en="In control", zh="受控"),
    severity=None,
    color="#2E7D32",
)
RUN_PATTERN = Level(
    code="run_pattern",
    title=Text(en="Non-random pattern", zh="出现非随机模式"),
    severity=Severity.WARNING,
    color="#FFA000",
    advice=Text(
        en="The process is drifting or shifting; look for an assignable cause before parts go out of "
        "tolerance.",
        zh="过程出现漂移或偏移，请在零件超差前查找可查明原因。",
    ),
)
BEYOND_LIMITS = Level(
    code="beyond_limits",
    title=Text(en="Point beyond control limits", zh="点超出控制限"),
    severity=Severity.MAJOR,
    color="#D32F2F",
    advice=Text(
        en="A point is beyond 3σ: the process is out of control; stop and investigate.",
        zh="有点超出3σ控制限，过程失控，请停机排查。",
    ),
)
SPC_LEVELS: tuple[Level, ...] = (IN_CONTROL, RUN_PATTERN, BEYOND_LIMITS)
_BEYOND_RULES = frozenset({"we1", "nelson1"})


def spc_status(violations: Sequence[RunRuleViolation]) -> IndexResult:
    """Index value 0 in control, 1 a run pattern only, 2 a point beyond 3σ; details per rule."""
    ids = {v.rule.id for v in violations}
    level = BEYOND_LIMITS if ids & _BEYOND_RULES else RUN_PATTERN if ids else IN_CONTROL
    return IndexResult(
        value=float(SPC_LEVELS.index(level)),
        level=level,
        details={"violations": {v.rule.id: list(v.points) for v in violations}},
    )


MIN_POINTS_TO_ESTIMATE = 20
"""Fewest points from which limits are estimated when none are configured (ISO 7870-2 asks for
20–25 subgroups to set limits)."""


_SPC_TITLE = Text(en="SPC run-rule check", zh="SPC判异准则检查")


def spc_violations_spec(
    metric: str = "part_diameter",
    *,
    index_id: str = "spc_violations",
    title: Text = _SPC_TITLE,
    limits: ControlLimits | None = None,
    rule_set: RuleSet = RuleSet.WESTERN_ELECTRIC,
) -> IndexSpec:
    """Run rules over the last points of `metric`, as the index `index_id`.

    Limits, in order of preference: the device settings ``spc_centre`` with ``spc_sigma`` or
    ``spc_ucl`` in the input mapping; then `limits`; else estimated from the window itself
    (:func:`estimate_limits`, needs ``MIN_POINTS_TO_ESTIMATE`` points). ``spc_rule_set``
    ("western_electric" / "nelson") overrides `rule_set`.
    """
    rule_set = as_choice("spc_rule_set", rule_set, RuleSet)

    def compute(inputs: Mapping[str, object]) -> IndexResult | None:
        points = read_series(inputs, metric)
        if not points:
            return None
        values = [v for _, v in points]
        chosen = limits
        centre = read_number(inputs, "spc_centre")
        if centre is not None:
            if (sigma := read_number(inputs, "spc_sigma")) is not None:
                chosen = ControlLimits(centre, sigma)
            elif (ucl := read_number(inputs, "spc_ucl")) is not None:
                chosen = ControlLimits.from_ucl(ucl, centre)
            else:
                raise InvalidInputError("spc_centre needs spc_sigma or spc_ucl alongside it")
        if chosen is None:
            if len(values) < MIN_POINTS_TO_ESTIMATE or math.isclose(min(values), max(values)):
                return None
            chosen = estimate_limits(values)
        chosen_set = read_choice(inputs, "spc_rule_set", RuleSet, rule_set)
        result = spc_status(run_rule_violations(values, chosen, chosen_set))
        return IndexResult(
            value=result.value,
            level=result.level,
            details={
                **result.details,
                "rule_set": str(chosen_set),
                "centre": chosen.centre,
                "sigma": chosen.sigma,
                "points": len(values),
            },
        )

    return IndexSpec(
        id=index_id,
        title=title,
        inputs=(IndexInput(metric, Window.SERIES),),
        compute=compute,
        source="Western Electric rules 1–4, Nelson rules 1–8 (docs/standards.md §4)",
        levels=SPC_LEVELS,
    )


SPC_VIOLATIONS = spc_violations_spec()
# A bearing wearing out shows as a drift of vibration velocity long before ISO zone C: Nelson's
# trend and shift rules over the machine's own control limits catch it early.
VIBRATION_TREND = spc_violations_spec(
    "vibration_velocity_rms",
    index_id="vibration_trend",
    title=Text(en="Vibration trend (run rules)", zh="振动趋势（判异准则）"),
    rule_set=RuleSet.NELSON,
)
