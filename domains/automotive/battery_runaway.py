"""EV battery thermal-runaway detection after GB 38031-2025 App. C over (time, voltage, temperature) samples.

docs/standards.md §5. The judgement conditions:

  (a) the voltage drops by more than 25 % of the initial voltage, or
  (b) the temperature reaches the maker's maximum operating temperature; and
  (c) the temperature rises at dT/dt ≥ 1 °C/s for more than 3 s.

Runaway is (a or b) and c. Our reading of it, step by step:

- dT/dt is taken between consecutive samples, so sampling may be irregular. Condition (c) holds
  at a sample when every interval back to some earlier sample rose at ≥ 1 °C/s and that run of
  intervals spans *more than* 3 s: a 3.0 s run does not trip, 3.5 s does.
- (a) and (b) are judged at the same sample as (c): the alarm time is the first sample at which
  both halves hold. (a) compares with the first voltage of the series (or a given initial one).
- Float noise must not decide. Sensors report to 0.1 °C, and 26.3 − 25.3 is 0.99999999999999
  in binary; epoch seconds near 1.7e9 are doubles exact only to ~0.24 µs. So a level equal to
  its limit as written counts as equal (relative 1e-9), and every time span — the interval
  behind a rate, the length of a run — may be off by `EPOCH_ROUNDING_S`: a rise of 0.1 °C in a
  0.1 s interval is 1 °C/s, a run of 3.0000002 s is 3 s. Both allowances are far below anything
  a sensor resolves.

GB 38031 also asks that the alarm come at least 5 minutes before the danger reaches the
occupants; that is the vehicle's design duty, which a fast, conservative detector here serves.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from domains.inputs import Point, as_series, read_number, read_series
from domains.model import (
    IndexInput,
    IndexResult,
    IndexSpec,
    InvalidInputError,
    Level,
    Severity,
    Text,
    Window,
    require_finite,
)

VOLTAGE_DROP_FRACTION = 0.25  # GB 38031-2025 App. C (a): drop of more than 25 % of the initial voltage
RISE_RATE_C_PER_S = 1.0  # GB 38031-2025 App. C (c): dT/dt ≥ 1 °C/s ...
RISE_DURATION_S = 3.0  # GB 38031-2025 App. C (c): ... for more than 3 s
DEFAULT_MAX_OPERATING_TEMP_C = 60.0
"""(b) is the *maker's* maximum operating temperature; 60 °C is a common lithium-ion figure and
only a default. Set the pack's own value (device setting ``max_operating_temp_c``)."""

_RELATIVE_TOLERANCE = 1e-9
EPOCH_ROUNDING_S = 1e-6
"""How far a span between two epoch-second doubles may be off by rounding alone (~0.24 µs per
timestamp at today's epoch, doubled, with margin)."""


def _reaches(x: float, limit: float) -> bool:
    """x ≥ limit, forgiving binary rounding (see the module docstring)."""
    return x >= limit - _RELATIVE_TOLERANCE * max(1.0, abs(limit))


def _exceeds(x: float, limit: float) -> bool:
    """x > limit, not counting a value that equals the limit but for binary rounding."""
    return x > limit + _RELATIVE_TOLERANCE * max(1.0, abs(limit))


def _rises_fast_enough(rise_c: float, dt_s: float) -> bool:
    """rise / dt ≥ 1 °C/s, allowing dt to be long by the timestamps' rounding."""
    return _reaches(rise_c, RISE_RATE_C_PER_S * (dt_s - EPOCH_ROUNDING_S))


class RunawayCondition(StrEnum):
    """The three judgement conditions of GB 38031-2025 App. C."""

    VOLTAGE_DROP = "voltage_drop"  # (a)
    OVER_TEMPERATURE = "over_temperature"  # (b)
    TEMPERATURE_RISE = "temperature_rise"  # (c)


