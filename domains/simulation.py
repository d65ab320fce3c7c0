"""What the simulator knows about an area, as pure data: device profiles and scenario events.

Each area describes, in ``domains/<area>/simulation.py``, how its devices behave when nothing is
wrong (a :class:`DeviceProfile` per device kind: which metrics, at which level, with which daily and
yearly cycles, noise and correlations, every how many seconds) and a few named events with a known
outcome (a :class:`Scenario`: which devices, how their signals change over the event's timeline,
and which alerts must fire and clear). The area hands both to the platform on its ``Area``; the
generic engine in ``sim/`` turns them into readings. Nothing here computes a signal: these are
descriptions, checked by :func:`problems` when the registry loads the area.

Times in a scenario are seconds from the scenario's start (where the simulator places it on the
clock); a profile's cycles are in local clock hours and days of the year.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from domains.model import Severity, Text
from domains.rule_kinds import kind_of

if TYPE_CHECKING:
    from domains.model import Area

Setting = str | int | float | bool
"""A device setting value, as stored in ``devices.metadata`` and read by indices."""


@dataclass(frozen=True)
class Cycle:
    """A cosine cycle added to a signal: ±`amplitude` around its base, largest at `peak`.

    `peak` is the local clock hour (0–24) for a daily cycle, the day of the year (1–365) for a
    yearly one.
    """

    amplitude: float
    peak: float


@dataclass(frozen=True)
class Follows:
    """A correlation: this metric moves by `gain` per unit the `metric` of the same device departs
    from its base (RH falls 3 % per °C the air warms; PM10 is 1.6 × PM2.5; tyre pressure rises
    0.8 kPa per °C). The source's cycles, noise and scenario changes all carry over."""

    metric: str
    gain: float


@dataclass(frozen=True)
class Signal:
    """How one metric of a device kind behaves on a quiet day.

    value = base (± `spread` per device) + daily and yearly cycles + slow `wander` (σ, changing
    over about half an hour) + per-reading `jitter` (σ) + `follows` term, clamped to `bounds`
    (default: the metric's plausible range) and rounded to `decimals`.

    `charted`: the metric is on an SPC chart (device settings ``spc_centre`` = base, ``spc_sigma``
    = jitter): instead of random noise it follows an in-control sequence that trips no Western
    Electric or Nelson rule, so a quiet machine never alarms by chance. `faults`: whether sensor
    faults (spikes, flat-lines, drift) may touch it — not for status words such as alarm levels.
    """

    metric: str
    base: float
    diurnal: Cycle | None = None
    seasonal: Cycle | None = None
    wander: float = 0.0
    jitter: float = 0.0
    follows: Follows | None = None
    spread: float = 0.0
    bounds: tuple[float, float] | None = None
    decimals: int = 2
    charted: bool = False
    faults: bool = True


@dataclass(frozen=True)
class DeviceProfile:
    """A device kind of an area as the simulator plays it: its signals (sources before the metrics
    that follow them), how often it reports, and the device settings its indices read."""

    kind: str
    interval_s: float
    signals: tuple[Signal, ...]
    settings: Mapping[str, Setting] = field(default_factory=dict)

    def signal(self, metric: str) -> Signal | None:
        return next((s for s in self.signals if s.metric == metric), None)


class EffectOp(StrEnum):
    """How a scenario changes a signal."""

    ADD = "add"  # value + amount
    SCALE = "scale"  # value × amount
    SET = "set"  # the amount itself, blended from and back into the baseline over `blend_s`


@dataclass(frozen=True)
class Effect:
    """A change to one metric of one scenario device, over the scenario's timeline.

    `keyframes` are (scenario second, amount) pairs in time order; the amount in between is
    interpolated linearly (or held until the next keyframe with `steps`, for status words).
    Before the first keyframe the effect does nothing; after the last it stops too, unless `hold`
    keeps the last amount for good (a battery that burnt out does not cool back to normal).
    """

    role: str
    metric: str
    op: EffectOp
    keyframes: tuple[tuple[float, float], ...]
    blend_s: float = 0.0
    hold: bool = False
    steps: bool = False


@dataclass(frozen=True)
class Outage:
    """A scenario device sends nothing from `start_s` until `end_s` (None: never again)."""

    role: str
    start_s: float
    end_s: float | None = None


@dataclass(frozen=True)
class Cadence:
    """A scenario device reports every `interval_s` from `start_s` until `end_s` (None: for good),
    e.g. a T-box at 1 Hz once it raises a level-3 alarm (GB/T 32960.3)."""

    role: str
    start_s: float
    interval_s: float
    end_s: float | None = None


@dataclass(frozen=True)
class Role:
    """One device a scenario plays: its part (`role`), kind, what operators call it and where."""

    role: str
    kind: str
    name: Text
    site: str
    latitude: float
    longitude: float
    settings: Mapping[str, Setting] = field(default_factory=dict)


@dataclass(frozen=True)
class ExpectedAlert:
    """An alert the scenario must raise: on `role`, rule `rule` is firing by `fires_by_s`, is at
    `severity` (its highest) showing `level` at `peak_s`, and is resolved by `clears_by_s` — None
    when it must still be open when the scenario ends (no reading says the hazard is over)."""

    rule: str
    role: str
    severity: Severity
    level: str
    fires_by_s: float
    peak_s: float
    clears_by_s: float | None


