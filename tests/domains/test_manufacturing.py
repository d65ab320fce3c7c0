"""Smart manufacturing: ISO 10816-3 zones, SPC run rules, GBZ 2.1 exposure, GB/T 50493 gas alarms, rules."""

from __future__ import annotations

import math
from collections.abc import Sequence
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domains import registry
from domains.manufacturing import AREA
from domains.manufacturing.exposure import (
    CO_STEL,
    CO_TWA,
    ceiling_exceeded,
    co_exposure,
    time_weighted_average,
)
from domains.manufacturing.gas_alarm import combustible_gas_alarm, toxic_gas_alarm
from domains.manufacturing.rules import RULES
from domains.manufacturing.spc import (
    SPC_VIOLATIONS,
    ControlLimits,
    RuleSet,
    estimate_limits,
    nelson,
    run_rule_violations,
    spc_violations_spec,
    western_electric,
)
from domains.manufacturing.vibration import (
    ISO10816_ZONE,
    Foundation,
    MachineGroup,
    machine_group_for_power,
    vibration_zone,
)
from domains.model import ConditionKind, InvalidInputError, RuleSpec, Severity
from domains.rule_kinds.missing_data import evaluate_silence

MIN = 60.0
HOUR = 3600.0


def rule(rule_id: str) -> RuleSpec:
    return next(r for r in RULES if r.id == rule_id)


@pytest.fixture()
def conditions() -> ModuleType:
    module: ModuleType = pytest.importorskip("domains.conditions")
    return module


# ---------------------------------------------------------------- ISO 10816-3 zones

# docs/standards.md §4, restated from the standard's tables: (group, foundation, A/B, B/C, C/D) mm/s.
ISO_10816_3_TABLE = [
    (MachineGroup.MEDIUM, Foundation.RIGID, 1.4, 2.8, 4.5),
    (MachineGroup.MEDIUM, Foundation.FLEXIBLE, 2.3, 4.5, 7.1),
    (MachineGroup.LARGE, Foundation.RIGID, 2.3, 4.5, 7.1),
    (MachineGroup.LARGE, Foundation.FLEXIBLE, 3.5, 7.1, 11.0),
]


def zone_code(v: float, group: MachineGroup, foundation: Foundation) -> str:
    level = vibration_zone(v, group, foundation).level
    assert level is not None
    return level.code


@pytest.mark.parametrize(("group", "foundation", "ab", "bc", "cd"), ISO_10816_3_TABLE)
def test_every_zone_boundary_of_the_table_starts_the_higher_zone(
    group: MachineGroup, foundation: Foundation, ab: float, bc: float, cd: float
) -> None:
    assert zone_code(0.0, group, foundation) == "A"
    assert zone_code(ab - 0.01, group, foundation) == "A"
    assert zone_code(ab, group, foundation) == "B"
    assert zone_code(bc - 0.01, group, foundation) == "B"
    assert zone_code(bc, group, foundation) == "C"
    assert zone_code(cd - 0.01, group, foundation) == "C"
    assert zone_code(cd, group, foundation) == "D"
    assert zone_code(60.0, group, foundation) == "D"


def test_reading_exactly_on_the_b_c_boundary_is_zone_c_short_term_only() -> None:
    # Group 2 rigid, 2.8 mm/s: the boundary value is the limit of zone C, never still zone B.
    result = vibration_zone(2.8, MachineGroup.MEDIUM, Foundation.RIGID)
    assert result.level is not None and result.level.code == "C"
    assert result.level.severity is Severity.MAJOR
    assert "short-term" in result.level.title.en and "短期" in result.level.title.zh
    assert result.value == 3.0


def test_zone_d_means_damage_and_is_critical_and_zone_a_raises_nothing() -> None:
    d = vibration_zone(11.0, MachineGroup.LARGE, Foundation.FLEXIBLE).level
    a = vibration_zone(0.5, MachineGroup.LARGE, Foundation.FLEXIBLE).level
    assert d is not None and d.severity is Severity.CRITICAL and "damage" in d.title.en
    assert a is not None and a.severity is None
    assert d.color and a.color and d.color != a.color


