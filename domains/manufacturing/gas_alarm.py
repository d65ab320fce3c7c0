"""Gas detector alarm levels after GB/T 50493-2019: combustible gas in % LEL, toxic gas against its OEL.

docs/standards.md §2 and §4. GB/T 50493-2019 sets the *highest* permitted alarm set points: the
first (一级) combustible-gas alarm at no more than 25 % LEL, the second (二级) at no more than
50 % LEL; the first toxic-gas alarm at no more than the occupational exposure limit (OEL), the
second at no more than twice it. A detector alarms when its reading reaches the set point, so
the comparison is ≥ (the same convention as sensegrid's rule thresholds).
"""

from __future__ import annotations

from domains.gas_limits import (
    COMBUSTIBLE_FIRST_ALARM_LEL,
    COMBUSTIBLE_SECOND_ALARM_LEL,
    H2S_MAC_MG_M3,
    TOXIC_SECOND_ALARM_FACTOR,
)
from domains.model import InvalidInputError, Level, Severity, Text, require_finite
from domains.scales import band

FIRST_ALARM = Level(
    code="first_alarm",
    title=Text(en="First gas alarm", zh="一级报警"),
    severity=Severity.MAJOR,
    color="#FF7E00",
    advice=Text(
        en="Gas at the first alarm set point: start ventilation, find and isolate the leak.",
        zh="气体浓度达到一级报警设定值：启动通风，查找并隔离泄漏源。",
    ),
)
SECOND_ALARM = Level(
    code="second_alarm",
    title=Text(en="Second gas alarm", zh="二级报警"),
    severity=Severity.CRITICAL,
    color="#D32F2F",
    advice=Text(
        en="Gas at the second alarm set point: evacuate, cut ignition sources, shut the supply.",
        zh="气体浓度达到二级报警设定值：人员撤离，切断火源和气源。",
    ),
)


def combustible_gas_alarm(
    percent_lel: float,
    first: float = COMBUSTIBLE_FIRST_ALARM_LEL,
    second: float = COMBUSTIBLE_SECOND_ALARM_LEL,
) -> Level | None:
    """The alarm a combustible-gas reading (% LEL) raises, None below the first set point.

    Set points may be lowered (the standard gives maxima), never raised above 25 / 50 % LEL.
    """
    v = require_finite("combustible gas (% LEL)", percent_lel, minimum=0.0)
    if not (
        0 < first < second and first <= COMBUSTIBLE_FIRST_ALARM_LEL and second <= COMBUSTIBLE_SECOND_ALARM_LEL
    ):
        raise InvalidInputError(
            f"alarm set points must satisfy 0 < first < second, first ≤ 25 and second ≤ 50 % LEL "
            f"(GB/T 50493-2019), got {first:g} / {second:g}"
        )
    return band(v, (first, second), (None, FIRST_ALARM, SECOND_ALARM), closed="left")


def toxic_gas_alarm(value: float, oel: float = H2S_MAC_MG_M3) -> Level | None:
    """The alarm a toxic-gas reading raises against its exposure limit (H2S MAC 10 mg/m³ by default)."""
    v = require_finite("toxic gas concentration", value, minimum=0.0)
    limit = require_finite("exposure limit", oel)
    if limit <= 0:
        raise InvalidInputError(f"exposure limit must be > 0, got {limit:g}")
    return band(
        v, (limit, limit * TOXIC_SECOND_ALARM_FACTOR), (None, FIRST_ALARM, SECOND_ALARM), closed="left"
    )