CONDITION_TITLES: Mapping[RunawayCondition, Text] = {
    RunawayCondition.VOLTAGE_DROP: Text(en="voltage dropped by more than 25 %", zh="电压降超过初始电压的25%"),
    RunawayCondition.OVER_TEMPERATURE: Text(
        en="temperature at the maximum operating temperature", zh="温度达到最高工作温度"
    ),
    RunawayCondition.TEMPERATURE_RISE: Text(
        en="temperature rising ≥ 1 °C/s for more than 3 s", zh="温升速率≥1℃/s且持续3s以上"
    ),
}


@dataclass(frozen=True)
class RunawaySample:
    """One instant: time (epoch s), voltage (V; None when not measured) and temperature (°C)."""

    t_s: float
    voltage_v: float | None
    temperature_c: float


@dataclass(frozen=True)
class RunawayResult:
    """Whether and when runaway was judged, which conditions held then, and which were ever seen."""

    tripped: bool
    at_s: float | None
    conditions: frozenset[RunawayCondition]
    seen: frozenset[RunawayCondition]
    initial_voltage_v: float | None
    max_rise_rate_c_per_s: float | None


def _samples(raw: Sequence[RunawaySample | tuple[float, float | None, float]]) -> list[RunawaySample]:
    samples = []
    for i, item in enumerate(raw):
        s = item if isinstance(item, RunawaySample) else RunawaySample(*item)
        v = (
            None
            if s.voltage_v is None
            else require_finite(f"sample[{i}] voltage (V)", s.voltage_v, minimum=0.0)
        )
        samples.append(
            RunawaySample(
                require_finite(f"sample[{i}] time (s)", s.t_s),
                v,
                require_finite(f"sample[{i}] temperature (°C)", s.temperature_c),
            )
        )
    samples.sort(key=lambda s: s.t_s)
    for a, b in itertools.pairwise(samples):
        if a.t_s == b.t_s:
            raise InvalidInputError(f"two samples at epoch {a.t_s:g} s; send one per timestamp")
    return samples


def detect_thermal_runaway(
    samples: Sequence[RunawaySample | tuple[float, float | None, float]],
    *,
    max_operating_temp_c: float = DEFAULT_MAX_OPERATING_TEMP_C,
    initial_voltage_v: float | None = None,
) -> RunawayResult:
    """Judge GB 38031-2025 App. C thermal runaway over samples (in any order, irregular spacing).

    `samples` are RunawaySample or (epoch_s, voltage_v or None, temperature_c) tuples. Without a
    voltage (None throughout, no `initial_voltage_v`), only (b) can complete the first half.
    """
    t_max = require_finite("max_operating_temp_c", max_operating_temp_c)
    points = _samples(samples)
    v0 = initial_voltage_v
    if v0 is None:
        v0 = next((s.voltage_v for s in points if s.voltage_v is not None), None)
    if v0 is not None and require_finite("initial voltage (V)", v0) <= 0:
        raise InvalidInputError(f"initial voltage must be > 0 V, got {v0:g}")

    seen: set[RunawayCondition] = set()
    run_start: float | None = None
    max_rate: float | None = None
    for i, s in enumerate(points):
        now: set[RunawayCondition] = set()
        if (
            v0 is not None
            and s.voltage_v is not None
            and _exceeds(v0 - s.voltage_v, VOLTAGE_DROP_FRACTION * v0)
        ):
            now.add(RunawayCondition.VOLTAGE_DROP)
        if _reaches(s.temperature_c, t_max):
            now.add(RunawayCondition.OVER_TEMPERATURE)
        if i > 0:
            prev = points[i - 1]
            rate = (s.temperature_c - prev.temperature_c) / (s.t_s - prev.t_s)
            max_rate = rate if max_rate is None else max(max_rate, rate)
            if _rises_fast_enough(s.temperature_c - prev.temperature_c, s.t_s - prev.t_s):
                run_start = prev.t_s if run_start is None else run_start
            else:
                run_start = None
            if run_start is not None and _exceeds(s.t_s - run_start, RISE_DURATION_S + EPOCH_ROUNDING_S):
                now.add(RunawayCondition.TEMPERATURE_RISE)
        seen |= now
        first_half = now & {RunawayCondition.VOLTAGE_DROP, RunawayCondition.OVER_TEMPERATURE}
        if first_half and RunawayCondition.TEMPERATURE_RISE in now:
            return RunawayResult(True, s.t_s, frozenset(now), frozenset(seen), v0, max_rate)
    return RunawayResult(False, None, frozenset(), frozenset(seen), v0, max_rate)