def test_same_reading_is_judged_by_the_machine_it_comes_from() -> None:
    # 4.0 mm/s: zone C on a medium machine on concrete, zone B on a large one on a steel frame.
    assert zone_code(4.0, MachineGroup.MEDIUM, Foundation.RIGID) == "C"
    assert zone_code(4.0, MachineGroup.LARGE, Foundation.FLEXIBLE) == "B"


@pytest.mark.parametrize(
    ("kw", "group"),
    [
        (15.0, MachineGroup.MEDIUM),
        (300.0, MachineGroup.MEDIUM),
        (300.5, MachineGroup.LARGE),
        (50_000.0, MachineGroup.LARGE),
    ],
)
def test_machine_group_from_rated_power_puts_300_kw_in_group_2(kw: float, group: MachineGroup) -> None:
    assert machine_group_for_power(kw) is group


@pytest.mark.parametrize("kw", [14.9, 50_001.0, -1.0, math.nan])
def test_machines_outside_iso_10816_3_scope_are_refused(kw: float) -> None:
    with pytest.raises(InvalidInputError):
        machine_group_for_power(kw)


@given(
    st.floats(min_value=0, max_value=100),
    st.floats(min_value=0, max_value=100),
    st.sampled_from(ISO_10816_3_TABLE),
)
def test_zone_never_improves_as_vibration_rises(a: float, b: float, row: tuple[object, ...]) -> None:
    group, foundation = row[0], row[1]
    assert isinstance(group, MachineGroup) and isinstance(foundation, Foundation)
    lo, hi = sorted((a, b))
    lo_zone = vibration_zone(lo, group, foundation).value
    hi_zone = vibration_zone(hi, group, foundation).value
    assert lo_zone is not None and hi_zone is not None and lo_zone <= hi_zone


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, -0.1])
def test_vibration_zone_rejects_nan_inf_and_negative_velocity(bad: float) -> None:
    with pytest.raises(InvalidInputError, match="velocity"):
        vibration_zone(bad)


def test_zone_index_defaults_to_group_2_rigid_and_takes_device_settings() -> None:
    default = ISO10816_ZONE.compute({"vibration_velocity_rms": 3.0})
    described = ISO10816_ZONE.compute(
        {"vibration_velocity_rms": 3.0, "machine_group": 1, "foundation": "flexible"}
    )
    assert default is not None and default.level is not None and default.level.code == "C"
    assert described is not None and described.level is not None and described.level.code == "A"
    assert ISO10816_ZONE.compute({}) is None
    with pytest.raises(InvalidInputError, match="machine_group"):
        ISO10816_ZONE.compute({"vibration_velocity_rms": 3.0, "machine_group": 3})
    with pytest.raises(InvalidInputError, match="foundation"):
        ISO10816_ZONE.compute({"vibration_velocity_rms": 3.0, "foundation": "springs"})


# ---------------------------------------------------------------- SPC run rules

UNIT = ControlLimits(centre=0.0, sigma=1.0)


def tripped(
    values: Sequence[float], rule_set: RuleSet, limits: ControlLimits = UNIT
) -> dict[str, tuple[int, ...]]:
    return {v.rule.id: v.points for v in run_rule_violations(values, limits, rule_set)}


WE = RuleSet.WESTERN_ELECTRIC
NEL = RuleSet.NELSON


def test_sigma_from_ucl_is_a_third_of_ucl_minus_centre() -> None:
    limits = ControlLimits.from_ucl(ucl=13.0, centre=10.0)
    assert limits.sigma == 1.0 and limits.lcl == 7.0
    # 13.5 is 3.5σ above CL 10 → rule 1; 12.9 is 2.9σ → nothing.
    assert tripped([10.0, 13.5], WE, limits) == {"we1": (1,)}
    assert tripped([10.0, 12.9], WE, limits) == {}


@pytest.mark.parametrize(("ucl", "cl"), [(10.0, 10.0), (9.0, 10.0), (math.nan, 10.0)])
def test_ucl_not_above_centre_is_refused(ucl: float, cl: float) -> None:
    with pytest.raises(InvalidInputError):
        ControlLimits.from_ucl(ucl, cl)


