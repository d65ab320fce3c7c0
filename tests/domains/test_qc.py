"""Quality control of single readings, checked against the limits of docs/standards.md §7.

The metrics are built here from §7's figures (not taken from any area), so these tests pin the
generic QC logic regardless of which areas exist.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domains.model import Metric, QCLimits, Quality, Text
from domains.qc import (
    dew_point_consistency,
    flag_reading,
    gust_consistency,
    history_span_s,
    persistence_check,
    range_check,
    step_check,
)

HOUR = 3600


def _metric(name: str, unit: str, plausible: tuple[float, float], qc: QCLimits | None = None) -> Metric:
    return Metric(
        name=name,
        unit=unit,
        title=Text(en=name, zh=name),
        plausible=plausible,
        qc=qc or QCLimits(),
        source="docs/standards.md §7 (WMO AWS QC practice; CMA QX/T 118)",
    )


# §7 Range, Step and Persistence rows.
AIR_TEMPERATURE = _metric(
    "air_temperature",
    "degC",
    (-80, 60),
    QCLimits(step_suspect=2, step_error=3, persistence_window_s=HOUR, persistence_min_change=0.1),
)
DEW_POINT = _metric("dew_point", "degC", (-80, 35), QCLimits(step_suspect=2, step_error=4))
RELATIVE_HUMIDITY = _metric(
    "relative_humidity",
    "percent",
    (0, 100),
    QCLimits(
        step_suspect=5,
        step_error=15,
        persistence_window_s=HOUR,
        persistence_min_change=1,
        persistence_below=95,
    ),
)
PRESSURE = _metric(
    "pressure",
    "hPa",
    (500, 1100),
    QCLimits(step_suspect=0.5, step_error=2, persistence_window_s=HOUR, persistence_min_change=0.1),
)
WIND_SPEED = _metric("wind_speed", "m/s", (0, 75), QCLimits(step_suspect=10, step_error=20))
SOIL_TEMPERATURE = _metric("soil_temperature", "degC", (-50, 50))
WIND_DIRECTION = _metric("wind_direction", "degree", (0, 360))
RADIATION = _metric("global_radiation", "W/m^2", (0, 1600))

ALL_METRICS = (
    AIR_TEMPERATURE,
    DEW_POINT,
    RELATIVE_HUMIDITY,
    PRESSURE,
    WIND_SPEED,
    SOIL_TEMPERATURE,
    WIND_DIRECTION,
    RADIATION,
)


def _metric_id(value: object) -> str | None:
    """Readable parametrize ids: the metric's name instead of metric7."""
    return value.name if isinstance(value, Metric) else None


def _minutes(values: list[float], start: float = 0.0) -> list[tuple[float, float]]:
    """One reading a minute from `start`."""
    return [(start + 60.0 * i, v) for i, v in enumerate(values)]


# --- Range ----------------------------------------------------------------------------------------

RANGE_CASES = [
    # both ends of every §7 range are plausible; a hair beyond is not
    (AIR_TEMPERATURE, -80.0, Quality.GOOD),
    (AIR_TEMPERATURE, 60.0, Quality.GOOD),
    (AIR_TEMPERATURE, -80.1, Quality.BAD),
    (AIR_TEMPERATURE, 60.1, Quality.BAD),
    (DEW_POINT, -80.0, Quality.GOOD),
    (DEW_POINT, 35.0, Quality.GOOD),
    (DEW_POINT, 35.1, Quality.BAD),
    (SOIL_TEMPERATURE, -50.0, Quality.GOOD),
    (SOIL_TEMPERATURE, 50.0, Quality.GOOD),
    (SOIL_TEMPERATURE, -50.5, Quality.BAD),
    (SOIL_TEMPERATURE, 50.5, Quality.BAD),
    (RELATIVE_HUMIDITY, 0.0, Quality.GOOD),
    (RELATIVE_HUMIDITY, 100.0, Quality.GOOD),
    (RELATIVE_HUMIDITY, -0.1, Quality.BAD),
    (RELATIVE_HUMIDITY, 100.1, Quality.BAD),
    (PRESSURE, 500.0, Quality.GOOD),
    (PRESSURE, 1100.0, Quality.GOOD),
    (PRESSURE, 499.9, Quality.BAD),
    (PRESSURE, 1100.1, Quality.BAD),
    (WIND_DIRECTION, 0.0, Quality.GOOD),
    (WIND_DIRECTION, 360.0, Quality.GOOD),
    (WIND_DIRECTION, 361.0, Quality.BAD),
    (WIND_SPEED, 0.0, Quality.GOOD),
    (WIND_SPEED, 75.0, Quality.GOOD),
    (WIND_SPEED, -0.1, Quality.BAD),
    (WIND_SPEED, 75.1, Quality.BAD),
    (RADIATION, 0.0, Quality.GOOD),
    (RADIATION, 1600.0, Quality.GOOD),
    (RADIATION, 1600.5, Quality.BAD),
]


