"""The simulator: readings of a fleet for any stretch of time, as a pure function of the seed.

`Simulator.readings(start, end)` yields every reading set the fleet sends in [start, end), in time
order. Each value depends only on (seed, device, metric, instant, scenario runs, fault rates) —
never on what was asked before — so live publishing (short ranges, one after the other) and
history backfill (one long range) give the same data, and two runs with one seed are identical.

How one value is made (the profile's :class:`~domains.simulation.Signal`): its base, daily and
yearly cycles at the device's local time, slow wander and per-reading jitter (or, for an SPC-charted
metric, the in-control sequence), plus the correlated part of the metric it follows; then the
scenario effects for that device; clamped to its bounds; then sensor faults (spike, flat-line,
drift); rounded. Reading times are a per-device grid (the report interval from a per-device
phase), changed by scenario cadences and outages and thinned by dropouts; the timestamp a device
puts on a reading is its own clock's, which may be skewed.
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from domains import registry
from domains.model import Metric
from domains.simulation import Effect, EffectOp, Signal
from sim import signals
from sim.fleet import SimDevice
from sim.scenarios import ScenarioRun
from sim.signals import NO_FAULTS, FaultRates


class Reading(NamedTuple):
    """One reading set: the device, the time its clock stamps on it (epoch s), metric → value."""

    device: SimDevice
    epoch_s: float
    values: dict[str, float]


@dataclass(frozen=True)
class _Change:
    """One scenario effect bound to the clock."""

    start: float
    effect: Effect
    times: tuple[float, ...]

    def amount(self, t: float) -> tuple[float, float] | None:
        """(amount, weight) at epoch `t`, or None outside the effect."""
        u = t - self.start
        frames = self.effect.keyframes
        first, last = self.times[0], self.times[-1]
        if u < first or (u > last and not self.effect.hold):
            return None
        i = bisect.bisect_right(self.times, u) - 1
        if i >= len(frames) - 1 or self.effect.steps:
            value = frames[max(i, 0)][1]
        else:
            (t0, a0), (t1, a1) = frames[i], frames[i + 1]
            value = a0 + (a1 - a0) * (u - t0) / (t1 - t0) if t1 > t0 else a1
        weight = 1.0
        blend = self.effect.blend_s
        if blend > 0:
            weight = min(1.0, (u - first) / blend)
            if not self.effect.hold:
                weight = min(weight, (last - u) / blend)
        return value, max(0.0, weight)

    def apply(self, value: float, t: float) -> float:
        found = self.amount(t)
        if found is None:
            return value
        amount, weight = found
        op = self.effect.op
        if op is EffectOp.ADD:
            return value + weight * amount
        if op is EffectOp.SCALE:
            return value * (1.0 + weight * (amount - 1.0))
        return (1.0 - weight) * value + weight * amount


@dataclass(frozen=True)
class _Channel:
    """One metric of one device, with everything needed to make its values."""

    signal: Signal
    metric: Metric
    key: int
    offset: float
    low: float
    high: float
    source_base: float
    changes: tuple[_Change, ...]
    drift_unit: float


@dataclass(frozen=True)
class _Plan:
    """How one device reports: its channels, clock, grid and scenario windows (epochs)."""

    device: SimDevice
    index: int
    key: int
    phase: float
    skew_s: float
    faulty: bool  # sensor faults apply (never to a scenario's devices: their outcome stays known)
    channels: tuple[_Channel, ...]
    outages: tuple[tuple[float, float], ...]
    cadences: tuple[tuple[float, float, float], ...]  # (start, end, interval)


Windows = tuple[
    tuple[tuple[float, float], ...], tuple[tuple[float, float, float], ...], list[tuple[float, Effect]]
]


def _windows(runs: Sequence[ScenarioRun], device: SimDevice) -> Windows:
    """A device's outages, cadences (epoch windows) and effects (with their run's start)."""
    outages: list[tuple[float, float]] = []
    cadences: list[tuple[float, float, float]] = []
    effects: list[tuple[float, Effect]] = []
    for run in runs:
        if run.scenario.id != device.scenario:
            continue
        for o in run.scenario.outages:
            if o.role == device.role:
                outages.append((run.at(o.start_s), math.inf if o.end_s is None else run.at(o.end_s)))
        for c in run.scenario.cadences:
            if c.role == device.role:
                cadences.append(
                    (run.at(c.start_s), math.inf if c.end_s is None else run.at(c.end_s), c.interval_s)
                )
        effects += [(run.start, e) for e in run.scenario.effects if e.role == device.role]
    return tuple(sorted(outages)), tuple(sorted(cadences)), effects


class Simulator:
    """Readings of `fleet` with `seed`, the scenario `runs` played on their devices, and `faults`
    (on the other devices: a scenario's devices play their story as written)."""

    def __init__(
        self,
        fleet: Sequence[SimDevice],
        seed: int = 0,
        runs: Sequence[ScenarioRun] = (),
        faults: FaultRates = NO_FAULTS,
    ) -> None:
        ids = [d.id for d in fleet]
        if len(set(ids)) != len(ids):
            raise ValueError("device ids in a fleet must be unique")
        self.fleet = tuple(fleet)
        self.seed = seed
        self.runs = tuple(runs)
        self.faults = faults
        self._faulty = faults != NO_FAULTS
        self._plans = {d.id: self._plan(i, d) for i, d in enumerate(self.fleet)}

    def _plan(self, index: int, device: SimDevice) -> _Plan:
        metrics = {m.name: m for m in registry.area(device.area).metrics}
        key = signals.series_key(self.seed, device.id)
        outages, cadences, effects = _windows(self.runs, device)
        bases = {s.metric: s.base for s in device.profile.signals}
        channels = []
        for signal in device.profile.signals:
            metric = metrics[signal.metric]
            low, high = signal.bounds or metric.plausible
            metric_key = signals.series_key(self.seed, device.id, signal.metric)
            changes = tuple(
                _Change(start, e, tuple(t for t, _ in e.keyframes))
                for start, e in effects
                if e.metric == signal.metric
            )
            channels.append(
                _Channel(
                    signal=signal,
                    metric=metric,
                    key=metric_key,
                    offset=signal.spread * (2.0 * signals.uniform(metric_key, -1) - 1.0),
                    low=low,
                    high=high,
                    source_base=bases[signal.follows.metric] if signal.follows else 0.0,
                    changes=changes,
                    drift_unit=abs(signal.base) * 0.01 or signal.jitter,
                )
            )
        faulty = self._faulty and device.scenario is None
        return _Plan(
            device=device,
            index=index,
            key=key,
            phase=signals.uniform(key, -2) * device.interval_s,
            skew_s=signals.clock_skew_s(self.faults, key) if faulty else 0.0,
            faulty=faulty,
            channels=tuple(channels),
            outages=outages,
            cadences=cadences,
        )

    # -- values ------------------------------------------------------------------------------------

    def true_values(self, device: SimDevice, t: float) -> dict[str, float]:
        """What the device's sensors would read at epoch `t` if they were perfect: signal and
        scenario effects, no faults, not rounded."""
        plan = self._plans[device.id]
        hour = signals.local_hour(t, device.utc_offset_h)
        day = signals.day_of_year(t, device.utc_offset_h)
        at = signals.position(t)
        out: dict[str, float] = {}
        for ch in plan.channels:
            s = ch.signal
            if s.charted:
                index = round((t - plan.phase) / device.interval_s)
                v = s.base + s.jitter * signals.in_control(ch.key, index)
            else:
                v = s.base + ch.offset + signals.daily(s.diurnal, hour) + signals.yearly(s.seasonal, day)
                if s.wander:
                    v += s.wander * signals.wander(ch.key, t)
                if s.jitter:
                    v += s.jitter * signals.normal(ch.key, at)
            if s.follows is not None:
                v += s.follows.gain * (out[s.follows.metric] - ch.source_base)
            for change in ch.changes:
                v = change.apply(v, t)
            out[s.metric] = min(ch.high, max(ch.low, v))
        return out

    def _measured(self, plan: _Plan, t: float) -> dict[str, float]:
        """The values the device reports at epoch `t`: true values through its sensor faults, rounded."""
        true = self.true_values(plan.device, t)
        rates = self.faults
        at = signals.position(t)
        out: dict[str, float] = {}
        for ch in plan.channels:
            s = ch.signal
            v = true[s.metric]
            if s.faults and plan.faulty:
                stuck = signals.flatline_start(rates, ch.key, t)
                if stuck is not None:  # a stuck sensor repeats what it read when it stuck
                    v = self.true_values(plan.device, stuck)[s.metric]
                drifted = signals.drift(rates, plan.key, t if stuck is None else stuck, ch.drift_unit)
                v = min(ch.high, max(ch.low, v + drifted))
                if signals.is_spike(rates, ch.key, at):
                    v = signals.spike_value(ch.metric.plausible)
            out[s.metric] = round(v, s.decimals)
        return out

    # -- times -------------------------------------------------------------------------------------

    def _times(self, plan: _Plan, start: float, end: float) -> Iterator[float]:
        interval = plan.device.interval_s
        windows = plan.cadences

        # Times are rounded to the millisecond, which may move one across `start`: begin a step
        # early and keep only those at or after it, so consecutive ranges never drop or repeat one.
        def base() -> Iterator[float]:
            n = math.ceil((start - plan.phase) / interval) - 1
            while (t := round(plan.phase + n * interval, 3)) < end:
                if t >= start and not any(a <= t < b for a, b, _ in windows):
                    yield t
                n += 1

        def cadence(a: float, b: float, step: float) -> Iterator[float]:
            j = max(0, math.ceil((start - a) / step) - 1)
            while (t := round(a + j * step, 3)) < min(b, end):
                if t >= start:
                    yield t
                j += 1

        for t in heapq.merge(base(), *(cadence(a, b, step) for a, b, step in windows)):
            if any(a <= t < b for a, b in plan.outages):
                continue
            if plan.faulty and signals.is_dropout(self.faults, plan.key, signals.position(t)):
                continue
            yield t

    def device_readings(self, device: SimDevice, start: float, end: float) -> Iterator[Reading]:
        """The reading sets one device sends in [start, end), in time order."""
        plan = self._plans[device.id]
        for t in self._times(plan, start, end):
            yield Reading(device, round(t + plan.skew_s, 3), self._measured(plan, t))

    def readings(
        self, start: float, end: float, devices: Iterable[SimDevice] | None = None
    ) -> Iterator[Reading]:
        """Every reading set the fleet (or `devices` of it) sends in [start, end), in time order
        (by the true time; a skewed clock's stamp may be a little off that order)."""
        chosen = self.fleet if devices is None else tuple(devices)

        def stream(plan: _Plan) -> Iterator[tuple[float, int, Reading]]:
            for t in self._times(plan, start, end):
                yield t, plan.index, Reading(plan.device, round(t + plan.skew_s, 3), self._measured(plan, t))

        merged = heapq.merge(*(stream(self._plans[d.id]) for d in chosen))
        for _, _, reading in merged:
            yield reading

    def clock_skew_s(self, device: SimDevice) -> float:
        """How far the device's clock is off (0 without clock-skew faults)."""
        return self._plans[device.id].skew_s
