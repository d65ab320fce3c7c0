"""TPMS under-inflation warning after FMVSS 138, with thresholds configurable for GB 26149.

docs/standards.md §5. FMVSS 138 S4.2 requires the low-pressure telltale when a tyre's pressure is
*equal to or less than* 25 % below the placard cold inflation pressure, or the minimum activation
pressure of its tyre type, whichever is higher; the telltale stays on as long as the condition
lasts. Both numbers are parameters: the 140 kPa minimum (P-metric standard-load tyres) is
**[verify]**, and GB 26149-2017 sets its own thresholds, also **[verify]** — configure them through
:class:`TpmsThresholds` rather than trusting these defaults for a Chinese type approval.

The check itself is stateless: it warns whenever a tyre is at or below its warning pressure, so
the warning stays on exactly as long as the under-inflation lasts and goes off once the tyre is
above it again. FMVSS 138 allows up to 20 minutes to light the telltale; the alert rule waits
far less.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from domains.inputs import read_number
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

TYRES: tuple[str, ...] = ("fl", "fr", "rl", "rr")
"""Tyre positions: front left, front right, rear left, rear right (metric tyre_pressure_<pos>)."""
FRONT, REAR = ("fl", "fr"), ("rl", "rr")

DROP_FRACTION = 0.25  # FMVSS 138 S4.2: 25 % below the placard cold inflation pressure
MINIMUM_ACTIVATION_KPA = 140.0  # FMVSS 138 Table 1, P-metric standard load [verify] configurable default
DEFAULT_PLACARD_KPA = 240.0
"""A typical passenger-car placard pressure, used only when a vehicle's own is not configured
(device settings ``placard_kpa``, or ``placard_front_kpa`` / ``placard_rear_kpa``)."""


@dataclass(frozen=True)
class TpmsThresholds:
    """When a tyre counts as under-inflated: `drop_fraction` below placard, or at `minimum_kpa`."""

    drop_fraction: float = DROP_FRACTION
    minimum_kpa: float = MINIMUM_ACTIVATION_KPA

    def __post_init__(self) -> None:
        if not 0 < require_finite("drop_fraction", self.drop_fraction) < 1:
            raise InvalidInputError(f"drop_fraction must be between 0 and 1, got {self.drop_fraction:g}")
        require_finite("minimum_kpa", self.minimum_kpa, minimum=0.0)


def warning_pressure(placard_kpa: float, thresholds: TpmsThresholds = TpmsThresholds()) -> float:
    """The pressure (kPa) at or below which the telltale must be on: the higher of the two limits."""
    placard = require_finite("placard pressure (kPa)", placard_kpa, minimum=0.0)
    if placard == 0:
        raise InvalidInputError("placard pressure must be > 0 kPa")
    return max(placard * (1.0 - thresholds.drop_fraction), thresholds.minimum_kpa)


@dataclass(frozen=True)
class TpmsResult:
    """Which tyres are under-inflated, and the warning pressure each was compared with."""

    low_tyres: tuple[str, ...]
    warn_at_kpa: Mapping[str, float]

    @property
    def warning(self) -> bool:
        return bool(self.low_tyres)


def tpms_check(
    pressures_kpa: Mapping[str, float],
    placard_kpa: float | Mapping[str, float],
    thresholds: TpmsThresholds = TpmsThresholds(),
) -> TpmsResult:
    """Compare each reported tyre (keys from TYRES) with its warning pressure.

    `placard_kpa` is one pressure for all tyres or one per position (front and rear often differ).
    Tyres that did not report are simply not judged.
    """
    low: list[str] = []
    warn_at: dict[str, float] = {}
    for tyre, raw in pressures_kpa.items():
        if tyre not in TYRES:
            raise InvalidInputError(f"unknown tyre position {tyre!r}; expected one of {', '.join(TYRES)}")
        pressure = require_finite(f"tyre pressure {tyre} (kPa)", raw, minimum=0.0)
        placard = placard_kpa if isinstance(placard_kpa, int | float) else placard_kpa.get(tyre)
        if placard is None:
            raise InvalidInputError(f"no placard pressure for tyre {tyre}")
        warn_at[tyre] = warning_pressure(placard, thresholds)
        if pressure <= warn_at[tyre]:
            low.append(tyre)
    return TpmsResult(low_tyres=tuple(low), warn_at_kpa=warn_at)


UNDER_INFLATED = Level(
    code="under_inflated",
    title=Text(en="Tyre under-inflated", zh="轮胎欠压"),
    severity=Severity.WARNING,
    color="#FFA000",
    advice=Text(
        en="Check and inflate the tyre at the next stop; look for a puncture.",
        zh="请尽快停车检查并充气，排查是否扎胎。",
    ),
)
PRESSURE_OK = Level(
    code="pressure_ok", title=Text(en="Tyre pressures normal", zh="胎压正常"), color="#2E7D32"
)


def _placards(inputs: Mapping[str, object], default: float) -> dict[str, float]:
    base = read_number(inputs, "placard_kpa", minimum=0.0)
    front = read_number(inputs, "placard_front_kpa", minimum=0.0)
    rear = read_number(inputs, "placard_rear_kpa", minimum=0.0)
    everywhere = default if base is None else base
    return {
        **dict.fromkeys(FRONT, everywhere if front is None else front),
        **dict.fromkeys(REAR, everywhere if rear is None else rear),
    }


def tpms_spec(
    placard_kpa: float = DEFAULT_PLACARD_KPA, thresholds: TpmsThresholds = TpmsThresholds()
) -> IndexSpec:
    """Number of under-inflated tyres (index value) from the four tyre_pressure_<pos> metrics.

    Device settings read from the inputs: ``placard_kpa``, ``placard_front_kpa``,
    ``placard_rear_kpa``. None when no tyre reported.
    """

    def compute(inputs: Mapping[str, object]) -> IndexResult | None:
        pressures = {
            tyre: pressure
            for tyre in TYRES
            if (pressure := read_number(inputs, f"tyre_pressure_{tyre}", minimum=0.0)) is not None
        }
        if not pressures:
            return None
        result = tpms_check(pressures, _placards(inputs, placard_kpa), thresholds)
        return IndexResult(
            value=float(len(result.low_tyres)),
            level=UNDER_INFLATED if result.warning else PRESSURE_OK,
            details={
                "low_tyres": list(result.low_tyres),
                "warn_at_kpa": dict(result.warn_at_kpa),
                "pressures_kpa": pressures,
            },
        )

    return IndexSpec(
        id="tpms_under_inflation",
        title=Text(en="Under-inflated tyres (TPMS)", zh="欠压轮胎数（胎压监测）"),
        inputs=tuple(IndexInput(f"tyre_pressure_{tyre}", Window.LATEST) for tyre in TYRES),
        compute=compute,
        source="FMVSS 138 S4.2: ≤ 25 % below placard or ≤ 140 kPa minimum, whichever is higher; "
        "140 kPa and GB 26149-2017 thresholds [verify] configurable default (docs/standards.md §5)",
        levels=(PRESSURE_OK, UNDER_INFLATED),
    )


TPMS_UNDER_INFLATION = tpms_spec()
