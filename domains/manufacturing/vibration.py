"""ISO 10816-3 / ISO 20816-3 vibration severity zones (A–D) of industrial machines from velocity RMS.

docs/standards.md §4. The standard evaluates broadband velocity r.m.s. (mm/s) measured on the
bearing housings of a machine in steady operation, with zone boundaries that depend on the
machine group (size) and on the support (rigid or flexible foundation).

Boundary values belong to the worse zone: a reading exactly at the B/C boundary is zone C. The
tables of the standard give the boundaries as single numbers without saying on which side they
fall; we read each boundary as the limit *of the worse zone* (the standard derives its ALARM and
TRIP settings from these boundaries, and a limit is reached at its value). That is also the
conservative side for machine protection, and it matches sensegrid's rule thresholds, which
are met at value ≥ threshold — so the zone an operator sees and the alert they get never
disagree at a boundary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum, StrEnum

from domains.inputs import as_choice, read_choice, read_number, read_setting
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


class MachineGroup(IntEnum):
    """ISO 10816-3 machine groups (the standard covers machines of 15 kW to 50 MW)."""

    LARGE = 1  # group 1: rated power above 300 kW (or electrical machines with shaft height ≥ 315 mm)
    MEDIUM = 2  # group 2: rated power 15 kW to 300 kW (or shaft height 160 mm to 315 mm)


class Foundation(StrEnum):
    """ISO 10816-3 support flexibility: rigid when the lowest natural frequency of machine and
    support is at least 25 % above the main excitation (running) frequency, else flexible."""

    RIGID = "rigid"
    FLEXIBLE = "flexible"


@dataclass(frozen=True)
class ZoneBoundaries:
    """Velocity r.m.s. (mm/s) at which zones B, C and D begin."""

    ab: float
    bc: float
    cd: float

    def as_tuple(self) -> tuple[float, float, float]:
        return (self.ab, self.bc, self.cd)


# ISO 10816-3:2009 Annex A, Table A.1 (group 1) and Table A.2 (group 2), velocity r.m.s. mm/s;
# docs/standards.md §4 (the same boundaries appear in ISO 20816-3).
ZONE_BOUNDARIES_MM_S: Mapping[tuple[MachineGroup, Foundation], ZoneBoundaries] = {
    (MachineGroup.MEDIUM, Foundation.RIGID): ZoneBoundaries(ab=1.4, bc=2.8, cd=4.5),
    (MachineGroup.MEDIUM, Foundation.FLEXIBLE): ZoneBoundaries(ab=2.3, bc=4.5, cd=7.1),
    (MachineGroup.LARGE, Foundation.RIGID): ZoneBoundaries(ab=2.3, bc=4.5, cd=7.1),
    (MachineGroup.LARGE, Foundation.FLEXIBLE): ZoneBoundaries(ab=3.5, bc=7.1, cd=11.0),
}

GROUP_1_ABOVE_KW = 300.0  # ISO 10816-3 machine classification: group 1 is "rated power above 300 kW"
SCOPE_KW = (15.0, 50_000.0)  # ISO 10816-3 scope: machines from 15 kW to 50 MW

# Zone meanings from the ISO 10816-3 evaluation zones (docs/standards.md §4).
# Colours are sensegrid's (green → red), not the standard's.
ZONE_A = Level(
    code="A",
    title=Text(en="Zone A — as newly commissioned", zh="A区 — 新机水平"),
    severity=None,
    color="#2E7D32",
    advice=Text(
        en="Vibration of a newly commissioned machine; no action.",
        zh="新投运机器的振动水平，无需处理。",
    ),
)
ZONE_B = Level(
    code="B",
    title=Text(en="Zone B — unrestricted long-term operation", zh="B区 — 可长期运行"),
    severity=Severity.WARNING,
    color="#C0CA33",
    advice=Text(
        en="Acceptable for unrestricted long-term operation; above new-machine level, watch the trend.",
        zh="可无限制长期运行，但已高于新机水平，请关注变化趋势。",
    ),
)
ZONE_C = Level(
    code="C",
    title=Text(en="Zone C — short-term operation only", zh="C区 — 仅限短期运行"),
    severity=Severity.MAJOR,
    color="#FFA000",
    advice=Text(
        en="Unsatisfactory for long-term continuous operation; run only for a limited period and "
        "plan remedial maintenance.",
        zh="不宜长期连续运行，仅可短期运行，请尽快安排检修。",
    ),
)
ZONE_D = Level(
    code="D",
    title=Text(en="Zone D — damage", zh="D区 — 可能损坏"),
    severity=Severity.CRITICAL,
    color="#D32F2F",
    advice=Text(
        en="Vibration severe enough to damage the machine; reduce load or stop it.",
        zh="振动已足以造成机器损坏，请降载或停机。",
    ),
)
ZONES: tuple[Level, ...] = (ZONE_A, ZONE_B, ZONE_C, ZONE_D)
ZONE_NUMBER: Mapping[str, int] = {z.code: i + 1 for i, z in enumerate(ZONES)}
"""The index value of each zone (A=1 … D=4): rules compare these, since the velocity boundaries
differ from machine to machine while the zone meanings do not."""

DEFAULT_GROUP = MachineGroup.MEDIUM
DEFAULT_FOUNDATION = Foundation.RIGID
"""Group 2 on a rigid foundation: the commonest case (pumps, fans, motors of 15–300 kW on concrete)
and the one with the lowest boundaries, so a machine nobody has described is judged strictly."""


def machine_group(raw: object) -> MachineGroup:
    """The machine group from 1 / 2 (or "1" / "2"); InvalidInputError for anything else."""
    return as_choice("machine_group (1: > 300 kW, 2: 15–300 kW)", raw, MachineGroup)


def zone_boundaries(group: MachineGroup, foundation: Foundation) -> ZoneBoundaries:
    """The A/B, B/C, C/D boundaries (mm/s) for a machine group on a foundation."""
    return ZONE_BOUNDARIES_MM_S[(machine_group(group), as_choice("foundation", foundation, Foundation))]


def machine_group_for_power(rated_power_kw: float) -> MachineGroup:
    """ISO 10816-3 machine group from rated power: above 300 kW is group 1, 15–300 kW group 2."""
    kw = require_finite("rated_power_kw", rated_power_kw, minimum=0.0)
    lo, hi = SCOPE_KW
    if not lo <= kw <= hi:
        raise InvalidInputError(
            f"ISO 10816-3 covers machines of {lo:g} kW to {hi:g} kW, got {kw:g} kW; "
            "smaller or larger machines need another part of ISO 10816 / ISO 20816"
        )
    return MachineGroup.LARGE if kw > GROUP_1_ABOVE_KW else MachineGroup.MEDIUM


def vibration_zone(
    velocity_rms_mm_s: float,
    group: MachineGroup = DEFAULT_GROUP,
    foundation: Foundation = DEFAULT_FOUNDATION,
) -> IndexResult:
    """Zone A–D of a velocity r.m.s. reading; value is the zone number (A=1 … D=4).

    A value exactly at a boundary is in the higher zone (see the module docstring).
    """
    v = require_finite("vibration velocity r.m.s. (mm/s)", velocity_rms_mm_s, minimum=0.0)
    group, foundation = machine_group(group), as_choice("foundation", foundation, Foundation)
    bounds = zone_boundaries(group, foundation)
    zone = band(v, bounds.as_tuple(), ZONES, closed="left")
    return IndexResult(
        value=float(ZONE_NUMBER[zone.code]),
        level=zone,
        details={
            "velocity_rms_mm_s": v,
            "machine_group": int(group),
            "foundation": str(foundation),
            "boundaries_mm_s": list(bounds.as_tuple()),
        },
    )


def iso10816_zone_spec(
    group: MachineGroup = DEFAULT_GROUP, foundation: Foundation = DEFAULT_FOUNDATION
) -> IndexSpec:
    """The zone index with default machine group and foundation.

    `compute` reads ``vibration_velocity_rms`` and, when the evaluator passes the device's
    settings, ``machine_group`` (1 or 2) and ``foundation`` ("rigid" / "flexible"), which override
    the defaults for that machine.
    """

    group, foundation = machine_group(group), as_choice("foundation", foundation, Foundation)

    def compute(inputs: Mapping[str, object]) -> IndexResult | None:
        velocity = read_number(inputs, "vibration_velocity_rms", minimum=0.0)
        if velocity is None:
            return None
        g = read_setting(inputs, "machine_group", machine_group, group)
        f = read_choice(inputs, "foundation", Foundation, foundation)
        return vibration_zone(velocity, g, f)

    return IndexSpec(
        id="iso10816_zone",
        title=Text(en="Vibration severity zone (ISO 10816-3)", zh="振动烈度区域（ISO 10816-3）"),
        inputs=(IndexInput("vibration_velocity_rms", Window.LATEST),),
        compute=compute,
        source="ISO 10816-3:2009 Annex A Tables A.1/A.2 / ISO 20816-3 (docs/standards.md §4)",
        levels=ZONES,
    )


ISO10816_ZONE = iso10816_zone_spec()
