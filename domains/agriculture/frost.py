"""Frost: the CMA frost warning signal level from observed ground-minimum or leaf temperature."""

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

# CMA frost warning signals (气象灾害预警信号, 霜冻预警信号), observed halves ("已经降到"):
# blue ground minimum below 0 °C, yellow below −3 °C, orange below −5 °C. Taken as strict "<" as in
# docs/standards.md §3: a surface at exactly 0 °C has not yet gone below freezing. Ordered from the
# coldest bound up, as scales.band wants.
FROST_BOUNDS_C: tuple[float, float, float] = (-5.0, -3.0, 0.0)

FROST_NONE = Level(code="none", title=Text(en="No frost", zh="无霜冻"))
FROST_BLUE = Level(
    code="blue",
    title=Text(en="Frost blue signal", zh="霜冻蓝色预警信号"),
    severity=Severity.WARNING,
    color="#1E90FF",
    advice=Text(
        en="Protect tender crops: cover, irrigate, or smoke the field before dawn.",
        zh="对作物采取覆盖、灌溉或熏烟等防霜措施。",
    ),
)
FROST_YELLOW = Level(
    code="yellow",
    title=Text(en="Frost yellow signal", zh="霜冻黄色预警信号"),
    severity=Severity.MAJOR,
    color="#FFFF00",
    advice=Text(
        en="Serious frost: protect crops and seedlings, move stock under cover.",
        zh="霜冻严重：加强作物和秧苗防冻，牲畜入棚。",
    ),
)
FROST_ORANGE = Level(
    code="orange",
    title=Text(en="Frost orange signal", zh="霜冻橙色预警信号"),
    severity=Severity.CRITICAL,
    color="#FFA500",
    advice=Text(
        en="Severe, lasting frost: take every protective measure; assess damage after.",
        zh="严重且持续的霜冻：全面采取防冻措施，灾后及时评估。",
    ),
)
FROST_SIGNALS: tuple[Level, ...] = (FROST_NONE, FROST_BLUE, FROST_YELLOW, FROST_ORANGE)  # position = number


def frost_signal(temperature_c: float, *, bounds_c: Sequence[float] = FROST_BOUNDS_C) -> IndexResult:
    """CMA frost signal for an observed ground-minimum or leaf temperature; value 0 none … 3 orange.

    `bounds_c`: the orange, yellow and blue limits, ascending; a temperature strictly below a limit
    reaches its signal.
    """
    t = require_finite("temperature_c", temperature_c)
    if len(bounds_c) != 3 or not bounds_c[0] < bounds_c[1] < bounds_c[2]:
        raise InvalidInputError(f"frost bounds must be 3 ascending temperatures in °C, got {bounds_c!r}")
    number = band(t, bounds_c, (3, 2, 1, 0), closed="left")
    return IndexResult(value=float(number), level=FROST_SIGNALS[number], details={"temperature_c": t})


def _frost_from_inputs(inputs: Mapping[str, object]) -> IndexResult | None:
    # The colder surface decides: a leaf radiating to a clear sky can freeze above a warmer ground
    # thermometer, and the other way round.
    found = {
        name: value
        for name in ("ground_min_temperature", "leaf_temperature")
        if (value := read_number(inputs, name)) is not None
    }
    if not found:
        return None
    coldest = min(found, key=lambda name: found[name])
    result = frost_signal(found[coldest])
    return IndexResult(
        value=result.value,
        level=result.level,
        details={"temperature_c": found[coldest], "measured_on": coldest},
    )


FROST_SIGNAL_INDEX = IndexSpec(
    id="frost_signal",
    title=Text(en="Frost warning signal", zh="霜冻预警信号"),
    inputs=(IndexInput("ground_min_temperature"), IndexInput("leaf_temperature")),
    compute=_frost_from_inputs,
    source=(
        "CMA frost warning signals, observed: blue < 0 °C, yellow < −3 °C, orange < −5 °C (ground "
        "minimum or leaf temperature, the colder one); value 0 none, 1 blue, 2 yellow, 3 orange"
    ),
    levels=FROST_SIGNALS,
)