@pytest.mark.parametrize(("metric", "value", "expected"), RANGE_CASES, ids=_metric_id)
def test_range_check_accepts_the_closed_plausible_range_only(
    metric: Metric, value: float, expected: Quality
) -> None:
    assert range_check(metric, value) is expected


@pytest.mark.parametrize("metric", ALL_METRICS, ids=lambda m: m.name)
@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_every_check_flags_non_finite_values_bad(metric: Metric, value: float) -> None:
    assert range_check(metric, value) is Quality.BAD
    assert step_check(metric, 10.0, 0.0, value, 60.0) is Quality.BAD
    assert persistence_check(metric, [(0.0, 10.0), (60.0, value)]) is Quality.BAD
    assert flag_reading(metric, value, 60.0, [(0.0, 10.0)]) is Quality.BAD


# --- Step -----------------------------------------------------------------------------------------

STEP_CASES = [
    # air temperature, suspect 2 / error 3 °C per minute
    (AIR_TEMPERATURE, 20.0, 21.9, Quality.GOOD),
    (AIR_TEMPERATURE, 20.0, 22.0, Quality.SUSPECT),
    (AIR_TEMPERATURE, 20.0, 22.9, Quality.SUSPECT),
    (AIR_TEMPERATURE, 20.0, 23.0, Quality.BAD),
    (AIR_TEMPERATURE, 20.0, 17.0, Quality.BAD),  # falling counts as much as rising
    (AIR_TEMPERATURE, 20.0, 18.1, Quality.GOOD),
    # limits as written, though binary floats make −7.7 − (−9.7) = 1.9999999999999991
    (AIR_TEMPERATURE, -9.7, -7.7, Quality.SUSPECT),
    (AIR_TEMPERATURE, -9.7, -6.7, Quality.BAD),
    # dew point, suspect 2 / error 4
    (DEW_POINT, 10.0, 11.9, Quality.GOOD),
    (DEW_POINT, 10.0, 12.0, Quality.SUSPECT),
    (DEW_POINT, 10.0, 13.9, Quality.SUSPECT),
    (DEW_POINT, 10.0, 14.0, Quality.BAD),
    (DEW_POINT, 10.0, 6.0, Quality.BAD),
    (DEW_POINT, -9.7, -5.7, Quality.BAD),  # 3.999999999999999 in binary floats
    # relative humidity, suspect 5 / error 15 %
    (RELATIVE_HUMIDITY, 60.0, 64.9, Quality.GOOD),
    (RELATIVE_HUMIDITY, 60.0, 65.0, Quality.SUSPECT),
    (RELATIVE_HUMIDITY, 60.0, 74.9, Quality.SUSPECT),
    (RELATIVE_HUMIDITY, 60.0, 75.0, Quality.BAD),
    (RELATIVE_HUMIDITY, 60.0, 45.0, Quality.BAD),
    # pressure, suspect 0.5 / error 2 hPa
    (PRESSURE, 1013.2, 1013.6, Quality.GOOD),
    (PRESSURE, 1013.2, 1013.7, Quality.SUSPECT),
    (PRESSURE, 1023.6, 1024.1, Quality.SUSPECT),  # 0.4999999999998863 in binary floats
    (PRESSURE, 1022.1, 1024.1, Quality.BAD),  # 1.9999999999998863 in binary floats
    (PRESSURE, 1013.2, 1012.7, Quality.SUSPECT),
    (PRESSURE, 1013.2, 1015.1, Quality.SUSPECT),
    (PRESSURE, 1013.2, 1015.2, Quality.BAD),
    (PRESSURE, 1013.2, 1011.2, Quality.BAD),
    # wind speed, suspect 10 / error 20 m/s
    (WIND_SPEED, 3.0, 12.9, Quality.GOOD),
    (WIND_SPEED, 3.0, 13.0, Quality.SUSPECT),
    (WIND_SPEED, 3.0, 22.9, Quality.SUSPECT),
    (WIND_SPEED, 3.0, 23.0, Quality.BAD),
    (WIND_SPEED, 23.0, 3.0, Quality.BAD),
    # §7 gives no step limit for soil temperature: any jump inside the range passes
    (SOIL_TEMPERATURE, -40.0, 40.0, Quality.GOOD),
]


