"""The US NowCast against EPA's and AirNow's own worked examples, and at its validity boundaries."""

from __future__ import annotations

from fractions import Fraction

import pytest

from domains import registry
from domains.environment.aqi_us import ppb_from_ugm3
from domains.environment.nowcast import (
    AQI_US_NOWCAST,
    OZONE,
    PM,
    aqi_nowcast,
    compute,
    nowcast,
    weight_factor,
)
from domains.inputs import EVALUATED_AT
from domains.model import ConditionKind, InvalidInputError, RuleSpec, Severity, Text, Threshold
from domains.rule_kinds import kind_of
from domains.rule_kinds.base import Evidence

HOUR = 3600.0

# EPA, "Computing the NowCast" (AirNow training material; the AirNow NowCast FAQ gives the same
# steps): twelve hourly PM2.5 values, oldest first; range 90 − 10 = 80, scaled rate 80/90,
# weight 1 − 80/90 = 0.11 < 0.5 so 0.5, NowCast 17.4 µg/m³.
EPA_PM_HOURS_OLDEST_FIRST = (50.0, 80.0, 75.0, 90.0, 82.0, 53.0, 64.0, 74.0, 21.0, 10.0, 16.0, 13.0)
EPA_PM = tuple(reversed(EPA_PM_HOURS_OLDEST_FIRST))  # most recent first, as nowcast() takes them

# AirNow-Tech, "AirNow Updates to Ozone Real-time Reporting and Daily Reporting" (2016): eight
# hourly O3 values in ppb, most recent first, one missing; range 80 − 22 = 58, weight 0.275,
# numerator 89.925.
AIRNOW_O3_PPB = (63.0, 69.0, 80.0, 74.0, 60.0, None, 35.0, 22.0)


def test_epa_pm_example_weight_is_floored_at_one_half_and_nowcast_is_17_4() -> None:
    assert weight_factor(EPA_PM, PM) == Fraction(1, 2)  # 1 − 80/90 = 1/9, floored
    value = nowcast(EPA_PM, PM)
    assert value is not None
    assert int(value * 10) / 10 == 17.4  # EPA: "= 17.4 ug/m3"


def test_epa_pm_example_is_aqi_66_moderate_on_the_2024_table() -> None:
    # 17.4 µg/m³ on the 2024 PM2.5 row 9.1–35.4 → 51–100: 49/26.3 · 8.3 + 51 = 66.46 → 66
    result = aqi_nowcast(pm25=EPA_PM)
    assert result.value == 66.0
    assert result.level is not None and result.level.code == "moderate"
    assert result.details["nowcast"] == {"pm25": 17.4}
    assert result.details["indexed"] == ["pm25"]
    assert result.details["missing"] == ["pm10", "o3"]


def test_airnow_ozone_example_has_no_floor_and_skips_the_missing_hour() -> None:
    ppm = [None if v is None else v / 1000 for v in AIRNOW_O3_PPB]
    w = weight_factor([v for v in ppm if v is not None], OZONE)
    assert w == Fraction(22, 80)  # 0.275, below PM's floor and kept
    numerator = sum(Fraction(repr(v)) * w**i for i, v in enumerate(AIRNOW_O3_PPB) if v is not None)
    assert round(float(numerator), 3) == 89.925  # AirNow's step 4
    value = nowcast(AIRNOW_O3_PPB, OZONE)
    assert value is not None
    # The missing hour's weight w^5 is left out of the divisor too.
    denominator = sum(w**i for i, v in enumerate(AIRNOW_O3_PPB) if v is not None)
    assert value == numerator / denominator
    assert int(value) == 65  # ppb


def test_airnow_ozone_example_is_aqi_84_on_the_8h_row() -> None:
    # 0.065 ppm on the 8-h row 0.055–0.070 → 51–100: 49/0.015 · 0.010 + 51 = 83.67 → 84
    result = aqi_nowcast(o3=[None if v is None else v / 1000 for v in AIRNOW_O3_PPB])
    assert result.details["nowcast"] == {"o3": 0.065}
    assert result.value == 84.0
    assert result.details["weight_factor"] == {"o3": 0.275}