@dataclass(frozen=True)
class Scenario:
    """A named event with a known outcome, played on its own devices.

    Until `event_s` the devices run their quiet baseline (no alert may fire); the event's changes
    follow; `duration_s` is when the story ends (the devices go on reporting afterwards, with any
    held changes). `hour_mark_s`: a scenario second that must fall on a clock hour when the
    scenario is placed, for events judged on clock-hour means (the AQI). `demo_overrides`: rule
    id → override document (``alerts.overrides``) the demo applies for its tenant — time
    compression for the demo, so a `for` of an hour does not keep the audience waiting.
    """

    id: str
    area: str
    title: Text
    story: Text
    roles: tuple[Role, ...]
    event_s: float
    duration_s: float
    expected: tuple[ExpectedAlert, ...]
    effects: tuple[Effect, ...] = ()
    outages: tuple[Outage, ...] = ()
    cadences: tuple[Cadence, ...] = ()
    hour_mark_s: float | None = None
    demo_overrides: Mapping[str, Mapping[str, object]] = field(default_factory=dict)

    def role(self, name: str) -> Role:
        for r in self.roles:
            if r.role == name:
                return r
        raise KeyError(f"scenario {self.id} has no role {name!r}; roles: {', '.join(self.role_names)}")

    @property
    def role_names(self) -> tuple[str, ...]:
        return tuple(r.role for r in self.roles)


def _profile_problems(area: Area) -> list[str]:
    problems: list[str] = []
    metrics = {m.name: m for m in area.metrics}
    kinds = [p.kind for p in area.profiles]
    for kind in sorted({k for k in kinds if kinds.count(k) > 1}):
        problems.append(f"two simulator profiles for device kind {kind}")
    for profile in area.profiles:
        where = f"profile {profile.kind}"
        if area.device_kinds and profile.kind not in area.device_kinds:
            problems.append(f"{where}: not a device kind of the area")
        if profile.interval_s <= 0:
            problems.append(f"{where}: interval_s must be > 0")
        seen: set[str] = set()
        for signal in profile.signals:
            metric = metrics.get(signal.metric)
            if metric is None:
                problems.append(f"{where}: unknown metric {signal.metric}")
            elif metric.device_kinds and profile.kind not in metric.device_kinds:
                problems.append(f"{where}: metric {signal.metric} is not reported by {profile.kind}")
            if signal.follows is not None and signal.follows.metric not in seen:
                problems.append(
                    f"{where}: {signal.metric} follows {signal.follows.metric}, which must come before it"
                )
            if signal.metric in seen:
                problems.append(f"{where}: metric {signal.metric} twice")
            seen.add(signal.metric)
    return problems


def _scenario_problems(area: Area, scenario: Scenario) -> list[str]:
    where = f"scenario {scenario.id}"
    problems: list[str] = []
    if scenario.area != area.id:
        problems.append(f"{where} says area {scenario.area!r}, lives in {area.id!r}")
    if not 0 <= scenario.event_s <= scenario.duration_s:
        problems.append(f"{where}: event_s must lie within 0 … duration_s")
    profiles = {p.kind: p for p in area.profiles}
    roles = {r.role: r for r in scenario.roles}
    if len(roles) != len(scenario.roles):
        problems.append(f"{where}: duplicate role names")
    for declared in scenario.roles:
        if declared.kind not in profiles:
            problems.append(f"{where}: role {declared.role} is a {declared.kind}, which has no profile")
    changes: list[Effect | Outage | Cadence] = [*scenario.effects, *scenario.outages, *scenario.cadences]
    for change in changes:
        if change.role not in roles:
            problems.append(f"{where}: a change names unknown role {change.role}")
    for effect in scenario.effects:
        role = roles.get(effect.role)
        profile = profiles.get(role.kind) if role is not None else None
        if profile is not None and profile.signal(effect.metric) is None:
            problems.append(f"{where}: {effect.role} ({profile.kind}) does not report {effect.metric}")
        times = [t for t, _ in effect.keyframes]
        if not times or times != sorted(times):
            problems.append(f"{where}: keyframes of {effect.role}.{effect.metric} must be in time order")
    rules = {r.id: r for r in area.rules}
    for expected in scenario.expected:
        rule = rules.get(expected.rule)
        role = roles.get(expected.role)
        if rule is None:
            problems.append(f"{where} expects unknown rule {expected.rule}")
        elif role is not None and rule.device_kinds and role.kind not in rule.device_kinds:
            problems.append(f"{where} expects {expected.rule} on {expected.role}, out of the rule's scope")
        if role is None:
            problems.append(f"{where} expects an alert on unknown role {expected.role}")
        if rule is not None:
            problems += kind_of(rule).scenario_problems(rule, expected, where)
        if not expected.fires_by_s <= expected.peak_s <= (expected.clears_by_s or expected.peak_s):
            problems.append(f"{where}: {expected.rule} on {expected.role} needs fires_by ≤ peak ≤ clears_by")
    for rule_id in scenario.demo_overrides:
        if rule_id not in rules:
            problems.append(f"{where}: demo override for unknown rule {rule_id}")
    return problems


def problems(area: Area) -> list[str]:
    """What is inconsistent in an area's profiles and scenarios (the registry fails loudly on any)."""
    found = _profile_problems(area)
    ids = [s.id for s in area.scenarios]
    for dupe in sorted({i for i in ids if ids.count(i) > 1}):
        found.append(f"two scenarios called {dupe}")
    for scenario in area.scenarios:
        found += _scenario_problems(area, scenario)
    return found
