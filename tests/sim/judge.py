"""What the alert evaluator would decide over simulated readings, without a database or a broker.

For a pure check of profiles and scenarios: every rule that applies to a simulated device is judged
at a grid of instants with the evaluator's own code (`alerts.observe.observe` on windows built the
way `alerts.windows` builds them from the store, `domains.conditions.advance` for `for_s`), as if
each reading were stored the moment it was taken. The outcome is the alert episodes an operator
would have seen.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from alerts.messages import level_code
from alerts.observe import applies, observe
from alerts.windows import HOURLY_REACH_S, Readings, plan_reads
from domains import registry
from domains.conditions import INACTIVE, PendingState, advance
from domains.model import Area, ConditionKind, RuleSpec, Severity
from domains.rule_kinds import reads_for
from domains.rule_kinds.base import HOUR_S
from sim.engine import Simulator
from sim.fleet import SimDevice
from store.device_state import DeviceState
from store.windows import HourBucket, PointsRequest

MAX_AGE_S = 86_400.0
MAX_POINTS = 10_000


@dataclass
class Episode:
    """One alert instance: when it opened, fired and resolved, and its firing severities over time."""

    rule: str
    device: str
    opened: float
    fired: float | None = None
    resolved: float | None = None
    steps: list[tuple[float, Severity, str]] = field(default_factory=list)  # (from, severity, level)

    def at(self, t: float) -> tuple[Severity, str] | None:
        """Severity and level firing at `t`, or None."""
        if self.fired is None or t < self.fired or (self.resolved is not None and t >= self.resolved):
            return None
        current = None
        for start, severity, level in self.steps:
            if start <= t:
                current = (severity, level)
        return current

    @property
    def peak(self) -> Severity | None:
        return max((s for _, s, _ in self.steps), default=None)


class _Series:
    """One metric's readings, with the hourly buckets the 1-hour rollup would hold."""

    def __init__(self, points: Sequence[tuple[float, float]]) -> None:
        self.times = [t for t, _ in points]
        self.values = [v for _, v in points]
        self.hours: dict[int, HourBucket] = {}
        for t, v in points:
            h = math.floor(t / HOUR_S)
            b = self.hours.get(h)
            self.hours[h] = (
                HourBucket(h * HOUR_S, 1, v, v, v)
                if b is None
                else HourBucket(b.start, b.count + 1, b.sum + v, min(b.min, v), max(b.max, v))
            )

    def upto(self, now: float) -> int:
        return bisect.bisect_right(self.times, now)

    def minutes(self, now: float) -> list[tuple[float, int]]:
        """(hour start, distinct minutes with readings up to `now`) as the 1-minute rollup counts them."""
        current = math.floor(now / HOUR_S)
        lo = bisect.bisect_left(self.times, (current - int(HOURLY_REACH_S / HOUR_S)) * HOUR_S)
        found: dict[int, set[int]] = {}
        for t in self.times[lo : self.upto(now)]:
            found.setdefault(math.floor(t / HOUR_S), set()).add(math.floor(t / 60))
        return [(h * HOUR_S, len(m)) for h, m in sorted(found.items())]

    def latest(self, now: float) -> tuple[float, float] | None:
        i = self.upto(now)
        if i == 0 or self.times[i - 1] < now - MAX_AGE_S:
            return None
        return self.times[i - 1], self.values[i - 1]

    def buckets(self, now: float) -> list[HourBucket]:
        current = math.floor(now / HOUR_S)
        out = [
            self.hours[h] for h in range(current - int(HOURLY_REACH_S / HOUR_S), current) if h in self.hours
        ]
        lo, hi = bisect.bisect_left(self.times, current * HOUR_S), self.upto(now)
        if hi > lo:
            part = self.values[lo:hi]
            out.append(HourBucket(current * HOUR_S, len(part), sum(part), min(part), max(part)))
        return out

    def points(self, request: PointsRequest, now: float) -> list[tuple[float, float]]:
        hi = self.upto(now)
        lo = max(bisect.bisect_left(self.times, request.since), hi - request.limit)
        return list(zip(self.times[lo:hi], self.values[lo:hi], strict=True))


