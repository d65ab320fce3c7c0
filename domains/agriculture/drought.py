"""Agricultural drought: GB/T 32136-2015 level from relative soil moisture (percent of field capacity)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from domains.inputs import read_number
from domains.model import (
    IndexInput,
    IndexResult,
    IndexSpec,
    InvalidInputError,
    Level,
    Severity,
    Text,
    require_finite,
)
from domains.scales import band

# GB/T 32136-2015 §5.2 (土壤相对湿度指数) drought levels on R = θ / field capacity × 100:
#   无旱 R > 60 · 轻旱 50 < R ≤ 60 · 中旱 40 < R ≤ 50 · 重旱 30 < R ≤ 40 · 特旱 R ≤ 30
# "≤ 30 extreme" fixes the convention: every band is closed at its upper end, so exactly 60 is
# light, 50 moderate, 40 severe and 30 extreme.
# [verify] configurable default: whether these limits shift with soil texture (Appendix A) or crop
# stage was not confirmed; `bounds` lets a site set its own.
DROUGHT_BOUNDS: tuple[float, float, float, float] = (30.0, 40.0, 50.0, 60.0)

DROUGHT_EXTREME = Level(
    code="extreme",
    title=Text(en="Extreme drought", zh="特旱"),
    severity=Severity.CRITICAL,
    color="#7E0023",
    advice=Text(en="Irrigate now; crops are wilting.", zh="立即灌溉，作物已严重受旱。"),
)
DROUGHT_SEVERE = Level(
    code="severe",
    title=Text(en="Severe drought", zh="重旱"),
    severity=Severity.MAJOR,
    color="#FF0000",
    advice=Text(en="Irrigate as soon as possible.", zh="尽快灌溉。"),
)
DROUGHT_MODERATE = Level(
    code="moderate",
    title=Text(en="Moderate drought", zh="中旱"),
    severity=Severity.WARNING,
    color="#FFA500",
    advice=Text(en="Plan irrigation.", zh="安排灌溉。"),
)
DROUGHT_LIGHT = Level(
    code="light",
    title=Text(en="Light drought", zh="轻旱"),
    severity=Severity.INFO,
    color="#FFFF00",
    advice=Text(en="Watch soil moisture.", zh="关注土壤墒情。"),
)
DROUGHT_NONE = Level(code="none", title=Text(en="No drought", zh="无旱"), color="#00E400")
DROUGHT_LEVELS: tuple[Level, ...] = (
    DROUGHT_NONE,
    DROUGHT_LIGHT,
    DROUGHT_MODERATE,
    DROUGHT_SEVERE,
    DROUGHT_EXTREME,
)  # position = level number


def relative_soil_moisture(theta_percent: float, field_capacity_percent: float) -> float:
    """R = θ / field capacity × 100 (GB/T 32136-2015 §6.2), both volumetric (or both gravimetric) %."""
    theta = require_finite("theta_percent", theta_percent, minimum=0.0)
    fc = require_finite("field_capacity_percent", field_capacity_percent, minimum=0.0)
    if fc == 0.0:
        raise InvalidInputError("field_capacity_percent must be > 0 (it is the soil's water-holding limit)")
    return theta / fc * 100.0


def drought_level(
    relative_moisture_percent: float, *, bounds: Sequence[float] = DROUGHT_BOUNDS
) -> IndexResult:
    """GB/T 32136-2015 drought level for relative soil moisture R; value 0 none … 4 extreme.

    `bounds`: the upper limits of extreme, severe, moderate and light, ascending (each inclusive).
    """
    r = require_finite("relative_moisture_percent", relative_moisture_percent, minimum=0.0)
    if len(bounds) != 4 or not bounds[0] < bounds[1] < bounds[2] < bounds[3]:
        raise InvalidInputError(f"drought bounds must be 4 ascending percentages, got {bounds!r}")
    number = band(r, bounds, (4, 3, 2, 1, 0), closed="right")
    return IndexResult(
        value=float(number), level=DROUGHT_LEVELS[number], details={"relative_moisture_percent": r}
    )


def _drought_from_inputs(inputs: Mapping[str, object]) -> IndexResult | None:
    r = read_number(inputs, "relative_soil_moisture", minimum=0.0)
    return None if r is None else drought_level(r)


DROUGHT_INDEX = IndexSpec(
    id="drought",
    title=Text(en="Agricultural drought level", zh="农业干旱等级"),
    inputs=(IndexInput("relative_soil_moisture"),),
    compute=_drought_from_inputs,
    source=(
        "GB/T 32136-2015 §5.2: R > 60 none, 50 < R ≤ 60 light, 40 < R ≤ 50 moderate, 30 < R ≤ 40 "
        "severe, R ≤ 30 extreme; soil-texture adjustments [verify] configurable default"
    ),
    levels=DROUGHT_LEVELS,
)
