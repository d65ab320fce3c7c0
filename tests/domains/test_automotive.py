"""Automotive: FMVSS 138 TPMS, GB 38031 thermal runaway, GB/T 32960.3 alarms, GB 18384 insulation, rules."""

from __future__ import annotations

import math
from collections.abc import Sequence
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domains import registry
from domains.automotive import AREA
from domains.automotive.battery_runaway import (
    THERMAL_RUNAWAY_INDEX,
    RunawayCondition,
    RunawaySample,
    detect_thermal_runaway,
    pair_series,
)
from domains.automotive.gbt32960 import (
    GBT32960_ALARM,
    alarm_level,
    decode_alarm_flags,
    encode_alarm_flags,
)
from domains.automotive.insulation import (
    INSULATION,
    Circuit,
    insulation_check,
    minimum_insulation_ohm,
    ohm_per_volt,
)
from domains.automotive.rules import RULES
from domains.automotive.tpms import TPMS_UNDER_INFLATION, TpmsThresholds, tpms_check, warning_pressure
from domains.model import ConditionKind, InvalidInputError, RuleSpec, Severity

T0 = 1_700_000_000.0
VOLT = RunawayCondition.VOLTAGE_DROP
HOT = RunawayCondition.OVER_TEMPERATURE
RISE = RunawayCondition.TEMPERATURE_RISE


def rule(rule_id: str) -> RuleSpec:
    return next(r for r in RULES if r.id == rule_id)


@pytest.fixture()
def conditions() -> ModuleType:
    module: ModuleType = pytest.importorskip("domains.conditions")
    return module


# ---------------------------------------------------------------- TPMS (FMVSS 138)


@pytest.mark.parametrize(
    ("placard", "warn_at"),
    [
        (240.0, 180.0),  # 25 % below 240 = 180 > 140: the percentage decides
        (200.0, 150.0),  # 25 % below 200 = 150 > 140
        (180.0, 140.0),  # 25 % below 180 = 135 < 140: the minimum activation pressure decides
        (120.0, 140.0),
    ],
)
def test_warning_pressure_is_the_higher_of_25_percent_below_placard_and_140_kpa(
    placard: float, warn_at: float
) -> None:
    assert warning_pressure(placard) == pytest.approx(warn_at)


def test_tyre_at_exactly_the_warning_pressure_warns_and_just_above_does_not() -> None:
    # FMVSS 138: "equal to or less than" the warning pressure.
    assert tpms_check({"fl": 180.0}, 240.0).low_tyres == ("fl",)
    assert tpms_check({"fl": 180.1}, 240.0).low_tyres == ()
    assert tpms_check({"rr": 140.0}, 180.0).warning
    assert not tpms_check({"rr": 141.0}, 180.0).warning  # 141 is more than 25 % below 180 … but above 140


def test_front_and_rear_placards_are_judged_separately() -> None:
    result = tpms_check(
        {"fl": 175.0, "fr": 230.0, "rl": 185.0, "rr": 250.0},
        {"fl": 230.0, "fr": 230.0, "rl": 250.0, "rr": 250.0},
    )
    # front warns at 172.5, rear at 187.5: only the rear-left at 185 is low.
    assert result.low_tyres == ("rl",)
    assert result.warn_at_kpa["fl"] == pytest.approx(172.5)


def test_warning_stays_on_while_the_tyre_is_low_and_goes_off_after_inflation() -> None:
    readings = [230.0, 200.0, 181.0, 179.0, 160.0, 175.0, 179.9, 185.0, 230.0]
    states = [tpms_check({"fl": p}, 240.0).warning for p in readings]
    assert states == [False, False, False, True, True, True, True, False, False]


def test_thresholds_are_configurable_for_gb_26149() -> None:
    stricter = TpmsThresholds(drop_fraction=0.20, minimum_kpa=150.0)
    assert warning_pressure(240.0, stricter) == pytest.approx(192.0)
    assert warning_pressure(180.0, stricter) == pytest.approx(150.0)
    with pytest.raises(InvalidInputError):
        TpmsThresholds(drop_fraction=1.0)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -1.0])
def test_tpms_rejects_bad_pressures(bad: float) -> None:
    with pytest.raises(InvalidInputError):
        tpms_check({"fl": bad}, 240.0)


