"""Every public domain function refuses a bad choice or limit with the domain's InvalidInputError
(which names the input and what would be accepted), never a bare ValueError, KeyError or worse."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from domains.agriculture import aquaculture
from domains.automotive import battery_runaway, insulation
from domains.city import tunnel_gas
from domains.consumer import battery_health, indoor_air, noise
from domains.environment import aqi_china, aqi_us, hj633_iaqi, ozone_averages, water_quality
from domains.environment.rules import water_class_rule
from domains.inputs import as_choice
from domains.manufacturing import exposure, gas_alarm, spc, vibration
from domains.model import InvalidInputError

_LIMITS = spc.estimate_limits([1.0, 2.0] * 10)

CASES: dict[str, tuple[Callable[[], object], str]] = {
    "vibration zone, unknown group": (lambda: vibration.vibration_zone(2.0, 3), "machine_group"),  # type: ignore[arg-type]
    "vibration zone, unknown foundation": (lambda: vibration.vibration_zone(2.0, 2, "soft"), "foundation"),  # type: ignore[arg-type]
    "zone boundaries, unknown group": (lambda: vibration.zone_boundaries(3, "rigid"), "machine_group"),  # type: ignore[arg-type]
    "zone index, unknown default group": (
        lambda: vibration.iso10816_zone_spec(3),  # type: ignore[arg-type]
        "machine_group",
    ),
    "insulation minimum, unknown circuit": (lambda: insulation.minimum_insulation_ohm(400, "hv"), "circuit"),  # type: ignore[arg-type]
    "insulation check, unknown circuit": (lambda: insulation.insulation_check(1e6, 400, "hv"), "circuit"),  # type: ignore[arg-type]
    "insulation index, unknown circuit": (lambda: insulation.insulation_spec("hv"), "circuit"),  # type: ignore[arg-type]
    "comfort, unknown season": (lambda: indoor_air.comfort_deviations("spring", temperature_c=20), "season"),  # type: ignore[arg-type]
    "comfort index, unknown season": (lambda: indoor_air.thermal_comfort_spec("spring"), "season"),  # type: ignore[arg-type]
    "noise index, unknown zone": (lambda: noise.noise_spec("9"), "zone class"),  # type: ignore[arg-type]
    "noise, infinite UTC offset": (lambda: noise.local_hour(0, float("inf")), "utc_offset_h"),
    "noise, UTC offset beyond 14 h": (lambda: noise.local_hour(0, 15), "utc_offset_h"),
    "noise, NaN day start": (lambda: noise.period_at(10, day_start_h=float("nan")), "day_start_h"),
    "China AQI, unknown edition": (lambda: aqi_china.aqi_realtime(pm25=10, edition="HJ633-1999"), "edition"),  # type: ignore[arg-type]
    "China daily AQI, unknown edition": (lambda: aqi_china.aqi_daily(pm25_24h=10, edition="x"), "edition"),  # type: ignore[arg-type]
    "IAQI, unknown row": (lambda: hj633_iaqi.iaqi("pm1", 10), "row"),  # type: ignore[arg-type]
    "breakpoints, unknown edition": (lambda: hj633_iaqi.breakpoints(hj633_iaqi.Row.PM25_24H, "x"), "edition"),  # type: ignore[arg-type]
    "US sub-index, unknown row": (lambda: aqi_us.sub_index("pm1", 1.0), "row"),  # type: ignore[arg-type]
    "US truncation, unknown row": (lambda: aqi_us.truncate("pm1", 1.0), "row"),  # type: ignore[arg-type]
    "O3 8-h, 0 valid hours": (
        lambda: ozone_averages.o3_8h_moving_average([1.0], min_valid_hours=0),
        "min_valid",
    ),
    "O3 series, 9 valid hours": (
        lambda: ozone_averages.o3_from_series([(0.0, 1.0)], min_valid_hours=9),
        "min_valid",
    ),
    "water class of a parameter, unknown water body": (
        lambda: water_quality.parameter_class("water_tp", 0.1, water_body="sea"),  # type: ignore[arg-type]
        "water_body",
    ),
    "water class, unknown water body": (
        lambda: water_quality.water_class({"water_tp": 0.1}, water_body="sea"),  # type: ignore[arg-type]
        "water_body",
    ),
    "water class index, unknown water body setting": (
        lambda: water_quality.compute({"water_do": 8.0, "water_body": "sea"}),
        "water_body",
    ),
    "water class rule, no class worse than 劣V": (lambda: water_class_rule(6), "target class"),  # type: ignore[arg-type]
    "SPC, unknown rule set": (lambda: spc.run_rule_violations([1.0] * 20, _LIMITS, "x"), "spc_rule_set"),  # type: ignore[arg-type]
    "SPC index, unknown rule set": (lambda: spc.spc_violations_spec(rule_set="x"), "spc_rule_set"),  # type: ignore[arg-type]
    "combustible alarm, set point above 25 % LEL": (
        lambda: gas_alarm.combustible_gas_alarm(10, first=30),
        "GB/T 50493",
    ),
    "toxic alarm, exposure limit 0": (lambda: gas_alarm.toxic_gas_alarm(10, oel=0), "exposure limit"),
    "ceiling, negative MAC": (lambda: exposure.ceiling_exceeded(1, mac_mg_m3=-1), "MAC"),
    "TWA index, coverage above 1": (lambda: exposure.co_twa_spec(2.0), "min_coverage"),
    "oxygen alarm, low above high": (lambda: tunnel_gas.oxygen(20, low=25, high=10), "low < high"),
    "battery end of life, NaN threshold": (
        lambda: battery_health.battery_end_of_life(90, threshold_percent=float("nan")),
        "threshold",
    ),
    "runaway index, NaN maximum temperature": (
        lambda: battery_runaway.thermal_runaway_spec(float("nan")),
        "max_operating_temp_c",
    ),
    "runaway pairing, malformed series": (lambda: battery_runaway.pair_series(None, "x"), "pack temperature"),  # type: ignore[arg-type]
    "pond oxygen hours, malformed series": (lambda: aquaculture.hourly_minima("x"), "dissolved oxygen"),  # type: ignore[arg-type]
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_raises_the_domains_input_error_naming_it(case: str) -> None:
    call, names = CASES[case]
    with pytest.raises(InvalidInputError, match=names.replace("/", ".")):
        call()


def test_as_choice_takes_members_values_and_their_text() -> None:
    assert as_choice("machine_group", 1, vibration.MachineGroup) is vibration.MachineGroup.LARGE
    assert as_choice("machine_group", "2", vibration.MachineGroup) is vibration.MachineGroup.MEDIUM
    assert as_choice("machine_group", 2.0, vibration.MachineGroup) is vibration.MachineGroup.MEDIUM
    assert as_choice("foundation", " Flexible ", vibration.Foundation) is vibration.Foundation.FLEXIBLE
    assert as_choice("edition", "hj633-2012", hj633_iaqi.Edition) is hj633_iaqi.Edition.HJ633_2012
    with pytest.raises(InvalidInputError, match=r"machine_group must be one of 1, 2, got True"):
        as_choice("machine_group", True, vibration.MachineGroup)
    with pytest.raises(InvalidInputError, match=r"'rigid', 'flexible'"):
        as_choice("foundation", None, vibration.Foundation)


def test_water_body_setting_accepts_reservoir_as_a_lake() -> None:
    assert water_quality.water_body_setting("Reservoir") is water_quality.WaterBody.LAKE
    assert water_quality.water_body_setting("river") is water_quality.WaterBody.RIVER
