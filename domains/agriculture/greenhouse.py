"""Greenhouse tomato climate: temperature, humidity and CO2 against growing practice ranges."""

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
    require_finite,
)


@dataclass(frozen=True)
class TomatoRanges:
    """Greenhouse tomato practice (docs/standards.md §3) — [verify] configurable defaults, not a standard.

    Ranges are inclusive. Below `min_temp_c` the crop is chilled; above `disease_rh_above` grey
    mould and leaf mould spread (strictly above: 85 % itself is not yet a risk).
    """

    day_temp_c: tuple[float, float] = (20.0, 25.0)
    night_temp_c: tuple[float, float] = (16.0, 18.0)
    min_temp_c: float = 13.0
    rh_percent: tuple[float, float] = (60.0, 70.0)
    disease_rh_above: float = 85.0
    co2_ppm: tuple[float, float] = (800.0, 1000.0)  # enrichment target, daytime


TOMATO = TomatoRanges()

CLIMATE_OK = Level(code="ok", title=Text(en="Within range", zh="适宜"), color="#00E400")
CLIMATE_OFF = Level(
    code="out_of_range",
    title=Text(en="Outside the growing range", zh="超出适宜范围"),
    severity=Severity.INFO,
    color="#FFFF00",
)
DISEASE_RISK = Level(
    code="disease_risk",
    title=Text(en="Disease risk (humidity)", zh="高湿病害风险"),
    severity=Severity.WARNING,
    color="#FFA500",
    advice=Text(en="Ventilate or heat to bring humidity below 85 %.", zh="通风或加温，将湿度降到85%以下。"),
)
CHILLING = Level(
    code="chilling",
    title=Text(en="Chilling", zh="低温冷害"),
    severity=Severity.MAJOR,
    color="#1E90FF",
    advice=Text(en="Heat the house; close vents and screens.", zh="加温，关闭通风口，拉上保温幕。"),
)
GREENHOUSE_LEVELS: tuple[Level, ...] = (CLIMATE_OK, CLIMATE_OFF, DISEASE_RISK, CHILLING)  # position = number


def _position(value: float, low: float, high: float) -> str:
    if value < low:
        return "low"
    if value > high:
        return "high"
    return "ok"


def tomato_climate(
    air_temp_c: float | None = None,
    rh_percent: float | None = None,
    co2_ppm: float | None = None,
    *,
    daytime: bool | None = None,
    ranges: TomatoRanges = TOMATO,
) -> IndexResult:
    """Greenhouse tomato climate; value 0 ok, 1 out of range, 2 disease risk, 3 chilling.

    The worst finding wins. The day or night temperature range is only checked when `daytime` is
    known; chilling (below `min_temp_c`) is checked always. `details` gives each factor as
    "low" / "ok" / "high".
    """
    if air_temp_c is None and rh_percent is None and co2_ppm is None:
        raise InvalidInputError("tomato_climate needs at least one of air_temp_c, rh_percent, co2_ppm")
    details: dict[str, object] = {}
    number = 0
    if air_temp_c is not None:
        t = require_finite("air_temp_c", air_temp_c)
        if t < ranges.min_temp_c:
            number = max(number, 3)
        if daytime is not None:
            low, high = ranges.day_temp_c if daytime else ranges.night_temp_c
            details["temperature"] = _position(t, low, high)
            if details["temperature"] != "ok":
                number = max(number, 1)
    if rh_percent is not None:
        rh = require_finite("rh_percent", rh_percent, minimum=0.0)
        if rh > 100.0:
            raise InvalidInputError(f"rh_percent must be ≤ 100, got {rh:g}")
        details["humidity"] = _position(rh, *ranges.rh_percent)
        if rh > ranges.disease_rh_above:
            number = max(number, 2)
        elif details["humidity"] != "ok":
            number = max(number, 1)
    if co2_ppm is not None:
        co2 = require_finite("co2_ppm", co2_ppm, minimum=0.0)
        details["co2"] = _position(co2, *ranges.co2_ppm)
        if details["co2"] != "ok":
            number = max(number, 1)
    return IndexResult(value=float(number), level=GREENHOUSE_LEVELS[number], details=details)


def _tomato_from_inputs(inputs: Mapping[str, object]) -> IndexResult | None:
    t = read_number(inputs, "air_temperature")
    rh = read_number(inputs, "relative_humidity", minimum=0.0)
    co2 = read_number(inputs, "co2", minimum=0.0)
    if t is None and rh is None and co2 is None:
        return None
    # The index has no clock: day/night temperature bands need the time of day and are left out.
    return tomato_climate(t, rh, co2)


GREENHOUSE_TOMATO_INDEX = IndexSpec(
    id="greenhouse_tomato",
    title=Text(en="Greenhouse tomato climate", zh="番茄温室环境"),
    inputs=(IndexInput("air_temperature"), IndexInput("relative_humidity"), IndexInput("co2")),
    compute=_tomato_from_inputs,
    source=(
        "Greenhouse tomato practice (docs/standards.md §3): 20–25 °C day, 16–18 °C night, min 13 °C, "
        "RH 60–70 %, > 85 % disease risk, CO2 800–1000 ppm — [verify] configurable default"
    ),
    levels=GREENHOUSE_LEVELS,
)