@pytest.mark.parametrize("rs", [WE, NEL])
def test_rule_1_point_beyond_3_sigma_trips_and_a_point_on_the_limit_does_not(rs: RuleSet) -> None:
    rid = "we1" if rs is WE else "nelson1"
    assert tripped([0, 0.5, 3.01, 0], rs).get(rid) == (2,)
    assert tripped([0, -3.5, 0], rs).get(rid) == (1,)
    assert rid not in tripped([0, 3.0, -3.0, 0], rs)


@pytest.mark.parametrize("rs", [WE, NEL])
def test_two_of_three_beyond_2_sigma_same_side(rs: RuleSet) -> None:
    rid = "we2" if rs is WE else "nelson5"
    assert tripped([0, 2.5, 0, 2.5], rs).get(rid) == (3,)
    assert tripped([2.5, 2.5, 0], rs).get(rid) == (1,)  # complete at the 2nd point, not again at the 3rd
    assert tripped([-2.1, -2.1], rs).get(rid) == (1,)
    assert rid not in tripped([2.5, 0, 0, 2.5], rs)  # 2 beyond, but 4 points apart
    assert rid not in tripped([2.5, -2.5, 0.0], rs)  # opposite sides
    assert rid not in tripped([2.0, 2.0, 2.0], rs)  # on 2σ is not beyond it
    assert tripped([2.5, 2.5, 2.0], rs).get(rid) == (1,)  # nor is a point on 2σ after the pattern


@pytest.mark.parametrize("rs", [WE, NEL])
def test_four_of_five_beyond_1_sigma_same_side(rs: RuleSet) -> None:
    rid = "we3" if rs is WE else "nelson6"
    assert tripped([1.5, 1.5, 0, 1.5, 1.5], rs).get(rid) == (4,)
    assert tripped([-1.2, -1.2, -1.2, -1.2], rs).get(rid) == (3,)
    assert rid not in tripped([1.5, 1.5, 0, 0, 1.5, 1.5], rs)
    assert rid not in tripped([1.5, -1.5, 1.5, -1.5, 1.5], rs)
    assert rid not in tripped([1.0, 1.0, 1.0, 1.0, 1.0], rs)


def test_western_electric_4_eight_in_a_row_on_one_side() -> None:
    assert tripped([0.5] * 8, WE).get("we4") == (7,)
    assert tripped([-0.2] * 10, WE).get("we4") == (7, 8, 9)
    assert "we4" not in tripped([0.5] * 7, WE)
    assert "we4" not in tripped([0.5] * 4 + [0.0] + [0.5] * 4, WE)  # a point on the CL breaks the run
    assert "we4" not in tripped([0.5] * 4 + [-0.5] + [0.5] * 3, WE)


def test_nelson_2_needs_nine_on_one_side_where_western_electric_needs_eight() -> None:
    eight = [0.5] * 8
    assert "we4" in tripped(eight, WE) and "nelson2" not in tripped(eight, NEL)
    assert tripped([0.5] * 9, NEL).get("nelson2") == (8,)
    assert "nelson2" not in tripped([0.5] * 4 + [0.0] + [0.5] * 5, NEL)


def test_nelson_3_six_points_steadily_rising_or_falling() -> None:
    assert tripped([0, 0.1, 0.2, 0.3, 0.4, 0.5], NEL).get("nelson3") == (5,)
    assert tripped([0.5, 0.4, 0.3, 0.2, 0.1, 0.0, -0.1], NEL).get("nelson3") == (5, 6)
    assert "nelson3" not in tripped([0, 0.1, 0.2, 0.3, 0.4], NEL)  # only 5 points
    assert "nelson3" not in tripped([0, 0.1, 0.1, 0.2, 0.3, 0.4, 0.5], NEL)  # a tie breaks the trend
    assert "nelson3" not in tripped([0, 0.1, 0.2, 0.1, 0.3, 0.4, 0.5], NEL)


def test_nelson_4_fourteen_points_alternating() -> None:
    zigzag = [0.5, -0.5] * 7
    assert tripped(zigzag, NEL).get("nelson4") == (13,)
    assert "nelson4" not in tripped(zigzag[:13], NEL)
    broken = [*zigzag[:7], zigzag[6], *zigzag[7:]]  # one repeated value
    assert "nelson4" not in tripped(broken, NEL)


