"""The vocabulary every area speaks: bilingual text, metrics, index results, levels and rule specs.

Everything here is plain, frozen data. An area (``domains/<area>/``) builds its catalogue, indices
and rules from these types and hands them to the platform as one :class:`Area`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from domains.simulation import DeviceProfile, Scenario


@dataclass(frozen=True)
class Text:
    """A name or message an operator reads, in both of sensegrid's languages."""

    en: str
    zh: str

    def get(self, lang: str) -> str:
        """The text in `lang` ("zh", "zh-CN" or "en"); English for anything else."""
        return self.zh if lang.lower().startswith("zh") else self.en

    def format(self, **values: object) -> Text:
        """Both templates filled with the same values."""
        return Text(en=self.en.format(**values), zh=self.zh.format(**values))


class Quality(IntEnum):
    """Per-reading quality flag stored in ``readings.quality`` (WMO/CMA QC practice, §7)."""

    GOOD = 0
    SUSPECT = 1
    BAD = 2
    MISSING = 3


class Severity(IntEnum):
    """How urgent an alert is; higher is worse. Levels of a ladder map onto these."""

    INFO = 1
    WARNING = 2
    MAJOR = 3
    CRITICAL = 4


class InvalidInputError(ValueError):
    """A value a domain function cannot accept (NaN, infinite, negative concentration...).

    The message says which input was wrong and what would be accepted.
    """


