"""Manufacturing alert rules as data: vibration zones, SPC run rules, gas exposure and alarms, silence."""

from __future__ import annotations

from domains.gas_limits import H2S_MAC_MG_M3, combustible_alarm_rungs, toxic_alarm_rungs
from domains.manufacturing.exposure import (
    OVER_STEL,
    OVER_TWA,
    STEL_EXCEEDED_FROM,
    STEL_WINDOW_S,
    TWA_EXCEEDED_FROM,
    TWA_WINDOW_S,
)
from domains.manufacturing.gas_alarm import FIRST_ALARM, SECOND_ALARM
from domains.manufacturing.spc import BEYOND_LIMITS, RUN_PATTERN, SPC_LEVELS
from domains.manufacturing.vibration import ZONE_B, ZONE_C, ZONE_D, ZONE_NUMBER
from domains.model import ConditionKind, RuleSpec, Severity, Text, Threshold, Window, missing_data_rule

AREA_ID = "manufacturing"

VIBRATION_ZONE = RuleSpec(
    id="manufacturing.vibration_zone",
    area=AREA_ID,
    subject="iso10816_zone",
    kind=ConditionKind.LEVEL_LADDER,
    title=Text(en="Machine vibration zone", zh="设备振动区域"),
    message=Text(
        en="{device}: vibration in {level}. {advice}",
        zh="{device}：振动处于{level}。{advice}",
    ),
    source="ISO 10816-3:2009 Annex A / ISO 20816-3 zones A–D (docs/standards.md §4)",
    thresholds=(
        Threshold(Severity.WARNING, ZONE_NUMBER["B"], ZONE_B),
        Threshold(Severity.MAJOR, ZONE_NUMBER["C"], ZONE_C),
        Threshold(Severity.CRITICAL, ZONE_NUMBER["D"], ZONE_D),
    ),
    # ISO 10816-3 judges steady-state running; two minutes rides out start-up and load changes.
    for_s=120,
    params={"machine_group": 2, "foundation": "rigid"},
)

SPC_OUT_OF_CONTROL = RuleSpec(
    id="manufacturing.spc_out_of_control",
    area=AREA_ID,
    subject="spc_violations",
    kind=ConditionKind.RUN_RULE,
    title=Text(en="Process out of statistical control", zh="过程统计失控"),
    message=Text(
        en="{device}: {level} on the SPC chart. {advice}",
        zh="{device}：SPC控制图{level}。{advice}",
    ),
    source="Western Electric rules 1–4 / Nelson rules 1–8 (docs/standards.md §4)",
    thresholds=(
        Threshold(Severity.WARNING, SPC_LEVELS.index(RUN_PATTERN), RUN_PATTERN),
        Threshold(Severity.MAJOR, SPC_LEVELS.index(BEYOND_LIMITS), BEYOND_LIMITS),
    ),
    window=Window.SERIES,
    # points: how many of the newest readings the evaluator passes (Nelson 7 alone needs 15).
    params={"spc_rule_set": "western_electric", "points": 30},
)

VIBRATION_TREND = RuleSpec(
    id="manufacturing.vibration_trend",
    area=AREA_ID,
    subject="vibration_trend",
    kind=ConditionKind.RUN_RULE,
    title=Text(en="Vibration drifting out of control", zh="振动趋势异常"),
    message=Text(
        en="{device}: vibration velocity shows {level} (Nelson rules). {advice} Plan an inspection.",
        zh="{device}：振动速度出现{level}（Nelson判异准则）。{advice}请安排检查。",
    ),
    source="Nelson rules 1–8 (docs/standards.md §4) on ISO 10816 vibration velocity",
    thresholds=SPC_OUT_OF_CONTROL.thresholds,
    window=Window.SERIES,
    params={"spc_rule_set": "nelson", "points": 30},
    device_kinds=("vibration_sensor",),
)

CO_TWA = RuleSpec(
    id="manufacturing.co_twa",
    area=AREA_ID,
    subject="co_twa_8h",
    kind=ConditionKind.THRESHOLD,
    title=Text(en="CO shift exposure above PC-TWA", zh="一氧化碳时间加权平均浓度超限"),
    message=Text(
        en="{device}: CO 8-hour average {value} {unit} > PC-TWA {threshold} {unit}. {advice}",
        zh="{device}：一氧化碳8小时平均浓度 {value} {unit}，超过PC-TWA {threshold} {unit}。{advice}",
    ),
    source="GBZ 2.1-2019 Table 1, CO PC-TWA 20 mg/m³ (docs/standards.md §4)",
    # GBZ 2.1-2019: an exposure complies while ≤ its limit; the rung is the next float above it.
    thresholds=(Threshold(Severity.MAJOR, TWA_EXCEEDED_FROM, OVER_TWA),),
    window=Window.SERIES,
    clear_hysteresis=1.0,  # sensegrid choice: 5 % of the limit, so a TWA hovering at 20 cannot flap
    params={"series_s": TWA_WINDOW_S},
)

