"""The simulator's building blocks: draws repeatable in any order, cycles where their profile puts them,
noise bounded and smooth, a charted sequence no run rule trips, a clock that never runs ahead."""

from __future__ import annotations

import itertools
import math
import statistics

import pytest

from domains import registry
from domains.manufacturing.spc import ControlLimits, RuleSet, run_rule_violations
from domains.simulation import Cycle
from sim import signals
from sim.clock import SimClock
from sim.signals import FaultRates


def test_a_draw_depends_only_on_its_key_and_position() -> None:
    key = signals.series_key(7, "dev-1", "pm25")
    forwards = [signals.uniform(key, p) for p in range(1000)]
    backwards = [signals.uniform(key, p) for p in reversed(range(1000))][::-1]
    assert forwards == backwards
    assert signals.series_key(7, "dev-1", "pm25") == key, "stable across calls (and processes: blake2b)"
    assert signals.series_key(8, "dev-1", "pm25") != key
    assert all(0.0 <= u < 1.0 for u in forwards)
    assert abs(statistics.fmean(forwards) - 0.5) < 0.03


def test_normal_noise_is_standard_and_bounded() -> None:
    key = signals.series_key("noise")
    draws = [signals.normal(key, p) for p in range(20_000)]
    assert abs(statistics.fmean(draws)) < 0.03
    assert abs(statistics.pstdev(draws) - 1.0) < 0.03
    assert max(abs(d) for d in draws) <= 2 / math.sqrt(1 / 3), "four uniforms cannot reach past ±3.47σ"


def test_daily_and_yearly_cycles_peak_where_the_profile_says() -> None:
    afternoon = Cycle(5.0, 15.0)
    assert signals.daily(afternoon, 15.0) == pytest.approx(5.0)
    assert signals.daily(afternoon, 3.0) == pytest.approx(-5.0)
    july = Cycle(12.0, 200)
    assert signals.yearly(july, 200) == pytest.approx(12.0)
    assert signals.yearly(july, 200 + signals.YEAR_DAYS / 2) == pytest.approx(-12.0)
    # 2026-01-01 00:00 in Beijing is 2025-12-31 16:00 UTC: local hour 0, day 1.
    new_year = 1767196800.0
    assert signals.local_hour(new_year, 8.0) == pytest.approx(0.0)
    assert signals.day_of_year(new_year, 8.0) == pytest.approx(1.0, abs=0.75), "a mean year: ±¾ day"


def test_wander_is_smooth_from_minute_to_minute() -> None:
    key = signals.series_key("wander")
    values = [signals.wander(key, 60.0 * k) for k in range(3000)]
    steps = [abs(b - a) for a, b in itertools.pairwise(values)]
    assert max(steps) < 0.37, "the slope between two half-hour knots is at most 6.93σ·π/60 per minute"
    assert 0.6 < statistics.pstdev(values) < 1.2


def test_the_in_control_sequence_trips_no_run_rule_however_it_is_cut() -> None:
    limits = ControlLimits(0.0, 1.0)
    cycle = list(signals.IN_CONTROL_Z) * 4
    for rule_set in RuleSet:
        assert run_rule_violations(cycle, limits, rule_set) == ()
    assert abs(statistics.fmean(signals.IN_CONTROL_Z)) < 0.05
    assert 0.9 < statistics.pstdev(signals.IN_CONTROL_Z) < 1.1


def test_charted_profiles_stay_in_control_after_rounding() -> None:
    charted = [
        (profile, s)
        for area in registry.areas()
        for profile in area.profiles
        for s in profile.signals
        if s.charted
    ]
    assert charted, "manufacturing charts vibration and part diameter"
    for profile, s in charted:
        assert profile.settings["spc_centre"] == s.base and profile.settings["spc_sigma"] == s.jitter
        values = [round(s.base + s.jitter * z, s.decimals) for z in signals.IN_CONTROL_Z] * 4
        for rule_set in RuleSet:
            assert run_rule_violations(values, ControlLimits(s.base, s.jitter), rule_set) == (), s.metric


def test_fault_rates_outside_zero_to_one_are_refused() -> None:
    with pytest.raises(ValueError, match="spike"):
        FaultRates(spike=1.5)
    with pytest.raises(ValueError, match="max_skew_s"):
        FaultRates(max_skew_s=-1)


def test_simulated_time_speeds_up_but_never_passes_the_real_clock() -> None:
    clock = SimClock.replaying(history_s=3600, speedup=60, now=1_000_000.0)
    assert clock.now(1_000_000.0) == 1_000_000.0 - 3600
    assert clock.now(1_000_030.0) == 1_000_000.0 - 3600 + 1800, "30 s of real time replay 30 min"
    assert clock.now(1_000_062.0) == 1_000_062.0, "caught up after a minute: real time from then on"
    assert clock.caught_up(1_000_062.0) and not clock.caught_up(1_000_010.0)
    with pytest.raises(ValueError, match="speed-up"):
        SimClock(origin=0.0, speedup=0.5)