def test_tpms_rejects_unknown_positions_and_missing_placards() -> None:
    with pytest.raises(InvalidInputError, match="tyre position"):
        tpms_check({"spare": 100.0}, 240.0)
    with pytest.raises(InvalidInputError, match="placard"):
        tpms_check({"rl": 100.0}, {"fl": 240.0})


@given(
    st.floats(min_value=0, max_value=1000),
    st.floats(min_value=0, max_value=1000),
    st.floats(min_value=50, max_value=600),
)
def test_a_lower_pressure_never_clears_a_warning(a: float, b: float, placard: float) -> None:
    lo, hi = sorted((a, b))
    if tpms_check({"fl": hi}, placard).warning:
        assert tpms_check({"fl": lo}, placard).warning


@given(st.floats(min_value=1, max_value=1000))
def test_warning_pressure_never_below_either_limit(placard: float) -> None:
    w = warning_pressure(placard)
    assert w >= 140.0 and w >= placard * 0.75


def test_tpms_index_counts_low_tyres_and_uses_the_vehicle_placards() -> None:
    inputs: dict[str, object] = {
        "tyre_pressure_fl": 185.0,
        "tyre_pressure_fr": 230.0,
        "tyre_pressure_rl": 170.0,
    }
    default = TPMS_UNDER_INFLATION.compute(inputs)  # placard 240 everywhere → warn at 180
    assert default is not None and default.value == 1 and default.details["low_tyres"] == ["rl"]
    own = TPMS_UNDER_INFLATION.compute({**inputs, "placard_front_kpa": 250.0, "placard_rear_kpa": 220.0})
    # front warns at 187.5 (fl 185 low), rear at 165 (rl 170 fine)
    assert own is not None and own.value == 1 and own.details["low_tyres"] == ["fl"]
    assert TPMS_UNDER_INFLATION.compute({}) is None


# ---------------------------------------------------------------- thermal runaway (GB 38031-2025 App. C)


def ramp(
    rate: float, seconds: float, step: float, *, temp0: float, volt: float | None = 3.7, t0: float = T0
) -> list[tuple[float, float | None, float]]:
    """Samples every `step` s for `seconds`, temperature rising at `rate` °C/s from `temp0`."""
    n = round(seconds / step)
    return [(t0 + k * step, volt, temp0 + rate * k * step) for k in range(n + 1)]


def test_rise_of_1_degree_per_second_for_exactly_3_s_does_not_trip() -> None:
    # Already at the 60 °C maximum, rising exactly 1 °C/s from t=0 to t=3: "more than 3 s" not met.
    result = detect_thermal_runaway(ramp(1.0, 3.0, 1.0, temp0=60.0))
    assert not result.tripped and result.at_s is None
    assert result.seen == {HOT}


def test_rise_of_1_degree_per_second_for_3_5_s_trips_at_3_5_s() -> None:
    result = detect_thermal_runaway(ramp(1.0, 3.5, 0.5, temp0=60.0))
    assert result.tripped and result.at_s == T0 + 3.5
    assert result.conditions == {HOT, RISE}


def test_fast_rise_without_voltage_drop_trips_only_once_max_temperature_is_reached() -> None:
    result = detect_thermal_runaway(
        ramp(5.0, 8.0, 0.5, temp0=20.0)
    )  # 20 → 60 °C, just reaching 60 at the end
    assert result.tripped and result.at_s == T0 + 8.0  # 60 °C reached at 8 s, rise ongoing
    cooler = detect_thermal_runaway(ramp(5.0, 7.5, 0.5, temp0=20.0))  # peaks at 57.5 °C
    assert not cooler.tripped and cooler.seen == {RISE}


def test_slow_heating_never_trips_however_hot() -> None:
    result = detect_thermal_runaway(ramp(0.9, 120.0, 1.0, temp0=55.0))  # 55 → 163 °C at 0.9 °C/s
    assert not result.tripped and result.seen == {HOT}
    assert result.max_rise_rate_c_per_s == pytest.approx(0.9)


