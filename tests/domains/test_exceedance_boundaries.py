"""Every exceedance rule at its limit and at the next float, through domains.conditions.evaluate.

A standard that says "exceeds" (超标, "above the limit") or "at least" is met or broken strictly;
a rule's rung is inclusive, so such rungs sit at strictly_above / strictly_below the limit and the
alert changes exactly where the index (or the standard's own function) does. Alarm set points that
a detector "reaches" stay inclusive. docs/standards.md §1.1, §2, §3, §4, §5, §6.
"""

from __future__ import annotations

import math

import pytest

from domains import registry
from domains.automotive.insulation import insulation_check
from domains.city.water_pressure import pressure_ok
from domains.conditions import evaluate
from domains.consumer.battery_health import battery_end_of_life
from domains.consumer.noise import assess_noise
from domains.environment.hj633_iaqi import Edition, Row, iaqi
from domains.manufacturing.exposure import ceiling_exceeded, co_exposure
from domains.model import Severity

UP, DOWN = math.inf, -math.inf

# (rule, the standard's limit, the bad side (UP: above is bad), fires at the limit itself, severity)
BOUNDARIES: list[tuple[str, float, float, bool, Severity]] = [
    # HJ 633-2012 §3, §4: exceeding is IAQI > 100; PM2.5 24 h at 60 µg/m³ (2026) is IAQI 100
    ("environment.pm25_24h_exceedance", 60.0, UP, False, Severity.WARNING),
    # GBZ 2.1-2019: an exposure complies while ≤ PC-TWA 20 / PC-STEL 30 mg/m³
    ("manufacturing.co_twa", 20.0, UP, False, Severity.MAJOR),
    ("manufacturing.co_stel", 30.0, UP, False, Severity.MAJOR),
    # GB 18384: insulation at least 100 Ω/V (DC): exactly 100 passes
    ("automotive.insulation_low", 100.0, DOWN, False, Severity.CRITICAL),
    # GB 3096-2008: a level complies at ≤ its limit (index value = level − limit)
    ("consumer.noise_over_limit", 0.0, UP, False, Severity.WARNING),
    # the end-of-life convention: SOH < 80 %
    ("consumer.battery_end_of_life", 80.0, DOWN, False, Severity.WARNING),
    # CJ/T 316-2009: ≥ 0.14 MPa and ≥ 97 % are adequate
    ("city.water_pressure_low", 0.14, DOWN, False, Severity.WARNING),
    ("city.water_pressure_compliance", 97.0, DOWN, False, Severity.WARNING),
    # GB 11607-89: DO > 5 mg/L for at least 16 h a day
    ("agriculture.pond_do_daily", 16.0, DOWN, False, Severity.WARNING),
    # tomato practice [verify]: disease risk above 85 % RH, chilling below 13 °C
    ("agriculture.greenhouse_humidity", 85.0, UP, False, Severity.WARNING),
    ("agriculture.greenhouse_chilling", 13.0, DOWN, False, Severity.MAJOR),
    # GB/T 50493-2019 §5.5.2 alarm set points: a detector alarms when its reading reaches them
    ("city.h2s", 10.0, UP, True, Severity.MAJOR),
    ("city.co", 20.0, UP, True, Severity.MAJOR),
    ("city.combustible_gas", 25.0, UP, True, Severity.MAJOR),
    ("city.ch4_compartment", 20.0, UP, True, Severity.MAJOR),
    ("city.o2_low", 19.5, DOWN, True, Severity.MAJOR),
    ("city.o2_high", 23.5, UP, True, Severity.MAJOR),
    ("manufacturing.h2s_alarm", 10.0, UP, True, Severity.MAJOR),
    ("manufacturing.combustible_gas_alarm", 25.0, UP, True, Severity.MAJOR),
]


@pytest.mark.parametrize(("rule_id", "limit", "bad", "at_limit", "severity"), BOUNDARIES)
def test_rule_at_its_limit_and_the_next_float(
    rule_id: str, limit: float, bad: float, at_limit: bool, severity: Severity
) -> None:
    rule = registry.rule(rule_id)
    good_side = math.nextafter(limit, -bad)
    bad_side = math.nextafter(limit, bad)
    assert evaluate(rule, good_side).severity is None
    assert evaluate(rule, limit).severity is (severity if at_limit else None)
    assert evaluate(rule, bad_side).severity is severity


def test_pm25_rule_and_the_iaqi_change_at_the_same_concentration() -> None:
    rule = registry.rule("environment.pm25_24h_exceedance")
    assert iaqi(Row.PM25_24H, 60.0, Edition.HJ633_2026) == 100
    assert iaqi(Row.PM25_24H, math.nextafter(60.0, UP), Edition.HJ633_2026) == 101
    assert evaluate(rule, 60.0).severity is None
    assert evaluate(rule, math.nextafter(60.0, UP)).severity is Severity.WARNING


def test_the_strict_rules_agree_with_their_indices_at_the_limit() -> None:
    # insulation: 40 kΩ on 400 V is 100 Ω/V exactly, which GB 18384 accepts
    assert insulation_check(40_000.0, 400.0).level is not None
    assert insulation_check(40_000.0, 400.0).level.code == "insulation_ok"  # type: ignore[union-attr]
    assert insulation_check(39_999.0, 400.0).level.code == "insulation_low"  # type: ignore[union-attr]
    # noise: 55 dB(A) in a class-1 zone by day is at the limit: within it
    assert not assess_noise(55.0, "1", 12.0).exceeds and assess_noise(55.1, "1", 12.0).exceeds
    # battery: exactly 80 % is still in life
    assert not battery_end_of_life(80.0) and battery_end_of_life(79.9)
    # CO TWA: a steady 20 mg/m³ over the shift complies; a hair above does not
    steady = [(float(t), 20.0) for t in range(0, 8 * 3600 + 1, 60)]
    assert not co_exposure(steady).twa_exceeded
    above = [(t, math.nextafter(20.0, UP)) for t, _ in steady]
    assert co_exposure(above).twa_exceeded
    # water pressure: exactly 0.14 MPa is adequate
    assert pressure_ok(0.14) and not pressure_ok(math.nextafter(0.14, DOWN))
    # the H2S ceiling is exceeded only above 10 mg/m³ (the alarm set point is reached at 10)
    assert not ceiling_exceeded(10.0) and ceiling_exceeded(math.nextafter(10.0, UP))
