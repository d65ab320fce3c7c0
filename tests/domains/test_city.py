"""Smart city area: fog signal and driving rules, road icing, tunnel gas ladders, water pressure."""

from __future__ import annotations

import math
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domains import registry
from domains.city import AREA, fog, icing, rules, tunnel_gas, water_pressure
from domains.model import (
    ConditionKind,
    Direction,
    IndexResult,
    InvalidInputError,
    Level,
    RuleSpec,
    Threshold,
    Window,
)

BAD_NUMBERS = [math.nan, math.inf, -math.inf]


def tripped(rule: RuleSpec, value: float) -> Threshold | None:
    """The worst rung a value trips, reading Threshold as the model documents it (inclusive)."""
    hits = [
        t
        for t in rule.thresholds
        if (value >= t.value if rule.direction is Direction.ABOVE else value <= t.value)
    ]
    return max(hits, key=lambda t: t.severity) if hits else None


def tripped_code(rule: RuleSpec, value: float) -> str | None:
    t = tripped(rule, value)
    return None if t is None or t.level is None else t.level.code


def level_code(result: IndexResult) -> str:
    assert result.level is not None
    return result.level.code


# --- fog signal (CMA) ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("visibility_m", "signal"),
    [
        (0.0, "red"),
        (49.9, "red"),
        (50.0, "orange"),  # "小于200米、大于等于50米": 50 m itself is orange
        (120.0, "orange"),
        (199.9, "orange"),
        (200.0, "yellow"),  # "小于500米、大于等于200米": 200 m itself is yellow
        (350.0, "yellow"),
        (499.9, "yellow"),
        (500.0, "none"),  # 500 m is not "小于500米"
        (500.1, "none"),
        (20_000.0, "none"),
    ],
)
def test_fog_signal_bands_are_closed_at_their_lower_end(visibility_m: float, signal: str) -> None:
    assert level_code(fog.fog_signal(visibility_m)) == signal


def test_fog_signal_value_is_the_signal_number() -> None:
    assert [fog.fog_signal(v).value for v in (800.0, 300.0, 100.0, 10.0)] == [0.0, 1.0, 2.0, 3.0]


@given(st.floats(min_value=0, max_value=100_000), st.floats(min_value=0, max_value=100_000))
def test_lower_visibility_never_gives_a_milder_fog_signal(a: float, b: float) -> None:
    low, high = min(a, b), max(a, b)
    assert fog.fog_signal_number(low) >= fog.fog_signal_number(high)


@pytest.mark.parametrize("bad", [*BAD_NUMBERS, -1.0])
def test_fog_signal_rejects_non_finite_and_negative_visibility(bad: float) -> None:
    with pytest.raises(InvalidInputError, match="visibility_m"):
        fog.fog_signal(bad)


# --- fog grade (GB/T 27964-2011, [verify]) ------------------------------------------------------


@pytest.mark.parametrize(
    ("visibility_m", "grade"),
    [
        (10.0, "特强浓雾"),
        (49.9, "特强浓雾"),
        (50.0, "强浓雾"),
        (199.9, "强浓雾"),
        (200.0, "浓雾"),
        (499.9, "浓雾"),
        (500.0, "大雾"),
        (999.9, "大雾"),
        (1_000.0, "轻雾"),
        (9_999.9, "轻雾"),
        (10_000.0, "无雾"),
    ],
)
def test_fog_grade_at_both_ends_of_every_band(visibility_m: float, grade: str) -> None:
    assert fog.fog_grade(visibility_m).title.zh == grade


def test_fog_grade_bounds_are_configurable() -> None:
    # A site that calls anything under 100 m extremely dense fog.
    bounds = (100.0, 200.0, 500.0, 1_000.0, 10_000.0)
    assert fog.fog_grade(80.0, bounds_m=bounds).title.zh == "特强浓雾"
    assert fog.fog_grade(80.0).title.zh == "强浓雾"


