"""Smart agriculture area: frost signal, drought level, THI, pond oxygen and greenhouse climate."""

from __future__ import annotations

import math
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domains import registry
from domains.agriculture import AREA, aquaculture, drought, frost, greenhouse, heat_stress, rules
from domains.model import (
    ConditionKind,
    Direction,
    IndexResult,
    InvalidInputError,
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


def tripped_code(rule: RuleSpec, value: float) -> str:
    t = tripped(rule, value)
    return "none" if t is None or t.level is None else t.level.code


def code(result: IndexResult) -> str:
    assert result.level is not None
    return result.level.code


# --- frost (CMA signal, observed) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("temperature_c", "signal"),
    [
        (5.0, "none"),
        (0.0, "none"),  # not below 0 °C
        (-0.1, "blue"),
        (-3.0, "blue"),  # not below −3 °C
        (-3.1, "yellow"),
        (-5.0, "yellow"),  # not below −5 °C
        (-5.1, "orange"),
        (-25.0, "orange"),
    ],
)
def test_frost_signal_at_both_ends_of_every_band(temperature_c: float, signal: str) -> None:
    assert code(frost.frost_signal(temperature_c)) == signal


def test_frost_bounds_are_configurable() -> None:
    # An orchard in bloom that wants the blue signal from +1 °C.
    assert code(frost.frost_signal(0.5, bounds_c=(-5.0, -3.0, 1.0))) == "blue"
    with pytest.raises(InvalidInputError, match="ascending"):
        frost.frost_signal(0.0, bounds_c=(0.0, -3.0, -5.0))


@given(st.floats(min_value=-60, max_value=60), st.floats(min_value=-60, max_value=60))
def test_colder_surface_never_gives_a_milder_frost_signal(a: float, b: float) -> None:
    colder, warmer = frost.frost_signal(min(a, b)), frost.frost_signal(max(a, b))
    assert colder.value is not None and warmer.value is not None
    assert colder.value >= warmer.value


def test_frost_index_uses_the_colder_of_ground_and_leaf_temperature() -> None:
    result = frost.FROST_SIGNAL_INDEX.compute({"ground_min_temperature": -1.0, "leaf_temperature": -3.5})
    assert result is not None
    assert code(result) == "yellow"
    assert result.details["measured_on"] == "leaf_temperature"
    ground_only = frost.FROST_SIGNAL_INDEX.compute({"ground_min_temperature": -0.5})
    assert ground_only is not None and code(ground_only) == "blue"
    assert frost.FROST_SIGNAL_INDEX.compute({"air_temperature": -10.0}) is None


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_frost_rejects_non_finite_temperature(bad: float) -> None:
    with pytest.raises(InvalidInputError, match="temperature_c"):
        frost.frost_signal(bad)
    with pytest.raises(InvalidInputError):
        frost.FROST_SIGNAL_INDEX.compute({"leaf_temperature": bad})


def test_frost_rule_ladder_follows_the_signal_number() -> None:
    for temperature_c in (1.0, -1.0, -4.0, -6.0):
        signal = frost.frost_signal(temperature_c)
        assert signal.value is not None
        assert tripped_code(rules.FROST_SIGNAL, signal.value) == code(signal)


# --- drought (GB/T 32136-2015) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("r", "level"),
    [
        (120.0, "none"),
        (60.1, "none"),
        (60.0, "light"),  # 50 < R ≤ 60
        (50.1, "light"),
        (50.0, "moderate"),  # 40 < R ≤ 50
        (40.1, "moderate"),
        (40.0, "severe"),  # 30 < R ≤ 40
        (30.1, "severe"),
        (30.0, "extreme"),  # R ≤ 30
        (0.0, "extreme"),
    ],
)
def test_drought_level_at_both_ends_of_every_band(r: float, level: str) -> None:
    assert code(drought.drought_level(r)) == level
    assert tripped_code(rules.DROUGHT, r) == level


def test_relative_soil_moisture_is_theta_over_field_capacity() -> None:
    # θ = 18 % with field capacity 30 %: 18 / 30 × 100 = 60 → light drought (60 is in 50 < R ≤ 60).
    r = drought.relative_soil_moisture(18.0, 30.0)
    assert r == pytest.approx(60.0)
    assert code(drought.drought_level(r)) == "light"
    # θ = 27 %: 90 % of field capacity, no drought.
    assert code(drought.drought_level(drought.relative_soil_moisture(27.0, 30.0))) == "none"