def judge(
    sim: Simulator,
    start: float,
    end: float,
    *,
    step_s: float = 60.0,
    history_s: float = 0.0,
    devices: Iterable[SimDevice] | None = None,
    for_s: float | None = None,
) -> list[Episode]:
    """The alert episodes of `devices` (default: the whole fleet) judged every `step_s` in
    [start, end], on the readings from `history_s` before `start` on; `for_s` replaces every
    rule's own."""
    episodes: list[Episode] = []
    for device in sim.fleet if devices is None else devices:
        episodes += _judge_device(sim, device, start - history_s, start, end, step_s, for_s)
    return episodes


def _judge_device(
    sim: Simulator,
    device: SimDevice,
    since: float,
    start: float,
    end: float,
    step_s: float,
    for_s: float | None,
) -> list[Episode]:
    area = registry.area(device.area)
    by_metric: dict[str, list[tuple[float, float]]] = {m: [] for m in device.metrics}
    metrics = {m.name: m for m in area.metrics}
    for reading in sim.device_readings(device, since, end + 1e-6):
        for metric, value in reading.values.items():
            lo, hi = metrics[metric].plausible
            if lo <= value <= hi:  # the evaluator reads good readings only
                by_metric[metric].append((reading.epoch_s, value))
    series = {m: _Series(p) for m, p in by_metric.items()}
    ids = {m: i + 1 for i, m in enumerate(device.metrics)}
    arrivals = sorted(t for p in by_metric.values() for t, _ in p)
    rules = [
        r if for_s is None or r.kind is ConditionKind.MISSING_DATA else replace(r, for_s=int(for_s))
        for r in area.rules
    ]
    template = DeviceState(
        id=device.id,
        tenant=device.tenant,
        area=device.area,
        kind=device.kind,
        name=device.name.en,
        site=device.site,
        active=True,
        metadata=dict(device.metadata),
        created_at=since,
        last_seen=None,
        online=None,
        series=ids,
    )
    rules = [r for r in rules if applies(r, template, area)]
    states: dict[str, PendingState] = {}
    open_: dict[str, Episode] = {}
    out: list[Episode] = []
    steps = math.floor((end - start) / step_s) + 1
    for k in range(steps):
        now = start + k * step_s
        seen = bisect.bisect_right(arrivals, now)
        state = replace(template, last_seen=arrivals[seen - 1] if seen else None)
        readings = _readings(rules, area, series, ids, now)
        for rule in rules:
            held = states.get(rule.id, INACTIVE)
            seen_now = observe(rule, state, readings, now, held.severity)
            desired = seen_now.decision.severity
            pending, firing = advance(held, now, desired, rule.for_s)
            states[rule.id] = pending
            episode = open_.get(rule.id)
            if pending.severity is None:
                if episode is not None:
                    episode.resolved = now
                    del open_[rule.id]
                continue
            if episode is None:
                episode = open_[rule.id] = Episode(rule.id, device.id, now)
                out.append(episode)
            if firing is not None:
                episode.fired = episode.fired if episode.fired is not None else now
                level = level_code(seen_now.decision.threshold, firing)
                if not episode.steps or episode.steps[-1][1:] != (firing, level):
                    episode.steps.append((now, firing, level))
    return out


def _readings(
    rules: Sequence[RuleSpec], area: Area, series: dict[str, _Series], ids: dict[str, int], now: float
) -> Readings:
    pairs = [(ids[r.metric], r) for rule in rules for r in reads_for(rule, area) if r.metric in ids]
    plan = plan_reads(pairs, now, MAX_POINTS)
    by_id = {i: series[m] for m, i in ids.items()}
    latest = {sid: found for sid in plan.latest if (found := by_id[sid].latest(now)) is not None}
    hourly = {sid: by_id[sid].buckets(now) for sid in plan.hourly}
    points = {req: by_id[req.series_id].points(req, now) for req in plan.points}
    minutes = {sid: by_id[sid].minutes(now) for sid in plan.minutes}
    return Readings(
        now=now, max_points=MAX_POINTS, latest=latest, hourly=hourly, points=points, minutes=minutes
    )
