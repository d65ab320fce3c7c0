"""Water-supply pressure: network-end minimum, compliance rate over readings, service head by storeys."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from domains.inputs import read_number, read_series
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

# CJ/T 316-2009 (城镇供水服务): pressure at the ends of the network ≥ 0.14 MPa, and the pressure
# compliance rate (share of pressure readings meeting it) ≥ 97 %.
NETWORK_END_MIN_MPA = 0.14
COMPLIANCE_MIN_PERCENT = 97.0

# 1 m of water column = ρ·g·h = 1000 kg/m³ · 9.80665 m/s² · 1 m = 9806.65 Pa (conventional metre
# of water, g standard).
MPA_PER_METRE_HEAD = 0.00980665

# GB 50013 (室外给水设计标准; §3.0.9 in the 2006 edition), minimum service head at the user's
# connection when the network supplies a building directly: one storey 10 m, two storeys 12 m,
# then 4 m more for each storey above two. [verify] docs/standards.md §2 summarises this as
# "10 m + 4 m per extra storey" (14 m for two storeys); the 12 m for two storeys is the widely
# quoted wording of the clause but was not checked against the standard here, so it is a
# configurable default (`second_storey_m`).
FIRST_STOREY_HEAD_M = 10.0
SECOND_STOREY_HEAD_M = 12.0
HEAD_PER_EXTRA_STOREY_M = 4.0

PRESSURE_OK = Level(code="ok", title=Text(en="Pressure adequate", zh="压力合格"), color="#00E400")
PRESSURE_LOW = Level(
    code="low",
    title=Text(en="Pressure too low", zh="压力不足"),
    severity=Severity.WARNING,
    color="#FFA500",
    advice=Text(
        en="Check pumping stations and valves upstream; look for a burst main.",
        zh="检查上游泵站和阀门，排查爆管。",
    ),
)
COMPLIANT = Level(code="compliant", title=Text(en="Compliance met", zh="压力合格率达标"), color="#00E400")
NON_COMPLIANT = Level(
    code="non_compliant",
    title=Text(en="Compliance below target", zh="压力合格率不达标"),
    severity=Severity.WARNING,
    color="#FFA500",
)


def head_to_mpa(head_m: float) -> float:
    """A water head in metres as pressure in MPa (1 m H2O = 0.00980665 MPa)."""
    return require_finite("head_m", head_m) * MPA_PER_METRE_HEAD


def pressure_ok(pressure_mpa: float, *, minimum_mpa: float = NETWORK_END_MIN_MPA) -> bool:
    """Whether a network-end gauge pressure meets the minimum (≥ 0.14 MPa, CJ/T 316-2009).

    Negative gauge pressures are accepted as real readings (vacuum in a drained main) and fail.
    """
    return require_finite("pressure_mpa", pressure_mpa) >= require_finite("minimum_mpa", minimum_mpa)


def pressure_compliance(
    pressures_mpa: Sequence[float],
    *,
    minimum_mpa: float = NETWORK_END_MIN_MPA,
    required_percent: float = COMPLIANCE_MIN_PERCENT,
) -> IndexResult:
    """Share of readings meeting `minimum_mpa`, in percent, and whether it reaches `required_percent`.

    The comparison is done on counts (ok · 100 ≥ required · n) so exactly 97 of 100 passes without
    floating-point doubt.
    """
    if len(pressures_mpa) == 0:
        raise InvalidInputError("pressure_compliance needs at least one pressure reading")
    required = require_finite("required_percent", required_percent, minimum=0.0)
    ok = sum(1 for p in pressures_mpa if pressure_ok(p, minimum_mpa=minimum_mpa))
    n = len(pressures_mpa)
    met = ok * 100.0 >= required * n
    return IndexResult(
        value=ok * 100.0 / n,
        level=COMPLIANT if met else NON_COMPLIANT,
        details={"readings": n, "readings_ok": ok, "minimum_mpa": minimum_mpa, "required_percent": required},
    )


def min_service_head_m(
    storeys: int,
    *,
    first_storey_m: float = FIRST_STOREY_HEAD_M,
    second_storey_m: float = SECOND_STOREY_HEAD_M,
    per_extra_storey_m: float = HEAD_PER_EXTRA_STOREY_M,
) -> float:
    """Minimum service head (m) for a building of `storeys` supplied directly (GB 50013)."""
    if isinstance(storeys, bool) or not isinstance(storeys, int) or storeys < 1:
        raise InvalidInputError(f"storeys must be a whole number ≥ 1, got {storeys!r}")
    if storeys == 1:
        return first_storey_m
    return second_storey_m + per_extra_storey_m * (storeys - 2)


def min_service_pressure_mpa(storeys: int, *, second_storey_m: float = SECOND_STOREY_HEAD_M) -> float:
    """Minimum service pressure (MPa) for a building of `storeys`: the GB 50013 head converted."""
    return head_to_mpa(min_service_head_m(storeys, second_storey_m=second_storey_m))


def _pressure_ok_from_inputs(inputs: Mapping[str, object]) -> IndexResult | None:
    p = read_number(inputs, "water_pressure")
    if p is None:
        return None
    ok = pressure_ok(p)
    return IndexResult(
        value=1.0 if ok else 0.0,
        level=PRESSURE_OK if ok else PRESSURE_LOW,
        details={"pressure_mpa": p, "minimum_mpa": NETWORK_END_MIN_MPA},
    )


def _compliance_from_inputs(inputs: Mapping[str, object]) -> IndexResult | None:
    points = read_series(inputs, "water_pressure")
    if not points:
        return None
    return pressure_compliance([value for _, value in points])


WATER_PRESSURE_OK_INDEX = IndexSpec(
    id="water_pressure_ok",
    title=Text(en="Network-end pressure adequate", zh="管网末梢压力合格"),
    inputs=(IndexInput("water_pressure"),),
    compute=_pressure_ok_from_inputs,
    source="CJ/T 316-2009: network-end pressure ≥ 0.14 MPa; value 1 adequate, 0 too low",
    levels=(PRESSURE_OK, PRESSURE_LOW),
)

WATER_PRESSURE_COMPLIANCE_INDEX = IndexSpec(
    id="water_pressure_compliance",
    title=Text(en="Pressure compliance rate", zh="管网压力合格率"),
    inputs=(IndexInput("water_pressure", Window.SERIES),),
    compute=_compliance_from_inputs,
    source="CJ/T 316-2009: share of readings ≥ 0.14 MPa, target ≥ 97 %",
    levels=(COMPLIANT, NON_COMPLIANT),
    unit="percent",
)