def test_voltage_drop_of_more_than_25_percent_with_fast_rise_trips_below_max_temperature() -> None:
    # Cell at 4.0 V drops to 2.9 V (27.5 %) while heating at 2 °C/s from 30 °C for 4 s.
    samples = [(T0, 4.0, 30.0)] + [(T0 + k, 2.9, 30.0 + 2 * k) for k in range(1, 5)]
    result = detect_thermal_runaway(samples)
    assert result.tripped and result.at_s == T0 + 4
    assert result.conditions == {VOLT, RISE}


def test_voltage_drop_of_exactly_25_percent_does_not_count() -> None:
    samples = [(T0, 4.0, 30.0)] + [(T0 + k, 3.0, 30.0 + 2 * k) for k in range(1, 6)]
    result = detect_thermal_runaway(samples)
    assert not result.tripped and VOLT not in result.seen


def test_irregular_sampling_measures_the_run_by_its_timestamps() -> None:
    # Intervals 0.7, 1.3, 0.3, 1.3 s, each ≥ 1 °C/s; the run spans 3.6 s at the last sample.
    times = [0.0, 0.7, 2.0, 2.3, 3.6]
    temps = [70.0, 70.8, 72.2, 72.6, 74.0]
    samples = [(T0 + t, 3.7, c) for t, c in zip(times, temps, strict=True)]
    result = detect_thermal_runaway(samples)
    assert result.tripped and result.at_s == T0 + 3.6
    assert not detect_thermal_runaway(samples[:4]).tripped  # 2.3 s so far


def test_a_slow_interval_breaks_the_rise_run() -> None:
    # 2 s at 2 °C/s, 1 s at 0.5 °C/s, 2 s at 2 °C/s, all above 60 °C: no 3-second run.
    temps = [70, 72, 74, 74.5, 76.5, 78.5]
    result = detect_thermal_runaway([(T0 + k, 3.7, float(c)) for k, c in enumerate(temps)])
    assert not result.tripped and RISE not in result.seen


def test_decimal_readings_at_the_exact_limits_are_not_decided_by_float_noise() -> None:
    # 0.1 s steps at 0.1 °C per step (exactly 1 °C/s as written) on real epoch timestamps.
    def decimal_ramp(tenths: int) -> list[tuple[float, float, float]]:
        return [(T0 + 0.1 * k + 0.05, 3.7, round(60.3 + 0.1 * k, 1)) for k in range(tenths + 1)]

    assert not detect_thermal_runaway(decimal_ramp(30)).tripped  # exactly 3.0 s
    late = detect_thermal_runaway(decimal_ramp(31))
    assert late.tripped and late.at_s == pytest.approx(T0 + 3.15)


def test_maximum_operating_temperature_is_the_makers_setting() -> None:
    samples = ramp(2.0, 4.0, 1.0, temp0=45.0)  # 45 → 53 °C
    assert not detect_thermal_runaway(samples).tripped
    assert detect_thermal_runaway(samples, max_operating_temp_c=50.0).tripped


def test_sample_order_does_not_matter_but_duplicate_times_are_refused() -> None:
    samples = ramp(1.0, 3.5, 0.5, temp0=60.0)
    assert detect_thermal_runaway(list(reversed(samples))) == detect_thermal_runaway(samples)
    with pytest.raises(InvalidInputError, match="two samples"):
        detect_thermal_runaway([(T0, 3.7, 60.0), (T0, 3.7, 61.0)])


@pytest.mark.parametrize(
    "bad",
    [(T0, 3.7, math.nan), (math.inf, 3.7, 20.0), (T0, -1.0, 20.0), (T0, math.nan, 20.0)],
)
def test_runaway_rejects_non_finite_or_negative_inputs(bad: tuple[float, float, float]) -> None:
    with pytest.raises(InvalidInputError):
        detect_thermal_runaway([(T0 - 10, 3.7, 20.0), bad])


@given(
    st.lists(
        st.tuples(st.floats(min_value=0.05, max_value=5.0), st.floats(min_value=-2.0, max_value=0.99)),
        min_size=1,
        max_size=60,
    ),
    st.floats(min_value=-20, max_value=150),
)
def test_heating_slower_than_1_degree_per_second_never_trips(
    steps: list[tuple[float, float]], temp0: float
) -> None:
    samples: list[tuple[float, float | None, float]] = [(T0, 3.7, temp0)]
    for dt, rate in steps:
        t, _, c = samples[-1]
        samples.append((t + dt, 1.0, c + rate * dt))  # even with the voltage collapsed
    assert not detect_thermal_runaway(samples).tripped


