"""GB/T 32960.3 vehicle alarm data: the general alarm flag word (bits 0–18) and the highest alarm level (0–3).

docs/standards.md §5. An EV's T-box reports, in its alarm data (报警数据), the highest alarm level
of the faults present and a 32-bit general alarm flag word (通用报警标志) in which bit n set means
alarm n is active; bits 19–31 are reserved. The thresholds behind each flag are the maker's, so
sensegrid only decodes what the vehicle says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from domains.inputs import read_number
from domains.model import IndexInput, IndexResult, IndexSpec, InvalidInputError, Level, Severity, Text, Window


@dataclass(frozen=True)
class GeneralAlarm:
    """One bit of the general alarm flag word."""

    bit: int
    code: str
    title: Text


# GB/T 32960.3 general alarm flags, bit 0 first (docs/standards.md §5 gives the order).
GENERAL_ALARMS: tuple[GeneralAlarm, ...] = tuple(
    GeneralAlarm(bit, code, title)
    for bit, (code, title) in enumerate(
        (
            ("temperature_difference", Text(en="Temperature difference alarm", zh="温度差异报警")),
            ("battery_high_temperature", Text(en="Battery high temperature alarm", zh="电池高温报警")),
            (
                "storage_over_voltage",
                Text(en="Energy storage over-voltage alarm", zh="车载储能装置类型过压报警"),
            ),
            (
                "storage_under_voltage",
                Text(en="Energy storage under-voltage alarm", zh="车载储能装置类型欠压报警"),
            ),
            ("soc_low", Text(en="Low SOC alarm", zh="SOC低报警")),
            ("cell_over_voltage", Text(en="Cell over-voltage alarm", zh="单体电池过压报警")),
            ("cell_under_voltage", Text(en="Cell under-voltage alarm", zh="单体电池欠压报警")),
            ("soc_high", Text(en="SOC too high alarm", zh="SOC过高报警")),
            ("soc_jump", Text(en="SOC jump alarm", zh="SOC跳变报警")),
            (
                "storage_mismatch",
                Text(en="Rechargeable energy storage mismatch alarm", zh="可充电储能系统不匹配报警"),
            ),
            ("cell_consistency_poor", Text(en="Poor cell consistency alarm", zh="电池单体一致性差报警")),
            ("insulation", Text(en="Insulation alarm", zh="绝缘报警")),
            ("dcdc_temperature", Text(en="DC-DC temperature alarm", zh="DC-DC温度报警")),
            ("brake_system", Text(en="Brake system alarm", zh="制动系统报警")),
            ("dcdc_status", Text(en="DC-DC status alarm", zh="DC-DC状态报警")),
            (
                "motor_controller_temperature",
                Text(en="Drive motor controller temperature alarm", zh="驱动电机控制器温度报警"),
            ),
            ("hv_interlock", Text(en="High-voltage interlock alarm", zh="高压互锁状态报警")),
            ("motor_temperature", Text(en="Drive motor temperature alarm", zh="驱动电机温度报警")),
            ("storage_overcharge", Text(en="Energy storage overcharge alarm", zh="车载储能装置类型过充")),
        )
    )
)
FLAG_WORD_MAX = 0xFFFF_FFFF  # the flag word is a DWORD


@dataclass(frozen=True)
class DecodedFlags:
    """The active general alarms, plus any reserved bits (19–31) a T-box set anyway."""

    alarms: tuple[GeneralAlarm, ...]
    reserved_bits: tuple[int, ...]


def decode_alarm_flags(word: int | float) -> DecodedFlags:
    """Active alarms of a general alarm flag word, in bit order.

    Accepts a float holding a whole number (readings are stored as double precision, which holds
    any 32-bit word exactly).
    """
    if isinstance(word, bool) or not isinstance(word, int | float):
        raise InvalidInputError(f"alarm flag word must be an integer, got {word!r}")
    if isinstance(word, float) and not word.is_integer():
        raise InvalidInputError(f"alarm flag word must be a whole number 0…{FLAG_WORD_MAX}, got {word!r}")
    w = int(word)
    if not 0 <= w <= FLAG_WORD_MAX:
        raise InvalidInputError(f"alarm flag word must be within 0…{FLAG_WORD_MAX} (32 bits), got {w}")
    active = tuple(a for a in GENERAL_ALARMS if w >> a.bit & 1)
    reserved = tuple(bit for bit in range(len(GENERAL_ALARMS), 32) if w >> bit & 1)
    return DecodedFlags(alarms=active, reserved_bits=reserved)


def encode_alarm_flags(codes: set[str] | frozenset[str]) -> int:
    """The flag word with the named alarms set (for simulators and tests)."""
    known = {a.code: a.bit for a in GENERAL_ALARMS}
    unknown = sorted(set(codes) - set(known))
    if unknown:
        raise InvalidInputError(f"unknown alarm codes {unknown}; known: {', '.join(known)}")
    return sum(1 << known[c] for c in codes)


# GB/T 32960.3 alarm data, highest alarm level: 0–3, 0xFE abnormal, 0xFF invalid.
ALARM_LEVELS: Mapping[int, Level] = {
    0: Level(
        code="level_0",
        title=Text(en="No fault", zh="无故障"),
        severity=None,
        color="#2E7D32",
    ),
    1: Level(
        code="level_1",
        title=Text(en="Level 1 fault", zh="1级故障"),
        severity=Severity.WARNING,
        color="#FFFF00",
        advice=Text(en="Does not affect normal driving.", zh="不影响车辆正常行驶。"),
    ),
    2: Level(
        code="level_2",
        title=Text(en="Level 2 fault", zh="2级故障"),
        severity=Severity.MAJOR,
        color="#FF7E00",
        advice=Text(
            en="Affects vehicle performance; the driver must limit driving.",
            zh="影响车辆性能，需驾驶员限制行驶。",
        ),
    ),
    3: Level(
        code="level_3",
        title=Text(en="Level 3 fault", zh="3级故障"),
        severity=Severity.CRITICAL,
        color="#FF0000",
        advice=Text(
            en="The driver must stop at once or call for assistance.",
            zh="驾驶员应立即停车处理或请求救援。",
        ),
    ),
    0xFE: Level(code="abnormal", title=Text(en="Abnormal", zh="异常"), severity=None, color="#9E9E9E"),
    0xFF: Level(code="invalid", title=Text(en="Invalid", zh="无效"), severity=None, color="#9E9E9E"),
}


def alarm_level(code: int | float) -> Level:
    """The meaning of a highest-alarm-level byte: 0–3, 0xFE abnormal, 0xFF invalid."""
    if (
        isinstance(code, bool)
        or not isinstance(code, int | float)
        or float(code) not in map(float, ALARM_LEVELS)
    ):
        raise InvalidInputError(
            f"alarm level must be 0, 1, 2, 3, 254 (abnormal) or 255 (invalid), got {code!r}"
        )
    return ALARM_LEVELS[int(code)]


def _alarm_index(inputs: Mapping[str, object]) -> IndexResult | None:
    raw_level = read_number(inputs, "gbt32960_alarm_level")
    if raw_level is None:
        return None
    level = alarm_level(raw_level)
    raw_flags = read_number(inputs, "gbt32960_alarm_flags")
    decoded = decode_alarm_flags(raw_flags) if raw_flags is not None else None
    numeric = int(raw_level) if int(raw_level) <= 3 else None
    return IndexResult(
        value=None if numeric is None else float(numeric),
        level=level,
        details={
            "alarms": [a.code for a in decoded.alarms] if decoded else [],
            "alarms_zh": [a.title.zh for a in decoded.alarms] if decoded else [],
            "reserved_bits": list(decoded.reserved_bits) if decoded else [],
        },
    )


GBT32960_ALARM = IndexSpec(
    id="gbt32960_alarm",
    title=Text(en="Vehicle alarm level (GB/T 32960.3)", zh="车辆报警等级（GB/T 32960.3）"),
    inputs=(
        IndexInput("gbt32960_alarm_level", Window.LATEST),
        IndexInput("gbt32960_alarm_flags", Window.LATEST),
    ),
    compute=_alarm_index,
    source="GB/T 32960.3 alarm data: highest alarm level and general alarm flags (docs/standards.md §5)",
    levels=tuple(ALARM_LEVELS.values()),
)
