"""Consumer area: GB/T 18883-2022 indoor air and comfort, GB 3096-2008 noise, battery end of life, rules."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domains import registry
from domains.consumer import AREA
from domains.consumer.battery_health import battery_end_of_life
from domains.consumer.indoor_air import (
    GBT18883_2022,
    INDOOR_AIR,
    THERMAL_COMFORT,
    Season,
    comfort_deviations,
    exceedances,
    with_limits,
)
from domains.consumer.noise import (
    NOISE,
    Period,
    ZoneClass,
    assess_noise,
    equivalent_level,
    noise_limit,
    period_at,
    zone_class,
)
from domains.consumer.rules import RULES
from domains.model import ConditionKind, InvalidInputError, RuleSpec, Severity, Window


def rule(rule_id: str) -> RuleSpec:
    return next(r for r in RULES if r.id == rule_id)


@pytest.fixture()
def conditions() -> ModuleType:
    module: ModuleType = pytest.importorskip("domains.conditions")
    return module


# ---------------------------------------------------------------- GB/T 18883-2022 limits

# docs/standards.md §6 restated in canonical units: (metric, limit, averaging window, [verify]).
# CO2 0.10 % = 1000 ppm; PM2.5 0.05 mg/m³ = 50 µg/m³; PM10 0.10 mg/m³ = 100 µg/m³.
GBT18883_TABLE = [
    ("formaldehyde", 0.08, Window.AVG_1H, False),
    ("benzene", 0.03, Window.AVG_1H, False),
    ("toluene", 0.20, Window.AVG_1H, False),
    ("xylene", 0.20, Window.AVG_1H, False),
    ("tvoc", 0.60, Window.MOVING_AVG_8H, False),
    ("co2", 1000.0, Window.AVG_24H, True),
    ("pm25", 50.0, Window.AVG_24H, True),
    ("pm10", 100.0, Window.AVG_24H, True),
    ("no2", 0.20, Window.AVG_1H, True),
    ("co", 10.0, Window.AVG_1H, True),
]


@pytest.mark.parametrize(("metric", "limit", "window", "verify"), GBT18883_TABLE)
def test_each_limit_complies_at_its_value_and_is_exceeded_just_above(
    metric: str, limit: float, window: Window, verify: bool
) -> None:
    assert exceedances({metric: limit}) == ()
    assert exceedances({metric: limit * 0.5}) == ()
    (over,) = exceedances({metric: limit * 1.01})
    assert over.metric == metric and over.ratio == pytest.approx(1.01)
    assert over.window is window


@pytest.mark.parametrize(("metric", "limit", "window", "verify"), GBT18883_TABLE)
def test_index_reads_each_parameter_over_its_own_averaging_period(
    metric: str, limit: float, window: Window, verify: bool
) -> None:
    windows = {i.metric: i.window for i in INDOOR_AIR.inputs}
    assert windows[metric] is window
    flagged = {lim.metric for lim in GBT18883_2022 if lim.verify}
    assert (metric in flagged) is verify


def test_co2_limit_of_0_10_percent_is_1000_ppm_and_pm25_of_0_05_mg_is_50_ug() -> None:
    assert exceedances({"co2": 1000.0, "pm25": 50.0}) == ()
    assert [e.metric for e in exceedances({"co2": 1001.0, "pm25": 50.5})] == ["co2", "pm25"]


def test_a_freshly_painted_room_lists_every_exceedance_with_its_ratio() -> None:
    # Formaldehyde 0.12 mg/m³ is 1.5× the 0.08 limit; TVOC 0.9 mg/m³ is 1.5× 0.60; benzene is fine.
    found = exceedances({"formaldehyde": 0.12, "tvoc": 0.9, "benzene": 0.01})
    assert [(e.metric, round(e.ratio, 6)) for e in found] == [("formaldehyde", 1.5), ("tvoc", 1.5)]


def test_verify_limits_can_be_replaced_without_touching_the_others() -> None:
    stricter = with_limits({"co2": 800.0})
    assert [e.metric for e in exceedances({"co2": 900.0}, stricter)] == ["co2"]
    assert exceedances({"formaldehyde": 0.08}, stricter) == ()
    with pytest.raises(InvalidInputError, match="no indoor limit"):
        with_limits({"radon": 300.0})
    with pytest.raises(InvalidInputError, match="> 0"):
        with_limits({"co2": 0.0})


@pytest.mark.parametrize("bad", [math.nan, math.inf, -0.01])
def test_indoor_air_rejects_bad_concentrations(bad: float) -> None:
    with pytest.raises(InvalidInputError, match="formaldehyde"):
        exceedances({"formaldehyde": bad})


@given(
    st.dictionaries(
        st.sampled_from([row[0] for row in GBT18883_TABLE]),
        st.floats(min_value=0, max_value=5000),
        min_size=1,
    ),
    st.floats(min_value=1, max_value=10),
)
def test_dirtier_air_never_has_fewer_exceedances(averages: dict[str, float], factor: float) -> None:
    worse = {k: v * factor for k, v in averages.items()}
    assert len(exceedances(worse)) >= len(exceedances(averages))


def test_indoor_air_index_counts_exceedances_of_what_was_measured() -> None:
    result = INDOOR_AIR.compute({"formaldehyde": 0.1, "co2": 1200.0, "pm25": 20.0})
    assert result is not None and result.value == 2 and result.level is not None
    assert result.level.severity is Severity.WARNING
    assert result.details["assessed"] == ["co2", "formaldehyde", "pm25"]
    clean = INDOOR_AIR.compute({"pm25": 20.0})
    assert clean is not None and clean.value == 0 and clean.level is not None and clean.level.severity is None
    assert INDOOR_AIR.compute({}) is None


# ---------------------------------------------------------------- comfort


@pytest.mark.parametrize(
    ("season", "t", "rh", "expected"),
    [
        (Season.SUMMER, 22.0, 40.0, ()),
        (Season.SUMMER, 28.0, 80.0, ()),
        (Season.SUMMER, 21.9, 50.0, ("too_cold",)),
        (Season.SUMMER, 28.1, 50.0, ("too_warm",)),
        (Season.SUMMER, 25.0, 39.9, ("too_dry",)),
        (Season.SUMMER, 25.0, 80.1, ("too_humid",)),
        (Season.WINTER, 16.0, 30.0, ()),
        (Season.WINTER, 24.0, 60.0, ()),
        (Season.WINTER, 15.9, 29.9, ("too_cold", "too_dry")),
        (Season.WINTER, 24.1, 60.1, ("too_warm", "too_humid")),
        (Season.UNSPECIFIED, 17.0, 75.0, ()),  # fine in winter by temperature, in summer by humidity
        (Season.UNSPECIFIED, 15.0, 85.0, ("too_cold", "too_humid")),
    ],
)
def test_comfort_ranges_by_season_include_their_ends(
    season: Season, t: float, rh: float, expected: tuple[str, ...]
) -> None:
    assert comfort_deviations(season, temperature_c=t, rh_percent=rh) == expected


def test_comfort_rejects_humidity_outside_0_to_100() -> None:
    for bad in (-1.0, 100.5, math.nan):
        with pytest.raises(InvalidInputError):
            comfort_deviations(Season.SUMMER, rh_percent=bad)


def test_comfort_index_follows_the_season_setting() -> None:
    winter_room = {"air_temperature": 20.0, "relative_humidity": 45.0}
    default = THERMAL_COMFORT.compute(winter_room)
    summer = THERMAL_COMFORT.compute({**winter_room, "season": "summer"})
    assert default is not None and default.value == 0
    assert summer is not None and summer.value == 1 and summer.details["deviations"] == ["too_cold"]
    assert THERMAL_COMFORT.compute({}) is None
    with pytest.raises(InvalidInputError, match="season"):
        THERMAL_COMFORT.compute({**winter_room, "season": "monsoon"})


# ---------------------------------------------------------------- GB 3096-2008 noise

# docs/standards.md §6 restated: class → (day, night) dB(A).
GB3096_TABLE = [
    ("0", 50.0, 40.0),
    ("1", 55.0, 45.0),
    ("2", 60.0, 50.0),
    ("3", 65.0, 55.0),
    ("4a", 70.0, 55.0),
    ("4b", 70.0, 60.0),
]


@pytest.mark.parametrize(("zone", "day", "night"), GB3096_TABLE)
def test_every_zone_class_limit_day_and_night(zone: str, day: float, night: float) -> None:
    assert noise_limit(zone, 12.0) == day
    assert noise_limit(zone, 23.0) == night
    assert not assess_noise(day, zone, 6.0).exceeds  # at the limit complies
    assert assess_noise(day + 0.1, zone, 21.9).exceeds
    assert not assess_noise(night, zone, 22.0).exceeds
    assert assess_noise(night + 0.1, zone, 5.9).exceeds


@pytest.mark.parametrize(
    ("hour", "period"),
    [
        (0.0, Period.NIGHT),
        (5.99, Period.NIGHT),
        (6.0, Period.DAY),
        (21.99, Period.DAY),
        (22.0, Period.NIGHT),
        (23.99, Period.NIGHT),
    ],
)
def test_day_runs_from_06_00_up_to_22_00(hour: float, period: Period) -> None:
    assert period_at(hour) is period


def test_local_rules_may_move_the_day_night_boundary() -> None:
    assert period_at(6.5, day_start_h=7.0) is Period.NIGHT
    assert noise_limit("1", 6.5, day_start_h=7.0) == 45.0


def test_exceedance_is_level_minus_limit() -> None:
    # 58.3 dB(A) at 23:00 in a residential (class 1) zone: night limit 45 → 13.3 dB over.
    result = assess_noise(58.3, ZoneClass.CLASS_1, 23.0)
    assert result.limit_db == 45.0 and result.period is Period.NIGHT
    assert result.over_limit_db == pytest.approx(13.3)
    assert assess_noise(40.0, "1", 12.0).over_limit_db == pytest.approx(-15.0)


def test_zone_classes_parse_leniently_and_refuse_unknown_ones() -> None:
    assert zone_class("4A") is ZoneClass.CLASS_4A
    assert zone_class(2) is ZoneClass.CLASS_2
    for bad in ("4", "5", 4, None, True):
        with pytest.raises(InvalidInputError, match="zone class"):
            zone_class(bad)


@pytest.mark.parametrize("hour", [-0.1, 24.0, math.nan])
def test_hours_outside_the_day_are_refused(hour: float) -> None:
    with pytest.raises(InvalidInputError):
        period_at(hour)


def test_equivalent_level_is_an_energy_mean_not_an_arithmetic_one() -> None:
    assert equivalent_level([60.0, 60.0]) == pytest.approx(60.0)
    # 10·lg((10^7 + 10^5) / 2) = 10·lg(5.05e6) = 67.03 dB, not the arithmetic 60.
    assert equivalent_level([70.0, 50.0]) == pytest.approx(67.0329, abs=1e-4)
    with pytest.raises(InvalidInputError):
        equivalent_level([])


@given(st.lists(st.floats(min_value=0, max_value=150), min_size=1, max_size=50))
def test_equivalent_level_lies_between_the_arithmetic_mean_and_the_loudest_reading(
    levels: list[float],
) -> None:
    leq = equivalent_level(levels)
    assert sum(levels) / len(levels) - 1e-9 <= leq <= max(levels) + 1e-9


@given(
    st.floats(min_value=0, max_value=150),
    st.floats(min_value=0, max_value=150),
    st.sampled_from(list(ZoneClass)),
    st.floats(min_value=0, max_value=23.99),
)
def test_louder_is_never_less_over_the_limit(a: float, b: float, zone: ZoneClass, hour: float) -> None:
    lo, hi = sorted((a, b))
    assert assess_noise(lo, zone, hour).over_limit_db <= assess_noise(hi, zone, hour).over_limit_db


@given(st.sampled_from(list(ZoneClass)))
def test_night_limit_is_never_above_the_day_limit(zone: ZoneClass) -> None:
    assert noise_limit(zone, 23.0) <= noise_limit(zone, 12.0)


def beijing(hour: int, minute: int = 0) -> float:
    """Epoch seconds of 2024-03-01 at hour:minute China Standard Time (UTC+8)."""
    return datetime(2024, 3, 1, hour, minute, tzinfo=timezone(timedelta(hours=8))).timestamp()


def test_noise_index_judges_the_last_hour_against_the_limit_of_its_period() -> None:
    readings = [(beijing(23, m), 50.0) for m in range(0, 60, 10)]  # 50 dB(A) all through 23:00–23:50
    result = NOISE.compute({"noise_laeq": readings})
    assert result is not None and result.details["period"] == "night"
    assert result.value == pytest.approx(5.0)  # class 1 night limit 45
    assert result.level is not None and result.level.code == "over_limit"


def test_noise_index_does_not_mix_day_readings_into_the_night() -> None:
    # Loud evening before 22:00, quiet after: at 22:30 only the quiet night readings count.
    readings = [(beijing(21, m), 70.0) for m in (40, 50)] + [(beijing(22, m), 40.0) for m in (0, 10, 20, 30)]
    result = NOISE.compute({"noise_laeq": readings})
    assert result is not None and result.details["readings"] == 4
    assert result.value == pytest.approx(-5.0)


def test_noise_index_takes_zone_class_and_time_zone_settings() -> None:
    readings = [(beijing(23, 0), 58.0)]
    by_road = NOISE.compute({"noise_laeq": readings, "noise_zone_class": "4a"})
    assert by_road is not None and by_road.value == pytest.approx(3.0)  # 4a night 55
    in_utc = NOISE.compute({"noise_laeq": readings, "utc_offset_h": 0.0})  # 15:00 UTC: day
    assert in_utc is not None and in_utc.details["period"] == "day" and in_utc.value == pytest.approx(3.0)
    assert NOISE.compute({}) is None


# ---------------------------------------------------------------- battery health


@pytest.mark.parametrize(
    ("soh", "eol"), [(100.0, False), (80.0, False), (79.9, True), (0.0, True), (104.0, False)]
)
def test_battery_below_80_percent_health_is_at_end_of_life(soh: float, eol: bool) -> None:
    assert battery_end_of_life(soh) is eol


@pytest.mark.parametrize("bad", [math.nan, math.inf, -1.0])
def test_battery_health_rejects_bad_readings(bad: float) -> None:
    with pytest.raises(InvalidInputError):
        battery_end_of_life(bad)


@given(st.floats(min_value=0, max_value=120), st.floats(min_value=0, max_value=120))
def test_a_healthier_battery_is_never_more_worn_out(a: float, b: float) -> None:
    lo, hi = sorted((a, b))
    assert battery_end_of_life(hi) <= battery_end_of_life(lo)


# ---------------------------------------------------------------- area and rules


def test_area_is_registered_with_its_bilingual_title() -> None:
    registry.validate(AREA)
    assert registry.area("consumer").title.zh == "消费电子"
    assert AREA.title.en == "Consumer electronics"
    assert {"indoor_air_monitor", "smart_speaker", "wearable", "noise_meter"} <= set(AREA.device_kinds)


def test_every_metric_has_a_pint_unit_and_canonical_units_are_ppm_and_ug() -> None:
    pint = pytest.importorskip("pint")
    ureg = pint.UnitRegistry()
    units = {m.name: m.unit for m in AREA.metrics}
    for unit in units.values():
        ureg.Unit(unit)
    assert ureg.Quantity(0.10, "percent").to("ppm").magnitude == pytest.approx(1000.0)
    assert units["co2"] == "ppm" and units["pm25"] == "ug/m^3" and units["pm10"] == "ug/m^3"
    assert ureg.Quantity(0.05, "mg/m^3").to(units["pm25"]).magnitude == pytest.approx(50.0)


def test_rules_are_named_for_the_area_and_verify_items_say_so() -> None:
    for r in RULES:
        assert r.id.startswith("consumer.") and r.area == "consumer" and r.source
    for rid in ("consumer.indoor_air_exceedance", "consumer.thermal_discomfort"):
        assert rule(rid).configurable_default and "[verify]" in rule(rid).source
    assert any(r.kind is ConditionKind.MISSING_DATA and float(r.params["silence_s"]) > 0 for r in RULES)


def test_rules_fire_through_the_shared_condition_evaluator(conditions: ModuleType) -> None:
    ev = conditions.evaluate
    dirty = INDOOR_AIR.compute({"formaldehyde": 0.2})
    assert (
        dirty is not None
        and ev(rule("consumer.indoor_air_exceedance"), dirty.value).severity is Severity.WARNING
    )
    loud = NOISE.compute({"noise_laeq": [(beijing(23, 0), 50.0)]})
    assert loud is not None and ev(rule("consumer.noise_over_limit"), loud.value).severity is Severity.WARNING
    quiet = NOISE.compute({"noise_laeq": [(beijing(23, 0), 40.0)]})
    assert quiet is not None and ev(rule("consumer.noise_over_limit"), quiet.value).severity is None
    assert ev(rule("consumer.battery_end_of_life"), 79.0).severity is Severity.WARNING
    assert ev(rule("consumer.battery_end_of_life"), 85.0).severity is None
    cold = THERMAL_COMFORT.compute({"air_temperature": 12.0})
    assert cold is not None and ev(rule("consumer.thermal_discomfort"), cold.value).severity is Severity.INFO
