"""Rule conditions: ladders with direction and clear hysteresis, pending → firing, rates, silence.

Rules are built here (not taken from any area) so these tests pin the generic evaluation.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domains.conditions import (
    INACTIVE,
    PendingState,
    advance,
    evaluate,
)
from domains.model import (
    ConditionKind,
    Direction,
    InvalidInputError,
    Level,
    RuleSpec,
    Severity,
    Text,
    Threshold,
)
from domains.rule_kinds.missing_data import evaluate_silence, is_silent
from domains.rule_kinds.rate_of_change import rate_of_change

W, M, C = Severity.WARNING, Severity.MAJOR, Severity.CRITICAL

LIGHTLY_POLLUTED = Level("3", Text(en="Lightly polluted", zh="轻度污染"), W, "#FF7E00")


def _rule(
    direction: Direction,
    thresholds: tuple[Threshold, ...],
    hysteresis: float = 0.0,
    kind: ConditionKind = ConditionKind.LEVEL_LADDER,
    params: dict[str, float | int | str] | None = None,
) -> RuleSpec:
    return RuleSpec(
        id="scratch.rule",
        area="scratch",
        subject="x",
        kind=kind,
        title=Text(en="test rule", zh="测试规则"),
        message=Text(en="{value}", zh="{value}"),
        source="test",
        direction=direction,
        thresholds=thresholds,
        clear_hysteresis=hysteresis,
        params=params or {},
    )


# PM2.5-like ladder (µg/m³), deliberately listed out of severity order.
PM25 = _rule(
    Direction.ABOVE,
    (Threshold(W, 75.0, LIGHTLY_POLLUTED), Threshold(C, 150.0), Threshold(M, 115.0)),
    hysteresis=5.0,
)
# Fog signal ladder on visibility (m): yellow < 500, orange < 200, red < 50 (CMA), 20 m hysteresis.
FOG = _rule(
    Direction.BELOW,
    (Threshold(W, 500.0), Threshold(M, 200.0), Threshold(C, 50.0)),
    hysteresis=20.0,
)


@pytest.mark.parametrize(
    ("rule", "value", "active", "expected"),
    [
        # ABOVE, no alert yet: thresholds are inclusive, the highest rung met wins
        (PM25, 0.0, None, None),
        (PM25, 74.9, None, None),
        (PM25, 75.0, None, W),
        (PM25, 114.9, None, W),
        (PM25, 115.0, None, M),
        (PM25, 149.9, None, M),
        (PM25, 150.0, None, C),
        (PM25, 999.0, None, C),
        # active CRITICAL: held until below 150 − 5, then the rungs below are held the same way
        (PM25, 146.0, C, C),
        (PM25, 145.0, C, C),  # exactly the hysteresis back: not yet past it
        (PM25, 144.9, C, M),
        (PM25, 110.0, C, M),  # 115 − 5
        (PM25, 109.9, C, W),
        (PM25, 70.0, C, W),  # 75 − 5
        (PM25, 69.9, C, None),
        (PM25, 72.0, M, W),  # de-escalates from MAJOR, but WARNING is still held
        # escalation ignores the hysteresis: a higher rung must really be met
        (PM25, 112.0, W, W),
        (PM25, 115.0, W, M),
        (PM25, 200.0, W, C),
        # BELOW: visibility falling through the fog signals
        (FOG, 1000.0, None, None),
        (FOG, 500.1, None, None),
        (FOG, 500.0, None, W),
        (FOG, 200.0, None, M),
        (FOG, 50.1, None, M),
        (FOG, 50.0, None, C),
        (FOG, 0.0, None, C),
        # ...and lifting: red holds until visibility is above 50 + 20 m
        (FOG, 70.0, C, C),
        (FOG, 70.1, C, M),
        (FOG, 220.0, C, M),
        (FOG, 220.1, C, W),
        (FOG, 520.0, C, W),
        (FOG, 520.1, C, None),
        (FOG, 40.0, W, C),  # orange → red at once
    ],
)
def test_ladder_with_direction_and_clear_hysteresis(
    rule: RuleSpec, value: float, active: Severity | None, expected: Severity | None
) -> None:
    assert evaluate(rule, value, active).severity == expected


def test_decision_names_the_rung_that_set_it() -> None:
    decision = evaluate(PM25, 120.0)
    assert decision.threshold is not None
    assert (decision.threshold.severity, decision.threshold.value) == (M, 115.0)
    assert evaluate(PM25, 10.0).threshold is None


def test_reason_for_a_met_rung_gives_value_threshold_and_level_in_both_languages() -> None:
    reason = evaluate(PM25, 80.0).reason
    assert "80" in reason.en and "≥ 75" in reason.en and "Lightly polluted" in reason.en
    assert "80" in reason.zh and "≥ 75" in reason.zh and "轻度污染" in reason.zh
    fog = evaluate(FOG, 150.0).reason
    assert "≤ 200" in fog.en and "major" in fog.en
    assert "≤ 200" in fog.zh and "严重" in fog.zh


def test_reason_for_a_held_rung_mentions_the_hysteresis() -> None:
    reason = evaluate(PM25, 147.0, C).reason
    assert "hysteresis 5" in reason.en and "below 150" in reason.en and "critical" in reason.en
    assert "回差 5" in reason.zh and "紧急" in reason.zh
    fog = evaluate(FOG, 60.0, C).reason
    assert "above 50" in fog.en and "回升" in fog.zh


def test_reason_when_clearing_an_active_alert() -> None:
    decision = evaluate(PM25, 20.0, W)
    assert decision.severity is None
    assert "back below every threshold" in decision.reason.en and "回落到" in decision.reason.zh
    assert "解除" in decision.reason.zh
    assert "back above" in evaluate(FOG, 800.0, W).reason.en


def test_no_data_keeps_an_active_alert_and_raises_none() -> None:
    assert evaluate(PM25, None).severity is None
    kept = evaluate(PM25, None, M)
    assert kept.severity == M
    assert kept.threshold is not None and kept.threshold.value == 115.0
    assert "no data" in kept.reason.en and "无数据" in kept.reason.zh
    # the kept rung's own level names it when it has one
    assert "轻度污染" in evaluate(PM25, None, W).reason.zh


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_observation_is_rejected(bad: float) -> None:
    with pytest.raises(InvalidInputError, match=r"scratch\.rule"):
        evaluate(PM25, bad)


def test_missing_data_rules_are_not_evaluated_on_values() -> None:
    silent = _rule(Direction.ABOVE, (), kind=ConditionKind.MISSING_DATA, params={"silence_s": 600})
    with pytest.raises(ValueError, match="evaluate_silence"):
        evaluate(silent, 1.0)


# --- rungs of equal severity ----------------------------------------------------------------------

HEAVY = Level("heavy", Text(en="Heavily polluted", zh="重度污染"), C)
SEVERE = Level("severe", Text(en="Severely polluted", zh="严重污染"), C)
# AQI-like ladder whose top two rungs share CRITICAL, listed mildest first.
AQI = _rule(
    Direction.ABOVE,
    (Threshold(W, 101.0), Threshold(M, 151.0), Threshold(C, 201.0, HEAVY), Threshold(C, 301.0, SEVERE)),
    hysteresis=5.0,
)
DEEP_FROST = Level("deep", Text(en="Deep frost", zh="严重霜冻"), C)
FROST = Level("frost", Text(en="Frost", zh="霜冻"), C)
# A BELOW ladder whose two CRITICAL rungs sit at −3 and −5 °C.
COLD = _rule(Direction.BELOW, (Threshold(W, 0.0), Threshold(C, -3.0, FROST), Threshold(C, -5.0, DEEP_FROST)))


def _named(rule: RuleSpec, value: float, active: Severity | None = None) -> str | None:
    rung = evaluate(rule, value, active).threshold
    return None if rung is None or rung.level is None else rung.level.code


@pytest.mark.parametrize(
    ("rule", "value", "active", "level"),
    [
        (AQI, 250.0, None, "heavy"),
        (AQI, 301.0, None, "severe"),  # both CRITICAL rungs are met: the furthest one is named
        (AQI, 480.0, None, "severe"),
        # Back under 301 but within the hysteresis: CRITICAL is kept, and named by the rung the
        # value still meets, not by the one it only hovers under.
        (AQI, 298.0, C, "heavy"),
        (COLD, -4.0, None, "frost"),
        (COLD, -5.0, None, "deep"),  # BELOW: the lowest rung met is the furthest
        (COLD, -9.0, None, "deep"),
    ],
)
def test_among_equal_severities_the_furthest_rung_met_names_the_level(
    rule: RuleSpec, value: float, active: Severity | None, level: str
) -> None:
    assert _named(rule, value, active) == level


@pytest.mark.parametrize("rule", [AQI, COLD, PM25, FOG])
@pytest.mark.parametrize("active", [None, *Severity])
def test_the_order_rungs_are_listed_in_never_changes_the_decision(
    rule: RuleSpec, active: Severity | None
) -> None:
    reversed_rule = _rule(rule.direction, rule.thresholds[::-1], rule.clear_hysteresis)
    # Every rung's value and points around it, within and beyond the hysteresis, and no data.
    values = sorted({t.value + d for t in rule.thresholds for d in (-25, -5, -0.1, 0, 0.1, 5, 25)})
    for value in [*values, None]:
        assert evaluate(reversed_rule, value, active) == evaluate(rule, value, active), value


# --- ladder properties ----------------------------------------------------------------------------

_values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@st.composite
def _ladders(draw: st.DrawFn) -> RuleSpec:
    severities = draw(st.lists(st.sampled_from(list(Severity)), min_size=1, max_size=4, unique=True))
    limits = draw(st.lists(_values, min_size=len(severities), max_size=len(severities)))
    direction = draw(st.sampled_from(list(Direction)))
    hysteresis = draw(st.floats(min_value=0, max_value=1e3))
    return _rule(
        direction, tuple(Threshold(s, v) for s, v in zip(severities, limits, strict=True)), hysteresis
    )


def _rank(severity: Severity | None) -> int:
    return 0 if severity is None else int(severity)


@given(_ladders(), _values, _values)
def test_ladder_is_monotonic_in_the_value(rule: RuleSpec, a: float, b: float) -> None:
    low, high = min(a, b), max(a, b)
    worse, better = (high, low) if rule.direction is Direction.ABOVE else (low, high)
    assert _rank(evaluate(rule, worse).severity) >= _rank(evaluate(rule, better).severity)


@given(_ladders(), _values, st.sampled_from(list(Severity)))
def test_hysteresis_only_ever_holds_an_active_alert_never_lifts_it(
    rule: RuleSpec, value: float, active: Severity
) -> None:
    fresh = _rank(evaluate(rule, value).severity)
    held = _rank(evaluate(rule, value, active).severity)
    assert fresh <= held <= max(fresh, int(active))


@given(_ladders(), _values, st.sampled_from(list(Severity)))
def test_without_hysteresis_the_active_severity_changes_nothing(
    rule: RuleSpec, value: float, active: Severity
) -> None:
    plain = _rule(rule.direction, rule.thresholds, 0.0)
    assert evaluate(plain, value, active).severity == evaluate(plain, value).severity


@given(
    st.lists(st.tuples(st.sampled_from(list(Severity)), _values), min_size=1, max_size=5),
    st.sampled_from(list(Direction)),
    st.floats(min_value=0, max_value=1e3),
    st.randoms(use_true_random=False),
    st.none() | _values,
    st.none() | st.sampled_from(list(Severity)),
)
def test_shuffled_rungs_give_the_same_decision(
    rungs: list[tuple[Severity, float]],
    direction: Direction,
    hysteresis: float,
    rnd: random.Random,
    value: float | None,
    active: Severity | None,
) -> None:
    thresholds = [Threshold(s, v) for s, v in rungs]
    shuffled = thresholds[:]
    rnd.shuffle(shuffled)
    listed = _rule(direction, tuple(thresholds), hysteresis)
    reordered = _rule(direction, tuple(shuffled), hysteresis)
    assert evaluate(reordered, value, active) == evaluate(listed, value, active)


# --- pending → firing -----------------------------------------------------------------------------


def _run(steps: Sequence[tuple[float, Severity | None]], for_s: float) -> list[Severity | None]:
    state = INACTIVE
    fired = []
    for now, desired in steps:
        state, firing = advance(state, now, desired, for_s)
        fired.append(firing)
    return fired


def test_condition_fires_only_after_holding_for_for_s() -> None:
    steps = [(0.0, W), (30.0, W), (59.0, W), (60.0, W), (90.0, W)]
    assert _run(steps, for_s=60) == [None, None, None, W, W]


def test_a_break_in_the_condition_restarts_the_wait() -> None:
    steps = [(0.0, W), (50.0, None), (55.0, W), (100.0, W), (115.0, W)]
    assert _run(steps, for_s=60) == [None, None, None, None, W]


def test_pending_condition_changing_severity_keeps_its_start_and_fires_at_the_current_one() -> None:
    steps = [(0.0, W), (40.0, C), (60.0, M)]
    assert _run(steps, for_s=60) == [None, None, M]


def test_firing_alert_escalates_and_de_escalates_at_once_and_clears_at_once() -> None:
    # fog: yellow confirmed after 5 min, then orange, red, orange again, then gone
    steps = [(0.0, W), (300.0, W), (310.0, M), (320.0, C), (330.0, M), (340.0, None), (350.0, M)]
    assert _run(steps, for_s=300) == [None, W, M, C, M, None, None]


def test_zero_for_s_fires_on_the_first_evaluation() -> None:
    assert _run([(0.0, C)], for_s=0) == [C]


def test_state_records_pending_and_firing() -> None:
    pending, firing = advance(INACTIVE, 100.0, M, 60)
    assert firing is None and pending == PendingState(M, 100.0, False)
    fired, firing = advance(pending, 160.0, M, 60)
    assert firing == M and fired == PendingState(M, 100.0, True)
    # an override raising for_s while the alert fires does not send it back to pending
    _, firing = advance(fired, 170.0, C, 3600)
    assert firing == C


@given(
    st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=600), st.one_of(st.none(), st.sampled_from(list(Severity)))
        ),
        max_size=30,
    ),
    st.floats(min_value=0, max_value=1200),
)
def test_nothing_fires_before_its_condition_has_held_for_for_s(
    steps: list[tuple[float, Severity | None]], for_s: float
) -> None:
    state = INACTIVE
    now = 0.0
    met_since: float | None = None
    was_firing = False
    for dt, desired in steps:
        now += dt
        met_since = None if desired is None else (now if met_since is None else met_since)
        state, firing = advance(state, now, desired, for_s)
        assert firing is None or firing == desired
        if firing is not None:
            assert met_since is not None and now - met_since >= for_s
        if was_firing and desired is not None:
            assert firing == desired  # once firing, it follows the condition without waiting
        was_firing = firing is not None


# --- rate of change -------------------------------------------------------------------------------


def test_rate_of_change_of_a_battery_cell_heating_fast() -> None:
    # GB 38031-2025 App. C looks for dT/dt ≥ 1 °C/s: 30.0 → 34.0 °C over the last 4 s is 1 °C/s
    samples = [(100.0, 25.0), (101.0, 30.0), (102.0, 30.5), (103.0, 31.6), (104.0, 32.8), (105.0, 34.0)]
    rate = rate_of_change(samples, window_s=4)
    assert rate == pytest.approx(1.0)
    # the whole 5 s window includes the 5 °C jump at the start: (34 − 25) / 5
    assert rate_of_change(samples, window_s=5) == pytest.approx(1.8)


def test_rate_of_change_is_signed_and_in_units_per_second() -> None:
    # pressure falling 3 hPa in 3 hours
    samples = [(0.0, 1013.0), (5400.0, 1011.5), (10800.0, 1010.0)]
    assert rate_of_change(samples, window_s=10800) == pytest.approx(-3.0 / 10800)


def test_rate_of_change_does_not_need_ordered_samples() -> None:
    samples = [(30.0, 6.0), (0.0, 0.0), (20.0, 4.0), (10.0, 2.0)]
    assert rate_of_change(samples, window_s=60) == pytest.approx(0.2)


@pytest.mark.parametrize(
    "samples",
    [[], [(0.0, 1.0)], [(0.0, 1.0), (0.0, 2.0)], [(0.0, 1.0), (100.0, 2.0)]],
    ids=["empty", "one sample", "one instant", "older sample outside the window"],
)
def test_rate_of_change_needs_two_instants_in_the_window(samples: list[tuple[float, float]]) -> None:
    assert rate_of_change(samples, window_s=60) is None


@pytest.mark.parametrize("window", [0.0, -5.0, math.nan])
def test_rate_of_change_rejects_a_window_that_is_not_positive(window: float) -> None:
    with pytest.raises(ValueError, match="window"):
        rate_of_change([(0.0, 1.0), (1.0, 2.0)], window_s=window)


# --- missing data ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last_seen", "now", "expected"),
    [(0.0, 599.0, False), (0.0, 600.0, True), (0.0, 3600.0, True), (1000.0, 900.0, False)],
)
def test_is_silent_after_silence_s_without_a_reading(last_seen: float, now: float, expected: bool) -> None:
    assert is_silent(last_seen, now, silence_s=600) is expected


def test_silent_device_raises_the_rules_severity_with_a_reason() -> None:
    rule = _rule(
        Direction.ABOVE, (Threshold(M, 0.0),), kind=ConditionKind.MISSING_DATA, params={"silence_s": 900}
    )
    assert evaluate_silence(rule, 1000.0, 1899.0).severity is None
    decision = evaluate_silence(rule, 1000.0, 2000.0)
    assert decision.severity == M
    assert "1000 s" in decision.reason.en and "900 s" in decision.reason.en
    assert "1000 秒" in decision.reason.zh


def test_silence_rule_without_thresholds_warns() -> None:
    rule = _rule(Direction.ABOVE, (), kind=ConditionKind.MISSING_DATA, params={"silence_s": 60})
    assert evaluate_silence(rule, 0.0, 60.0).severity == W


def test_silence_needs_a_missing_data_rule_with_a_numeric_silence() -> None:
    with pytest.raises(ValueError, match="not missing_data"):
        evaluate_silence(PM25, 0.0, 1.0)
    no_param = _rule(Direction.ABOVE, (), kind=ConditionKind.MISSING_DATA)
    with pytest.raises(ValueError, match="silence_s"):
        evaluate_silence(no_param, 0.0, 1.0)