def test_relative_soil_moisture_rejects_zero_field_capacity_and_negative_theta() -> None:
    with pytest.raises(InvalidInputError, match="field_capacity"):
        drought.relative_soil_moisture(10.0, 0.0)
    with pytest.raises(InvalidInputError, match="theta"):
        drought.relative_soil_moisture(-1.0, 30.0)


def test_drought_bounds_are_configurable_for_a_sandy_site() -> None:
    sandy = (25.0, 35.0, 45.0, 55.0)
    assert code(drought.drought_level(58.0, bounds=sandy)) == "none"
    assert code(drought.drought_level(58.0)) == "light"
    with pytest.raises(InvalidInputError, match="ascending"):
        drought.drought_level(50.0, bounds=(60.0, 50.0, 40.0, 30.0))


@given(st.floats(min_value=0, max_value=200), st.floats(min_value=0, max_value=200))
def test_lower_soil_moisture_never_gives_a_milder_drought(a: float, b: float) -> None:
    drier, wetter = drought.drought_level(min(a, b)), drought.drought_level(max(a, b))
    assert drier.value is not None and wetter.value is not None
    assert drier.value >= wetter.value


@pytest.mark.parametrize("bad", [*BAD_NUMBERS, -5.0])
def test_drought_rejects_non_finite_and_negative_moisture(bad: float) -> None:
    with pytest.raises(InvalidInputError, match="relative_moisture_percent"):
        drought.drought_level(bad)


def test_drought_index_reads_relative_soil_moisture() -> None:
    result = drought.DROUGHT_INDEX.compute({"relative_soil_moisture": 35.0})
    assert result is not None and code(result) == "severe" and result.value == 3.0
    assert drought.DROUGHT_INDEX.compute({"soil_moisture": 10.0}) is None


# --- THI ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("t", "rh", "expected_thi", "cls"),
    [
        # 30 °C, 70 %: (54 + 32) − (0.55 − 0.385)(54 − 26) = 86 − 0.165 · 28 = 86 − 4.62 = 81.38
        (30.0, 70.0, 81.38, "moderate"),
        # 25 °C, 50 %: (45 + 32) − (0.55 − 0.275)(45 − 26) = 77 − 0.275 · 19 = 77 − 5.225 = 71.775
        (25.0, 50.0, 71.775, "none"),
        # 35 °C, 80 %: (63 + 32) − (0.55 − 0.44)(63 − 26) = 95 − 0.11 · 37 = 95 − 4.07 = 90.93
        (35.0, 80.0, 90.93, "severe"),
        # 40 °C, 90 %: (72 + 32) − (0.55 − 0.495)(72 − 26) = 104 − 0.055 · 46 = 104 − 2.53 = 101.47
        (40.0, 90.0, 101.47, "emergency"),
        # 28 °C, 60 %: (50.4 + 32) − (0.55 − 0.33)(50.4 − 26) = 82.4 − 0.22 · 24.4 = 82.4 − 5.368 = 77.032
        (28.0, 60.0, 77.032, "mild"),
        # At saturation the second term vanishes: 20 °C, 100 % → 1.8 · 20 + 32 = 68
        (20.0, 100.0, 68.0, "none"),
    ],
)
def test_thi_worked_examples(t: float, rh: float, expected_thi: float, cls: str) -> None:
    result = heat_stress.heat_stress(t, rh)
    assert result.value == pytest.approx(expected_thi)
    assert code(result) == cls


@pytest.mark.parametrize(
    ("value", "cls"),
    [
        (71.99, "none"),
        (72.0, "mild"),
        (79.0, "mild"),
        (79.99, "mild"),  # between the table's 79 and 80: still mild
        (80.0, "moderate"),
        (89.99, "moderate"),
        (90.0, "severe"),
        (98.99, "severe"),
        (99.0, "emergency"),
        (120.0, "emergency"),
    ],
)
def test_thi_class_at_both_ends_of_every_band(value: float, cls: str) -> None:
    assert heat_stress.thi_class(value).code == cls
    assert tripped_code(rules.HEAT_STRESS, value) == cls


