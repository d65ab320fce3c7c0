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