@pytest.mark.parametrize(("metric", "previous", "value", "expected"), STEP_CASES, ids=_metric_id)
def test_step_between_consecutive_minutes_is_flagged_at_the_section_7_limits(
    metric: Metric, previous: float, value: float, expected: Quality
) -> None:
    assert step_check(metric, previous, 1_700_000_000.0, value, 1_700_000_060.0) is expected
    # flag_reading applies the same limits when the previous minute is in the history
    assert flag_reading(metric, value, 1_700_000_060.0, [(1_700_000_000.0, previous)]) is expected


@pytest.mark.parametrize(
    ("gap_s", "expected"),
    [
        (10.0, Quality.BAD),  # sub-minute sampling: the 1-minute limit still applies, unscaled
        (60.0, Quality.BAD),
        (120.0, Quality.BAD),  # one missed minute is still "consecutive"
        (121.0, Quality.GOOD),  # beyond the gap bound there is no consecutive value to compare
        (3600.0, Quality.GOOD),
        (0.0, Quality.GOOD),  # same instant: a duplicate, not a step
        (-60.0, Quality.GOOD),  # the "previous" reading is later: not consecutive either
    ],
)
def test_step_check_applies_only_within_the_gap_bound(gap_s: float, expected: Quality) -> None:
    # a 5 °C jump, beyond the 3 °C error limit
    assert step_check(AIR_TEMPERATURE, 15.0, 1000.0, 20.0, 1000.0 + gap_s) is expected
    if gap_s > 0:  # flag_reading ignores history entries that are not earlier than the reading
        assert flag_reading(AIR_TEMPERATURE, 20.0, 1000.0 + gap_s, [(1000.0, 15.0)]) is expected


def test_step_gap_bound_is_configurable() -> None:
    assert step_check(AIR_TEMPERATURE, 15.0, 0.0, 20.0, 300.0) is Quality.GOOD
    assert step_check(AIR_TEMPERATURE, 15.0, 0.0, 20.0, 300.0, max_gap_s=600.0) is Quality.BAD
    assert flag_reading(AIR_TEMPERATURE, 20.0, 300.0, [(0.0, 15.0)], max_step_gap_s=600.0) is Quality.BAD


def test_step_check_without_a_finite_previous_value_has_nothing_to_compare() -> None:
    assert step_check(AIR_TEMPERATURE, math.nan, 0.0, 20.0, 60.0) is Quality.GOOD


# --- Persistence ----------------------------------------------------------------------------------

# Each case: the metric, one value a minute for 61 readings (minute 0 … minute 60, so the last
# reading is 60 min after the first and the window is exactly covered), and the flag of the last.
PERSISTENCE_CASES = [
    ("air temp stuck for an hour", AIR_TEMPERATURE, [20.0] * 61, Quality.SUSPECT),
    ("air temp moved 0.1 °C in the hour", AIR_TEMPERATURE, [20.0] * 30 + [20.1] * 31, Quality.GOOD),
    ("air temp moved only 0.09 °C", AIR_TEMPERATURE, [20.0] * 30 + [20.09] * 31, Quality.SUSPECT),
    ("air temp moved 0.1 °C in the first minute", AIR_TEMPERATURE, [19.9] + [20.0] * 60, Quality.GOOD),
    ("air temp quantised at 0.3 → 0.2", AIR_TEMPERATURE, [0.3] * 30 + [0.2] * 31, Quality.GOOD),
    ("RH stuck at 60 %", RELATIVE_HUMIDITY, [60.0] * 61, Quality.SUSPECT),
    ("RH moved 1 %", RELATIVE_HUMIDITY, [60.0] * 60 + [61.0], Quality.GOOD),
    ("RH moved 0.9 %", RELATIVE_HUMIDITY, [60.0] * 60 + [60.9], Quality.SUSPECT),
    ("RH stuck at 94.5 %, still below 95", RELATIVE_HUMIDITY, [94.5] * 61, Quality.SUSPECT),
    ("RH stuck at 95 %: saturation, exempt", RELATIVE_HUMIDITY, [95.0] * 61, Quality.GOOD),
    ("RH stuck at 99 % in fog", RELATIVE_HUMIDITY, [99.0] * 61, Quality.GOOD),
    ("RH near 95 % for part of the hour", RELATIVE_HUMIDITY, [95.0] * 10 + [94.8] * 51, Quality.GOOD),
    ("pressure stuck", PRESSURE, [1013.2] * 61, Quality.SUSPECT),
    ("pressure moved 0.1 hPa", PRESSURE, [1013.2] * 30 + [1013.3] * 31, Quality.GOOD),
    ("pressure moved 0.05 hPa", PRESSURE, [1013.2] * 30 + [1013.25] * 31, Quality.SUSPECT),
    ("wind speed has no persistence limit", WIND_SPEED, [0.0] * 61, Quality.GOOD),
]