@given(st.floats(min_value=-1e6, max_value=1e6), st.floats(min_value=1.0, max_value=10.0))
def test_runaway_judgement_does_not_depend_on_the_clock_origin(offset: float, rate: float) -> None:
    samples = ramp(rate, 6.0, 0.5, temp0=55.0, t0=1000.0)
    moved = [(t + offset, v, c) for t, v, c in samples]
    a, b = detect_thermal_runaway(samples), detect_thermal_runaway(moved)
    assert a.tripped == b.tripped
    if a.at_s is not None and b.at_s is not None:
        assert b.at_s - offset == pytest.approx(a.at_s, abs=1e-6)


def test_pair_series_holds_the_last_voltage_for_each_temperature_reading() -> None:
    volts = [(10.0, 4.0), (12.5, 3.0)]
    temps = [(9.0, 20.0), (10.0, 21.0), (11.0, 22.0), (13.0, 23.0)]
    assert pair_series(volts, temps) == (
        RunawaySample(9.0, None, 20.0),
        RunawaySample(10.0, 4.0, 21.0),
        RunawaySample(11.0, 4.0, 22.0),
        RunawaySample(13.0, 3.0, 23.0),
    )


def series(values: Sequence[float], step: float = 0.5) -> list[tuple[float, float]]:
    return [(T0 + k * step, v) for k, v in enumerate(values)]


def test_runaway_index_reads_both_series_and_the_makers_limit() -> None:
    temps = series([58.0 + k for k in range(9)])  # 2 °C/s for 4 s, 58 → 66 °C
    volts = series([3.7] * 9)
    tripped = THERMAL_RUNAWAY_INDEX.compute({"pack_temperature": temps, "cell_voltage_min": volts})
    assert tripped is not None and tripped.value == 1 and tripped.level is not None
    assert tripped.level.severity is Severity.CRITICAL
    assert tripped.details["conditions"] == ["over_temperature", "temperature_rise"]
    tolerant = THERMAL_RUNAWAY_INDEX.compute({"pack_temperature": temps, "max_operating_temp_c": 70.0})
    assert tolerant is not None and tolerant.value == 0
    assert THERMAL_RUNAWAY_INDEX.compute({"cell_voltage_min": volts}) is None


# ---------------------------------------------------------------- GB/T 32960.3 alarm flags

# Bit order of the general alarm flags, restated from docs/standards.md §5 / GB/T 32960.3.
GBT32960_BITS = [
    (0, "温度差异报警"),
    (1, "电池高温报警"),
    (2, "车载储能装置类型过压报警"),
    (3, "车载储能装置类型欠压报警"),
    (4, "SOC低报警"),
    (5, "单体电池过压报警"),
    (6, "单体电池欠压报警"),
    (7, "SOC过高报警"),
    (8, "SOC跳变报警"),
    (9, "可充电储能系统不匹配报警"),
    (10, "电池单体一致性差报警"),
    (11, "绝缘报警"),
    (12, "DC-DC温度报警"),
    (13, "制动系统报警"),
    (14, "DC-DC状态报警"),
    (15, "驱动电机控制器温度报警"),
    (16, "高压互锁状态报警"),
    (17, "驱动电机温度报警"),
    (18, "车载储能装置类型过充"),
]


@pytest.mark.parametrize(("bit", "zh"), GBT32960_BITS)
def test_each_flag_bit_decodes_to_its_named_alarm(bit: int, zh: str) -> None:
    decoded = decode_alarm_flags(1 << bit)
    assert [a.title.zh for a in decoded.alarms] == [zh]
    assert decoded.alarms[0].title.en and decoded.alarms[0].bit == bit


def test_all_19_flags_decode_in_bit_order_and_reserved_bits_are_reported_apart() -> None:
    decoded = decode_alarm_flags(0x7FFFF)
    assert [a.title.zh for a in decoded.alarms] == [zh for _, zh in GBT32960_BITS]
    assert decode_alarm_flags(0).alarms == ()
    with_reserved = decode_alarm_flags((1 << 19) | (1 << 31) | (1 << 11))
    assert [a.code for a in with_reserved.alarms] == ["insulation"]
    assert with_reserved.reserved_bits == (19, 31)