def test_fog_grade_rejects_bounds_that_are_not_five_ascending_values() -> None:
    with pytest.raises(InvalidInputError, match="ascending"):
        fog.fog_grade(100.0, bounds_m=(50.0, 500.0, 200.0, 1_000.0, 10_000.0))
    with pytest.raises(InvalidInputError, match="ascending"):
        fog.fog_grade(100.0, bounds_m=(50.0, 200.0))


# --- driving advice (art. 81) and traffic control -------------------------------------------------


@pytest.mark.parametrize(
    ("visibility_m", "speed", "gap", "hazard", "leave", "control"),
    [
        (10.0, 20.0, None, True, True, 1),
        (49.9, 20.0, None, True, True, 1),
        (50.0, 40.0, 50.0, True, False, 2),  # art. 81(3) is "小于50米": 50 m is still item (2)
        (99.9, 40.0, 50.0, True, False, 2),
        (100.0, 60.0, 100.0, False, False, 3),
        (199.9, 60.0, 100.0, False, False, 3),
        (200.0, None, None, False, False, None),
        (2_000.0, None, None, False, False, None),
    ],
)
def test_highway_advice_follows_art81_bands(
    visibility_m: float,
    speed: float | None,
    gap: float | None,
    hazard: bool,
    leave: bool,
    control: int | None,
) -> None:
    advice = fog.highway_fog_advice(visibility_m)
    assert advice.speed_limit_kmh == speed
    assert advice.min_gap_m == gap
    assert ("hazard_warning_lamps" in advice.lights) is hazard
    assert advice.leave_at_nearest_exit is leave
    assert advice.control_level == control


def test_fog_lights_come_on_below_200_m_and_not_at_200() -> None:
    assert "fog_lights" in fog.highway_fog_advice(199.0).lights
    assert fog.highway_fog_advice(200.0).lights == ()


def test_advice_at_80_m_tells_the_driver_40_kmh_50_m_and_hazard_lamps_in_both_languages() -> None:
    advice = fog.highway_fog_advice(80.0)
    assert advice.signal.code == "orange"
    assert "40 km/h" in advice.advice.en
    assert "50 m" in advice.advice.en
    assert "hazard warning lamps" in advice.advice.en
    assert "level 2" in advice.advice.en
    assert "每小时40公里" in advice.advice.zh
    assert "50米以上" in advice.advice.zh
    assert "危险报警闪光灯" in advice.advice.zh
    assert "二级管控" in advice.advice.zh


def test_advice_below_50_m_says_leave_at_the_nearest_exit() -> None:
    advice = fog.highway_fog_advice(30.0)
    assert "nearest exit" in advice.advice.en
    assert "最近的出口" in advice.advice.zh
    assert "close the expressway" in advice.advice.en


def test_icy_surface_closes_the_road_even_in_clear_weather() -> None:
    advice = fog.highway_fog_advice(5_000.0, icy=True)
    assert advice.control_level == 1
    assert advice.speed_limit_kmh is None  # art. 81 is about visibility; ice does not change it
    assert "icy" in advice.advice.en
    assert "路面结冰" in advice.advice.zh


def _control_rank(level: int | None) -> int:
    return 0 if level is None else 4 - level  # 3 → 1, 2 → 2, 1 → 3: bigger is stricter


@given(st.floats(min_value=0, max_value=50_000), st.floats(min_value=0, max_value=50_000))
def test_lower_visibility_never_loosens_speed_limit_or_traffic_control(a: float, b: float) -> None:
    low, high = fog.highway_fog_advice(min(a, b)), fog.highway_fog_advice(max(a, b))
    assert _control_rank(low.control_level) >= _control_rank(high.control_level)
    if high.speed_limit_kmh is not None:
        assert low.speed_limit_kmh is not None
        assert low.speed_limit_kmh <= high.speed_limit_kmh


def test_fog_signal_index_reports_signal_grade_and_driving_rule() -> None:
    result = fog.FOG_SIGNAL_INDEX.compute({"visibility": 150.0})
    assert result is not None
    assert result.value == 2.0
    assert level_code(result) == "orange"
    assert result.details["fog_grade"] == "very_dense_fog"
    assert result.details["speed_limit_kmh"] == 60.0
    assert result.details["min_gap_m"] == 100.0
    assert result.details["control_level"] == 3


