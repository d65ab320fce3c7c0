"""Utility-tunnel atmosphere: natural gas, combustible and toxic gas alarm stages and oxygen limits."""

from __future__ import annotations

from collections.abc import Mapping

from domains.gas_limits import (
    CO_PC_TWA_MG_M3,
    COMBUSTIBLE_FIRST_ALARM_LEL,
    COMBUSTIBLE_SECOND_ALARM_LEL,
    H2S_MAC_MG_M3,
    TOXIC_SECOND_ALARM_FACTOR,
)
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

# GB 50838-2015 §7.5 (综合管廊天然气管道舱可燃气体探测报警系统): the natural-gas alarm set point
# shall not exceed 20 % of the lower explosive limit; for methane (LEL 5 % vol) that is 1 % vol.
# Crossing it must start the emergency ventilation of the compartment section and its neighbours.
NATURAL_GAS_ALARM_LEL = 20.0
METHANE_LEL_PERCENT_VOL = 5.0  # methane lower explosive limit, % by volume

# GB/T 50493-2019 §5.5.2: combustible gas first alarm ≤ 25 % LEL, second ≤ 50 % LEL, toxic gas
# first ≤ 100 % OEL, second ≤ 200 % OEL (domains.gas_limits, shared with manufacturing); oxygen
# enrichment alarm 23.5 % vol, deficiency alarm 19.5 % vol. An alarm sounds when the reading
# reaches its set point (≥ / ≤).
O2_LOW_ALARM = 19.5
O2_HIGH_ALARM = 23.5

# The exposure limit a toxic-gas alarm is set against (GBZ 2.1-2019 Table 1): H2S its MAC 10 mg/m³.
# CO has no MAC, only PC-TWA 20 / PC-STEL 30 mg/m³; GB/T 50493-2019's own table of toxic-gas set
# points takes the PC-TWA for CO (first 20, second 40).
H2S_OEL_MG_M3 = H2S_MAC_MG_M3
CO_OEL_MG_M3 = CO_PC_TWA_MG_M3

GAS_NORMAL = Level(code="normal", title=Text(en="Normal", zh="正常"), color="#00E400")
FIRST_ALARM = Level(
    code="first_alarm",
    title=Text(en="First alarm", zh="一级报警"),
    severity=Severity.MAJOR,
    color="#FFA500",
    advice=Text(
        en="Start ventilation, find the source, keep people out without protection.",
        zh="启动通风，排查泄漏源，无防护人员不得进入。",
    ),
)
SECOND_ALARM = Level(
    code="second_alarm",
    title=Text(en="Second alarm", zh="二级报警"),
    severity=Severity.CRITICAL,
    color="#FF0000",
    advice=Text(
        en="Evacuate the compartment, cut off the supply, emergency response.",
        zh="人员撤离，切断气源，启动应急响应。",
    ),
)
O2_LOW = Level(
    code="o2_low",
    title=Text(en="Oxygen deficiency", zh="欠氧"),
    severity=Severity.MAJOR,
    color="#FFA500",
    advice=Text(en="Ventilate; no entry without breathing apparatus.", zh="加强通风，未佩戴呼吸器不得进入。"),
)
O2_HIGH = Level(
    code="o2_high",
    title=Text(en="Oxygen enrichment", zh="过氧"),
    severity=Severity.MAJOR,
    color="#FFA500",
    advice=Text(en="Fire risk: remove ignition sources, ventilate.", zh="火灾风险：消除火源，加强通风。"),
)
GAS_STAGES: tuple[Level, ...] = (GAS_NORMAL, FIRST_ALARM, SECOND_ALARM)  # position = stage number


def _stage(value: float, first: float, second: float) -> Level:
    return band(value, (first, second), GAS_STAGES, closed="left")


def lel_to_percent_vol(lel_percent: float, *, lel_percent_vol: float = METHANE_LEL_PERCENT_VOL) -> float:
    """A % LEL reading as % by volume (methane by default: 20 % LEL is 1 % vol)."""
    lel = require_finite("lel_percent", lel_percent, minimum=0.0)
    return lel * lel_percent_vol / 100.0


def natural_gas_compartment(
    ch4_lel: float,
    *,
    alarm_lel: float = NATURAL_GAS_ALARM_LEL,
    second_alarm_lel: float = COMBUSTIBLE_SECOND_ALARM_LEL,
) -> Level:
    """Alarm stage of a natural-gas compartment detector (% LEL).

    First stage at GB 50838-2015's 20 % LEL (stricter than GB/T 50493's 25 %), second stage at
    GB/T 50493-2019's 50 % LEL.
    """
    value = require_finite("ch4_lel", ch4_lel, minimum=0.0)
    return _stage(value, alarm_lel, second_alarm_lel)


def combustible_gas(
    lel_percent: float,
    *,
    first_alarm_lel: float = COMBUSTIBLE_FIRST_ALARM_LEL,
    second_alarm_lel: float = COMBUSTIBLE_SECOND_ALARM_LEL,
) -> Level:
    """GB/T 50493-2019 combustible-gas alarm stage for a % LEL reading."""
    value = require_finite("combustible_lel", lel_percent, minimum=0.0)
    return _stage(value, first_alarm_lel, second_alarm_lel)