def test_flag_word_stored_as_a_double_decodes_the_same() -> None:
    assert decode_alarm_flags(2048.0) == decode_alarm_flags(2048)


@pytest.mark.parametrize("bad", [-1, 2**32, 2048.5, math.nan, True, "2048"])
def test_flag_word_outside_32_bits_or_not_whole_is_refused(bad: object) -> None:
    with pytest.raises(InvalidInputError):
        decode_alarm_flags(bad)  # type: ignore[arg-type]


@given(st.sets(st.sampled_from([code for code in (a.code for a in decode_alarm_flags(0x7FFFF).alarms)])))
def test_encoding_then_decoding_returns_the_same_alarms(codes: set[str]) -> None:
    assert {a.code for a in decode_alarm_flags(encode_alarm_flags(codes)).alarms} == codes


@pytest.mark.parametrize(
    ("code", "zh", "severity"),
    [
        (0, "无故障", None),
        (1, "1级故障", Severity.WARNING),
        (2, "2级故障", Severity.MAJOR),
        (3, "3级故障", Severity.CRITICAL),
        (0xFE, "异常", None),
        (0xFF, "无效", None),
    ],
)
def test_alarm_levels_0_to_3_have_their_meanings(code: int, zh: str, severity: Severity | None) -> None:
    level = alarm_level(code)
    assert level.title.zh == zh and level.severity is severity


def test_level_3_means_stop_now_and_unknown_levels_are_refused() -> None:
    advice = alarm_level(3).advice
    assert advice is not None and "停车" in advice.zh and "stop" in advice.en
    for bad in (4, -1, 2.5, math.nan):
        with pytest.raises(InvalidInputError):
            alarm_level(bad)


def test_alarm_index_reports_the_level_and_names_the_active_flags() -> None:
    result = GBT32960_ALARM.compute(
        {"gbt32960_alarm_level": 3.0, "gbt32960_alarm_flags": float((1 << 1) | (1 << 11))}
    )
    assert result is not None and result.value == 3
    assert result.details["alarms"] == ["battery_high_temperature", "insulation"]
    assert result.details["alarms_zh"] == ["电池高温报警", "绝缘报警"]
    invalid = GBT32960_ALARM.compute({"gbt32960_alarm_level": 255.0})
    assert invalid is not None and invalid.value is None and invalid.level is not None
    assert invalid.level.code == "invalid"
    assert GBT32960_ALARM.compute({"gbt32960_alarm_flags": 2.0}) is None


# ---------------------------------------------------------------- insulation (GB 18384)


def test_400_v_pack_needs_40_kilohm_dc_and_200_kilohm_ac() -> None:
    assert minimum_insulation_ohm(400.0) == pytest.approx(40_000.0)
    assert minimum_insulation_ohm(400.0, Circuit.AC) == pytest.approx(200_000.0)
    assert minimum_insulation_ohm(400.0, ohm_per_volt=250.0) == pytest.approx(100_000.0)


@pytest.mark.parametrize(
    ("ohm", "volts", "circuit", "low"),
    [
        (40_000.0, 400.0, Circuit.DC, False),  # exactly 100 Ω/V passes
        (39_999.0, 400.0, Circuit.DC, True),
        (200_000.0, 400.0, Circuit.AC, False),  # exactly 500 Ω/V passes
        (199_000.0, 400.0, Circuit.AC, True),
    ],
)
def test_insulation_is_low_only_below_the_minimum(
    ohm: float, volts: float, circuit: Circuit, low: bool
) -> None:
    result = insulation_check(ohm, volts, circuit)
    assert result.level is not None and (result.level.code == "insulation_low") is low


def test_insulation_index_prefers_the_makers_maximum_working_voltage() -> None:
    # 44 kΩ at a measured 400 V is 110 Ω/V; at the pack's 450 V maximum it is 97.8 Ω/V: too low.
    measured = INSULATION.compute({"insulation_resistance": 44_000.0, "pack_voltage": 400.0})
    rated = INSULATION.compute(
        {"insulation_resistance": 44_000.0, "pack_voltage": 400.0, "max_working_voltage_v": 450.0}
    )
    assert measured is not None and measured.value == pytest.approx(110.0)
    assert rated is not None and rated.value == pytest.approx(97.78, abs=0.01)
    assert rated.level is not None and rated.level.code == "insulation_low"
    assert INSULATION.compute({"insulation_resistance": 44_000.0, "pack_voltage": 0.0}) is None
    assert INSULATION.compute({"pack_voltage": 400.0}) is None