def test_fog_signal_index_needs_visibility_and_refuses_nan() -> None:
    assert fog.FOG_SIGNAL_INDEX.compute({}) is None
    with pytest.raises(InvalidInputError):
        fog.FOG_SIGNAL_INDEX.compute({"visibility": math.nan})


def test_traffic_control_index_closes_an_icy_road_in_good_visibility() -> None:
    icy_clear = {"visibility": 3_000.0, "road_surface_temp": -2.0, "precipitation_intensity": 0.4}
    result = fog.TRAFFIC_CONTROL_INDEX.compute(icy_clear)
    assert result is not None
    assert result.value == 1.0
    assert level_code(result) == "level_1"


def test_traffic_control_index_without_ice_follows_visibility() -> None:
    dry = {"visibility": 75.0, "road_surface_temp": 5.0, "precipitation_intensity": 0.0}
    result = fog.TRAFFIC_CONTROL_INDEX.compute(dry)
    assert result is not None and result.value == 2.0
    clear = fog.TRAFFIC_CONTROL_INDEX.compute({"visibility": 900.0})
    assert clear is not None and clear.value is None and level_code(clear) == "none"
    assert fog.TRAFFIC_CONTROL_INDEX.compute({}) is None


# --- fog rule agrees with the signal at the boundaries -------------------------------------------


@pytest.mark.parametrize(
    "visibility_m", [0.0, 49.0, 49.99, 50.0, 50.01, 199.99, 200.0, 200.01, 499.99, 500.0, 501.0]
)
def test_fog_rule_trips_exactly_where_the_signal_changes(visibility_m: float) -> None:
    expected = fog.fog_signal(visibility_m).level
    assert expected is not None
    got = tripped_code(rules.FOG_SIGNAL, visibility_m)
    assert (got or "none") == expected.code


@given(st.floats(min_value=0, max_value=2_000))
def test_fog_rule_and_fog_signal_never_disagree(visibility_m: float) -> None:
    expected = fog.fog_signal(visibility_m).level
    assert expected is not None
    assert (tripped_code(rules.FOG_SIGNAL, visibility_m) or "none") == expected.code


def test_fog_rule_waits_a_minute_and_clears_with_hysteresis_in_metres() -> None:
    rule = rules.FOG_SIGNAL
    assert rule.subject == "visibility"
    assert rule.direction is Direction.BELOW
    assert rule.for_s == 60
    assert rule.clear_hysteresis > 0


# --- road icing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("temp", "precip", "film", "friction", "expected"),
    [
        (-1.0, 0.5, None, None, "icy"),  # freezing + precipitation
        (-0.1, None, 0.2, None, "icy"),  # freezing + water film
        (-3.0, 0.0, 0.3, None, "icy"),
        (-5.0, 0.0, 0.0, None, "none"),  # cold but dry
        (0.0, 2.0, 1.0, None, "none"),  # 0 °C is not below 0 °C
        (3.0, 8.0, 1.5, None, "none"),  # wet but warm
        (None, None, None, 0.85, "none"),
        (None, None, None, 0.70, "none"),  # friction 0.70 is not below 0.70
        (None, None, None, 0.69, "slippery"),
        (None, None, None, 0.60, "slippery"),  # 0.60 is not below 0.60
        (None, None, None, 0.59, "icy"),
        (4.0, 0.0, 0.0, 0.65, "slippery"),
        (-4.0, 1.0, None, 0.90, "icy"),  # good friction does not clear icing conditions
        (2.0, 0.0, None, 0.30, "icy"),  # friction alone can say ice
    ],
)
def test_road_icing_combinations(
    temp: float | None, precip: float | None, film: float | None, friction: float | None, expected: str
) -> None:
    result = icing.road_icing(temp, precipitation_mm_h=precip, water_film_mm=film, friction=friction)
    assert level_code(result) == expected


def test_friction_bands_are_configurable() -> None:
    assert level_code(icing.road_icing(friction=0.65, ice_below=0.66, slippery_below=0.75)) == "icy"
    with pytest.raises(InvalidInputError, match="ice_below"):
        icing.road_icing(friction=0.5, ice_below=0.8, slippery_below=0.7)