def test_nelson_7_fifteen_points_hugging_the_centre_line() -> None:
    assert tripped([0.0] * 15, NEL).get("nelson7") == (14,)
    assert tripped([1.0, -1.0, 0.3] * 5, NEL).get("nelson7") == (14,)  # exactly 1σ counts as within
    assert "nelson7" not in tripped([0.0] * 14, NEL)
    assert "nelson7" not in tripped([0.0] * 7 + [1.01] + [0.0] * 7, NEL)


def test_nelson_8_eight_beyond_1_sigma_needs_both_sides() -> None:
    mixture = [1.5, -1.5, -1.2, 1.3, 1.5, -1.5, 1.1, -2.5]
    assert tripped(mixture, NEL).get("nelson8") == (7,)
    assert "nelson8" not in tripped(mixture[:7], NEL)
    assert "nelson8" not in tripped([1.5] * 8, NEL)  # one side only: that is rule 6's business
    assert "nelson6" in tripped([1.5] * 8, NEL)
    assert "nelson8" not in tripped([*mixture[:4], 1.0, *mixture[4:7]], NEL)


def test_in_control_noise_trips_no_western_electric_rule() -> None:
    assert western_electric([0.3, -0.8, 1.2, -0.1, 0.9, -1.4, 0.2, -0.5, 0.7, -0.3], UNIT) == ()


def test_nelson_and_western_electric_shortcuts_match_the_rule_set_call() -> None:
    values = [0.5] * 9 + [3.5]
    assert nelson(values, UNIT) == run_rule_violations(values, UNIT, NEL)
    assert {v.rule.id for v in western_electric(values, UNIT)} == {"we1", "we4"}


def test_every_rule_has_bilingual_text() -> None:
    for rs in (WE, NEL):
        for v in run_rule_violations([3.5] * 20, UNIT, rs):
            assert v.rule.title.en and v.rule.title.zh


quarter_steps = st.integers(min_value=-20, max_value=20).map(lambda n: n / 4)


@given(st.lists(quarter_steps, max_size=40), st.sampled_from([WE, NEL]))
def test_run_rules_are_symmetric_about_the_centre_line(values: list[float], rs: RuleSet) -> None:
    assert tripped(values, rs) == tripped([-v for v in values], rs)


@given(
    st.lists(quarter_steps, max_size=40),
    st.sampled_from([0.5, 2.0, 8.0]),
    st.integers(min_value=-1000, max_value=1000),
    st.sampled_from([WE, NEL]),
)
def test_run_rules_do_not_depend_on_units_or_offset(
    values: list[float], scale: float, offset: int, rs: RuleSet
) -> None:
    shifted = [v * scale + offset for v in values]
    assert tripped(shifted, rs, ControlLimits(float(offset), scale)) == tripped(values, rs)


@given(st.lists(st.floats(min_value=-10, max_value=10), max_size=40), st.sampled_from([WE, NEL]))
def test_reported_points_are_sorted_indices_of_the_sequence(values: list[float], rs: RuleSet) -> None:
    for points in tripped(values, rs).values():
        assert list(points) == sorted(set(points))
        assert all(0 <= i < len(values) for i in points)
    for i in tripped(values, rs).get("we1", ()):
        assert abs(values[i]) > 3


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_run_rules_reject_non_finite_values(bad: float) -> None:
    with pytest.raises(InvalidInputError):
        western_electric([0.0, bad], UNIT)


def test_estimated_limits_use_mean_and_average_moving_range_over_d2() -> None:
    # mean (1+2+3+2+1)/5 = 1.8; moving ranges 1,1,1,1 → 1 / 1.128.
    limits = estimate_limits([1, 2, 3, 2, 1])
    assert limits.centre == pytest.approx(1.8)
    assert limits.sigma == pytest.approx(1 / 1.128)
    with pytest.raises(InvalidInputError):
        estimate_limits([5, 5, 5])


def series(
    values: Sequence[float], step_s: float = 60.0, t0: float = 1_700_000_000.0
) -> list[tuple[float, float]]:
    return [(t0 + i * step_s, v) for i, v in enumerate(values)]


