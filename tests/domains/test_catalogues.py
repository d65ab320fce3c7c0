"""What each area's stations really report: issue 14's catalogue entries, §7 limits and simulators."""

from __future__ import annotations

import pytest

from domains import registry
from domains.model import Metric, Quality
from domains.qc import flag_reading


def _metric(area: str, name: str) -> Metric:
    return registry.metric(area, name)


def test_every_metric_is_played_by_a_simulator_profile_so_no_dashboard_panel_stays_empty() -> None:
    for area in registry.areas():
        for metric in area.metrics:
            players = [
                p.kind for p in area.profiles if p.signal(metric.name) and p.kind in metric.device_kinds
            ]
            assert players, f"{area.id}.{metric.name}: no device kind that reports it is simulated"


# (area, metric, unit, device kind that reports it, plausible range); ranges from docs/standards.md
# §7 where it gives one, else Appendix B.
ADDED = [
    ("agriculture", "rainfall", "mm", "field_station", (0.0, 100.0)),
    ("agriculture", "wind_speed", "m/s", "field_station", (0.0, 75.0)),
    ("agriculture", "wind_gust", "m/s", "field_station", (0.0, 75.0)),
    ("agriculture", "wind_direction", "degree", "field_station", (0.0, 360.0)),
    ("agriculture", "solar_radiation", "W/m^2", "field_station", (0.0, 1600.0)),
    ("city", "relative_humidity", "percent", "road_weather_station", (0.0, 100.0)),
    ("city", "dew_point", "degC", "road_weather_station", (-80.0, 35.0)),
    ("city", "wind_speed", "m/s", "road_weather_station", (0.0, 75.0)),
    ("city", "air_temperature", "degC", "tunnel_gas_detector", (-80.0, 60.0)),
    ("city", "relative_humidity", "percent", "tunnel_gas_detector", (0.0, 100.0)),
    ("automotive", "pack_temperature_min", "degC", "vehicle_tbox", (-40.0, 210.0)),
    ("automotive", "pack_current", "A", "vehicle_tbox", (-1000.0, 1000.0)),
    ("automotive", "vehicle_speed", "km/h", "vehicle_tbox", (0.0, 220.0)),
]


@pytest.mark.parametrize(("area", "name", "unit", "kind", "plausible"), ADDED)
def test_added_metrics_have_their_unit_range_device_and_simulator(
    area: str, name: str, unit: str, kind: str, plausible: tuple[float, float]
) -> None:
    metric = _metric(area, name)
    assert (metric.unit, metric.plausible) == (unit, plausible)
    assert kind in metric.device_kinds and metric.title.en and metric.title.zh
    profile = next(p for p in registry.area(area).profiles if p.kind == kind)
    assert profile.signal(name) is not None


@pytest.mark.parametrize("area", ["environment", "city", "agriculture"])
def test_wind_carries_the_wmo_step_limits_in_every_area(area: str) -> None:
    wind = _metric(area, "wind_speed")
    assert (wind.qc.step_suspect, wind.qc.step_error) == (10.0, 20.0)  # §7: 10 / 20 m/s
    assert flag_reading(wind, 12.0, 60.0, [(0.0, 2.0)]) is Quality.SUSPECT  # a 10 m/s jump in 1 min
    assert flag_reading(wind, 22.0, 60.0, [(0.0, 2.0)]) is Quality.BAD  # 20 m/s
    assert flag_reading(wind, 11.9, 60.0, [(0.0, 2.0)]) is Quality.GOOD
    assert flag_reading(wind, 75.1, 60.0, []) is Quality.BAD  # outside 0–75 m/s


def test_dew_point_steps_and_radiation_range_follow_section_7() -> None:
    dew = _metric("city", "dew_point")
    assert flag_reading(dew, 12.0, 60.0, [(0.0, 10.0)]) is Quality.SUSPECT  # 2 °C
    assert flag_reading(dew, 14.0, 60.0, [(0.0, 10.0)]) is Quality.BAD  # 4 °C
    sun = _metric("agriculture", "solar_radiation")
    assert flag_reading(sun, 1600.0, 0.0, []) is Quality.GOOD
    assert flag_reading(sun, 1600.5, 0.0, []) is Quality.BAD
    assert flag_reading(sun, -0.5, 0.0, []) is Quality.BAD
    # A cloud edge is no sensor fault; a whole night at 0 W/m² is no stuck pyranometer.
    assert flag_reading(sun, 900.0, 60.0, [(0.0, 200.0)]) is Quality.GOOD
    night = [(60.0 * k, 0.0) for k in range(12 * 60)]
    assert flag_reading(sun, 0.0, 12 * 3600.0, night) is Quality.GOOD


def test_a_week_without_rain_is_not_a_stuck_gauge_but_a_cloudburst_past_100_mm_is_bad() -> None:
    rain = _metric("agriculture", "rainfall")
    dry = [(300.0 * k, 0.0) for k in range(7 * 288)]
    assert flag_reading(rain, 0.0, 7 * 86_400.0, dry) is Quality.GOOD
    assert flag_reading(rain, 100.5, 0.0, []) is Quality.BAD