@pytest.mark.parametrize(
    ("metric", "values", "expected"),
    [case[1:] for case in PERSISTENCE_CASES],
    ids=[case[0] for case in PERSISTENCE_CASES],
)
def test_persistence_over_an_hour_follows_section_7(
    metric: Metric, values: list[float], expected: Quality
) -> None:
    samples = _minutes(values)
    assert persistence_check(metric, samples) is expected
    assert flag_reading(metric, samples[-1][1], samples[-1][0], samples[:-1]) is expected


def test_persistence_needs_the_whole_window_before_it_suspects_anything() -> None:
    # 59 minutes of a constant value: not yet an hour of evidence
    assert persistence_check(AIR_TEMPERATURE, _minutes([20.0] * 60)) is Quality.GOOD
    # one more minute and the hour is covered
    assert persistence_check(AIR_TEMPERATURE, _minutes([20.0] * 61)) is Quality.SUSPECT


def test_persistence_ignores_movement_older_than_the_window() -> None:
    # lively for two hours, then stuck for the last 70 minutes
    samples = _minutes([15.0 + 0.5 * (i % 4) for i in range(120)] + [20.0] * 71)
    assert persistence_check(AIR_TEMPERATURE, samples) is Quality.SUSPECT


def test_persistence_with_sparse_samples_uses_the_first_one_beyond_the_window() -> None:
    # a station reporting every 25 minutes: 0, 25, 50, 75 — the span 0…75 covers the hour
    samples = [(0.0, 7.0), (1500.0, 7.0), (3000.0, 7.0), (4500.0, 7.0)]
    assert persistence_check(AIR_TEMPERATURE, samples) is Quality.SUSPECT
    # but 25, 50, 75 alone span only 50 minutes
    assert persistence_check(AIR_TEMPERATURE, samples[1:]) is Quality.GOOD


def test_persistence_of_an_empty_or_single_sample_is_good() -> None:
    assert persistence_check(AIR_TEMPERATURE, []) is Quality.GOOD
    assert persistence_check(AIR_TEMPERATURE, [(0.0, 20.0)]) is Quality.GOOD


# --- Consistency ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dew_point", "air_temperature", "tolerance", "expected"),
    [
        (10.0, 20.0, 0.0, Quality.GOOD),
        (20.0, 20.0, 0.0, Quality.GOOD),  # saturated: equal is consistent
        (20.1, 20.0, 0.0, Quality.SUSPECT),
        (20.1, 20.0, 0.2, Quality.GOOD),  # within the sensors' stated accuracy
        (20.3, 20.0, 0.2, Quality.SUSPECT),
        (math.nan, 20.0, 0.0, Quality.BAD),
        (10.0, math.inf, 0.0, Quality.BAD),
    ],
)
def test_dew_point_above_air_temperature_is_suspect(
    dew_point: float, air_temperature: float, tolerance: float, expected: Quality
) -> None:
    assert dew_point_consistency(dew_point, air_temperature, tolerance=tolerance) is expected


@pytest.mark.parametrize(
    ("gust", "mean_wind", "tolerance", "expected"),
    [
        (12.0, 8.0, 0.0, Quality.GOOD),
        (8.0, 8.0, 0.0, Quality.GOOD),  # calm steady wind: gust equals mean
        (7.9, 8.0, 0.0, Quality.SUSPECT),
        (7.9, 8.0, 0.5, Quality.GOOD),
        (7.0, 8.0, 0.5, Quality.SUSPECT),
        (math.inf, 8.0, 0.0, Quality.BAD),
        (8.0, math.nan, 0.0, Quality.BAD),
    ],
)
def test_gust_weaker_than_mean_wind_is_suspect(
    gust: float, mean_wind: float, tolerance: float, expected: Quality
) -> None:
    assert gust_consistency(gust, mean_wind, tolerance=tolerance) is expected


# --- flag_reading ---------------------------------------------------------------------------------


def test_out_of_range_reading_is_bad_whatever_its_history() -> None:
    history = _minutes([59.5] * 10)
    assert flag_reading(AIR_TEMPERATURE, 60.5, 600.0, history) is Quality.BAD