def test_spc_index_levels_follow_the_worst_pattern() -> None:
    settings = {"spc_centre": 25.0, "spc_ucl": 25.03}  # σ = 0.01 mm
    calm = SPC_VIOLATIONS.compute({"part_diameter": series([25.0, 25.004, 24.995, 25.001]), **settings})
    drift = SPC_VIOLATIONS.compute({"part_diameter": series([25.005] * 8), **settings})
    outlier = SPC_VIOLATIONS.compute({"part_diameter": series([25.0, 25.0, 25.05]), **settings})
    assert calm is not None and calm.value == 0 and calm.level is not None and calm.level.severity is None
    assert drift is not None and drift.value == 1 and drift.details["violations"] == {"we4": [7]}
    assert outlier is not None and outlier.value == 2
    assert outlier.level is not None and outlier.level.severity is Severity.MAJOR


def test_spc_index_can_use_nelson_and_configured_limits() -> None:
    spec = spc_violations_spec(limits=ControlLimits(0.0, 1.0), rule_set=RuleSet.NELSON)
    result = spec.compute({"part_diameter": series([0, 0.1, 0.2, 0.3, 0.4, 0.5])})
    assert result is not None and result.details["violations"] == {"nelson3": [5]}
    result = spec.compute(
        {"part_diameter": series([0, 0.1, 0.2, 0.3, 0.4, 0.5]), "spc_rule_set": "western_electric"}
    )
    assert result is not None and result.value == 0


def test_spc_index_without_limits_waits_for_enough_points_to_estimate_them() -> None:
    assert SPC_VIOLATIONS.compute({}) is None
    assert SPC_VIOLATIONS.compute({"part_diameter": series([1.0, 2.0, 1.5] * 6)}) is None  # 18 points
    result = SPC_VIOLATIONS.compute({"part_diameter": series([1.0, 2.0, 1.5] * 7)})
    assert result is not None and result.details["points"] == 21
    with pytest.raises(InvalidInputError, match="spc_sigma or spc_ucl"):
        SPC_VIOLATIONS.compute({"part_diameter": series([1.0]), "spc_centre": 1.0})


# ---------------------------------------------------------------- GBZ 2.1 exposure


def minute_series(values: Sequence[float], t0: float = 0.0) -> list[tuple[float, float]]:
    """values[i] is the reading at minute i, standing for minute (i-1, i]."""
    return [(t0 + i * MIN, v) for i, v in enumerate(values)]


def test_four_hours_at_30_and_four_at_10_is_a_twa_of_exactly_20_which_complies() -> None:
    # (240 min × 30 + 240 min × 10) / 480 min = 20 mg/m³: at PC-TWA, not above it.
    samples = minute_series([0.0] + [30.0] * 240 + [10.0] * 240)
    result = co_exposure(samples)
    assert result.twa is not None and result.twa.value == pytest.approx(20.0)
    assert result.twa.coverage == pytest.approx(1.0)
    assert not result.twa_exceeded
    one_more = co_exposure(minute_series([0.0] + [30.0] * 241 + [10.0] * 239))
    assert one_more.twa is not None and one_more.twa.value > 20 and one_more.twa_exceeded


def test_short_burst_trips_stel_but_not_twa() -> None:
    # 7 h 45 min clean air, then 15 min at 40 mg/m³: STEL 40 > 30; TWA 40 × 15 / 480 = 1.25.
    result = co_exposure(minute_series([0.0] + [0.0] * 465 + [40.0] * 15))
    assert result.stel is not None and result.stel.value == pytest.approx(40.0) and result.stel_exceeded
    assert result.twa is not None and result.twa.value == pytest.approx(1.25) and not result.twa_exceeded


def test_stel_of_exactly_30_complies() -> None:
    # Last 15 minutes: 10 min at 36 and 5 min at 18 → (360 + 90) / 15 = 30.
    result = co_exposure(minute_series([0.0] * 30 + [36.0] * 10 + [18.0] * 5))
    assert result.stel is not None and result.stel.value == pytest.approx(30.0)
    assert not result.stel_exceeded


def test_gaps_longer_than_max_gap_are_left_out_and_lower_the_coverage() -> None:
    # 10 min at 24 mg/m³, a 20-minute hole, 5 more minutes at 24: the hole is not clean air.
    samples = [*minute_series([24.0] * 11), (30 * MIN, 24.0), *minute_series([24.0] * 5, t0=31 * MIN)]
    avg = time_weighted_average(samples, 15 * 60 * 4)
    assert avg is not None and avg.value == pytest.approx(24.0)
    assert avg.covered_s == pytest.approx(15 * MIN)


