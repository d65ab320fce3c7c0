"""Surface-water quality class after GB 3838-2002: class I–V or worse than V per parameter and overall.

docs/standards.md §1.3. Parameters are keyed by this area's metric names (water_ph, water_do,
water_cod_mn, water_cod, water_nh3n, water_tp, water_tn), in mg/L except pH.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from enum import IntEnum, StrEnum

from domains.inputs import as_choice, read_number, read_setting
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
from domains.scales import band


class WaterClass(IntEnum):
    """GB 3838-2002 classes; higher is worse. WORSE_THAN_V is 劣V (fails even class V)."""

    I = 1  # noqa: E741 - the standard's own name for the class
    II = 2
    III = 3
    IV = 4
    V = 5
    WORSE_THAN_V = 6


class WaterBody(StrEnum):
    """Rivers, or lakes and reservoirs (GB 3838-2002 Table 1): which total-phosphorus row applies,
    and whether total nitrogen is assessed (its row is for lakes and reservoirs only)."""

    RIVER = "river"
    LAKE = "lake"


def water_body_setting(raw: object) -> WaterBody:
    """The device setting ``water_body``: "river", or "lake" / "reservoir" (any case)."""
    if isinstance(raw, str) and raw.strip().lower() == "reservoir":
        return WaterBody.LAKE
    return as_choice("water_body (river, lake or reservoir)", raw, WaterBody)


LAKE_ONLY: frozenset[str] = frozenset({"water_tn"})
"""Parameters GB 3838-2002 Table 1 sets for lakes and reservoirs only (total nitrogen, "湖、库"):
at a river site they are classed for information but never decide the overall class
(docs/standards.md §1.3)."""


PH_RANGE = (6.0, 9.0)  # GB 3838-2002 Table 1: pH 6–9 for every class (docs/standards.md §1.3)

# GB 3838-2002 Table 1 (docs/standards.md §1.3), limits of classes I..V in mg/L.
DO_AT_LEAST: tuple[float, ...] = (7.5, 6, 5, 3, 2)  # dissolved oxygen ≥: higher is better
_AT_MOST: Mapping[str, tuple[float, ...]] = {
    "water_cod_mn": (2, 4, 6, 10, 15),  # permanganate index
    "water_cod": (15, 15, 20, 30, 40),  # chemical oxygen demand (classes I and II share 15)
    "water_nh3n": (0.15, 0.5, 1.0, 1.5, 2.0),  # ammonia nitrogen
    "water_tn": (0.2, 0.5, 1.0, 1.5, 2.0),  # total nitrogen (lakes and reservoirs)
}
TP_AT_MOST: Mapping[WaterBody, tuple[float, ...]] = {
    WaterBody.RIVER: (0.02, 0.1, 0.2, 0.3, 0.4),
    WaterBody.LAKE: (0.01, 0.025, 0.05, 0.1, 0.2),
}

PARAMETERS: tuple[str, ...] = (
    "water_ph",
    "water_do",
    "water_cod_mn",
    "water_cod",
    "water_nh3n",
    "water_tp",
    "water_tn",
)


def parameter_class(parameter: str, value: float, *, water_body: WaterBody = WaterBody.RIVER) -> WaterClass:
    """The best class whose limit `value` meets for one parameter (a value on a limit meets it).

    pH: class I inside 6–9 (every class shares the range), WORSE_THAN_V outside. DO: the best
    class whose minimum it reaches. Others: the best class whose maximum it does not exceed.
    """
    v = require_finite(parameter, value, minimum=0.0)
    water_body = as_choice("water_body", water_body, WaterBody)
    if parameter == "water_ph":
        lo, hi = PH_RANGE
        return WaterClass.I if lo <= v <= hi else WaterClass.WORSE_THAN_V
    if parameter == "water_do":
        # Higher is better: read the minima from the worst class up, each class closed at its minimum.
        return band(v, DO_AT_LEAST[::-1], tuple(reversed(WaterClass)), closed="left")
    limits = TP_AT_MOST[water_body] if parameter == "water_tp" else _AT_MOST.get(parameter)
    if limits is None:
        raise InvalidInputError(
            f"GB 3838 class of {parameter!r} is not known; known: {', '.join(PARAMETERS)}"
        )
    # Classes that share a limit (COD I and II) resolve to the better one: the first band holding v.
    return band(v, limits, tuple(WaterClass), closed="right")


# Display colours are sensegrid's convention (blue → green → yellow → orange → red), not
# GB 3838's; severity maps classes onto alert urgency for a class-III target.
CLASS_LEVELS: Mapping[WaterClass, Level] = {
    WaterClass.I: Level("I", Text(en="Class I", zh="Ⅰ类"), None, "#00A0E9"),
    WaterClass.II: Level("II", Text(en="Class II", zh="Ⅱ类"), None, "#4FC3F7"),
    WaterClass.III: Level("III", Text(en="Class III", zh="Ⅲ类"), None, "#00B050"),
    WaterClass.IV: Level("IV", Text(en="Class IV", zh="Ⅳ类"), Severity.WARNING, "#FFD700"),
    WaterClass.V: Level("V", Text(en="Class V", zh="Ⅴ类"), Severity.MAJOR, "#FF8C00"),
    WaterClass.WORSE_THAN_V: Level(
        "worse_than_V", Text(en="Worse than class V", zh="劣Ⅴ类"), Severity.CRITICAL, "#FF0000"
    ),
}
LEVELS: tuple[Level, ...] = tuple(CLASS_LEVELS[c] for c in WaterClass)


def classes_worse_than(target: WaterClass) -> tuple[WaterClass, ...]:
    """The classes worse than a target class I..V (a site's water-function class), best first."""
    if target not in tuple(WaterClass)[:-1]:
        raise InvalidInputError(
            f"the target class must be I..V (1..5): nothing is worse than 'worse than V', got {target!r}"
        )
    return tuple(c for c in WaterClass if c > target)


def water_class(
    values: Mapping[str, float],
    *,
    water_body: WaterBody = WaterBody.RIVER,
    exclude: Collection[str] | None = None,
) -> IndexResult:
    """The overall class: the worst class of any single assessed parameter (single-factor method).

    Total nitrogen's row is for lakes and reservoirs (GB 3838-2002 Table 1), so by default
    (`exclude` None) it decides a lake's class and not a river's: at a river it is classed for
    information only. [verify] assessment practice: docs/standards.md §1.3 gives "worst single
    parameter" as the rule but flags it for checking, so the deciding parameters are configurable:
    those in `exclude` are classed (under ``details["classes"]``) but do not set the overall class.
    Value: 1..6 (6 = worse than V), or None when no parameter decides it. ``details``: classes
    {parameter: "I".."V" | "worse_than_V"}, deciding_parameters (those at the overall class),
    excluded (classed, not deciding), water_body.
    """
    water_body = as_choice("water_body", water_body, WaterBody)
    if exclude is None:
        exclude = LAKE_ONLY if water_body is WaterBody.RIVER else frozenset()
    unknown = set(exclude) - set(PARAMETERS)
    if unknown:
        raise InvalidInputError(
            f"cannot exclude unknown parameters {sorted(unknown)}; known: {', '.join(PARAMETERS)}"
        )
    classes = {p: parameter_class(p, v, water_body=water_body) for p, v in values.items()}
    deciding = {p: c for p, c in classes.items() if p not in exclude}
    details: dict[str, object] = {
        "classes": {p: CLASS_LEVELS[c].code for p, c in classes.items()},
        "excluded": sorted(set(classes) - set(deciding)),
        "water_body": water_body.value,
    }
    if not deciding:
        details["deciding_parameters"] = []
        return IndexResult(value=None, level=None, details=details)
    worst = max(deciding.values())
    details["deciding_parameters"] = [p for p, c in deciding.items() if c == worst]
    return IndexResult(value=float(worst), level=CLASS_LEVELS[worst], details=details)


def compute(values: Mapping[str, object]) -> IndexResult | None:
    """IndexSpec adapter: the class of whichever water parameters the station reported.

    The device setting ``water_body`` ("river", the default, or "lake" / "reservoir") picks the
    phosphorus row and whether total nitrogen decides (lakes and reservoirs only).
    """
    given = {p: v for p in PARAMETERS if (v := read_number(values, p)) is not None}
    body = read_setting(values, "water_body", water_body_setting, WaterBody.RIVER)
    result = water_class(given, water_body=body)
    return result if result.value is not None else None


WATER_CLASS = IndexSpec(
    id="water_class",
    title=Text(en="Surface water class (GB 3838)", zh="地表水水质类别（GB 3838）"),
    inputs=tuple(IndexInput(p, Window.LATEST) for p in PARAMETERS),
    compute=compute,
    source="GB 3838-2002 Table 1, rivers unless the device setting water_body says lake or reservoir "
    "(total nitrogen decides only there); overall = worst single parameter, [verify] configurable "
    "default (docs/standards.md §1.3)",
    levels=LEVELS,
)
