"""A quiet day of every device kind is quiet: its readings pass ingest's quality control and no rule
of its area fires (judged with the evaluator's own code), in the depth of winter and of summer."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest

from domains import registry
from domains.model import Quality
from domains.qc import flag_reading, history_span_s
from sim.engine import Simulator
from sim.fleet import all_kinds, demo_fleet
from tests.sim.judge import judge

SEED = 11
DAYS = 2
SEASONS = {"winter": datetime(2026, 1, 14, tzinfo=UTC), "summer": datetime(2026, 7, 18, tzinfo=UTC)}


@pytest.fixture(scope="module")
def quiet_fleet() -> Simulator:
    return Simulator(demo_fleet(len(all_kinds()), seed=SEED), seed=SEED)


@pytest.mark.parametrize("season", SEASONS)
def test_two_quiet_days_of_every_device_kind_raise_no_alert(quiet_fleet: Simulator, season: str) -> None:
    start = SEASONS[season].timestamp()
    episodes = judge(quiet_fleet, start, start + DAYS * 86_400, step_s=120)
    assert [(e.rule, e.device) for e in episodes] == [], "not even a pending alert on a quiet day"


@pytest.mark.parametrize("season", SEASONS)
def test_quiet_readings_pass_quality_control(quiet_fleet: Simulator, season: str) -> None:
    start = SEASONS[season].timestamp()
    metrics = {(a.id, m.name): m for a in registry.areas() for m in a.metrics}
    history: dict[tuple[str, str], list[tuple[float, float]]] = {}
    flagged: Counter[tuple[str, str, str]] = Counter()
    for r in quiet_fleet.readings(start, start + DAYS * 86_400):
        for name, value in r.values.items():
            metric = metrics[(r.device.area, name)]
            earlier = history.setdefault((r.device.id, name), [])
            span = history_span_s(metric)
            while earlier and earlier[0][0] < r.epoch_s - span:
                earlier.pop(0)
            quality = flag_reading(metric, value, r.epoch_s, earlier)
            if quality is not Quality.GOOD:
                flagged[(r.device.kind, name, quality.name)] += 1
            earlier.append((r.epoch_s, value))
    assert dict(flagged) == {}


def test_field_stations_see_sunshine_by_day_only_and_showers_some_days_not_others() -> None:
    """A month of a quiet field station: dark nights, a bright noon, showers — every day or so in the
    summer wet season, only some days in winter (the inputs of FAO-56 ET0 and irrigation decisions)."""
    fleet = [d for d in demo_fleet(len(all_kinds()), seed=SEED) if d.kind == "field_station"]
    rain_by_season: dict[str, float] = {}
    wet_days_by_season: dict[str, int] = {}
    for season, start_at in SEASONS.items():
        start = start_at.timestamp()
        wet_days: set[int] = set()
        rain = 0.0
        night: list[float] = []
        noon: list[float] = []
        for r in Simulator(fleet, seed=SEED).readings(start, start + 30 * 86_400):
            hour = (r.epoch_s / 3600 + 8) % 24  # simulated sites keep Beijing time
            if r.values["rainfall"] > 0:
                wet_days.add(int((r.epoch_s - start) // 86_400))
                rain += r.values["rainfall"]
            if hour < 4 or hour >= 22:
                night.append(r.values["solar_radiation"])
            elif 12 <= hour < 13:
                noon.append(r.values["solar_radiation"])
        assert max(night) == 0.0
        assert min(noon) > 200.0 and max(noon) < 1200.0
        rain_by_season[season] = rain
        wet_days_by_season[season] = len(wet_days)
    assert 0 < wet_days_by_season["winter"] < 30
    assert wet_days_by_season["summer"] > wet_days_by_season["winter"]
    assert rain_by_season["summer"] > 3 * rain_by_season["winter"]
