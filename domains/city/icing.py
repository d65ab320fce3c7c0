"""Road icing: sub-zero pavement with water on it, and low measured friction, as one road-state level."""

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

# docs/standards.md §2: icing = surface temperature < 0 °C together with precipitation or surface
# water. Strictly below: a pavement at exactly 0 °C is not counted as freezing.
FREEZING_BELOW_C = 0.0

# docs/standards.md §2: friction < 0.70 slippery, < 0.60 ice. [verify] configurable default — a
# worked example from road-weather practice, not a standard's text.
SLIPPERY_BELOW = 0.70
ICE_BELOW = 0.60

ROAD_DRY = Level(
    code="none",
    title=Text(en="No icing", zh="无结冰"),
    color="#00E400",
)
ROAD_SLIPPERY = Level(
    code="slippery",
    title=Text(en="Slippery road", zh="路面湿滑"),
    severity=Severity.WARNING,
    color="#FFFF00",
    advice=Text(en="Reduce speed; grip is reduced.", zh="路面湿滑，请减速慢行。"),
)
ROAD_ICY = Level(
    code="icy",
    title=Text(en="Icy road", zh="路面结冰"),
    severity=Severity.CRITICAL,
    color="#FF0000",
    advice=Text(
        en="Road surface icy: close the section (traffic control level 1) and treat it.",
        zh="路面结冰：封闭路段（一级管控）并除冰。",
    ),
)
ICING_LEVELS: tuple[Level, ...] = (ROAD_DRY, ROAD_SLIPPERY, ROAD_ICY)  # position = level number


def road_icing(
    surface_temp_c: float | None = None,
    *,
    precipitation_mm_h: float | None = None,
    water_film_mm: float | None = None,
    friction: float | None = None,
    slippery_below: float = SLIPPERY_BELOW,
    ice_below: float = ICE_BELOW,
) -> IndexResult:
    """Road state from pavement temperature, wetness and friction; value 0 none, 1 slippery, 2 icy.

    Icy when the surface is below 0 °C and there is precipitation (> 0 mm/h) or a water film
    (> 0 mm), or when friction is below `ice_below`; slippery when friction is below
    `slippery_below`. The worse of the two findings wins, so a good friction reading never clears
    icing conditions. Needs either friction, or surface temperature with precipitation or water
    film; raises InvalidInputError otherwise.
    """
    if not 0.0 < ice_below <= slippery_below:
        raise InvalidInputError(
            f"friction bands need 0 < ice_below ≤ slippery_below, got {ice_below:g} and {slippery_below:g}"
        )
    temp = None if surface_temp_c is None else require_finite("surface_temp_c", surface_temp_c)
    precip = (
        None
        if precipitation_mm_h is None
        else require_finite("precipitation_mm_h", precipitation_mm_h, minimum=0.0)
    )
    film = None if water_film_mm is None else require_finite("water_film_mm", water_film_mm, minimum=0.0)
    mu = None if friction is None else require_finite("friction", friction, minimum=0.0)

    wetness_known = precip is not None or film is not None
    if mu is None and (temp is None or not wetness_known):
        raise InvalidInputError(
            "road_icing needs friction, or surface temperature together with precipitation "
            "intensity or water film thickness"
        )

    wet = (precip is not None and precip > 0.0) or (film is not None and film > 0.0)
    freezing = temp is not None and temp < FREEZING_BELOW_C
    icing_conditions = freezing and wet

    by_friction = 0 if mu is None else band(mu, (ice_below, slippery_below), (2, 1, 0), closed="left")
    number = max(2 if icing_conditions else 0, by_friction)
    return IndexResult(
        value=float(number),
        level=ICING_LEVELS[number],
        details={
            "icing_conditions": icing_conditions,
            "surface_below_freezing": freezing,
            "surface_wet": wet,
            "friction_level": ICING_LEVELS[by_friction].code if mu is not None else None,
        },
    )


def is_icy(result: IndexResult) -> bool:
    """Whether a road_icing result means an icy surface (traffic control level 1)."""
    return result.level is ROAD_ICY


def road_icing_from_inputs(inputs: Mapping[str, object]) -> IndexResult | None:
    """road_icing over a device's latest readings; None when they cannot decide either way."""
    temp = read_number(inputs, "road_surface_temp")
    precip = read_number(inputs, "precipitation_intensity", minimum=0.0)
    film = read_number(inputs, "water_film_thickness", minimum=0.0)
    mu = read_number(inputs, "friction", minimum=0.0)
    if mu is None and (temp is None or (precip is None and film is None)):
        return None
    return road_icing(temp, precipitation_mm_h=precip, water_film_mm=film, friction=mu)


ROAD_ICING_INDEX = IndexSpec(
    id="road_icing",
    title=Text(en="Road icing", zh="路面结冰"),
    inputs=(
        IndexInput("road_surface_temp"),
        IndexInput("precipitation_intensity"),
        IndexInput("water_film_thickness"),
        IndexInput("friction"),
    ),
    compute=road_icing_from_inputs,
    source=(
        "docs/standards.md §2: surface < 0 °C with precipitation or surface water; friction "
        "< 0.70 slippery, < 0.60 ice is a [verify] configurable default example, not a standard"
    ),
    levels=ICING_LEVELS,
)
