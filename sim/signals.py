"""Signal building blocks, each a pure function of (key, time): cycles, noise, sensor faults.

Nothing here keeps state or touches a global random generator. Every random draw is a hash of a
stable per-series key (from the seed, the device and the metric, :func:`series_key`) and an
integer position (a reading's time in milliseconds, a knot of the slow noise, a day): the same
seed gives the same value for the same instant, whichever order or range it is asked in — which
is what lets one function serve live publishing and history backfill alike.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

from domains.simulation import Cycle

_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15
DAY_S = 86_400.0
YEAR_DAYS = 365.2425  # mean Gregorian year, so the yearly cycle does not slip over the decades
WANDER_KNOT_S = 1800.0  # slow noise changes course about every half hour


def series_key(*parts: object) -> int:
    """A stable 64-bit key for (seed, device, metric, …): the same in every process and Python."""
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def _mix(x: int) -> int:
    """splitmix64's finaliser: a well-spread 64-bit hash of x."""
    x = (x + _GOLDEN) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def draw(key: int, position: int) -> int:
    """A 64-bit random integer for `position` of the series `key`."""
    return _mix(key ^ _mix(position & _MASK))


def uniform(key: int, position: int) -> float:
    """A uniform number in [0, 1) for `position` of the series `key`."""
    return (draw(key, position) >> 11) / float(1 << 53)


_IRWIN_HALL_SD = math.sqrt(4 / 12)


def normal(key: int, position: int) -> float:
    """A bounded, roughly standard-normal number: the sum of four uniforms, scaled to σ = 1.

    Bounded at ±3.46 σ, so a profile whose base sits 4 σ of noise away from a threshold can never
    cross it by chance; that is what keeps a quiet baseline quiet.
    """
    x = draw(key, position)
    total = (x & 0xFFFF) + ((x >> 16) & 0xFFFF) + ((x >> 32) & 0xFFFF) + (x >> 48)
    return (total / 65536.0 - 2.0) / _IRWIN_HALL_SD


def position(epoch_s: float) -> int:
    """The integer a reading's instant is drawn at (milliseconds)."""
    return round(epoch_s * 1000.0)


def local_hour(epoch_s: float, utc_offset_h: float) -> float:
    """The local clock hour (0 ≤ h < 24) at a fixed UTC offset."""
    return ((epoch_s / 3600.0) + utc_offset_h) % 24.0


def day_of_year(epoch_s: float, utc_offset_h: float) -> float:
    """The local day of the year (1 ≤ d < 366.25), fractional, for yearly cycles."""
    days = (epoch_s + utc_offset_h * 3600.0) / DAY_S
    return days % YEAR_DAYS + 1.0


def daily(cycle: Cycle | None, hour: float) -> float:
    """A daily cosine cycle at local `hour`: +amplitude at the cycle's peak hour."""
    if cycle is None:
        return 0.0
    return cycle.amplitude * math.cos(2.0 * math.pi * (hour - cycle.peak) / 24.0)


def yearly(cycle: Cycle | None, day: float) -> float:
    """A yearly cosine cycle on day `day` of the year: +amplitude on the cycle's peak day."""
    if cycle is None:
        return 0.0
    return cycle.amplitude * math.cos(2.0 * math.pi * (day - cycle.peak) / YEAR_DAYS)


def wander(key: int, epoch_s: float, knot_s: float = WANDER_KNOT_S) -> float:
    """Slow noise of σ ≈ 1: random knots every `knot_s`, joined by cosine interpolation (smooth)."""
    k = math.floor(epoch_s / knot_s)
    f = epoch_s / knot_s - k
    w = (1.0 - math.cos(math.pi * f)) / 2.0
    return (1.0 - w) * normal(key, k) + w * normal(key, k + 1)


# An in-control sequence for SPC-charted signals, in σ units: repeated end to end, no window of it
# trips a Western Electric (rules 1–4) or Nelson (rules 1–8) test — no point beyond 2σ, no run of 8
# on one side, 6 rising, 14 alternating or 15 within 1σ (tests/sim/test_signals.py checks it with
# domains.manufacturing.spc). Mean 0.02σ, standard deviation 1.0σ. Found by a seeded random search.
IN_CONTROL_Z: tuple[float, ...] = (
    -1.16, 0.15, 0.89, -0.66, 0.2, 0.87, 0.74, -0.77, -1.14, 0.32, -0.31, -0.46,
    1.61, -0.46, -0.87, -1.08, 1.62, 0.94, 1.38, -1.86, 0.09, -0.19, -1.11, 1.7,
)  # fmt: skip