CO_STEL = RuleSpec(
    id="manufacturing.co_stel",
    area=AREA_ID,
    subject="co_stel_15min",
    kind=ConditionKind.THRESHOLD,
    title=Text(en="CO short-term exposure above PC-STEL", zh="一氧化碳短时间接触浓度超限"),
    message=Text(
        en="{device}: CO 15-minute average {value} {unit} > PC-STEL {threshold} {unit}. {advice}",
        zh="{device}：一氧化碳15分钟平均浓度 {value} {unit}，超过PC-STEL {threshold} {unit}。{advice}",
    ),
    source="GBZ 2.1-2019 Table 1, CO PC-STEL 30 mg/m³ (docs/standards.md §4)",
    thresholds=(Threshold(Severity.MAJOR, STEL_EXCEEDED_FROM, OVER_STEL),),
    window=Window.SERIES,
    clear_hysteresis=1.5,  # sensegrid choice: 5 % of the limit
    params={"series_s": STEL_WINDOW_S},
)

H2S_ALARM = RuleSpec(
    id="manufacturing.h2s_alarm",
    area=AREA_ID,
    subject="h2s",
    kind=ConditionKind.LEVEL_LADDER,
    title=Text(en="Hydrogen sulphide alarm", zh="硫化氢报警"),
    message=Text(
        en="{device}: H2S {value} {unit} reached {level} ({threshold} {unit}). {advice}",
        zh="{device}：硫化氢 {value} {unit}，达到{level}（{threshold} {unit}）。{advice}",
    ),
    source="GBZ 2.1-2019 Table 1, H2S MAC 10 mg/m³; GB/T 50493-2019 toxic alarms at 100 % / 200 % "
    "of the exposure limit (docs/standards.md §2, §4)",
    thresholds=toxic_alarm_rungs(H2S_MAC_MG_M3, FIRST_ALARM, SECOND_ALARM),
    clear_hysteresis=1.0,  # sensegrid choice: 10 % of the MAC
)

COMBUSTIBLE_GAS_ALARM = RuleSpec(
    id="manufacturing.combustible_gas_alarm",
    area=AREA_ID,
    subject="combustible_lel",
    kind=ConditionKind.LEVEL_LADDER,
    title=Text(en="Combustible gas alarm", zh="可燃气体报警"),
    message=Text(
        en="{device}: combustible gas {value} % LEL reached {level} ({threshold} % LEL). {advice}",
        zh="{device}：可燃气体 {value} %LEL，达到{level}（{threshold} %LEL）。{advice}",
    ),
    source="GB/T 50493-2019: first alarm ≤ 25 % LEL, second ≤ 50 % LEL (docs/standards.md §2, §4)",
    thresholds=combustible_alarm_rungs(FIRST_ALARM, SECOND_ALARM),
    clear_hysteresis=2.0,  # sensegrid choice, in % LEL
)

VIBRATION_SENSOR_SILENT = missing_data_rule(
    AREA_ID,
    "vibration_sensor_silent",
    subject="vibration_velocity_rms",
    device=Text(en="Vibration sensor", zh="振动传感器"),
    silence_s=900,
    message=Text(
        en="{device} has sent no vibration reading for {threshold} s.",
        zh="{device} 已超过 {threshold} 秒未上报振动数据。",
    ),
    source="sensegrid practice: a silent condition monitor hides a failing machine",
)

GAS_DETECTOR_SILENT = missing_data_rule(
    AREA_ID,
    "gas_detector_silent",
    subject="combustible_lel",
    device=Text(en="Gas detector", zh="气体探测器"),
    silence_s=300,
    severity=Severity.MAJOR,
    message=Text(
        en="{device} has sent no gas reading for {threshold} s: the area is unprotected.",
        zh="{device} 已超过 {threshold} 秒未上报气体数据，该区域失去监测。",
    ),
    source="sensegrid practice: a silent gas detector leaves people unprotected, so it is major",
)

RULES: tuple[RuleSpec, ...] = (
    VIBRATION_ZONE,
    SPC_OUT_OF_CONTROL,
    VIBRATION_TREND,
    CO_TWA,
    CO_STEL,
    H2S_ALARM,
    COMBUSTIBLE_GAS_ALARM,
    VIBRATION_SENSOR_SILENT,
    GAS_DETECTOR_SILENT,
)
