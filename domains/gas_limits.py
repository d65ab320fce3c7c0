"""Gas limits more than one area alarms on: GB/T 50493-2019 detector set points, GBZ 2.1-2019 limits.

Utility tunnels (city) and workshops (manufacturing) follow the same two standards; the numbers
and the rungs of the two-stage alarm rules built on them live here once, so both areas change
together when a standard does. What an alarm *means* on site (its advice, colour, which gases a
detector carries) stays in each area, which hands its own levels to the rung builders.
"""

from __future__ import annotations

from domains.model import Level, Severity, Threshold

# GB/T 50493-2019 §5.5.2 gives the *highest* permitted set points; a site may set them lower.
# A detector alarms when its reading reaches the set point (≥), as sensegrid rule thresholds do.
COMBUSTIBLE_FIRST_ALARM_LEL = 25.0  # GB/T 50493-2019 §5.5.2: first (一级) alarm ≤ 25 % LEL
COMBUSTIBLE_SECOND_ALARM_LEL = 50.0  # GB/T 50493-2019 §5.5.2: second (二级) alarm ≤ 50 % LEL
TOXIC_SECOND_ALARM_FACTOR = 2.0  # GB/T 50493-2019 §5.5.2: toxic first ≤ 100 % OEL, second ≤ 200 % OEL

# GBZ 2.1-2019 Table 1, non-high-altitude sites, mg/m³.
H2S_MAC_MG_M3 = 10.0  # hydrogen sulphide: maximum allowable concentration (ceiling)
CO_PC_TWA_MG_M3 = 20.0  # carbon monoxide: 8-hour time-weighted average (no MAC is set for CO)
CO_PC_STEL_MG_M3 = 30.0  # carbon monoxide: 15-minute short-term exposure limit


# Alarm rule rungs: a first alarm is MAJOR and a second CRITICAL (sensegrid's mapping of the two
# stages onto alert urgency, not part of the standard).


def combustible_alarm_rungs(
    first: Level, second: Level, *, first_lel: float = COMBUSTIBLE_FIRST_ALARM_LEL
) -> tuple[Threshold, Threshold]:
    """The rungs of a combustible-gas alarm rule in % LEL: first at `first_lel`, second at 50 % LEL."""
    return (
        Threshold(Severity.MAJOR, first_lel, first),
        Threshold(Severity.CRITICAL, COMBUSTIBLE_SECOND_ALARM_LEL, second),
    )


def toxic_alarm_rungs(limit: float, first: Level, second: Level) -> tuple[Threshold, Threshold]:
    """The rungs of a toxic-gas alarm rule: first at the exposure `limit`, second at twice it."""
    return (
        Threshold(Severity.MAJOR, limit, first),
        Threshold(Severity.CRITICAL, limit * TOXIC_SECOND_ALARM_FACTOR, second),
    )