def pair_series(voltage: Sequence[Point] | None, temperature: Sequence[Point]) -> tuple[RunawaySample, ...]:
    """One sample per temperature reading, with the latest voltage read at or before it.

    Temperature drives dT/dt, so its timestamps are the samples'; the voltage is held from its last
    reading (None before the first one, or when no voltage series is given).
    """
    volts = as_series("cell voltage", voltage, minimum=0.0) if voltage is not None else ()
    out: list[RunawaySample] = []
    j, current = 0, None
    for t, temp in as_series("pack temperature", temperature):
        while j < len(volts) and volts[j][0] <= t:
            current = volts[j][1]
            j += 1
        out.append(RunawaySample(t, current, temp))
    return tuple(out)


NO_RUNAWAY = Level(code="normal", title=Text(en="No thermal runaway", zh="无热失控"), color="#2E7D32")
THERMAL_RUNAWAY = Level(
    code="thermal_runaway",
    title=Text(en="Battery thermal runaway", zh="电池热失控"),
    severity=Severity.CRITICAL,
    color="#7E0023",
    advice=Text(
        en="Stop the vehicle safely, get everyone out and away, call the fire service.",
        zh="立即安全停车，所有人员下车远离车辆，并报警119。",
    ),
)


def thermal_runaway_spec(max_operating_temp_c: float = DEFAULT_MAX_OPERATING_TEMP_C) -> IndexSpec:
    """1 when the newest samples show runaway, else 0, from cell_voltage_min and pack_temperature series.

    Device setting read from the inputs: ``max_operating_temp_c``. None without a temperature series
    of at least two readings.
    """
    require_finite("max_operating_temp_c", max_operating_temp_c)

    def compute(inputs: Mapping[str, object]) -> IndexResult | None:
        temperature = read_series(inputs, "pack_temperature")
        if temperature is None or len(temperature) < 2:
            return None
        voltage = read_series(inputs, "cell_voltage_min", minimum=0.0)
        t_max = read_number(inputs, "max_operating_temp_c")
        result = detect_thermal_runaway(
            pair_series(voltage, temperature),
            max_operating_temp_c=max_operating_temp_c if t_max is None else t_max,
        )
        return IndexResult(
            value=1.0 if result.tripped else 0.0,
            level=THERMAL_RUNAWAY if result.tripped else NO_RUNAWAY,
            details={
                "at_s": result.at_s,
                "conditions": sorted(str(c) for c in result.conditions),
                "seen": sorted(str(c) for c in result.seen),
                "max_rise_rate_c_per_s": result.max_rise_rate_c_per_s,
            },
        )

    return IndexSpec(
        id="thermal_runaway",
        title=Text(en="Battery thermal runaway (GB 38031)", zh="动力电池热失控（GB 38031）"),
        inputs=(
            IndexInput("cell_voltage_min", Window.SERIES),
            IndexInput("pack_temperature", Window.SERIES),
        ),
        compute=compute,
        source="GB 38031-2025 App. C: (voltage drop > 25 % or T ≥ maker's max) and dT/dt ≥ 1 °C/s "
        "for > 3 s (docs/standards.md §5)",
        levels=(NO_RUNAWAY, THERMAL_RUNAWAY),
    )


THERMAL_RUNAWAY_INDEX = thermal_runaway_spec()
