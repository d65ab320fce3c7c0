"""Battery state of health (SOH) of consumer devices: below 80 % of rated capacity is end of life.

docs/standards.md §6. The 80 % line is an industry convention (phone and laptop makers, EV
warranties, IEEE battery practice), not a standard's limit. SOH is the present full-charge
capacity over the rated capacity; a new cell may read a little above 100 %.
"""

from __future__ import annotations

from domains.model import Level, Severity, Text, require_finite, strictly_below

END_OF_LIFE_SOH_PERCENT = 80.0  # convention (docs/standards.md §6): SOH < 80 % is end of life
END_OF_LIFE_FROM_PERCENT = strictly_below(END_OF_LIFE_SOH_PERCENT)
"""The highest SOH that is end of life (the next float below 80 %): the end-of-life rule's rung."""

END_OF_LIFE = Level(
    code="end_of_life",
    title=Text(en="Battery at end of life", zh="电池寿命终止"),
    severity=Severity.WARNING,
    color="#FF7E00",
    advice=Text(
        en="Capacity is below 80 % of rated: plan a battery replacement; runtime will keep falling.",
        zh="容量已低于额定值的80%：请安排更换电池，续航将持续下降。",
    ),
)


def battery_end_of_life(soh_percent: float, threshold_percent: float = END_OF_LIFE_SOH_PERCENT) -> bool:
    """True when the state of health is below the end-of-life line (exactly 80 % is still in life)."""
    soh = require_finite("battery state of health (%)", soh_percent, minimum=0.0)
    return soh < require_finite("end-of-life threshold (%)", threshold_percent, minimum=0.0)
