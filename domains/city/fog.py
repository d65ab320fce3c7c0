"""Highway fog: CMA fog signal, GB/T 27964 grade, art. 81 driving rules and traffic control by visibility."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from domains.city.icing import is_icy, road_icing_from_inputs
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

# --- CMA fog warning signal (气象灾害预警信号发布与传播办法, 中国气象局令第16号, 大雾预警信号) ---
# Observed ("已经出现") halves of the signal criteria:
#   yellow: 能见度小于500米、大于等于200米   -> 200 ≤ v < 500
#   orange: 能见度小于200米、大于等于50米    -> 50 ≤ v < 200
#   red:    能见度小于50米                   -> v < 50
# Every band is closed at its lower end, so exactly 500 m is no signal, 200 m is yellow and
# 50 m is orange.
FOG_SIGNAL_BOUNDS_M: tuple[float, float, float] = (50.0, 200.0, 500.0)

SIGNAL_NONE = Level(code="none", title=Text(en="No fog signal", zh="无大雾预警信号"))
SIGNAL_YELLOW = Level(
    code="yellow",
    title=Text(en="Fog yellow signal", zh="大雾黄色预警信号"),
    severity=Severity.WARNING,
    color="#FFFF00",
    advice=Text(
        en="Strengthen traffic management; drivers watch the fog and drive carefully.",
        zh="加强交通管理，驾驶人员注意雾的变化，小心驾驶。",
    ),
)
SIGNAL_ORANGE = Level(
    code="orange",
    title=Text(en="Fog orange signal", zh="大雾橙色预警信号"),
    severity=Severity.MAJOR,
    color="#FFA500",
    advice=Text(
        en="Strengthen dispatch; drivers must strictly control speed.",
        zh="加强调度指挥，驾驶人员必须严格控制车速。",
    ),
)
SIGNAL_RED = Level(
    code="red",
    title=Text(en="Fog red signal", zh="大雾红色预警信号"),
    severity=Severity.CRITICAL,
    color="#FF0000",
    advice=Text(
        en="Apply traffic control such as closing the expressway; drivers find a safe place to stop.",
        zh="适时采取交通管制措施，如高速公路暂时封闭；驾驶人员尽快寻找安全停放区域停靠。",
    ),
)
FOG_SIGNALS: tuple[Level, ...] = (SIGNAL_NONE, SIGNAL_YELLOW, SIGNAL_ORANGE, SIGNAL_RED)  # position = number


def fog_signal_number(visibility_m: float) -> int:
    """0 none, 1 yellow, 2 orange, 3 red for an observed visibility in metres (CMA fog signal)."""
    v = require_finite("visibility_m", visibility_m, minimum=0.0)
    return band(v, FOG_SIGNAL_BOUNDS_M, (3, 2, 1, 0), closed="left")


def fog_signal(visibility_m: float) -> IndexResult:
    """CMA fog warning signal for an observed visibility; value is the signal number 0-3."""
    number = fog_signal_number(visibility_m)
    return IndexResult(value=float(number), level=FOG_SIGNALS[number])


# --- Fog grades, GB/T 27964-2011 (雾的预报等级) — [verify] configurable default ---
# 轻雾 1-10 km, 大雾 500-1000 m, 浓雾 200-500 m, 强浓雾 50-200 m, 特强浓雾 < 50 m. Bands are taken
# as closed at the lower end, like the CMA signal, so the two scales switch at the same 50/200/500 m.
FOG_GRADE_BOUNDS_M: tuple[float, float, float, float, float] = (50.0, 200.0, 500.0, 1_000.0, 10_000.0)

GRADE_EXTREMELY_DENSE = Level(code="extremely_dense_fog", title=Text(en="Extremely dense fog", zh="特强浓雾"))
GRADE_VERY_DENSE = Level(code="very_dense_fog", title=Text(en="Very dense fog", zh="强浓雾"))
GRADE_DENSE = Level(code="dense_fog", title=Text(en="Dense fog", zh="浓雾"))
GRADE_FOG = Level(code="fog", title=Text(en="Fog", zh="大雾"))
GRADE_MIST = Level(code="mist", title=Text(en="Mist (light fog)", zh="轻雾"))
GRADE_NONE = Level(code="none", title=Text(en="No fog", zh="无雾"))
FOG_GRADES: tuple[Level, ...] = (
    GRADE_EXTREMELY_DENSE,
    GRADE_VERY_DENSE,
    GRADE_DENSE,
    GRADE_FOG,
    GRADE_MIST,
    GRADE_NONE,
)


def fog_grade(visibility_m: float, *, bounds_m: Sequence[float] = FOG_GRADE_BOUNDS_M) -> Level:
    """GB/T 27964-2011 fog grade for a visibility ([verify]: `bounds_m` is a configurable default).

    `bounds_m` are the five ascending lower limits of 强浓雾, 浓雾, 大雾, 轻雾 and no fog.
    """
    v = require_finite("visibility_m", visibility_m, minimum=0.0)
    if len(bounds_m) != 5 or any(b <= a for a, b in pairwise(bounds_m)):
        raise InvalidInputError(f"fog grade bounds must be 5 ascending visibilities in m, got {bounds_m!r}")
    return band(v, bounds_m, FOG_GRADES, closed="left")


# --- Driving on expressways, 道路交通安全法实施条例 art. 81, and traffic control levels ---
# art. 81(1) v < 200 m: fog lights, dipped headlights, clearance and front/rear position lamps,
#            ≤ 60 km/h, ≥ 100 m from the vehicle ahead in the same lane;
# art. 81(2) v < 100 m: the same lamps plus hazard warning lamps, ≤ 40 km/h, ≥ 50 m;
# art. 81(3) v < 50 m:  the same lamps as (2), ≤ 20 km/h, leave at the nearest exit.
# Each item says "小于", so exactly 200/100/50 m falls in the milder band.
# Traffic control levels (public-security emergency practice, docs/standards.md §2): level 3
# (partial control) 100-200 m, level 2 50-100 m, level 1 (closure) below 50 m or on an icy surface;
# bounds follow art. 81 so the control level and the driving rule always change together.
LIGHTS_FOG = ("fog_lights", "dipped_headlights", "clearance_lamps", "position_lamps")
LIGHTS_FOG_HAZARD = (*LIGHTS_FOG, "hazard_warning_lamps")

_LIGHT_NAMES: Mapping[str, Text] = {
    "fog_lights": Text(en="fog lights", zh="雾灯"),
    "dipped_headlights": Text(en="dipped headlights", zh="近光灯"),
    "clearance_lamps": Text(en="clearance lamps", zh="示廓灯"),
    "position_lamps": Text(en="front and rear position lamps", zh="前后位灯"),
    "hazard_warning_lamps": Text(en="hazard warning lamps", zh="危险报警闪光灯"),
}


@dataclass(frozen=True)
class DrivingRule:
    """One band of art. 81: what a driver must do below `below_m` of visibility."""

    below_m: float
    speed_limit_kmh: float
    min_gap_m: float | None
    lights: tuple[str, ...]
    leave_at_nearest_exit: bool
    control_level: int


# Ordered from the worst band up, so the first rule whose bound the visibility is under applies.
DRIVING_RULES: tuple[DrivingRule, ...] = (
    DrivingRule(50.0, 20.0, None, LIGHTS_FOG_HAZARD, True, 1),  # art. 81(3); control level 1
    DrivingRule(100.0, 40.0, 50.0, LIGHTS_FOG_HAZARD, False, 2),  # art. 81(2); control level 2
    DrivingRule(200.0, 60.0, 100.0, LIGHTS_FOG, False, 3),  # art. 81(1); control level 3
)


@dataclass(frozen=True)
class HighwayFogAdvice:
    """What a highway operator shows and does at one visibility (and road state).

    `speed_limit_kmh`, `min_gap_m`: None when art. 81 sets none (good visibility; below 50 m the
    rule is to leave the expressway rather than keep a gap). `control_level`: 1 closure, 2, 3
    partial control, None no control.
    """

    visibility_m: float
    signal: Level
    speed_limit_kmh: float | None
    min_gap_m: float | None
    lights: tuple[str, ...]
    leave_at_nearest_exit: bool
    control_level: int | None
    icy: bool
    advice: Text


def _driving_rule(visibility_m: float) -> DrivingRule | None:
    bounds = [rule.below_m for rule in DRIVING_RULES]
    return band(visibility_m, bounds, (*DRIVING_RULES, None), closed="left")


def _advice_text(v: float, rule: DrivingRule | None, control_level: int | None, icy: bool) -> Text:
    en: list[str] = [f"Visibility {v:g} m."]
    zh: list[str] = [f"能见度 {v:g} 米。"]
    if rule is not None:
        lamps_en = ", ".join(_LIGHT_NAMES[name].en for name in rule.lights)
        lamps_zh = "、".join(_LIGHT_NAMES[name].zh for name in rule.lights)
        en.append(f"Switch on {lamps_en}.")
        zh.append(f"开启{lamps_zh}。")
        en.append(f"Speed at most {rule.speed_limit_kmh:g} km/h.")
        zh.append(f"车速不得超过每小时{rule.speed_limit_kmh:g}公里。")
        if rule.min_gap_m is not None:
            en.append(f"Keep at least {rule.min_gap_m:g} m from the vehicle ahead in the same lane.")
            zh.append(f"与同车道前车保持{rule.min_gap_m:g}米以上的距离。")
        if rule.leave_at_nearest_exit:
            en.append("Leave the expressway at the nearest exit.")
            zh.append("从最近的出口尽快驶离高速公路。")
    if icy:
        en.append("Road surface icy.")
        zh.append("路面结冰。")
    if control_level is None:
        en.append("No traffic control needed.")
        zh.append("无需交通管制。")
    elif control_level == 1:
        en.append("Traffic control level 1: close the expressway.")
        zh.append("一级管控：封闭高速公路。")
    else:
        names_zh = {2: "二级", 3: "三级"}
        en.append(f"Traffic control level {control_level}: partial control.")
        zh.append(f"{names_zh[control_level]}管控：局部管制。")
    return Text(en=" ".join(en), zh="".join(zh))


def highway_fog_advice(visibility_m: float, *, icy: bool = False) -> HighwayFogAdvice:
    """Driving rule (art. 81), CMA signal and traffic control level for an expressway section.

    `icy` (from road_icing) forces control level 1, closure, whatever the visibility.
    """
    v = require_finite("visibility_m", visibility_m, minimum=0.0)
    rule = _driving_rule(v)
    control_level = 1 if icy else (rule.control_level if rule is not None else None)
    return HighwayFogAdvice(
        visibility_m=v,
        signal=FOG_SIGNALS[fog_signal_number(v)],
        speed_limit_kmh=rule.speed_limit_kmh if rule is not None else None,
        min_gap_m=rule.min_gap_m if rule is not None else None,
        lights=rule.lights if rule is not None else (),
        leave_at_nearest_exit=rule.leave_at_nearest_exit if rule is not None else False,
        control_level=control_level,
        icy=icy,
        advice=_advice_text(v, rule, control_level, icy),
    )


def _fog_signal_from_inputs(inputs: Mapping[str, object]) -> IndexResult | None:
    v = read_number(inputs, "visibility", minimum=0.0)
    if v is None:
        return None
    advice = highway_fog_advice(v)
    return IndexResult(
        value=float(fog_signal_number(v)),
        level=advice.signal,
        details={
            "visibility_m": v,
            "fog_grade": fog_grade(v).code,
            "speed_limit_kmh": advice.speed_limit_kmh,
            "min_gap_m": advice.min_gap_m,
            "lights": list(advice.lights),
            "leave_at_nearest_exit": advice.leave_at_nearest_exit,
            "control_level": advice.control_level,
            "advice_en": advice.advice.en,
            "advice_zh": advice.advice.zh,
        },
    )


CONTROL_NONE = Level(code="none", title=Text(en="No traffic control", zh="无交通管制"))
CONTROL_3 = Level(
    code="level_3",
    title=Text(en="Traffic control level 3 (partial)", zh="三级管控（局部管制）"),
    severity=Severity.WARNING,
    color="#FFFF00",
)
CONTROL_2 = Level(
    code="level_2",
    title=Text(en="Traffic control level 2", zh="二级管控"),
    severity=Severity.MAJOR,
    color="#FFA500",
)
CONTROL_1 = Level(
    code="level_1",
    title=Text(en="Traffic control level 1 (closure)", zh="一级管控（封闭）"),
    severity=Severity.CRITICAL,
    color="#FF0000",
)
CONTROL_LEVELS: Mapping[int | None, Level] = {None: CONTROL_NONE, 3: CONTROL_3, 2: CONTROL_2, 1: CONTROL_1}


def _traffic_control_from_inputs(inputs: Mapping[str, object]) -> IndexResult | None:
    v = read_number(inputs, "visibility", minimum=0.0)
    road = road_icing_from_inputs(inputs)
    if v is None and road is None:
        return None
    icy = road is not None and is_icy(road)
    if v is None:
        # Without visibility only the road state can speak: closure when icy, otherwise unknown.
        if not icy:
            return None
        return IndexResult(value=1.0, level=CONTROL_1, details={"icy": True, "visibility_m": None})
    advice = highway_fog_advice(v, icy=icy)
    level_number = advice.control_level
    return IndexResult(
        value=None if level_number is None else float(level_number),
        level=CONTROL_LEVELS[level_number],
        details={
            "icy": icy,
            "visibility_m": v,
            "speed_limit_kmh": advice.speed_limit_kmh,
            "advice_en": advice.advice.en,
            "advice_zh": advice.advice.zh,
        },
    )


FOG_SIGNAL_INDEX = IndexSpec(
    id="fog_signal",
    title=Text(en="Fog warning signal", zh="大雾预警信号"),
    inputs=(IndexInput("visibility"),),
    compute=_fog_signal_from_inputs,
    source=(
        "CMA fog warning signals (中国气象局令第16号), observed visibility: yellow 200 ≤ v < 500 m, "
        "orange 50 ≤ v < 200 m, red v < 50 m; value 0 none, 1 yellow, 2 orange, 3 red. Details add "
        "the GB/T 27964-2011 grade ([verify] configurable default) and 道路交通安全法实施条例 art. 81 rules"
    ),
    levels=FOG_SIGNALS,
)

TRAFFIC_CONTROL_INDEX = IndexSpec(
    id="traffic_control",
    title=Text(en="Expressway traffic control level", zh="高速公路交通管控等级"),
    inputs=(
        IndexInput("visibility"),
        IndexInput("road_surface_temp"),
        IndexInput("precipitation_intensity"),
        IndexInput("water_film_thickness"),
        IndexInput("friction"),
    ),
    compute=_traffic_control_from_inputs,
    source=(
        "Public-security emergency practice (docs/standards.md §2): level 3 at 100-200 m, level 2 at "
        "50-100 m, level 1 below 50 m or icy surface; bands aligned with 道路交通安全法实施条例 art. 81. "
        "Value is the level number (1 is the most severe), None when no control applies"
    ),
    levels=(CONTROL_NONE, CONTROL_3, CONTROL_2, CONTROL_1),
)