def test_road_icing_needs_wetness_or_friction_to_decide() -> None:
    with pytest.raises(InvalidInputError, match="friction"):
        icing.road_icing(-2.0)
    assert icing.ROAD_ICING_INDEX.compute({"road_surface_temp": -2.0}) is None


def test_road_icing_index_reads_the_road_weather_station() -> None:
    result = icing.ROAD_ICING_INDEX.compute(
        {"road_surface_temp": -1.5, "water_film_thickness": 0.1, "friction": 0.8}
    )
    assert result is not None
    assert result.value == 2.0
    assert result.details["icing_conditions"] is True
    assert result.details["friction_level"] == "none"


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_road_icing_rejects_non_finite_inputs(bad: float) -> None:
    with pytest.raises(InvalidInputError):
        icing.road_icing(bad, precipitation_mm_h=1.0)
    with pytest.raises(InvalidInputError):
        icing.road_icing(-1.0, precipitation_mm_h=bad)
    with pytest.raises(InvalidInputError):
        icing.road_icing(friction=bad)


def test_road_icing_rejects_negative_precipitation_and_friction() -> None:
    with pytest.raises(InvalidInputError, match="precipitation"):
        icing.road_icing(-1.0, precipitation_mm_h=-0.1)
    with pytest.raises(InvalidInputError, match="friction"):
        icing.road_icing(friction=-0.1)


@given(
    st.floats(min_value=-30, max_value=30),
    st.floats(min_value=-30, max_value=30),
    st.floats(min_value=0, max_value=10),
    st.floats(min_value=0, max_value=1),
    st.floats(min_value=0, max_value=1),
)
def test_colder_or_less_grippy_road_is_never_milder(
    t1: float, t2: float, wet: float, f1: float, f2: float
) -> None:
    colder = icing.road_icing(min(t1, t2), precipitation_mm_h=wet, friction=max(f1, f2))
    warmer = icing.road_icing(max(t1, t2), precipitation_mm_h=wet, friction=max(f1, f2))
    assert colder.value is not None and warmer.value is not None
    assert colder.value >= warmer.value
    grippy = icing.road_icing(t1, precipitation_mm_h=wet, friction=max(f1, f2))
    slick = icing.road_icing(t1, precipitation_mm_h=wet, friction=min(f1, f2))
    assert slick.value is not None and grippy.value is not None
    assert slick.value >= grippy.value


def test_road_icing_rule_ladder_matches_the_index_levels() -> None:
    assert tripped_code(rules.ROAD_ICING, 0.0) is None
    assert tripped_code(rules.ROAD_ICING, 1.0) == "slippery"
    assert tripped_code(rules.ROAD_ICING, 2.0) == "icy"
    assert rules.ROAD_ICING.configurable_default
    assert "[verify] configurable default" in rules.ROAD_ICING.source


# --- tunnel gas ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lel", "stage"),
    [(0.0, "normal"), (19.9, "normal"), (20.0, "first_alarm"), (49.9, "first_alarm"), (50.0, "second_alarm")],
)
def test_natural_gas_compartment_alarms_at_20_percent_lel(lel: float, stage: str) -> None:
    assert tunnel_gas.natural_gas_compartment(lel).code == stage
    assert tripped_code(rules.CH4_COMPARTMENT, lel) == (None if stage == "normal" else stage)


def test_20_percent_lel_of_methane_is_1_percent_by_volume() -> None:
    # Methane LEL is 5 % vol, so 20 % of it is 0.2 × 5 = 1 % vol.
    assert tunnel_gas.lel_to_percent_vol(20.0) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("lel", "stage"),
    [
        (24.9, "normal"),
        (25.0, "first_alarm"),
        (49.9, "first_alarm"),
        (50.0, "second_alarm"),
        (80.0, "second_alarm"),
    ],
)
def test_combustible_gas_first_alarm_25_second_50_percent_lel(lel: float, stage: str) -> None:
    assert tunnel_gas.combustible_gas(lel).code == stage
    assert tripped_code(rules.COMBUSTIBLE_GAS, lel) == (None if stage == "normal" else stage)