def test_dairy_herds_can_start_mild_stress_at_68() -> None:
    assert heat_stress.thi_class(67.99, mild_from=heat_stress.DAIRY_MILD_FROM).code == "none"
    assert heat_stress.thi_class(68.0, mild_from=heat_stress.DAIRY_MILD_FROM).code == "mild"
    assert heat_stress.thi_class(68.0).code == "none"
    # 25 °C, 50 % (THI 71.775, worked out above) is mild stress for a dairy herd.
    assert code(heat_stress.heat_stress(25.0, 50.0, mild_from=68.0)) == "mild"
    with pytest.raises(InvalidInputError, match="mild_from"):
        heat_stress.thi_class(75.0, mild_from=85.0)


def test_at_14_4_degrees_humidity_does_not_change_thi() -> None:
    # 1.8T − 26 = 0 at T = 26 / 1.8: THI = 26 + 32 = 58 for any RH.
    t = 26.0 / 1.8
    assert heat_stress.thi(t, 0.0) == pytest.approx(58.0)
    assert heat_stress.thi(t, 100.0) == pytest.approx(58.0)


@given(st.floats(min_value=0, max_value=200), st.floats(min_value=0, max_value=200))
def test_higher_thi_never_gives_a_milder_class(a: float, b: float) -> None:
    order = [level.code for level in heat_stress.THI_CLASSES]
    lo, hi = heat_stress.thi_class(min(a, b)), heat_stress.thi_class(max(a, b))
    assert order.index(hi.code) >= order.index(lo.code)


@given(
    st.floats(min_value=-40, max_value=50),
    st.floats(min_value=-40, max_value=50),
    st.floats(min_value=0, max_value=100),
)
def test_warmer_air_never_lowers_thi_at_the_same_humidity(t1: float, t2: float, rh: float) -> None:
    assert heat_stress.thi(max(t1, t2), rh) >= heat_stress.thi(min(t1, t2), rh)


@pytest.mark.parametrize(
    ("t", "rh"), [(math.nan, 50.0), (math.inf, 50.0), (30.0, math.nan), (30.0, -1.0), (30.0, 100.5)]
)
def test_thi_rejects_non_finite_or_impossible_inputs(t: float, rh: float) -> None:
    with pytest.raises(InvalidInputError):
        heat_stress.thi(t, rh)


def test_thi_index_needs_both_temperature_and_humidity() -> None:
    result = heat_stress.THI_INDEX.compute({"air_temperature": 30.0, "relative_humidity": 70.0})
    assert result is not None and result.value == pytest.approx(81.38)
    assert heat_stress.THI_INDEX.compute({"air_temperature": 30.0}) is None


# --- pond dissolved oxygen (GB 11607-89) --------------------------------------------------------


@pytest.mark.parametrize(
    ("do", "level"),
    [
        (9.0, "ok"),
        (5.01, "ok"),
        (5.0, "warn"),  # 5.0 is not "> 5 mg/L"
        (4.01, "warn"),
        (4.0, "alarm"),
        (3.01, "alarm"),
        (3.0, "critical"),
        (0.5, "critical"),
    ],
)
def test_pond_do_ladder_at_both_ends_of_every_rung(do: float, level: str) -> None:
    assert code(aquaculture.pond_do_level(do)) == level
    assert tripped_code(rules.POND_DO, do) == ("none" if level == "ok" else level)


@given(st.floats(min_value=0, max_value=30), st.floats(min_value=0, max_value=30))
def test_less_oxygen_never_gives_a_milder_pond_level(a: float, b: float) -> None:
    less, more = aquaculture.pond_do_level(min(a, b)), aquaculture.pond_do_level(max(a, b))
    assert less.value is not None and more.value is not None
    assert less.value >= more.value


@pytest.mark.parametrize("bad", [*BAD_NUMBERS, -0.1])
def test_pond_do_rejects_non_finite_and_negative_oxygen(bad: float) -> None:
    with pytest.raises(InvalidInputError, match="do_mg_l"):
        aquaculture.pond_do_level(bad)