@pytest.mark.parametrize(
    ("low", "high", "pm_weight", "o3_weight"),
    [
        (5.0, 10.0, Fraction(1, 2), Fraction(1, 2)),  # exactly 0.5: kept by both
        (4.0, 10.0, Fraction(1, 2), Fraction(2, 5)),  # 0.4: PM floors it, ozone keeps it
        (10.0, 10.0, Fraction(1), Fraction(1)),  # no change: plain average
        (0.0, 0.0, Fraction(1), Fraction(1)),  # all zero: no division by zero
    ],
)
def test_weight_factor_floor_applies_to_pm_only(
    low: float, high: float, pm_weight: Fraction, o3_weight: Fraction
) -> None:
    hours = [high, low, high]
    assert weight_factor(hours, PM) == pm_weight
    assert weight_factor(hours, OZONE) == o3_weight


def test_stable_hours_give_the_twelve_hour_mean() -> None:
    hours = [20.0] * 6 + [20.0] * 6
    assert nowcast(hours, PM) == 20


@pytest.mark.parametrize(
    ("recent_three", "valid"),
    [
        ((10.0, 10.0, 10.0), True),
        ((10.0, 10.0, None), True),
        ((10.0, None, 10.0), True),
        ((None, 10.0, 10.0), True),
        ((10.0, None, None), False),
        ((None, 10.0, None), False),
        ((None, None, 10.0), False),
    ],
)
def test_two_of_the_three_most_recent_hours_must_be_valid(
    recent_three: tuple[float | None, ...], valid: bool
) -> None:
    hours = [*recent_three, *[10.0] * 9]  # the nine older hours never rescue a stale NowCast
    assert (nowcast(hours, PM) is not None) is valid
    assert (nowcast(hours[:8], OZONE) is not None) is valid


def test_hours_beyond_the_method_window_do_not_count() -> None:
    twelve = [10.0] * 12
    assert nowcast([*twelve, 500.0], PM) == 10
    assert nowcast([*twelve[:8], 500.0], OZONE) == 10


def test_nowcast_is_exact_so_truncation_does_not_drop_a_tenth() -> None:
    # Twelve hours of 9.1 µg/m³ average to 9.0999999999999980 in binary floats, which truncates to
    # 9.0 (AQI 50). EPA's NowCast is 9.1: AQI 51.
    result = aqi_nowcast(pm25=[9.1] * 12)
    assert result.details["nowcast"] == {"pm25": 9.1}
    assert result.value == 51.0


@pytest.mark.parametrize(("pm10", "aqi"), [(54.9, 50.0), (55.0, 51.0), (154.9, 100.0), (155.0, 101.0)])
def test_pm10_nowcast_truncates_to_whole_micrograms_before_the_lookup(pm10: float, aqi: float) -> None:
    assert aqi_nowcast(pm10=[pm10] * 12).value == aqi


def test_ozone_nowcast_above_the_8h_row_is_indexed_by_the_latest_hour() -> None:
    result = aqi_nowcast(o3=[0.210] * 8)  # 8-h row ends at 0.200 ppm; 1-h 0.210 → 201–300
    assert result.details["sub_indices"] == {"o3": 203}
    assert "o3_8h" in str(result.details["not_indexed"])


def test_the_aqi_is_the_largest_nowcast_sub_index_and_names_what_is_missing() -> None:
    result = aqi_nowcast(pm25=[60.0] * 12, pm10=[100.0, None, None])
    # PM2.5 60.0 → 55.5–125.4 → 151–200: 49/69.9 · 4.5 + 151 = 154.15 → 154 (Unhealthy)
    assert result.value == 154.0
    assert result.level is not None and result.level.code == "unhealthy"
    assert result.details["main_pollutants"] == ["pm25"]
    assert result.details["missing"] == ["pm10", "o3"]
    assert "1 of 3" in str(result.details["not_indexed"])


def test_nothing_valid_gives_no_value_and_says_why() -> None:
    result = aqi_nowcast(pm25=[None, None, 12.0])
    assert result.value is None and result.level is None
    assert result.details["missing"] == ["pm25", "pm10", "o3"]


