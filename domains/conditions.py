"""Pure rule-condition evaluation: which severity a rule wants now, and when a wish becomes an alert.

The alert evaluator calls these with numbers it has read; nothing here does I/O or keeps state
between calls. Two steps, kept apart as in Prometheus:

1. :func:`evaluate` turns a rule and an observed value into the *desired* severity, applying the
   rule's direction, its ladder of thresholds and its clear hysteresis given the alert's
   currently active severity.
2. :func:`advance` turns the stream of desired severities into a *firing* severity, holding a new
   condition as pending until it has been met continuously for the rule's ``for_s``.

How a kind makes the observed value (a rate of change, an exceedance count), and how a
missing-data rule judges silence instead, is the kind's own module in :mod:`domains.rule_kinds`.
"""

from __future__ import annotations

from dataclasses import dataclass

from domains.model import (
    Direction,
    RuleSpec,
    Severity,
    Text,
    Threshold,
    require_finite,
)

SEVERITY_TITLES: dict[Severity, Text] = {
    Severity.INFO: Text(en="info", zh="提示"),
    Severity.WARNING: Text(en="warning", zh="警告"),
    Severity.MAJOR: Text(en="major", zh="严重"),
    Severity.CRITICAL: Text(en="critical", zh="紧急"),
}
"""What a severity is called in reasons when its threshold carries no Level of its own."""


@dataclass(frozen=True)
class Decision:
    """What a rule wants for one observation: a severity (None = clear), the rung behind it, and why.

    `threshold` is the rung that set the severity, for filling a rule message's {threshold} and
    {level}; None when clear, and when an alert is kept for lack of data at a severity that has no
    rung (its thresholds were changed while it was active).
    """

    severity: Severity | None
    threshold: Threshold | None
    reason: Text


def _fmt(x: float) -> str:
    return f"{x:g}"


def _level_title(threshold: Threshold) -> Text:
    if threshold.level is not None:
        return threshold.level.title
    return SEVERITY_TITLES[threshold.severity]


def _furthest(rule: RuleSpec, threshold: Threshold) -> float:
    """How far on the rule's bad side a rung lies: larger is worse, whatever the direction."""
    return threshold.value if rule.direction is Direction.ABOVE else -threshold.value


def _rung(rule: RuleSpec, severity: Severity) -> Threshold | None:
    """The rung standing for `severity`: of several, the furthest on the bad side (as evaluate names)."""
    return max(
        (t for t in rule.thresholds if t.severity == severity), key=lambda t: _furthest(rule, t), default=None
    )


