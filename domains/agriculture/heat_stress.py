"""Livestock heat stress: the temperature-humidity index (THI) and its stress classes."""

from __future__ import annotations

from collections.abc import Mapping

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

# THI = (1.8·T + 32) − (0.55 − 0.0055·RH)·(1.8·T − 26), T in °C, RH in % (docs/standards.md §3; the
# NRC 1971 form in Fahrenheit rewritten for °C). Classes: < 72 none, 72–79 mild, 80–89 moderate,
# 90–98 severe, ≥ 99 emergency. The table lists whole THI values; a computed THI is continuous, so
# each class is closed at its lower end: 79.9 is mild, 80 moderate, 98.9 severe, 99 emergency.
THI_BOUNDS: tuple[float, float, float, float] = (72.0, 80.0, 90.0, 99.0)
DAIRY_MILD_FROM = 68.0  # dairy herds often start mild stress at THI 68 (docs/standards.md §3)

THI_NONE = Level(code="none", title=Text(en="No heat stress", zh="无热应激"), color="#00E400")
THI_MILD = Level(
    code="mild",
    title=Text(en="Mild heat stress", zh="轻度热应激"),
    severity=Severity.INFO,
    color="#FFFF00",
    advice=Text(en="Provide shade and plenty of water.", zh="提供遮阴和充足饮水。"),
)
THI_MODERATE = Level(
    code="moderate",
    title=Text(en="Moderate heat stress", zh="中度热应激"),
    severity=Severity.WARNING,
    color="#FFA500",
    advice=Text(en="Run fans and sprinklers; feed in the cool hours.", zh="开启风扇和喷淋，在凉爽时段饲喂。"),
)
THI_SEVERE = Level(
    code="severe",
    title=Text(en="Severe heat stress", zh="重度热应激"),
    severity=Severity.MAJOR,
    color="#FF0000",
    advice=Text(en="Cool actively; do not move or handle animals.", zh="主动降温，避免转群和驱赶。"),
)
THI_EMERGENCY = Level(
    code="emergency",
    title=Text(en="Heat stress emergency", zh="热应激危急"),
    severity=Severity.CRITICAL,
    color="#7E0023",
    advice=Text(en="Emergency cooling; animals may die.", zh="紧急降温，动物有死亡风险。"),
)
THI_CLASSES: tuple[Level, ...] = (THI_NONE, THI_MILD, THI_MODERATE, THI_SEVERE, THI_EMERGENCY)


def thi(temperature_c: float, relative_humidity_percent: float) -> float:
    """THI = (1.8T + 32) − (0.55 − 0.0055·RH)(1.8T − 26)."""
    t = require_finite("temperature_c", temperature_c)
    rh = require_finite("relative_humidity_percent", relative_humidity_percent, minimum=0.0)
    if rh > 100.0:
        raise InvalidInputError(f"relative_humidity_percent must be ≤ 100, got {rh:g}")
    return (1.8 * t + 32.0) - (0.55 - 0.0055 * rh) * (1.8 * t - 26.0)


def thi_class(value: float, *, mild_from: float = THI_BOUNDS[0]) -> Level:
    """The heat-stress class of a THI value; `mild_from=DAIRY_MILD_FROM` for dairy herds (68)."""
    v = require_finite("thi", value)
    first = require_finite("mild_from", mild_from)
    if not first < THI_BOUNDS[1]:
        raise InvalidInputError(
            f"mild_from must be below {THI_BOUNDS[1]:g} (where moderate starts), got {first:g}"
        )
    return band(v, (first, *THI_BOUNDS[1:]), THI_CLASSES, closed="left")


def heat_stress(
    temperature_c: float, relative_humidity_percent: float, *, mild_from: float = THI_BOUNDS[0]
) -> IndexResult:
    """THI and its class for an air temperature and relative humidity."""
    value = thi(temperature_c, relative_humidity_percent)
    return IndexResult(value=value, level=thi_class(value, mild_from=mild_from))


def _thi_from_inputs(inputs: Mapping[str, object]) -> IndexResult | None:
    t = read_number(inputs, "air_temperature")
    rh = read_number(inputs, "relative_humidity", minimum=0.0)
    if t is None or rh is None:
        return None
    return heat_stress(t, rh)


THI_INDEX = IndexSpec(
    id="thi",
    title=Text(en="Temperature-humidity index (livestock)", zh="温湿指数（畜禽）"),
    inputs=(IndexInput("air_temperature"), IndexInput("relative_humidity")),
    compute=_thi_from_inputs,
    source=(
        "THI = (1.8T + 32) − (0.55 − 0.0055·RH)(1.8T − 26); < 72 none, 72–79 mild, 80–89 moderate, "
        "90–98 severe, ≥ 99 emergency (docs/standards.md §3); dairy first threshold 68 optional"
    ),
    levels=THI_CLASSES,
)