def test_pond_do_rungs_must_be_ordered() -> None:
    with pytest.raises(InvalidInputError, match="critical_at < alarm_at < warn_at"):
        aquaculture.pond_do_level(4.0, warn_at=3.0, alarm_at=4.0, critical_at=5.0)


def test_sixteen_hours_above_5_with_a_night_at_4_complies() -> None:
    day = [6.0] * 16 + [4.0] * 8
    result = aquaculture.daily_do_compliance(day)
    assert result.value == 16.0
    assert code(result) == "compliant"


def test_fifteen_hours_above_5_does_not_comply() -> None:
    result = aquaculture.daily_do_compliance([6.0] * 15 + [4.5] * 9)
    assert result.value == 15.0
    assert code(result) == "non_compliant"
    assert result.details["enough_hours"] is False
    assert tripped(rules.POND_DO_DAILY, 15.0) is not None
    assert tripped(rules.POND_DO_DAILY, 16.0) is None


def test_hours_at_exactly_5_do_not_count_as_above_5() -> None:
    result = aquaculture.daily_do_compliance([5.0] * 24)
    assert result.value == 0.0
    assert code(result) == "non_compliant"


def test_one_hour_below_3_fails_the_day_however_good_the_rest() -> None:
    result = aquaculture.daily_do_compliance([8.0] * 23 + [2.9])
    assert result.value == 23.0
    assert code(result) == "non_compliant"
    assert result.details["above_floor"] is False


def test_an_hour_at_exactly_3_does_not_break_the_floor() -> None:
    result = aquaculture.daily_do_compliance([8.0] * 23 + [3.0])
    assert code(result) == "compliant"


def test_daily_compliance_needs_24_hourly_values() -> None:
    with pytest.raises(InvalidInputError, match="24 hourly"):
        aquaculture.daily_do_compliance([6.0] * 23)
    with pytest.raises(InvalidInputError):
        aquaculture.daily_do_compliance([6.0] * 23 + [math.nan])


def _ten_minute_day(value: float = 7.0) -> list[tuple[float, float]]:
    start = 1_700_000_000.0
    return [(start + 600.0 * i, value) for i in range(144)]


def test_daily_index_judges_each_hour_by_its_lowest_reading() -> None:
    spec = aquaculture.POND_DO_DAILY_INDEX
    assert spec.inputs[0].window is Window.SERIES
    points = _ten_minute_day()
    # One 10-minute dip to 2.5 mg/L inside an otherwise good hour.
    t, _ = points[50]
    points[50] = (t, 2.5)
    result = spec.compute({"dissolved_oxygen": points})
    assert result is not None
    assert result.value == 23.0  # the hour with the dip is not "above 5"
    assert code(result) == "non_compliant"
    assert result.details["minimum_mg_l"] == 2.5


def test_daily_index_waits_for_a_full_day_of_data() -> None:
    spec = aquaculture.POND_DO_DAILY_INDEX
    points = [p for i, p in enumerate(_ten_minute_day()) if not 60 <= i < 66]  # one hour missing
    assert spec.compute({"dissolved_oxygen": points}) is None
    full = spec.compute({"dissolved_oxygen": _ten_minute_day()})
    assert full is not None and code(full) == "compliant" and full.value == 24.0
    assert spec.compute({}) is None


# --- greenhouse tomato ([verify] practice) ------------------------------------------------------


@pytest.mark.parametrize(
    ("t", "rh", "co2", "daytime", "level"),
    [
        (22.0, 65.0, 900.0, True, "ok"),
        (20.0, 60.0, 800.0, True, "ok"),  # range ends are inside
        (25.0, 70.0, 1000.0, True, "ok"),
        (26.0, 65.0, 900.0, True, "out_of_range"),
        (17.0, 65.0, None, False, "ok"),
        (20.0, 65.0, None, False, "out_of_range"),  # warm for a tomato night
        (22.0, 75.0, None, None, "out_of_range"),
        (22.0, 85.0, None, None, "out_of_range"),  # 85 % is not above 85 %
        (22.0, 85.1, None, None, "disease_risk"),
        (13.0, 65.0, None, None, "ok"),  # 13 °C is the minimum, not below it
        (12.9, 65.0, None, None, "chilling"),
        (12.0, 95.0, 400.0, True, "chilling"),  # the worst finding wins
        (22.0, 65.0, 600.0, None, "out_of_range"),
    ],
)
def test_tomato_climate(t: float, rh: float, co2: float | None, daytime: bool | None, level: str) -> None:
    assert code(greenhouse.tomato_climate(t, rh, co2, daytime=daytime)) == level