def toxic_gas(concentration_mg_m3: float, *, exposure_limit_mg_m3: float, name: str = "toxic gas") -> Level:
    """GB/T 50493-2019 toxic-gas alarm stage: first at the exposure limit, second at twice it."""
    value = require_finite(name, concentration_mg_m3, minimum=0.0)
    oel = require_finite("exposure_limit_mg_m3", exposure_limit_mg_m3)
    if oel <= 0.0:
        raise InvalidInputError(f"exposure_limit_mg_m3 must be > 0, got {oel:g}")
    return _stage(value, oel, oel * TOXIC_SECOND_ALARM_FACTOR)


def h2s(concentration_mg_m3: float, *, exposure_limit_mg_m3: float = H2S_OEL_MG_M3) -> Level:
    """H2S alarm stage (GBZ 2.1-2019 MAC 10 mg/m³: first 10, second 20)."""
    return toxic_gas(concentration_mg_m3, exposure_limit_mg_m3=exposure_limit_mg_m3, name="h2s")


def co(concentration_mg_m3: float, *, exposure_limit_mg_m3: float = CO_OEL_MG_M3) -> Level:
    """CO alarm stage (GBZ 2.1-2019 PC-TWA 20 mg/m³: first 20, second 40)."""
    return toxic_gas(concentration_mg_m3, exposure_limit_mg_m3=exposure_limit_mg_m3, name="co")


def oxygen(o2_percent_vol: float, *, low: float = O2_LOW_ALARM, high: float = O2_HIGH_ALARM) -> Level:
    """GB/T 50493-2019 oxygen alarm: deficiency at ≤ 19.5 % vol, enrichment at ≥ 23.5 % vol."""
    value = require_finite("o2", o2_percent_vol, minimum=0.0)
    if not require_finite("low", low) < require_finite("high", high):
        raise InvalidInputError(f"oxygen alarm set points need low < high, got {low:g} / {high:g}")
    if value <= low:
        return O2_LOW
    if value >= high:
        return O2_HIGH
    return GAS_NORMAL


def _stage_number(level: Level) -> int:
    # An oxygen alarm is a single-stage alarm; it ranks with the first stage of the gas alarms.
    if level is SECOND_ALARM:
        return 2
    return 0 if level is GAS_NORMAL else 1


def tunnel_gas(
    *,
    ch4_lel: float | None = None,
    combustible_lel: float | None = None,
    o2: float | None = None,
    h2s_mg_m3: float | None = None,
    co_mg_m3: float | None = None,
) -> IndexResult:
    """The worst alarm stage over the gases a tunnel detector reports (value 0 normal, 1 first, 2 second).

    `details` names each gas's own level code, so an operator sees which gas raised the stage.
    """
    found: dict[str, Level] = {}
    if ch4_lel is not None:
        found["ch4_lel"] = natural_gas_compartment(ch4_lel)
    if combustible_lel is not None:
        found["combustible_lel"] = combustible_gas(combustible_lel)
    if o2 is not None:
        found["o2"] = oxygen(o2)
    if h2s_mg_m3 is not None:
        found["h2s"] = h2s(h2s_mg_m3)
    if co_mg_m3 is not None:
        found["co"] = co(co_mg_m3)
    if not found:
        raise InvalidInputError("tunnel_gas needs at least one of ch4_lel, combustible_lel, o2, h2s, co")
    stage = max(_stage_number(level) for level in found.values())
    return IndexResult(
        value=float(stage),
        level=GAS_STAGES[stage],
        details={name: level.code for name, level in found.items()},
    )


def _tunnel_gas_from_inputs(inputs: Mapping[str, object]) -> IndexResult | None:
    values = {
        "ch4_lel": read_number(inputs, "ch4_lel", minimum=0.0),
        "combustible_lel": read_number(inputs, "combustible_lel", minimum=0.0),
        "o2": read_number(inputs, "o2", minimum=0.0),
        "h2s_mg_m3": read_number(inputs, "h2s", minimum=0.0),
        "co_mg_m3": read_number(inputs, "co", minimum=0.0),
    }
    if all(v is None for v in values.values()):
        return None
    return tunnel_gas(**values)


TUNNEL_GAS_INDEX = IndexSpec(
    id="tunnel_gas",
    title=Text(en="Utility-tunnel gas alarm stage", zh="综合管廊气体报警等级"),
    inputs=(
        IndexInput("ch4_lel"),
        IndexInput("combustible_lel"),
        IndexInput("o2"),
        IndexInput("h2s"),
        IndexInput("co"),
    ),
    compute=_tunnel_gas_from_inputs,
    source=(
        "GB 50838-2015 §7.5 (natural gas 20 % LEL); GB/T 50493-2019 §5.5.2 (combustible 25/50 % LEL, "
        "toxic 100/200 % OEL, O2 19.5/23.5 % vol); GBZ 2.1-2019 Table 1 (H2S MAC 10, CO PC-TWA 20 mg/m³)"
    ),
    levels=GAS_STAGES,
)