def in_control(key: int, index: int) -> float:
    """The charted noise of reading number `index` of a series: IN_CONTROL_Z from a per-series start."""
    return IN_CONTROL_Z[(index + key) % len(IN_CONTROL_Z)]


@dataclass(frozen=True)
class FaultRates:
    """How often the simulated sensors misbehave.

    - `spike`: share of readings replaced by an implausible value (ingest flags it bad).
    - `flatline_per_day`: chance per series and day of the sensor sticking at one value for
      `flatline_s` (ingest's persistence check flags it suspect).
    - `drift_share`: share of devices whose sensors drift by `drift_per_day` (in σ of the signal's
      noise, or 1 % of its base) per day, reset by a calibration every `drift_reset_days`.
    - `dropout`: share of reading sets that never arrive.
    - `skew_share`: share of devices whose clock is off by up to `max_skew_s` either way.
    """

    spike: float = 0.0
    flatline_per_day: float = 0.0
    flatline_s: float = 5400.0
    drift_share: float = 0.0
    drift_per_day: float = 0.5
    drift_reset_days: float = 30.0
    dropout: float = 0.0
    skew_share: float = 0.0
    max_skew_s: float = 90.0

    def __post_init__(self) -> None:
        for name in ("spike", "flatline_per_day", "drift_share", "dropout", "skew_share"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"fault rate {name} must be within 0 … 1, got {getattr(self, name)!r}")
        if self.max_skew_s < 0 or self.flatline_s <= 0 or self.drift_reset_days <= 0:
            raise ValueError("max_skew_s must be ≥ 0, flatline_s and drift_reset_days > 0")


NO_FAULTS = FaultRates()
DEMO_FAULTS = FaultRates(
    spike=0.0005, flatline_per_day=0.02, drift_share=0.05, dropout=0.002, skew_share=0.05, max_skew_s=60.0
)
"""A fleet that looks lived-in: a spike every few thousand readings, now and then a stuck sensor."""

# Salts so the draws of different faults of one series are independent.
_SPIKE, _DROPOUT, _FLAT, _FLAT_START, _DRIFT, _SKEW, _SKEW_SIZE = range(101, 108)


def is_spike(rates: FaultRates, key: int, at: int) -> bool:
    return rates.spike > 0 and uniform(key ^ _SPIKE, at) < rates.spike


def is_dropout(rates: FaultRates, key: int, at: int) -> bool:
    return rates.dropout > 0 and uniform(key ^ _DROPOUT, at) < rates.dropout


def flatline_start(rates: FaultRates, key: int, epoch_s: float) -> float | None:
    """When the flat-line covering `epoch_s` began, or None when the sensor is not stuck then.

    Each day a series may stick once, at a random time in the day, for `flatline_s`; a flat-line
    may run past midnight, so the previous day is looked at too.
    """
    if rates.flatline_per_day <= 0:
        return None
    today = math.floor(epoch_s / DAY_S)
    for day in (today, today - 1):
        if uniform(key ^ _FLAT, day) < rates.flatline_per_day:
            start = (day + uniform(key ^ _FLAT_START, day)) * DAY_S
            if start <= epoch_s < start + rates.flatline_s:
                return start
    return None


def drift(rates: FaultRates, device_key: int, epoch_s: float, unit: float) -> float:
    """The offset a drifting sensor has reached at `epoch_s` (0 for the devices that do not drift):
    `drift_per_day` × `unit` per day since its last calibration, sign per device."""
    if rates.drift_share <= 0 or uniform(device_key ^ _DRIFT, 0) >= rates.drift_share:
        return 0.0
    sign = 1.0 if uniform(device_key ^ _DRIFT, 1) < 0.5 else -1.0
    days = (epoch_s / DAY_S) % rates.drift_reset_days
    return sign * rates.drift_per_day * unit * days


def clock_skew_s(rates: FaultRates, device_key: int) -> float:
    """How far a device's clock is off (seconds, either way; 0 for most devices)."""
    if rates.skew_share <= 0 or uniform(device_key ^ _SKEW, 0) >= rates.skew_share:
        return 0.0
    return round((2.0 * uniform(device_key ^ _SKEW_SIZE, 0) - 1.0) * rates.max_skew_s, 3)


def spike_value(plausible: tuple[float, float]) -> float:
    """What a spiking sensor reports: well above the plausible range (a bad reading, never a hazard)."""
    lo, hi = plausible
    return hi + 0.25 * (hi - lo)