def require_finite(name: str, value: float, *, minimum: float | None = None) -> float:
    """Return `value` as float if it is a finite number (and ≥ `minimum`), else raise InvalidInputError."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInputError(f"{name} must be a number, got {value!r}")
    v = float(value)
    if not math.isfinite(v):
        raise InvalidInputError(f"{name} must be a finite number, got {value!r}")
    if minimum is not None and v < minimum:
        raise InvalidInputError(f"{name} must be ≥ {minimum:g}, got {v:g}")
    return v


@dataclass(frozen=True)
class QCLimits:
    """Quality-control limits of one metric (docs/standards.md §7; WMO / CMA QX/T 118).

    `step_suspect` / `step_error`: largest plausible change between consecutive 1-minute values.
    `persistence_window_s` / `persistence_min_change`: over that window the value must move at
    least this much, else the readings are suspect (a stuck sensor). `persistence_below`: apply the
    persistence check only while the value is below this (RH near saturation legitimately sits
    still).
    """

    step_suspect: float | None = None
    step_error: float | None = None
    persistence_window_s: int | None = None
    persistence_min_change: float | None = None
    persistence_below: float | None = None


@dataclass(frozen=True)
class Metric:
    """One quantity sensors report, in its canonical unit.

    `unit` is a pint unit expression ("ug/m^3", "degC", "m", "percent", "mm/s"); readings sent in
    another compatible unit are converted to it at ingest. `plausible` is the closed range outside
    which a reading is flagged bad.
    """

    name: str
    unit: str
    title: Text
    plausible: tuple[float, float]
    device_kinds: tuple[str, ...] = ()
    qc: QCLimits = field(default_factory=QCLimits)
    source: str = ""
    description: Text | None = None


@dataclass(frozen=True)
class Level:
    """One rung of a graded scale (AQI level, fog signal, ISO zone...): its code, names, colour."""

    code: str
    title: Text
    severity: Severity | None = None
    color: str | None = None
    advice: Text | None = None


@dataclass(frozen=True)
class IndexResult:
    """What an index computes: a value (if the index is numeric), the level, and details.

    `details` carries index-specific numbers an operator may want to see (e.g. IAQI per pollutant,
    primary pollutants); keys are stable identifiers, values plain JSON types.
    """

    value: float | None
    level: Level | None
    details: Mapping[str, object] = field(default_factory=dict)


class Window(StrEnum):
    """Which stored data a rule or index reads for a metric."""

    LATEST = "latest"  # the newest raw reading
    AVG_1H = "avg_1h"  # mean of the last clock hour (from the 1-hour rollup)
    AVG_24H = "avg_24h"  # mean of the last 24 hours
    MOVING_AVG_8H = "moving_avg_8h"  # 8-hour moving average (HJ 633 O3-8h)
    MIN_24H = "min_24h"
    MAX_24H = "max_24h"
    SERIES = "series"  # the last N raw points (run rules, runaway detection)
    # the clock-hour means of the last 24 hours, as (hour start, mean) points: one metric read both
    # as 1-h and 8-h values (HJ 633 O3), from the 1-hour rollup instead of thousands of raw points
    HOURLY_MEANS = "hourly_means"
    # (hour start, distinct minutes with data) of each of the last 24 clock hours, oldest first, the
    # current hour last, 0 for an hour without data (from the 1-minute rollup): the sampling time
    # behind each hourly mean, for the data-validity rules (docs/standards.md §1.4). An index finds
    # it under `input_key(metric, Window.HOURLY_MINUTES)`, beside the metric's own window.
    HOURLY_MINUTES = "hourly_minutes"


MINUTES_SUFFIX = ":minutes"


def input_key(metric: str, window: Window) -> str:
    """The key an index finds a window's value under: the metric's name, or "<metric>:minutes" for
    HOURLY_MINUTES (so one index can read a metric's values and their sampling time)."""
    return metric + MINUTES_SUFFIX if window is Window.HOURLY_MINUTES else metric


@dataclass(frozen=True)
class IndexInput:
    """One metric an index needs, and which window of it."""

    metric: str
    window: Window = Window.LATEST

    @property
    def key(self) -> str:
        """The key the index finds this input's value under (:func:`input_key`)."""
        return input_key(self.metric, self.window)


@dataclass(frozen=True)
class IndexSpec:
    """An index the platform can compute for a device from its stored metrics.

    `compute` receives the inputs that are available (keyed by metric name; values are floats, or
    sequences of (epoch seconds, value) pairs for `Window.SERIES` and `Window.HOURLY_MEANS`), plus
    any device settings the index documents (``placard_kpa``, ``machine_group``...), and returns
    an IndexResult, or None when the inputs are not enough to compute it. Missing optional inputs
    are simply absent. Indices read the mapping through :mod:`domains.inputs`, which rejects malformed values.
    """

    id: str
    title: Text
    inputs: tuple[IndexInput, ...]
    compute: Callable[[Mapping[str, object]], IndexResult | None]
    source: str
    levels: tuple[Level, ...] = ()
    unit: str | None = None
    # The edition of a standard published in several (HJ 633-2012 / -2026): every view of the index
    # states it. None for a standard with one edition in force.
    edition: str | None = None
    # The metric whose values the index gives (a mean of it, in its unit: the PM2.5 24-h mean of
    # valid periods), so the rungs of rules on the index are drawn on that metric's panel. None for
    # an index on a scale of its own.
    values_of: str | None = None


class ConditionKind(StrEnum):
    """The shapes a rule's condition can take (docs/architecture.md, Rules and alerts).

    Each is implemented by a module of :mod:`domains.rule_kinds`, registered there in ``KINDS``.
    """

    THRESHOLD = "threshold"  # one limit, one severity
    LEVEL_LADDER = "level_ladder"  # several limits, severity rises rung by rung
    RATE_OF_CHANGE = "rate_of_change"  # Δvalue / Δt over a window (signed; see rule_kinds.rate_of_change)
    MISSING_DATA = "missing_data"  # no reading for `params["silence_s"]`, or MQTT offline
    COMPOSITE = "composite"  # a boolean combination, computed by an index
    RUN_RULE = "run_rule"  # Western Electric / Nelson rules over the last points
    EXCEEDANCE_COUNT = "exceedance_count"  # times a metric went past params["limit"] in params["window_s"]


class Direction(StrEnum):
    """Which side of a threshold is bad."""

    ABOVE = "above"  # value ≥ threshold trips (PM2.5, gas)
    BELOW = "below"  # value ≤ threshold trips (visibility, DO, temperature for frost)


@dataclass(frozen=True)
class Threshold:
    """One rung of a rule: at `value` (inclusive, on the rule's bad side) the alert has `severity`."""

    severity: Severity
    value: float
    level: Level | None = None


def strictly_below(limit: float) -> float:
    """The rung value for a "< limit" criterion on a BELOW rule.

    A Threshold is inclusive on its bad side (value ≤ rung trips), while many standards draw strict
    lines ("能见度小于500米", "≥ 0.14 MPa is adequate"). The largest float under the limit makes the
    rule trip exactly where the index changes level.
    """
    return math.nextafter(limit, -math.inf)


def strictly_above(limit: float) -> float:
    """The rung value for a "> limit" criterion on an ABOVE rule (value ≥ rung trips)."""
    return math.nextafter(limit, math.inf)


@dataclass(frozen=True)
class RuleSpec:
    """A rule as data, Prometheus-style: what it watches, when it fires, how it clears, and why.

    `subject` is a metric name or an index id of the same area. For index subjects compared by level
    (fog signal, AQI level...), thresholds compare the index's numeric value. `for_s`: the condition
    must hold this long before the alert fires (pending until then). `clear_hysteresis`: the value
    must come back past the threshold by this much before the alert clears or de-escalates.
    `message` templates may use {device}, {value}, {unit}, {level}, {threshold}, {advice}, and
    {coverage} (what an incomplete index result stands on, e.g. " (PM2.5 only; missing SO2, …)").
    `configurable_default` marks thresholds the reference flags [verify]: defaults, not the
    standard's text; `source` then says so.
    `device_kinds` scopes the rule to devices of those kinds (keys of the area's
    `Area.device_kinds`, e.g. only "barn_sensor" for livestock heat stress although field stations
    report the same air temperature); empty means every device of the area that reports the
    subject.
    """

    id: str
    area: str
    subject: str
    kind: ConditionKind
    title: Text
    message: Text
    source: str
    direction: Direction = Direction.ABOVE
    thresholds: tuple[Threshold, ...] = ()
    window: Window = Window.LATEST
    for_s: int = 0
    clear_hysteresis: float = 0.0
    configurable_default: bool = False
    params: Mapping[str, float | int | str] = field(default_factory=dict)
    device_kinds: tuple[str, ...] = ()


def missing_data_rule(
    area: str,
    name: str,
    *,
    subject: str,
    device: Text,
    silence_s: int,
    source: str,
    severity: Severity = Severity.WARNING,
    message: Text | None = None,
    offline_is_silence: bool = True,
) -> RuleSpec:
    """The MISSING_DATA rule `<area>.<name>`: `device` has sent no `subject` for `silence_s` seconds.

    Every area has at least one. The silence goes in ``params["silence_s"]`` (which
    :func:`domains.rule_kinds.missing_data.evaluate_silence` reads) and, as the single rung's value, in
    {threshold} for the message; `severity` is how urgent a silent device of this kind is. The
    title is "<device> silent"; the message defaults to "no <device> reading for N min".
    `offline_is_silence=False` for devices that go offline on purpose (a parked vehicle logs out):
    then only a silence while the device says it is online counts.
    """
    minutes = silence_s // 60
    return RuleSpec(
        id=f"{area}.{name}",
        area=area,
        subject=subject,
        kind=ConditionKind.MISSING_DATA,
        title=Text(en=f"{device.en} silent", zh=f"{device.zh}无数据"),
        message=message
        or Text(
            en=f"{{device}}: no {device.en.lower()} reading for {minutes} min.",
            zh=f"{{device}}：{minutes} 分钟未收到{device.zh}数据。",
        ),
        source=source,
        thresholds=(Threshold(severity, float(silence_s)),),
        params={"silence_s": silence_s} | ({} if offline_is_silence else {"offline_is_silence": 0}),
    )


@dataclass(frozen=True)
class Area:
    """One application area, self-described (Home Assistant manifest style).

    The registry finds each area as the `AREA` attribute of a sub-package of `domains`.
    `profiles` (one per device kind) and `scenarios` tell the simulator how the area's devices
    behave and which events it can play (:mod:`domains.simulation`).
    """

    id: str
    title: Text
    description: Text
    standards: tuple[str, ...]
    metrics: tuple[Metric, ...]
    indices: tuple[IndexSpec, ...] = ()
    rules: tuple[RuleSpec, ...] = ()
    device_kinds: Mapping[str, Text] = field(default_factory=dict)
    profiles: tuple[DeviceProfile, ...] = ()
    scenarios: tuple[Scenario, ...] = ()
