"""The demo fleet and its readings: every kind covered, deterministic for a seed whatever way the time
is cut, scenario cadences and outages honoured, and sensor faults at the rates asked for."""

from __future__ import annotations

import itertools
import statistics
from collections import Counter, defaultdict

import pytest

from domains import registry
from sim.engine import Reading, Simulator
from sim.fleet import SIMULATED, all_kinds, demo_fleet, scenario_devices, with_interval
from sim.scenarios import find, place_starting_at
from sim.signals import FaultRates

T0 = 1_767_225_600.0  # 2026-01-01 00:00 UTC
DAY = 86_400.0


def _flat(readings: list[Reading]) -> list[tuple[str, float, tuple[tuple[str, float], ...]]]:
    return [(r.device.id, r.epoch_s, tuple(sorted(r.values.items()))) for r in readings]


def test_the_demo_fleet_covers_every_device_kind_of_every_area() -> None:
    fleet = demo_fleet(len(all_kinds()) * 2, seed=1)
    assert Counter((d.area, d.kind) for d in fleet) == {k: 2 for k in all_kinds()}
    assert {d.area for d in fleet} == {a.id for a in registry.areas()}
    assert len({d.id for d in fleet}) == len(fleet)
    for d in fleet:
        assert "/" not in d.id and "+" not in d.id and "#" not in d.id
        assert d.tenant == "demo" and d.metadata[SIMULATED] is True
        assert d.name.en and d.name.zh and 18 < d.latitude < 54 and 73 < d.longitude < 135, "in China"
        assert d.metrics, d.kind


def test_a_fleet_smaller_than_one_device_per_kind_is_refused_saying_how_many_are_needed() -> None:
    with pytest.raises(ValueError, match=f"at least {len(all_kinds())} devices"):
        demo_fleet(3)


def test_the_same_seed_gives_the_same_readings_and_another_seed_others() -> None:
    fleet = demo_fleet(len(all_kinds()), seed=3)
    one = _flat(list(Simulator(fleet, seed=3).readings(T0, T0 + 3600)))
    two = _flat(list(Simulator(demo_fleet(len(all_kinds()), seed=3), seed=3).readings(T0, T0 + 3600)))
    other = _flat(list(Simulator(fleet, seed=4).readings(T0, T0 + 3600)))
    assert one == two
    assert len(one) > 1000
    assert [v for *_, v in one] != [v for *_, v in other]


def test_readings_do_not_depend_on_how_the_time_range_is_cut() -> None:
    """Live publishing asks for a few seconds at a time, a backfill for hours: same data."""
    sim = Simulator(demo_fleet(len(all_kinds()), seed=5), seed=5, faults=FaultRates(spike=0.01, dropout=0.05))
    whole = _flat(list(sim.readings(T0, T0 + 1800)))
    cuts = [T0 + c for c in (0, 0.5, 7, 60, 61.25, 600, 1799, 1800)]
    # and cuts a fraction of a millisecond around reading times, where rounding to the ms bites
    cuts = sorted({*cuts, *(t + d for _, t, _ in whole[::7] for d in (-0.0002, 0.0002) if t + d < T0 + 1800)})
    pieces = [r for a, b in itertools.pairwise(cuts) for r in _flat(list(sim.readings(a, b)))]
    assert pieces == whole


def test_readings_come_in_time_order_every_interval_of_each_device() -> None:
    fleet = demo_fleet(len(all_kinds()), seed=6)
    readings = list(Simulator(fleet, seed=6).readings(T0, T0 + 2 * 3600))
    times = [r.epoch_s for r in readings]
    assert times == sorted(times)
    by_device: dict[str, list[float]] = defaultdict(list)
    for r in readings:
        by_device[r.device.id].append(r.epoch_s)
        assert set(r.values) == set(r.device.metrics)
    for device in fleet:
        gaps = {round(b - a, 3) for a, b in itertools.pairwise(by_device[device.id])}
        assert gaps == {device.interval_s}, device.id


def test_every_device_reports_at_the_interval_asked_for() -> None:
    fleet = with_interval(demo_fleet(len(all_kinds()), seed=6), 15.0)
    readings = list(Simulator(fleet, seed=6).readings(T0, T0 + 600))
    assert Counter(r.device.id for r in readings) == {d.id: 40 for d in fleet}