def test_tomato_ranges_are_configurable() -> None:
    hardy = greenhouse.TomatoRanges(min_temp_c=10.0)
    assert code(greenhouse.tomato_climate(12.0, ranges=hardy)) == "ok"
    assert code(greenhouse.tomato_climate(12.0)) == "chilling"


def test_greenhouse_rules_trip_exactly_at_the_practice_limits() -> None:
    assert tripped(rules.GREENHOUSE_HUMIDITY, 85.0) is None
    assert tripped(rules.GREENHOUSE_HUMIDITY, 85.001) is not None
    assert tripped(rules.GREENHOUSE_CHILLING, 13.0) is None
    assert tripped(rules.GREENHOUSE_CHILLING, 12.999) is not None
    for rule in (rules.GREENHOUSE_HUMIDITY, rules.GREENHOUSE_CHILLING):
        assert rule.configurable_default
        assert rule.device_kinds == ("greenhouse_sensor",)


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_tomato_climate_rejects_non_finite_inputs(bad: float) -> None:
    with pytest.raises(InvalidInputError):
        greenhouse.tomato_climate(bad)
    with pytest.raises(InvalidInputError):
        greenhouse.tomato_climate(20.0, bad)
    with pytest.raises(InvalidInputError):
        greenhouse.tomato_climate(20.0, 60.0, bad)


def test_tomato_climate_needs_an_input_and_rejects_humidity_over_100() -> None:
    with pytest.raises(InvalidInputError, match="at least one"):
        greenhouse.tomato_climate()
    with pytest.raises(InvalidInputError, match="rh_percent"):
        greenhouse.tomato_climate(20.0, 101.0)


def test_greenhouse_index_reads_the_greenhouse_sensor() -> None:
    spec = greenhouse.GREENHOUSE_TOMATO_INDEX
    result = spec.compute({"air_temperature": 21.0, "relative_humidity": 90.0, "co2": 900.0})
    assert result is not None and code(result) == "disease_risk"
    assert "temperature" not in result.details  # no clock: day/night bands are not judged


# --- the area as a whole ------------------------------------------------------------------------


def test_agriculture_area_is_discovered_and_consistent() -> None:
    assert registry.area("agriculture") is AREA
    registry.validate(AREA)
    assert AREA.title.en == "Smart agriculture"
    assert AREA.title.zh == "智慧农业"


def test_every_rule_is_namespaced_sourced_and_templated_with_known_placeholders() -> None:
    allowed = {"device", "value", "unit", "level", "threshold", "advice"}
    for rule in AREA.rules:
        assert rule.id.startswith("agriculture.")
        assert rule.area == "agriculture"
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
    assert {"dissolved_oxygen", "relative_soil_moisture", "air_temperature"} <= set(silent)
    for rule in silent.values():
        assert int(rule.params["silence_s"]) > 0


def test_humidity_and_air_temperature_carry_the_wmo_qc_limits() -> None:
    rh = registry.metric("agriculture", "relative_humidity")
    assert (rh.qc.step_suspect, rh.qc.step_error) == (5.0, 15.0)
    assert rh.qc.persistence_min_change == 1.0
    assert rh.qc.persistence_below == 95.0
    air = registry.metric("agriculture", "air_temperature")
    assert (air.qc.step_suspect, air.qc.step_error, air.qc.persistence_min_change) == (2.0, 3.0, 0.1)
    assert registry.metric("agriculture", "soil_temperature").plausible == (-50.0, 50.0)


def test_every_metric_names_its_devices_and_every_index_computes_none_without_inputs() -> None:
    for metric in AREA.metrics:
        assert metric.device_kinds and set(metric.device_kinds) <= set(AREA.device_kinds)
        assert metric.title.en and metric.title.zh
    for spec in AREA.indices:
        assert spec.compute({}) is None, spec.id
