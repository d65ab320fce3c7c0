"""Pond dissolved oxygen: the GB 11607-89 alarm ladder and its "> 5 mg/L for 16 h a day" check."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from domains.inputs import as_series, read_number, read_series
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

# GB 11607-89 (渔业水质标准) Table 1, dissolved oxygen: over any 24 h, more than 5 mg/L for at
# least 16 h, and never below 3 mg/L (never below 4 mg/L for salmonid waters under ice).
DO_GOOD_ABOVE = 5.0
DO_HOURS_ABOVE_REQUIRED = 16
DO_FLOOR = 3.0
# Alarm ladder (docs/standards.md §3): warn 5, alarm 4, critical 3 mg/L. A rung is reached at its
# value (≤): 5.0 is no longer "> 5", and an alarm at exactly the 3 mg/L floor leaves no margin, so
# it is critical.
DO_WARN = 5.0
DO_ALARM = 4.0
DO_CRITICAL = 3.0

DO_OK = Level(code="ok", title=Text(en="Oxygen adequate", zh="溶解氧正常"), color="#00E400")
DO_LOW = Level(
    code="warn",
    title=Text(en="Oxygen low", zh="溶解氧偏低"),
    severity=Severity.WARNING,
    color="#FFFF00",
    advice=Text(
        en="Get aerators ready; stop feeding if it keeps falling.",
        zh="准备增氧机，持续下降时停止投喂。",
    ),
)
DO_ALARMING = Level(
    code="alarm",
    title=Text(en="Oxygen alarm", zh="溶解氧报警"),
    severity=Severity.MAJOR,
    color="#FFA500",
    advice=Text(en="Start aerators now; stop feeding.", zh="立即开启增氧机，停止投喂。"),
)
DO_CRITICAL_LEVEL = Level(
    code="critical",
    title=Text(en="Oxygen critical", zh="溶解氧危急"),
    severity=Severity.CRITICAL,
    color="#FF0000",
    advice=Text(
        en="Fish kill risk: all aerators on, add fresh water or oxygen.",
        zh="有泛塘死鱼风险：全部增氧，加注新水或使用增氧剂。",
    ),
)
DO_LEVELS: tuple[Level, ...] = (DO_OK, DO_LOW, DO_ALARMING, DO_CRITICAL_LEVEL)  # position = number

DAY_COMPLIANT = Level(
    code="compliant", title=Text(en="Meets GB 11607", zh="符合渔业水质标准"), color="#00E400"
)
DAY_NON_COMPLIANT = Level(
    code="non_compliant",
    title=Text(en="Fails GB 11607 oxygen", zh="溶解氧不符合渔业水质标准"),
    severity=Severity.WARNING,
    color="#FFA500",
)


def pond_do_level(
    do_mg_l: float,
    *,
    warn_at: float = DO_WARN,
    alarm_at: float = DO_ALARM,
    critical_at: float = DO_CRITICAL,
) -> IndexResult:
    """Oxygen alarm level; value 0 ok (> 5), 1 warn (≤ 5), 2 alarm (≤ 4), 3 critical (≤ 3 mg/L)."""
    v = require_finite("do_mg_l", do_mg_l, minimum=0.0)
    if not critical_at < alarm_at < warn_at:
        raise InvalidInputError(
            f"DO rungs need critical_at < alarm_at < warn_at, got {critical_at:g}, {alarm_at:g}, {warn_at:g}"
        )
    number = band(v, (critical_at, alarm_at, warn_at), (3, 2, 1, 0), closed="right")
    return IndexResult(value=float(number), level=DO_LEVELS[number])


def daily_do_compliance(
    hourly_mg_l: Sequence[float],
    *,
    good_above: float = DO_GOOD_ABOVE,
    hours_required: int = DO_HOURS_ABOVE_REQUIRED,
    floor: float = DO_FLOOR,
) -> IndexResult:
    """GB 11607-89 over one day of 24 hourly values: > 5 mg/L in at least 16 hours, none below 3.

    Value: the number of hours above `good_above`. Details say which condition failed.
    """
    if len(hourly_mg_l) != 24:
        raise InvalidInputError(f"daily_do_compliance needs 24 hourly values, got {len(hourly_mg_l)}")
    values = [require_finite(f"hour {i} DO", v, minimum=0.0) for i, v in enumerate(hourly_mg_l)]
    hours_above = sum(1 for v in values if v > good_above)
    lowest = min(values)
    enough_hours = hours_above >= hours_required
    above_floor = lowest >= floor
    return IndexResult(
        value=float(hours_above),
        level=DAY_COMPLIANT if enough_hours and above_floor else DAY_NON_COMPLIANT,
        details={
            "hours_above": hours_above,
            "hours_required": hours_required,
            "minimum_mg_l": lowest,
            "enough_hours": enough_hours,
            "above_floor": above_floor,
        },
    )


def hourly_minima(points: Sequence[tuple[float, float]]) -> list[float] | None:
    """The lowest value in each of the 24 hours ending at the newest point; None if any hour is empty.

    The minimum, not the mean, stands for the hour: an hour counts as "above 5 mg/L" only if it
    never dipped to 5, and a dip below 3 within the hour is not averaged away.
    """
    points = as_series("dissolved oxygen", points, minimum=0.0)
    if not points:
        return None
    newest = points[-1][0]
    buckets: list[list[float]] = [[] for _ in range(24)]
    for t, v in points:
        age = newest - t
        if 0.0 <= age < 24 * 3600.0:
            buckets[23 - int(age // 3600.0)].append(v)
    if any(not bucket for bucket in buckets):
        return None
    return [min(bucket) for bucket in buckets]


def _pond_do_from_inputs(inputs: Mapping[str, object]) -> IndexResult | None:
    v = read_number(inputs, "dissolved_oxygen", minimum=0.0)
    return None if v is None else pond_do_level(v)


def _daily_from_inputs(inputs: Mapping[str, object]) -> IndexResult | None:
    points = read_series(inputs, "dissolved_oxygen")
    hourly = hourly_minima(points) if points else None
    return None if hourly is None else daily_do_compliance(hourly)


POND_DO_INDEX = IndexSpec(
    id="pond_do",
    title=Text(en="Pond oxygen level", zh="池塘溶解氧等级"),
    inputs=(IndexInput("dissolved_oxygen"),),
    compute=_pond_do_from_inputs,
    source="GB 11607-89 Table 1 (> 5 mg/L, never < 3 mg/L); ladder warn 5, alarm 4, critical 3 mg/L",
    levels=DO_LEVELS,
)

POND_DO_DAILY_INDEX = IndexSpec(
    id="pond_do_daily",
    title=Text(en="Pond oxygen, hours above 5 mg/L in 24 h", zh="池塘溶解氧24小时内大于5 mg/L的小时数"),
    inputs=(IndexInput("dissolved_oxygen", Window.SERIES),),
    compute=_daily_from_inputs,
    source=(
        "GB 11607-89 Table 1: in any 24 h, > 5 mg/L for at least 16 h and never < 3 mg/L; each hour "
        "judged by its lowest reading"
    ),
    levels=(DAY_COMPLIANT, DAY_NON_COMPLIANT),
    unit="h",
)