def evaluate(rule: RuleSpec, observed: float | None, active: Severity | None = None) -> Decision:
    """The severity `rule` wants given the `observed` value and the alert's `active` severity.

    - Direction: ABOVE rules are met at value ≥ threshold, BELOW rules at value ≤ threshold.
    - Ladder: the highest severity among the thresholds that are met. Among rungs of that severity
      (heavily and severely polluted are both CRITICAL), a met rung beats one only held by
      hysteresis, and then the rung furthest on the bad side wins (highest value for ABOVE,
      lowest for BELOW). So the order the rungs are listed in never matters, and the level named
      is the worst one the value has reached.
    - Clear hysteresis: while active at S, every rung at or below S stays met until the value has
      come back past its threshold by *more than* `clear_hysteresis` (ABOVE: value < threshold − h;
      BELOW: value > threshold + h). So an alert at S escalates as soon as a higher rung is met,
      and steps down or clears only once it is clearly past — it cannot flap on a value hovering
      at a threshold. With h = 0 this is exactly "met".
    - No data (`observed` None): the active severity is kept, never cleared. Silence is no evidence
      that the hazard is gone — a fog sign must not switch off because its sensor stopped
      talking — and a silent device is the job of the area's missing_data rule.

    `observed` is whatever the rule's subject yields (a metric window value, an index value, or a
    rate of change...); it must be finite (InvalidInputError otherwise: QC keeps BAD readings
    out of rules, so a NaN here is a bug upstream). Rules of a kind that compares no value
    (MISSING_DATA: :func:`domains.rule_kinds.missing_data.evaluate_silence`) are refused (ValueError).
    """
    from domains.rule_kinds import kind_of  # the kinds are built on this module

    if not kind_of(rule).compares_values:
        raise ValueError(f"rule {rule.id} is a {rule.kind} rule; evaluate it with evaluate_silence()")
    if observed is None:
        if active is None:
            return Decision(None, None, Text(en="no data", zh="无数据"))
        kept = _rung(rule, active)
        title = _level_title(kept) if kept is not None else SEVERITY_TITLES[active]
        return Decision(active, kept, Text(en=f"no data; keeping {title.en}", zh=f"无数据，保持{title.zh}"))
    value = require_finite(f"observed value of rule {rule.id}", observed)
    above = rule.direction is Direction.ABOVE
    h = rule.clear_hysteresis
    best: Threshold | None = None
    best_held = False
    best_rank: tuple[Severity, bool, float] | None = None
    for rung in rule.thresholds:
        if value >= rung.value if above else value <= rung.value:
            held = False
        elif (
            active is not None
            and rung.severity <= active
            and (value >= rung.value - h if above else value <= rung.value + h)
        ):
            held = True
        else:
            continue
        rank = (rung.severity, not held, _furthest(rule, rung))
        if best_rank is None or rank > best_rank:
            best, best_held, best_rank = rung, held, rank
    v = _fmt(value)
    back_en, back_zh, side_zh = ("below", "回落到", "以下") if above else ("above", "回升到", "以上")
    if best is None:
        if active is None:
            return Decision(
                None, None, Text(en=f"value {v} meets no threshold", zh=f"数值 {v} 未达到任何阈值")
            )
        return Decision(
            None,
            None,
            Text(
                en=f"value {v} is back {back_en} every threshold by more than the clear hysteresis "
                f"{_fmt(h)}; clear",
                zh=f"数值 {v} 已{back_zh}各阈值{side_zh}超过回差 {_fmt(h)}，解除",
            ),
        )
    t, level = _fmt(best.value), _level_title(best)
    if best_held:
        reason = Text(
            en=f"value {v} is not yet {back_en} {t} by more than the clear hysteresis {_fmt(h)}; "
            f"staying at {level.en}",
            zh=f"数值 {v} 尚未{back_zh} {t} {side_zh}超过回差 {_fmt(h)}，保持{level.zh}",
        )
    else:
        op = "≥" if above else "≤"
        reason = Text(en=f"value {v} {op} {t}: {level.en}", zh=f"数值 {v} {op} {t}：{level.zh}")
    return Decision(best.severity, best, reason)


@dataclass(frozen=True)
class PendingState:
    """Where one alert instance stands between evaluations (Prometheus: inactive/pending/firing).

    `severity`: what the rule last wanted (None = inactive). `since_s`: when the condition began to
    hold without a break. `firing`: whether `for_s` has been served.
    """

    severity: Severity | None = None
    since_s: float | None = None
    firing: bool = False


INACTIVE = PendingState()


def advance(
    state: PendingState, now_epoch_s: float, desired: Severity | None, for_s: float
) -> tuple[PendingState, Severity | None]:
    """Step the pending → firing machine to `now_epoch_s`; returns the new state and the firing severity.

    - `desired` None: back to inactive at once (the hysteresis in :func:`evaluate` already kept it
      from flapping), and a pending condition starts over next time.
    - Not yet firing: pending from the first time the condition is met; fires with the current
      desired severity once it has held for `for_s` (at once when `for_s` ≤ 0). A pending
      condition that changes severity keeps its start: it has been met all along.
    - Firing: follows `desired` immediately, both down and up. De-escalation is immediate because
      the hazard has lessened. Escalation is immediate too, deliberately: `for_s` exists to keep
      a blip from paging someone, and once an alert is firing the condition is confirmed — making
      a fog alert wait another `for_s` before going orange → red would hold back the "20 km/h,
      leave at the next exit" message exactly when visibility collapses.
    """
    if desired is None:
        return INACTIVE, None
    since = now_epoch_s if state.since_s is None else state.since_s
    # Once fired it stays fired while the condition lasts, even if `for_s` is raised meanwhile.
    firing = state.firing or now_epoch_s - since >= for_s
    return PendingState(desired, since, firing), desired if firing else None
