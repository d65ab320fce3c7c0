"""Value types shared across packages: a registered device and its calibration."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class CalibrationVersion:
    """One calibration of one metric, in force from `effective_from` (epoch seconds) on.

    calibrated = offset + gain·raw when `coefficients` is empty; otherwise the polynomial
    c0 + c1·raw + c2·raw² + … (and gain/offset are ignored).
    """

    effective_from: float
    gain: float = 1.0
    offset: float = 0.0
    coefficients: tuple[float, ...] = ()

    def apply(self, raw: float) -> float:
        if self.coefficients:
            result = 0.0
            for c in reversed(self.coefficients):
                result = result * raw + c
            return result
        return self.offset + self.gain * raw

    def invert(self, calibrated: float) -> float:
        """The raw value that gives `calibrated` (Newton's method for polynomials)."""
        if not self.coefficients:
            return (calibrated - self.offset) / self.gain
        x = calibrated
        derivative = [i * c for i, c in enumerate(self.coefficients)][1:]
        for _ in range(50):
            fx = self.apply(x) - calibrated
            dfx = 0.0
            for c in reversed(derivative):
                dfx = dfx * x + c
            if dfx == 0.0:
                break
            step = fx / dfx
            x -= step
            if abs(step) <= 1e-12 * max(1.0, abs(x)):
                break
        return x


@dataclass(frozen=True, slots=True)
class Calibration:
    """All calibration versions of a device, per metric, oldest first."""

    versions: Mapping[str, Sequence[CalibrationVersion]] = field(default_factory=dict)

    def version_at(self, metric: str, epoch_s: float) -> CalibrationVersion | None:
        """The version in force for `metric` at `epoch_s`, or None (no calibration)."""
        found = None
        for v in self.versions.get(metric, ()):
            if v.effective_from <= epoch_s:
                found = v
            else:
                break
        return found


@dataclass(frozen=True, slots=True)
class Device:
    """A registered device as ingest, alerts and the API see it."""

    id: str
    tenant: str
    domain: str
    kind: str
    name: str = ""
    site: str = ""
    active: bool = True
    calibration: Calibration = field(default_factory=Calibration)