def test_reading_after_a_gap_longer_than_the_bound_is_not_step_checked() -> None:
    assert flag_reading(AIR_TEMPERATURE, 20.0, 3600.0, [(0.0, 10.0)]) is Quality.GOOD


def test_redelivered_reading_is_judged_like_the_original() -> None:
    history = _minutes([20.0, 20.4, 23.5])  # the 23.5 at t=120 was flagged BAD (3.1 °C jump)...
    # ...and when it arrives again, the copy in the history is not its own "previous" value
    assert flag_reading(AIR_TEMPERATURE, 23.5, 120.0, history) is Quality.BAD
    assert flag_reading(AIR_TEMPERATURE, 20.5, 120.0, history) is Quality.GOOD


def test_late_reading_is_compared_with_the_reading_before_it() -> None:
    # history already holds minutes 0 and 2; minute 1 arrives late
    history = [(0.0, 20.0), (120.0, 25.0)]
    assert flag_reading(AIR_TEMPERATURE, 20.5, 60.0, history) is Quality.GOOD
    assert flag_reading(AIR_TEMPERATURE, 22.5, 60.0, history) is Quality.SUSPECT


def test_non_finite_values_in_the_history_are_ignored() -> None:
    history = [(0.0, 20.0), (60.0, math.nan)]
    assert flag_reading(AIR_TEMPERATURE, 20.1, 120.0, history) is Quality.GOOD
    stuck = _minutes([20.0] * 30 + [math.nan] + [20.0] * 29)
    assert flag_reading(AIR_TEMPERATURE, 20.0, 3600.0, stuck) is Quality.SUSPECT


def test_stuck_sensor_is_caught_with_the_history_span_ingest_keeps() -> None:
    """Ingest prunes each series' history to history_span_s(); with 1-minute readings whose
    timestamps jitter by a few seconds, the pruned history must still reveal a stuck sensor."""
    span = history_span_s(AIR_TEMPERATURE)
    history: list[tuple[float, float]] = []
    flags = []
    for i in range(120):
        t = 60.0 * i + (7.0 if i % 2 else -3.0)  # jitter around the minute
        flags.append(flag_reading(AIR_TEMPERATURE, 12.3, t, history))
        history.append((t, 12.3))
        history = [(ht, hv) for ht, hv in history if ht >= t - span]
    assert set(flags[:59]) == {Quality.GOOD}  # less than an hour of evidence
    assert set(flags[62:]) == {Quality.SUSPECT}  # then it stays suspect while stuck


def test_history_span_covers_the_persistence_window_and_one_step_gap() -> None:
    assert history_span_s(AIR_TEMPERATURE) >= HOUR
    assert history_span_s(WIND_SPEED) >= 60  # no persistence: just enough for a step
    assert history_span_s(WIND_SPEED) < HOUR


# --- properties -----------------------------------------------------------------------------------

_any_float = st.floats(allow_nan=True, allow_infinity=True, width=64)
_sane = st.floats(min_value=-200, max_value=1200, allow_nan=False)


@st.composite
def _series(draw: st.DrawFn) -> tuple[Metric, list[tuple[float, float]], float, float]:
    """A metric, a time-ordered history, and a reading after it."""
    metric = draw(st.sampled_from(ALL_METRICS))
    lo, hi = metric.plausible
    near = st.floats(min_value=lo - 5, max_value=hi + 5, allow_nan=False)
    gaps = draw(st.lists(st.floats(min_value=1, max_value=900), max_size=40))
    t = 0.0
    history = []
    for gap in gaps:
        history.append((t, draw(near)))
        t += gap
    return metric, history, t, draw(near)


@given(_series())
def test_flag_is_never_better_than_the_worst_single_check(
    case: tuple[Metric, list[tuple[float, float]], float, float],
) -> None:
    metric, history, epoch_s, value = case
    components = [range_check(metric, value), persistence_check(metric, [*history, (epoch_s, value)])]
    if history:
        previous_t, previous_v = history[-1]
        components.append(step_check(metric, previous_v, previous_t, value, epoch_s))
    flag = flag_reading(metric, value, epoch_s, history)
    assert flag >= max(components)
    assert flag == max(components)  # and no worse either: nothing but these checks decides


@given(
    st.sampled_from(ALL_METRICS), _any_float, _any_float, st.lists(st.tuples(_sane, _any_float), max_size=8)
)
def test_flag_reading_is_total(
    metric: Metric, value: float, epoch_s: float, history: list[tuple[float, float]]
) -> None:
    assert flag_reading(metric, value, epoch_s, history) in set(Quality)
