"""FAO-56 reference evapotranspiration: the paper's worked examples, and the `et0` index of a field station.

Expected figures are the ones FAO Irrigation and Drainage Paper 56 (Allen et al. 1998) prints in
its examples, to the digits it prints them; the tolerance is half a unit of the last printed digit
unless the paper itself rounded an intermediate it carried on with.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest

from domains import registry
from domains.agriculture.et0_index import ET0_INDEX, MIN_HOURS
from domains.agriculture.evapotranspiration import (
    DailyWeather,
    actual_vapour_pressure,
    atmospheric_pressure,
    clear_sky_radiation,
    extraterrestrial_radiation,
    net_longwave_radiation,
    psychrometric_constant,
    reference_et0,
    saturation_vapour_pressure,
    vapour_pressure_slope,
    wind_at_2m,
)
from domains.device_settings import device_settings
from domains.model import InvalidInputError

# FAO-56 Example 18: Brussels (50°48'N, 100 m), 6 July; wind 10 km/h measured at 10 m.
BRUSSELS = DailyWeather(
    t_max_c=21.5,
    t_min_c=12.3,
    rh_max=84.0,
    rh_min=63.0,
    wind_m_s=10.0 / 3.6,
    rs=22.07,
    latitude_deg=50.0 + 48.0 / 60.0,
    day_of_year=187,
    altitude_m=100.0,
    wind_height_m=10.0,
)


def test_example_18_brussels_gives_3_9_mm_per_day_with_the_papers_intermediates() -> None:
    et = reference_et0(BRUSSELS)
    assert et.u2 == pytest.approx(2.078, abs=0.0015)
    assert et.gamma == pytest.approx(0.0666, abs=0.00005)
    assert et.delta == pytest.approx(0.122, abs=0.0005)
    assert et.es == pytest.approx(1.997, abs=0.0005)
    assert et.ea == pytest.approx(1.409, abs=0.0005)
    assert et.es - et.ea == pytest.approx(0.589, abs=0.001)
    assert et.ra == pytest.approx(41.09, abs=0.005)
    assert et.rso == pytest.approx(30.90, abs=0.005)
    assert et.rns == pytest.approx(16.99, abs=0.005)
    assert et.rnl == pytest.approx(3.71, abs=0.005)
    assert et.rn == pytest.approx(13.28, abs=0.005)
    assert round(et.et0, 1) == 3.9


def test_example_17_bangkok_april_radiation_and_humidity_terms() -> None:
    # FAO-56 Example 17: Bangkok (13°44'N, 2 m), April (day 105), Tmax 34.8, Tmin 25.6 °C,
    # eₐ 2.85 kPa, Rₛ 22.65 MJ m⁻² day⁻¹.
    ra = extraterrestrial_radiation(13.0 + 44.0 / 60.0, 105)
    assert ra == pytest.approx(38.06, abs=0.005)
    rso = clear_sky_radiation(ra, 2.0)
    assert rso == pytest.approx(28.54, abs=0.005)
    assert net_longwave_radiation(25.6, 34.8, 2.85, 22.65, rso) == pytest.approx(3.11, abs=0.005)
    es = (saturation_vapour_pressure(34.8) + saturation_vapour_pressure(25.6)) / 2
    assert es == pytest.approx(4.42, abs=0.005)
    assert vapour_pressure_slope(30.2) == pytest.approx(0.246, abs=0.0005)


def test_example_2_pressure_and_psychrometric_constant_at_1800_m() -> None:
    p = atmospheric_pressure(1800.0)
    assert p == pytest.approx(81.8, abs=0.05)
    assert psychrometric_constant(p) == pytest.approx(0.054, abs=0.0005)


def test_example_3_and_5_vapour_pressures() -> None:
    # Example 3: Tmax 24.5, Tmin 15 °C → eₛ 2.39 kPa. Example 5: Tmin 18, Tmax 25 °C, RHmax 82 %,
    # RHmin 54 % → eₐ 1.70 kPa (eq. 17).
    es = (saturation_vapour_pressure(24.5) + saturation_vapour_pressure(15.0)) / 2
    assert es == pytest.approx(2.39, abs=0.005)
    assert actual_vapour_pressure(18.0, 25.0, 82.0, 54.0) == pytest.approx(1.70, abs=0.005)


def test_example_14_wind_from_10_m_to_2_m() -> None:
    assert wind_at_2m(3.2, 10.0) == pytest.approx(2.4, abs=0.05)
    assert wind_at_2m(3.2, 2.0) == pytest.approx(3.2, abs=0.002)  # eq. 47 is ~1 at the standard height


def test_clear_sky_caps_the_cloudiness_term_and_polar_days_have_a_value() -> None:
    # Rₛ above Rₛₒ (a sensor reading high under broken cloud) counts as a clear sky, no more.
    assert net_longwave_radiation(10, 20, 1.0, 40.0, 30.0) == net_longwave_radiation(10, 20, 1.0, 30.0, 30.0)
    assert extraterrestrial_radiation(80.0, 355) == pytest.approx(0.0, abs=1e-9)  # polar night
    assert extraterrestrial_radiation(80.0, 172) > extraterrestrial_radiation(50.8, 172)  # midnight sun


@pytest.mark.parametrize(
    "change",
    [
        {"t_max_c": math.nan},
        {"t_min_c": 30.0},  # above Tmax
        {"rh_max": 101.0},
        {"rh_min": 90.0},  # above RHmax
        {"wind_m_s": -1.0},
        {"rs": -0.1},
        {"latitude_deg": 91.0},
        {"day_of_year": 0},
        {"wind_height_m": 0.0},
        {"altitude_m": math.inf},
    ],
)
def test_impossible_days_are_refused(change: dict[str, float]) -> None:
    fields = {**BRUSSELS.__dict__, **change}
    with pytest.raises(InvalidInputError):
        reference_et0(DailyWeather(**fields))


# --- the `et0` index over stored windows -----------------------------------------------------------

END = datetime(2026, 7, 6, 22, 0, tzinfo=UTC).timestamp()  # Brussels, 6 July, late evening


def _series(
    lo: float, hi: float, *, hours: int = 24, step_s: float = 300.0
) -> tuple[tuple[float, float], ...]:
    """Readings every `step_s` in the last `hours` clock hours up to END, swinging once between lo and hi."""
    first = math.floor(END / 3600) * 3600 - (hours - 1) * 3600
    n = math.floor((END - first) / step_s) + 1
    return tuple(
        (first + i * step_s, lo + (hi - lo) * (1 - math.cos(2 * math.pi * i / (n - 1))) / 2) for i in range(n)
    )


def _hourly(value: float, hours: int = 24) -> tuple[tuple[float, float], ...]:
    first = math.floor(END / 3600) * 3600 - (hours - 1) * 3600
    return tuple((first + h * 3600.0, value) for h in range(hours))


def _brussels_inputs(**changes: object) -> dict[str, object]:
    inputs: dict[str, object] = {
        "air_temperature": _series(12.3, 21.5),
        "relative_humidity": _series(63.0, 84.0),
        "wind_speed": _hourly(10.0 / 3.6),
        "solar_radiation": _hourly(22.07 / 0.0864),  # 255.4 W/m² all day long on average
        **device_settings({"altitude_m": 100, "wind_height_m": 10}, latitude=50.8, longitude=4.35),
    }
    inputs.update(changes)
    return {k: v for k, v in inputs.items() if v is not None}


def test_index_on_a_brussels_day_gives_the_worked_example() -> None:
    result = ET0_INDEX.compute(_brussels_inputs())
    assert result is not None and result.value is not None
    assert result.value == pytest.approx(3.88, abs=0.01)
    details = result.details
    assert details["day_of_year"] == 187
    assert (details["t_max_c"], details["t_min_c"]) == (21.5, 12.3)
    assert details["rs_mj_m2_day"] == pytest.approx(22.07, abs=0.001)
    assert details["u2_m_s"] == pytest.approx(2.078, abs=0.0015)


@pytest.mark.parametrize("metric", ["air_temperature", "relative_humidity", "wind_speed", "solar_radiation"])
def test_index_needs_20_of_24_hours_of_every_input(metric: str) -> None:
    short = {"wind_speed": _hourly(2.78, 19), "solar_radiation": _hourly(255.0, 19)}.get(metric)
    if short is None:
        lo, hi = (12.3, 21.5) if metric == "air_temperature" else (63.0, 84.0)
        short = _series(lo, hi, hours=19)
    result = ET0_INDEX.compute(_brussels_inputs(**{metric: short}))
    assert result is not None and result.value is None
    assert result.details["incomplete"] == {metric: f"19 of {MIN_HOURS} required hours"}
    enough = {"wind_speed": _hourly(2.78, 20), "solar_radiation": _hourly(255.0, 20)}.get(metric)
    if enough is None:
        lo, hi = (12.3, 21.5) if metric == "air_temperature" else (63.0, 84.0)
        enough = _series(lo, hi, hours=20)
    complete = ET0_INDEX.compute(_brussels_inputs(**{metric: enough}))
    assert complete is not None and complete.value is not None


def test_index_says_when_the_station_has_no_position_or_an_input_is_missing() -> None:
    result = ET0_INDEX.compute(_brussels_inputs(latitude=None, solar_radiation=None))
    assert result is not None and result.value is None
    assert result.details["incomplete"] == {
        "solar_radiation": f"0 of {MIN_HOURS} required hours",
        "latitude": "the device has no registered latitude",
    }
    assert ET0_INDEX.compute({"latitude": 50.8}) is None  # no data at all: nothing to index


def test_a_clear_still_december_day_at_saturation_has_no_water_demand() -> None:
    # Brussels, mid-December under a clear sky: the longwave loss outweighs the little sunshine
    # (Rₙ < 0) and saturated, still air takes up no vapour, so eq. 6 goes negative (dew, hoar frost).
    def december(points: tuple[tuple[float, float], ...]) -> tuple[tuple[float, float], ...]:
        return tuple((t + 163 * 86_400.0, v) for t, v in points)

    ra = extraterrestrial_radiation(50.8, 350)
    result = ET0_INDEX.compute(
        _brussels_inputs(
            air_temperature=december(_series(0.0, 1.0)),
            relative_humidity=december(_series(100.0, 100.0)),
            solar_radiation=december(_hourly(0.75 * ra / 0.0864)),  # a clear-sky day's irradiance
            wind_speed=december(_hourly(0.0)),
        )
    )
    assert result is not None and result.details["day_of_year"] == 350
    assert isinstance(result.details["rn_mj_m2_day"], float) and result.details["rn_mj_m2_day"] < 0
    assert isinstance(result.details["et0_mm_day"], float) and result.details["et0_mm_day"] < 0
    assert result.value == 0.0


def test_the_registered_position_wins_over_metadata_and_non_scalars_are_left_out() -> None:
    settings = device_settings(
        {"latitude": 1.0, "altitude_m": 80, "tags": ["a"]}, latitude=23.6, longitude=None
    )
    assert settings == {"latitude": 23.6, "altitude_m": 80}


def test_et0_is_an_agriculture_index_read_on_field_station_metrics() -> None:
    assert registry.index("agriculture", "et0") is ET0_INDEX
    area = registry.area("agriculture")
    kinds = {m.name: m.device_kinds for m in area.metrics}
    for i in ET0_INDEX.inputs:
        assert "field_station" in kinds[i.metric]