def test_each_reading_stands_for_the_interval_before_it() -> None:
    # Readings 0 at t=0 and 60 at t=60: the 60 covers (0, 60], so the last minute averages 60.
    avg = time_weighted_average([(0.0, 0.0), (60.0, 60.0)], 60)
    assert avg is not None and avg.value == 60.0
    assert time_weighted_average([(0.0, 5.0)], 60) is None


def test_order_of_readings_does_not_matter_but_duplicates_and_negatives_are_refused() -> None:
    samples = minute_series([1.0, 5.0, 9.0, 2.0])
    forward = time_weighted_average(samples, 3600)
    backward = time_weighted_average(list(reversed(samples)), 3600)
    assert forward == backward
    with pytest.raises(InvalidInputError, match="two readings"):
        time_weighted_average([(0.0, 1.0), (0.0, 2.0), (60.0, 1.0)], 3600)
    with pytest.raises(InvalidInputError):
        time_weighted_average([(0.0, 1.0), (60.0, -2.0)], 3600)
    with pytest.raises(InvalidInputError):
        time_weighted_average([(0.0, 1.0), (60.0, math.nan)], 3600)


@given(st.lists(st.floats(min_value=0, max_value=1000), min_size=2, max_size=60))
def test_twa_lies_between_the_smallest_and_largest_covered_reading(values: list[float]) -> None:
    avg = time_weighted_average(minute_series(values), 8 * HOUR)
    assert avg is not None
    covered = values[1:]
    assert min(covered) - 1e-9 <= avg.value <= max(covered) + 1e-9


@given(st.floats(min_value=0, max_value=1000), st.integers(min_value=2, max_value=50))
def test_twa_of_a_constant_concentration_is_that_concentration(c: float, n: int) -> None:
    avg = time_weighted_average(minute_series([c] * n), 8 * HOUR)
    assert avg is not None and avg.value == pytest.approx(c)


def test_co_indices_wait_for_enough_data_then_report_mg_per_m3() -> None:
    half_shift = minute_series([25.0] * 241)
    full_shift = minute_series([25.0] * 481)
    assert CO_TWA.compute({"co": half_shift}) is None  # 4 h of 8 h < 75 % coverage
    twa = CO_TWA.compute({"co": full_shift})
    assert twa is not None and twa.value == pytest.approx(25.0) and twa.level is not None
    assert twa.level.code == "over_pc_twa"
    stel = CO_STEL.compute({"co": half_shift})
    assert stel is not None and stel.level is not None and stel.level.code == "within_limit"
    assert CO_TWA.compute({}) is None


def test_h2s_ceiling_is_exceeded_only_above_10() -> None:
    assert not ceiling_exceeded(10.0)
    assert ceiling_exceeded(10.01)
    with pytest.raises(InvalidInputError):
        ceiling_exceeded(-1.0)


# ---------------------------------------------------------------- GB/T 50493 gas alarms


@pytest.mark.parametrize(
    ("lel", "expected"),
    [
        (0.0, None),
        (24.9, None),
        (25.0, "first_alarm"),
        (49.9, "first_alarm"),
        (50.0, "second_alarm"),
        (100.0, "second_alarm"),
    ],
)
def test_combustible_gas_alarms_at_25_and_50_percent_lel(lel: float, expected: str | None) -> None:
    level = combustible_gas_alarm(lel)
    assert (level.code if level else None) == expected


def test_combustible_set_points_may_be_lowered_but_not_raised() -> None:
    level = combustible_gas_alarm(20.0, first=20.0, second=40.0)
    assert level is not None and level.code == "first_alarm"
    with pytest.raises(ValueError, match="GB/T 50493"):
        combustible_gas_alarm(20.0, first=30.0, second=50.0)


@pytest.mark.parametrize(
    ("mg", "expected"), [(9.9, None), (10.0, "first_alarm"), (19.9, "first_alarm"), (20.0, "second_alarm")]
)
def test_h2s_alarms_at_the_mac_and_twice_the_mac(mg: float, expected: str | None) -> None:
    level = toxic_gas_alarm(mg)
    assert (level.code if level else None) == expected