@pytest.mark.parametrize(
    ("mg_m3", "stage"),
    [(9.9, "normal"), (10.0, "first_alarm"), (19.9, "first_alarm"), (20.0, "second_alarm")],
)
def test_h2s_first_alarm_at_mac_10_second_at_20(mg_m3: float, stage: str) -> None:
    assert tunnel_gas.h2s(mg_m3).code == stage
    assert tripped_code(rules.H2S, mg_m3) == (None if stage == "normal" else stage)


@pytest.mark.parametrize(
    ("mg_m3", "stage"),
    [(19.9, "normal"), (20.0, "first_alarm"), (39.9, "first_alarm"), (40.0, "second_alarm")],
)
def test_co_first_alarm_at_pc_twa_20_second_at_40(mg_m3: float, stage: str) -> None:
    assert tunnel_gas.co(mg_m3).code == stage
    assert tripped_code(rules.CO, mg_m3) == (None if stage == "normal" else stage)


def test_toxic_gas_second_alarm_is_twice_any_exposure_limit() -> None:
    # NH3 PC-TWA 20 mg/m³ would give 20 / 40; a made-up OEL of 3 gives 3 / 6.
    assert tunnel_gas.toxic_gas(2.9, exposure_limit_mg_m3=3.0).code == "normal"
    assert tunnel_gas.toxic_gas(3.0, exposure_limit_mg_m3=3.0).code == "first_alarm"
    assert tunnel_gas.toxic_gas(5.9, exposure_limit_mg_m3=3.0).code == "first_alarm"
    assert tunnel_gas.toxic_gas(6.0, exposure_limit_mg_m3=3.0).code == "second_alarm"
    with pytest.raises(InvalidInputError, match="exposure_limit"):
        tunnel_gas.toxic_gas(1.0, exposure_limit_mg_m3=0.0)


@pytest.mark.parametrize(
    ("o2", "state"),
    [
        (15.0, "o2_low"),
        (19.5, "o2_low"),
        (19.6, "normal"),
        (20.9, "normal"),
        (23.4, "normal"),
        (23.5, "o2_high"),
    ],
)
def test_oxygen_alarms_at_19_5_and_23_5_percent(o2: float, state: str) -> None:
    assert tunnel_gas.oxygen(o2).code == state
    low = tripped_code(rules.O2_LOW, o2)
    high = tripped_code(rules.O2_HIGH, o2)
    assert (low or high or "normal") == state


def test_tunnel_gas_takes_the_worst_stage_and_names_each_gas() -> None:
    result = tunnel_gas.tunnel_gas(ch4_lel=5.0, o2=20.9, h2s_mg_m3=21.0, co_mg_m3=25.0)
    assert result.value == 2.0
    assert level_code(result) == "second_alarm"
    assert result.details == {"ch4_lel": "normal", "o2": "normal", "h2s": "second_alarm", "co": "first_alarm"}


def test_oxygen_deficiency_alone_raises_the_tunnel_to_an_alarm() -> None:
    result = tunnel_gas.tunnel_gas(o2=18.0, ch4_lel=0.0)
    assert result.value == 1.0
    assert result.details["o2"] == "o2_low"


def test_tunnel_gas_index_reads_detector_metrics() -> None:
    result = tunnel_gas.TUNNEL_GAS_INDEX.compute({"ch4_lel": 22.0, "o2": 20.9})
    assert result is not None
    assert result.value == 1.0
    assert tunnel_gas.TUNNEL_GAS_INDEX.compute({}) is None
    with pytest.raises(InvalidInputError):
        tunnel_gas.tunnel_gas()


@pytest.mark.parametrize("bad", [*BAD_NUMBERS, -0.5])
def test_gas_functions_reject_non_finite_and_negative_concentrations(bad: float) -> None:
    for check in (
        tunnel_gas.natural_gas_compartment,
        tunnel_gas.combustible_gas,
        tunnel_gas.h2s,
        tunnel_gas.co,
    ):
        with pytest.raises(InvalidInputError):
            check(bad)
    with pytest.raises(InvalidInputError):
        tunnel_gas.oxygen(bad)