def test_a_scenario_changes_how_often_its_device_reports_and_when_it_is_silent() -> None:
    runaway = place_starting_at(find("battery_thermal_runaway"), T0)
    (bus,) = scenario_devices(runaway.scenario, "t")
    times = [r.epoch_s for r in Simulator([bus], 1, [runaway]).readings(T0 + 1700, T0 + 1900)]
    assert {round(b - a, 3) for a, b in itertools.pairwise(t for t in times if t >= T0 + 1800)} == {1.0}
    assert all(b - a <= 10.0 for a, b in itertools.pairwise(times))
    silent = place_starting_at(find("sensor_silent"), T0)
    (sensor,) = scenario_devices(silent.scenario, "t")
    times = [
        r.epoch_s for r in Simulator([sensor], 1, [silent]).readings(T0, T0 + silent.scenario.duration_s)
    ]
    assert not [t for t in times if T0 + 1800 <= t < T0 + 3600], "no reading during the outage"
    assert [t for t in times if t >= T0 + 3600], "it reports again afterwards"


def test_sensor_faults_appear_at_the_rates_asked_for() -> None:
    rates = FaultRates(
        spike=0.01,
        flatline_per_day=0.5,
        flatline_s=3600,
        drift_share=0.4,
        dropout=0.05,
        skew_share=0.3,
        max_skew_s=60,
    )
    fleet = with_interval(demo_fleet(len(all_kinds()) * 8, seed=9), 300.0)
    faulty = Simulator(fleet, seed=9, faults=rates)
    readings = list(faulty.readings(T0, T0 + DAY))
    grid = len(fleet) * DAY / 300.0
    assert 1 - len(readings) / grid == pytest.approx(rates.dropout, abs=0.01)

    plausible = {(a.id, m.name): m.plausible for a in registry.areas() for m in a.metrics}
    values = [
        (r.device, m, v) for r in readings for m, v in r.values.items() if r.device.profile.signal(m).faults
    ]  # type: ignore[union-attr]
    spikes = sum(1 for d, m, v in values if v > plausible[(d.area, m)][1])
    assert spikes / len(values) == pytest.approx(rates.spike, rel=0.25)

    skewed = [d for d in fleet if faulty.clock_skew_s(d) != 0]
    assert len(skewed) / len(fleet) == pytest.approx(rates.skew_share, abs=0.1)
    assert all(abs(faulty.clock_skew_s(d)) <= rates.max_skew_s for d in skewed)

    drifting = {
        r.device.id
        for r in readings[-len(fleet) * 3 :]
        for m, v in r.values.items()
        if (s := r.device.profile.signal(m)) is not None
        and s.faults
        and s.jitter
        and abs(
            v - round(faulty.true_values(r.device, r.epoch_s - faulty.clock_skew_s(r.device))[m], s.decimals)
        )
        > 10**-s.decimals
        and v <= plausible[(r.device.area, m)][1]
    }
    assert len(drifting) / len(fleet) == pytest.approx(rates.drift_share, abs=0.15)

    stuck_hours = 0
    series: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for r in readings:
        for m, v in r.values.items():
            signal = r.device.profile.signal(m)
            if signal is not None and signal.faults and signal.jitter >= 10**-signal.decimals:
                series[(r.device.id, m)].append((r.epoch_s, v))
    for points in series.values():
        run_start = 0
        for i in range(1, len(points) + 1):
            if i == len(points) or points[i][1] != points[run_start][1]:
                if points[i - 1][0] - points[run_start][0] >= 0.9 * rates.flatline_s:
                    stuck_hours += 1
                run_start = i
    assert stuck_hours / len(series) == pytest.approx(rates.flatline_per_day, abs=0.15)


def test_baseline_readings_stay_within_each_metrics_plausible_range() -> None:
    fleet = demo_fleet(len(all_kinds()), seed=2)
    plausible = {(a.id, m.name): m.plausible for a in registry.areas() for m in a.metrics}
    worst: dict[tuple[str, str], list[float]] = defaultdict(list)
    for r in Simulator(fleet, seed=2).readings(T0, T0 + DAY):
        for m, v in r.values.items():
            worst[(r.device.kind, m)].append(v)
    for (kind, metric), vs in worst.items():
        area = next(d.area for d in fleet if d.kind == kind)
        lo, hi = plausible[(area, metric)]
        assert lo <= min(vs) and max(vs) <= hi, (kind, metric, min(vs), max(vs))
        s = next(d for d in fleet if d.kind == kind).profile.signal(metric)
        # A signal based below its floor is intermittent by design (rain): a dry day is still.
        if s and (s.jitter or s.wander) and s.base > (s.bounds or (lo, hi))[0]:
            assert statistics.pstdev(vs) > 0, f"{kind}.{metric} never moves"