def test_negative_hourly_means_are_rejected() -> None:
    with pytest.raises(InvalidInputError):
        nowcast([10.0, -1.0, 10.0], PM)


def _hourly(start_hour: int, values: list[float]) -> tuple[tuple[float, float], ...]:
    """(hour start, mean) points, oldest first, as Window.HOURLY_MEANS hands them."""
    return tuple(((start_hour + i) * HOUR, v) for i, v in enumerate(values))


def test_index_reads_hourly_means_and_matches_the_example() -> None:
    values = {"pm25": _hourly(1000, list(EPA_PM_HOURS_OLDEST_FIRST)), EVALUATED_AT: 1011 * HOUR + 600}
    result = compute(values)
    assert result is not None and result.value == 66.0


def test_index_judges_the_recent_hours_from_the_evaluation_time() -> None:
    pm = _hourly(1000, list(EPA_PM_HOURS_OLDEST_FIRST))  # last hour with data: 1011
    stale = compute({"pm25": pm, EVALUATED_AT: 1013 * HOUR + 5})  # hours 1013, 1012 missing
    assert stale is not None and stale.value is None
    assert "PM2.5 NowCast needs 2 of the 3 most recent hours; 1 of 3" in str(stale.details["not_indexed"])
    # Current hour not yet reported, the two before it are: valid, and the same NowCast.
    fresh = compute({"pm25": pm, EVALUATED_AT: 1012 * HOUR + 5})
    assert fresh is not None and fresh.value == 66.0
    # Without the evaluation time the newest hour with data is taken as the current one.
    assert (undated := compute({"pm25": pm})) is not None and undated.value == 66.0


def test_index_converts_ozone_micrograms_to_ppm_at_25_degrees() -> None:
    ugm3 = [138.0] * 8  # 138 µg/m³ · 24.45 / 48.00 = 70.29 ppb → 0.070 ppm → AQI 100
    assert ppb_from_ugm3("o3", 138.0) == pytest.approx(70.29, abs=0.01)
    result = compute({"o3": _hourly(1000, ugm3), EVALUATED_AT: 1007 * HOUR})
    assert result is not None
    assert result.details["nowcast"] == {"o3": 0.070}
    assert result.value == 100.0


def test_index_is_registered_in_the_environment_area() -> None:
    assert registry.index("environment", "aqi_us_nowcast") is AQI_US_NOWCAST
    assert {i.metric for i in AQI_US_NOWCAST.inputs} == {"pm25", "pm10", "o3"}


def test_ozone_nowcast_above_the_8h_row_without_a_latest_hour_is_not_indexed() -> None:
    result = aqi_nowcast(o3=[None, 0.300, 0.300, 0.300])
    assert result.value is None
    assert result.details["not_indexed"] == {
        "pm25": "no PM2.5 hourly means in the last 12 hours",
        "pm10": "no PM10 hourly means in the last 12 hours",
        "o3": "O3 NowCast above 0.200 ppm: the 8-h row defines no AQI there; "
        "the most recent 1-h mean is missing or below the 1-h row",
    }


def test_a_rule_on_the_nowcast_judges_the_recent_hours_from_the_evaluation_time() -> None:
    """The evaluator hands the index its evaluation time, so a rule sees what the view shows."""
    rule = RuleSpec(
        id="environment.test_nowcast_ladder",
        area="environment",
        subject=AQI_US_NOWCAST.id,
        kind=ConditionKind.LEVEL_LADDER,
        title=Text(en="t", zh="t"),
        message=Text(en="m", zh="m"),
        source="test",
        thresholds=(Threshold(Severity.INFO, 51.0),),
    )
    area = registry.area("environment")
    pm = _hourly(1000, list(EPA_PM_HOURS_OLDEST_FIRST))
    live = kind_of(rule).judge(rule, area, Evidence(now=1011 * HOUR + 5, inputs={"pm25": pm}), None)
    assert live.value == 66.0 and live.decision.severity is Severity.INFO
    stale = kind_of(rule).judge(rule, area, Evidence(now=1014 * HOUR + 5, inputs={"pm25": pm}), None)
    assert stale.value is None and stale.decision.severity is None