@given(st.floats(min_value=0, max_value=100), st.floats(min_value=0, max_value=100))
def test_more_gas_never_gives_a_lower_alarm_stage(a: float, b: float) -> None:
    stages = {"normal": 0, "first_alarm": 1, "second_alarm": 2}
    lo, hi = min(a, b), max(a, b)
    assert stages[tunnel_gas.combustible_gas(hi).code] >= stages[tunnel_gas.combustible_gas(lo).code]
    assert (
        stages[tunnel_gas.natural_gas_compartment(hi).code]
        >= stages[tunnel_gas.natural_gas_compartment(lo).code]
    )
    assert stages[tunnel_gas.h2s(hi).code] >= stages[tunnel_gas.h2s(lo).code]


# --- water pressure -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mpa", "ok"),
    [(0.30, True), (0.14, True), (0.1399, False), (0.0, False), (-0.05, False)],
)
def test_network_end_pressure_must_be_at_least_0_14_mpa(mpa: float, ok: bool) -> None:
    assert water_pressure.pressure_ok(mpa) is ok
    assert (tripped(rules.WATER_PRESSURE_LOW, mpa) is None) is ok


def test_97_of_100_readings_meet_the_compliance_target_and_96_do_not() -> None:
    good, low = 0.25, 0.10
    met = water_pressure.pressure_compliance([good] * 97 + [low] * 3)
    assert met.value == pytest.approx(97.0)
    assert level_code(met) == "compliant"
    missed = water_pressure.pressure_compliance([good] * 96 + [low] * 4)
    assert missed.value == pytest.approx(96.0)
    assert level_code(missed) == "non_compliant"
    assert tripped(rules.WATER_PRESSURE_COMPLIANCE, 97.0) is None
    assert tripped(rules.WATER_PRESSURE_COMPLIANCE, 96.9) is not None


def test_compliance_counts_a_reading_of_exactly_0_14_as_met() -> None:
    # 33 readings at the limit and one below: 33/34 = 97.06 % → compliant.
    result = water_pressure.pressure_compliance([0.14] * 33 + [0.13])
    assert result.value == pytest.approx(100 * 33 / 34)
    assert level_code(result) == "compliant"


def test_compliance_needs_readings_and_rejects_nan() -> None:
    with pytest.raises(InvalidInputError, match="at least one"):
        water_pressure.pressure_compliance([])
    with pytest.raises(InvalidInputError):
        water_pressure.pressure_compliance([0.2, math.nan])


def test_compliance_index_reads_a_series_of_pressures() -> None:
    spec = water_pressure.WATER_PRESSURE_COMPLIANCE_INDEX
    assert spec.inputs[0].window is Window.SERIES
    points = [(1_700_000_000.0 + 900 * i, 0.20 if i % 10 else 0.12) for i in range(40)]
    result = spec.compute({"water_pressure": points})
    assert result is not None
    assert result.value == pytest.approx(90.0)  # every tenth reading is low: 36 of 40
    assert spec.compute({}) is None


def test_pressure_ok_index_is_one_when_adequate_and_zero_when_low() -> None:
    spec = water_pressure.WATER_PRESSURE_OK_INDEX
    high, low = spec.compute({"water_pressure": 0.2}), spec.compute({"water_pressure": 0.1})
    assert high is not None and high.value == 1.0
    assert low is not None and low.value == 0.0 and level_code(low) == "low"


@pytest.mark.parametrize(("storeys", "head_m"), [(1, 10.0), (2, 12.0), (3, 16.0), (4, 20.0), (6, 28.0)])
def test_minimum_service_head_by_storeys(storeys: int, head_m: float) -> None:
    assert water_pressure.min_service_head_m(storeys) == pytest.approx(head_m)


def test_six_storeys_need_0_2746_mpa() -> None:
    # 12 m for two storeys + 4 × 4 m = 28 m; 28 × 0.00980665 = 0.2745862 MPa.
    assert water_pressure.min_service_pressure_mpa(6) == pytest.approx(0.2745862)