@given(st.floats(min_value=0, max_value=100), st.floats(min_value=0, max_value=100))
def test_gas_alarm_never_weakens_as_concentration_rises(a: float, b: float) -> None:
    def rank(x: float) -> int:
        level = combustible_gas_alarm(x)
        return 0 if level is None or level.severity is None else int(level.severity)

    lo, hi = sorted((a, b))
    assert rank(lo) <= rank(hi)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -1.0])
def test_gas_alarms_reject_bad_readings(bad: float) -> None:
    with pytest.raises(InvalidInputError):
        combustible_gas_alarm(bad)
    with pytest.raises(InvalidInputError):
        toxic_gas_alarm(bad)


# ---------------------------------------------------------------- area and rules


def test_area_is_registered_with_its_bilingual_title() -> None:
    area = registry.area("manufacturing")
    assert area is AREA or area.id == AREA.id
    assert AREA.title.en == "Smart manufacturing" and AREA.title.zh == "智能制造"
    registry.validate(AREA)
    assert {"vibration_sensor", "motor_monitor", "gas_detector", "gauge"} <= set(AREA.device_kinds)


def test_every_metric_has_a_pint_unit_and_a_device_kind_the_area_knows() -> None:
    pint = pytest.importorskip("pint")
    ureg = pint.UnitRegistry()
    for m in AREA.metrics:
        ureg.Unit(m.unit)
        assert m.title.en and m.title.zh
        assert set(m.device_kinds) <= set(AREA.device_kinds)


def test_rules_are_named_for_the_area_and_cite_their_source() -> None:
    for r in AREA.rules:
        assert r.id.startswith("manufacturing.") and r.area == "manufacturing"
        assert r.source and r.message.en and r.message.zh
    silent = [r for r in AREA.rules if r.kind is ConditionKind.MISSING_DATA]
    assert silent and all(float(r.params["silence_s"]) > 0 for r in silent)


def rung(r: RuleSpec, observed: float) -> Severity | None:
    """The highest severity whose threshold an ABOVE rule's observed value reaches."""
    met = [t.severity for t in r.thresholds if observed >= t.value]
    return max(met) if met else None


@pytest.mark.parametrize(
    ("mm_s", "severity"),
    [(1.0, None), (1.4, Severity.WARNING), (2.8, Severity.MAJOR), (4.5, Severity.CRITICAL)],
)
def test_zone_ladder_raises_warning_for_b_major_for_c_critical_for_d(
    mm_s: float, severity: Severity | None
) -> None:
    zone = ISO10816_ZONE.compute({"vibration_velocity_rms": mm_s})
    assert zone is not None and zone.value is not None
    assert rung(rule("manufacturing.vibration_zone"), zone.value) is severity
    assert (zone.level.severity if zone.level else None) is severity


def test_rules_fire_through_the_shared_condition_evaluator(conditions: ModuleType) -> None:
    gas = rule("manufacturing.combustible_gas_alarm")
    assert conditions.evaluate(gas, 24.9).severity is None
    assert conditions.evaluate(gas, 25.0).severity is Severity.MAJOR
    assert conditions.evaluate(gas, 50.0).severity is Severity.CRITICAL
    twa = CO_TWA.compute({"co": minute_series([25.0] * 481)})
    assert twa is not None and twa.value is not None
    assert conditions.evaluate(rule("manufacturing.co_twa"), twa.value).severity is Severity.MAJOR
    spc = SPC_VIOLATIONS.compute({"part_diameter": series([0.0, 4.0]), "spc_centre": 0.0, "spc_sigma": 1.0})
    assert spc is not None and spc.value is not None
    assert conditions.evaluate(rule("manufacturing.spc_out_of_control"), spc.value).severity is Severity.MAJOR
    h2s = rule("manufacturing.h2s_alarm")
    assert conditions.evaluate(h2s, 20.0).severity is Severity.CRITICAL
    silent = rule("manufacturing.gas_detector_silent")
    assert evaluate_silence(silent, 0.0, 299.0).severity is None
    assert evaluate_silence(silent, 0.0, 300.0).severity is Severity.MAJOR