@given(
    st.floats(min_value=0, max_value=6e7),
    st.floats(min_value=0, max_value=6e7),
    st.floats(min_value=1, max_value=1000),
)
def test_more_resistance_never_means_worse_insulation(a: float, b: float, volts: float) -> None:
    lo, hi = sorted((a, b))
    assert ohm_per_volt(lo, volts) <= ohm_per_volt(hi, volts)


@pytest.mark.parametrize(
    ("ohm", "volts"), [(math.nan, 400.0), (1000.0, math.inf), (-1.0, 400.0), (1000.0, 0.0)]
)
def test_insulation_rejects_bad_inputs(ohm: float, volts: float) -> None:
    with pytest.raises(InvalidInputError):
        ohm_per_volt(ohm, volts)


# ---------------------------------------------------------------- area and rules


def test_area_is_registered_with_its_bilingual_title() -> None:
    registry.validate(AREA)
    assert registry.area("automotive").title.zh == "汽车电子"
    assert AREA.title.en == "Automotive electronics"
    assert {"vehicle_tbox", "tpms"} <= set(AREA.device_kinds)
    names = {m.name for m in AREA.metrics}
    assert {f"tyre_pressure_{p}" for p in ("fl", "fr", "rl", "rr")} <= names
    assert {"cell_voltage_min", "cell_voltage_max", "pack_voltage", "pack_temperature", "soc"} <= names


def test_every_metric_has_a_pint_unit() -> None:
    pint = pytest.importorskip("pint")
    ureg = pint.UnitRegistry()
    for m in AREA.metrics:
        ureg.Unit(m.unit)
        assert set(m.device_kinds) <= set(AREA.device_kinds)


def test_verify_items_are_configurable_defaults_and_say_so() -> None:
    for rid in ("automotive.tpms_under_inflation", "automotive.insulation_low"):
        r = rule(rid)
        assert r.configurable_default and "[verify]" in r.source
    assert any(r.kind is ConditionKind.MISSING_DATA and float(r.params["silence_s"]) > 0 for r in RULES)
    for r in RULES:
        assert r.id.startswith("automotive.") and r.area == "automotive"


def test_rules_fire_through_the_shared_condition_evaluator(conditions: ModuleType) -> None:
    ev = conditions.evaluate
    assert ev(rule("automotive.soc_low"), 25.0).severity is None
    assert ev(rule("automotive.soc_low"), 20.0).severity is Severity.WARNING
    assert ev(rule("automotive.soc_low"), 9.0).severity is Severity.MAJOR
    assert ev(rule("automotive.pack_temperature_high"), 56.0).severity is Severity.WARNING
    assert ev(rule("automotive.pack_temperature_high"), 61.0).severity is Severity.MAJOR

    low_tyre = TPMS_UNDER_INFLATION.compute({"tyre_pressure_fl": 150.0})
    assert (
        low_tyre is not None
        and ev(rule("automotive.tpms_under_inflation"), low_tyre.value).severity is Severity.WARNING
    )
    runaway = THERMAL_RUNAWAY_INDEX.compute({"pack_temperature": series([60.0 + k for k in range(9)])})
    assert (
        runaway is not None
        and ev(rule("automotive.thermal_runaway"), runaway.value).severity is Severity.CRITICAL
    )
    calm = THERMAL_RUNAWAY_INDEX.compute({"pack_temperature": series([30.0] * 9)})
    assert calm is not None and ev(rule("automotive.thermal_runaway"), calm.value).severity is None
    weak = INSULATION.compute({"insulation_resistance": 30_000.0, "pack_voltage": 400.0})
    assert (
        weak is not None and ev(rule("automotive.insulation_low"), weak.value).severity is Severity.CRITICAL
    )
    fault = GBT32960_ALARM.compute({"gbt32960_alarm_level": 2.0})
    assert fault is not None and ev(rule("automotive.gbt32960_alarm"), fault.value).severity is Severity.MAJOR