def test_service_head_second_storey_is_configurable_to_the_reference_summary() -> None:
    # "10 m + 4 m per extra storey": 2 storeys 14 m, 5 storeys 26 m.
    assert water_pressure.min_service_head_m(2, second_storey_m=14.0) == pytest.approx(14.0)
    assert water_pressure.min_service_head_m(5, second_storey_m=14.0) == pytest.approx(26.0)


def test_ten_metres_of_water_is_0_098_mpa() -> None:
    assert water_pressure.head_to_mpa(10.0) == pytest.approx(0.0980665)


@pytest.mark.parametrize("storeys", [0, -1, True])
def test_service_head_rejects_impossible_storey_counts(storeys: int) -> None:
    with pytest.raises(InvalidInputError, match="storeys"):
        water_pressure.min_service_head_m(storeys)


def test_service_head_rejects_fractional_storeys() -> None:
    with pytest.raises(InvalidInputError, match="storeys"):
        water_pressure.min_service_head_m(1.5)  # type: ignore[arg-type]


@given(st.integers(min_value=1, max_value=60))
def test_more_storeys_never_need_less_head(storeys: int) -> None:
    assert water_pressure.min_service_head_m(storeys + 1) > water_pressure.min_service_head_m(storeys)


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_pressure_functions_reject_non_finite_values(bad: float) -> None:
    with pytest.raises(InvalidInputError):
        water_pressure.pressure_ok(bad)
    with pytest.raises(InvalidInputError):
        water_pressure.head_to_mpa(bad)


# --- the area as a whole ------------------------------------------------------------------------


def test_city_area_is_discovered_and_consistent() -> None:
    found = registry.area("city")
    assert found is AREA
    registry.validate(AREA)
    assert AREA.title.en == "Smart city"
    assert AREA.title.zh == "智慧城市"


def test_every_rule_is_namespaced_sourced_and_templated_with_known_placeholders() -> None:
    allowed = {"device", "value", "unit", "level", "threshold", "advice"}
    for rule in AREA.rules:
        assert rule.id.startswith("city.")
        assert rule.area == "city"
        assert rule.source
        for template in (rule.message.en, rule.message.zh):
            names = {field for _, field, _, _ in string.Formatter().parse(template) if field}
            assert names <= allowed, (rule.id, names - allowed)
        if rule.configurable_default:
            assert "[verify] configurable default" in rule.source


def test_ladders_escalate_in_severity_along_the_bad_direction() -> None:
    for rule in AREA.rules:
        if rule.kind is not ConditionKind.LEVEL_LADDER:
            continue
        ordered = sorted(rule.thresholds, key=lambda t: t.value, reverse=rule.direction is Direction.BELOW)
        severities = [t.severity for t in ordered]
        assert severities == sorted(severities), rule.id


def test_silent_devices_have_missing_data_rules() -> None:
    silent = {r.subject: r for r in AREA.rules if r.kind is ConditionKind.MISSING_DATA}
    assert {"visibility", "ch4_lel", "o2", "water_pressure"} <= set(silent)
    for rule in silent.values():
        assert int(rule.params["silence_s"]) > 0


def test_every_metric_names_its_devices_and_a_bilingual_title() -> None:
    for metric in AREA.metrics:
        assert metric.device_kinds and set(metric.device_kinds) <= set(AREA.device_kinds)
        assert metric.title.en and metric.title.zh


def test_air_temperature_carries_the_wmo_step_and_persistence_limits() -> None:
    air = registry.metric("city", "air_temperature")
    assert (air.qc.step_suspect, air.qc.step_error) == (2.0, 3.0)
    assert air.qc.persistence_window_s == 3600
    assert air.qc.persistence_min_change == 0.1


def test_every_index_level_is_a_level_and_every_index_computes_none_without_inputs() -> None:
    for spec in AREA.indices:
        assert all(isinstance(level, Level) for level in spec.levels)
        assert spec.compute({}) is None, spec.id
