"""The city area's alert rules, as data: fog, icing, tunnel gas, water pressure and silent devices."""

from __future__ import annotations

from domains.city import fog, icing, tunnel_gas, water_pressure
from domains.gas_limits import combustible_alarm_rungs, toxic_alarm_rungs
from domains.model import (
    ConditionKind,
    Direction,
    RuleSpec,
    Severity,
    Text,
    Threshold,
    Window,
    missing_data_rule,
    strictly_below,
)

AREA_ID = "city"

# CMA fog signals and CJ/T 316 draw strict lines ("小于500米", "≥ 0.14 MPa is adequate") while a
# Threshold is inclusive, so those rungs sit at strictly_below(limit).

FOG_SIGNAL = RuleSpec(
    id="city.fog_signal",
    area=AREA_ID,
    subject="visibility",
    kind=ConditionKind.LEVEL_LADDER,
    direction=Direction.BELOW,
    title=Text(en="Fog warning signal", zh="大雾预警信号"),
    message=Text(
        en="{device}: visibility {value} {unit}, {level}. {advice}",
        zh="{device}：能见度 {value} {unit}，{level}。{advice}",
    ),
    thresholds=(
        Threshold(Severity.WARNING, strictly_below(fog.FOG_SIGNAL_BOUNDS_M[2]), fog.SIGNAL_YELLOW),
        Threshold(Severity.MAJOR, strictly_below(fog.FOG_SIGNAL_BOUNDS_M[1]), fog.SIGNAL_ORANGE),
        Threshold(Severity.CRITICAL, strictly_below(fog.FOG_SIGNAL_BOUNDS_M[0]), fog.SIGNAL_RED),
    ),
    # One minute of low visibility before signalling rides out a single patch of fog drifting past
    # the sensor; 50 m of hysteresis (about a forward-scatter sensor's ±10 % at 500 m) keeps the
    # signal from flapping. Both are sensegrid operating choices, not CMA text.
    for_s=60,
    clear_hysteresis=50.0,
    source=(
        "CMA fog warning signals (中国气象局令第16号), observed visibility: yellow < 500 m, orange "
        "< 200 m, red < 50 m (each band closed at its lower end). for_s and hysteresis: sensegrid defaults"
    ),
)

ROAD_ICING = RuleSpec(
    id="city.road_icing",
    area=AREA_ID,
    subject="road_icing",
    kind=ConditionKind.LEVEL_LADDER,
    direction=Direction.ABOVE,
    title=Text(en="Road icing", zh="路面结冰"),
    message=Text(
        en="{device}: road state {level}. {advice}",
        zh="{device}：路面状态 {level}。{advice}",
    ),
    thresholds=(
        Threshold(Severity.WARNING, 1.0, icing.ROAD_SLIPPERY),
        Threshold(Severity.CRITICAL, 2.0, icing.ROAD_ICY),
    ),
    for_s=120,
    configurable_default=True,
    source=(
        "docs/standards.md §2: surface < 0 °C with precipitation or surface water is icy; friction "
        "< 0.70 slippery, < 0.60 ice is a [verify] configurable default example, not a standard"
    ),
)

CH4_COMPARTMENT = RuleSpec(
    id="city.ch4_compartment",
    area=AREA_ID,
    subject="ch4_lel",
    kind=ConditionKind.LEVEL_LADDER,
    direction=Direction.ABOVE,
    title=Text(en="Natural gas in the gas compartment", zh="天然气舱天然气浓度"),
    message=Text(
        en="{device}: natural gas {value} {unit} LEL, {level} (set point {threshold} % LEL). {advice}",
        zh="{device}：天然气 {value} {unit} LEL，{level}（设定值 {threshold} %LEL）。{advice}",
    ),
    thresholds=combustible_alarm_rungs(
        tunnel_gas.FIRST_ALARM, tunnel_gas.SECOND_ALARM, first_lel=tunnel_gas.NATURAL_GAS_ALARM_LEL
    ),
    # Gas alarms fire on the first reading at the set point; a small hysteresis avoids chatter
    # from sensor noise around it (sensegrid default).
    clear_hysteresis=2.0,
    source=(
        "GB 50838-2015 §7.5: natural-gas alarm ≤ 20 % LEL (CH4 1 % vol); "
        "GB/T 50493-2019 §5.5.2: second alarm 50 % LEL"
    ),
)

COMBUSTIBLE_GAS = RuleSpec(
    id="city.combustible_gas",
    area=AREA_ID,
    subject="combustible_lel",
    kind=ConditionKind.LEVEL_LADDER,
    direction=Direction.ABOVE,
    title=Text(en="Combustible gas", zh="可燃气体"),
    message=Text(
        en="{device}: combustible gas {value} {unit} LEL, {level}. {advice}",
        zh="{device}：可燃气体 {value} {unit} LEL，{level}。{advice}",
    ),
    thresholds=combustible_alarm_rungs(tunnel_gas.FIRST_ALARM, tunnel_gas.SECOND_ALARM),
    clear_hysteresis=2.0,
    source="GB/T 50493-2019 §5.5.2: combustible first alarm ≤ 25 % LEL, second alarm ≤ 50 % LEL",
)

H2S = RuleSpec(
    id="city.h2s",
    area=AREA_ID,
    subject="h2s",
    kind=ConditionKind.LEVEL_LADDER,
    direction=Direction.ABOVE,
    title=Text(en="Hydrogen sulfide", zh="硫化氢"),
    message=Text(
        en="{device}: H2S {value} {unit}, {level}. {advice}",
        zh="{device}：硫化氢 {value} {unit}，{level}。{advice}",
    ),
    thresholds=toxic_alarm_rungs(tunnel_gas.H2S_OEL_MG_M3, tunnel_gas.FIRST_ALARM, tunnel_gas.SECOND_ALARM),
    clear_hysteresis=1.0,
    source=(
        "GBZ 2.1-2019 Table 1: H2S MAC 10 mg/m³; GB/T 50493-2019 §5.5.2: first 100 % OEL, second 200 % OEL"
    ),
)

CO = RuleSpec(
    id="city.co",
    area=AREA_ID,
    subject="co",
    kind=ConditionKind.LEVEL_LADDER,
    direction=Direction.ABOVE,
    title=Text(en="Carbon monoxide", zh="一氧化碳"),
    message=Text(
        en="{device}: CO {value} {unit}, {level}. {advice}",
        zh="{device}：一氧化碳 {value} {unit}，{level}。{advice}",
    ),
    thresholds=toxic_alarm_rungs(tunnel_gas.CO_OEL_MG_M3, tunnel_gas.FIRST_ALARM, tunnel_gas.SECOND_ALARM),
    clear_hysteresis=2.0,
    source=(
        "GBZ 2.1-2019 Table 1: CO PC-TWA 20 mg/m³ (no MAC); GB/T 50493-2019 §5.5.2 and its toxic-gas "
        "table: first 100 % OEL (20), second 200 % OEL (40 mg/m³)"
    ),
)

O2_LOW = RuleSpec(
    id="city.o2_low",
    area=AREA_ID,
    subject="o2",
    kind=ConditionKind.THRESHOLD,
    direction=Direction.BELOW,
    title=Text(en="Oxygen deficiency", zh="欠氧"),
    message=Text(
        en="{device}: oxygen {value} {unit}, at or below {threshold} % vol. {advice}",
        zh="{device}：氧气 {value} {unit}，不高于 {threshold} %VOL。{advice}",
    ),
    thresholds=(Threshold(Severity.MAJOR, tunnel_gas.O2_LOW_ALARM, tunnel_gas.O2_LOW),),
    clear_hysteresis=0.3,
    source="GB/T 50493-2019 §5.5.2: oxygen deficiency alarm 19.5 % vol",
)

O2_HIGH = RuleSpec(
    id="city.o2_high",
    area=AREA_ID,
    subject="o2",
    kind=ConditionKind.THRESHOLD,
    direction=Direction.ABOVE,
    title=Text(en="Oxygen enrichment", zh="过氧"),
    message=Text(
        en="{device}: oxygen {value} {unit}, at or above {threshold} % vol. {advice}",
        zh="{device}：氧气 {value} {unit}，不低于 {threshold} %VOL。{advice}",
    ),
    thresholds=(Threshold(Severity.MAJOR, tunnel_gas.O2_HIGH_ALARM, tunnel_gas.O2_HIGH),),
    clear_hysteresis=0.3,
    source="GB/T 50493-2019 §5.5.2: oxygen enrichment alarm 23.5 % vol",
)

WATER_PRESSURE_LOW = RuleSpec(
    id="city.water_pressure_low",
    area=AREA_ID,
    subject="water_pressure",
    kind=ConditionKind.THRESHOLD,
    direction=Direction.BELOW,
    title=Text(en="Low network-end pressure", zh="管网末梢压力不足"),
    message=Text(
        en="{device}: pressure {value} {unit}, below 0.14 MPa. {advice}",
        zh="{device}：压力 {value} {unit}，低于 0.14 MPa。{advice}",
    ),
    thresholds=(
        Threshold(
            Severity.WARNING,
            strictly_below(water_pressure.NETWORK_END_MIN_MPA),
            water_pressure.PRESSURE_LOW,
        ),
    ),
    # Five minutes ride out the pressure transients of pump switching; 0.01 MPa (1 m head) of
    # hysteresis: sensegrid defaults.
    for_s=300,
    clear_hysteresis=0.01,
    source="CJ/T 316-2009: network-end pressure shall be ≥ 0.14 MPa",
)

WATER_PRESSURE_COMPLIANCE = RuleSpec(
    id="city.water_pressure_compliance",
    area=AREA_ID,
    subject="water_pressure_compliance",
    kind=ConditionKind.THRESHOLD,
    direction=Direction.BELOW,
    title=Text(en="Pressure compliance below 97 %", zh="管网压力合格率低于97%"),
    message=Text(
        en="{device}: {value} {unit} of recent pressure readings met 0.14 MPa, target 97 %.",
        zh="{device}：近期压力合格率 {value} {unit}，目标 97%。",
    ),
    thresholds=(
        Threshold(
            Severity.WARNING,
            strictly_below(water_pressure.COMPLIANCE_MIN_PERCENT),
            water_pressure.NON_COMPLIANT,
        ),
    ),
    window=Window.SERIES,
    source="CJ/T 316-2009: pressure compliance rate ≥ 97 %",
)


VISIBILITY_SILENT = missing_data_rule(
    AREA_ID,
    "visibility_silent",
    subject="visibility",
    device=Text(en="Visibility sensor", zh="能见度仪"),
    silence_s=300,
    source="sensegrid operating default: visibility sensors report every minute; a fog signal must "
    "not go stale",
)
ROAD_WEATHER_SILENT = missing_data_rule(
    AREA_ID,
    "road_weather_silent",
    subject="road_surface_temp",
    device=Text(en="Road weather station", zh="路面气象站"),
    silence_s=900,
    source="sensegrid operating default: road weather stations report every 1-5 min",
)
CH4_SILENT = missing_data_rule(
    AREA_ID,
    "ch4_detector_silent",
    subject="ch4_lel",
    device=Text(en="Natural-gas detector", zh="天然气探测器"),
    silence_s=120,
    source="sensegrid operating default: a silent gas detector in a natural-gas compartment leaves a "
    "leak unseen",
)
O2_SILENT = missing_data_rule(
    AREA_ID,
    "o2_detector_silent",
    subject="o2",
    device=Text(en="Oxygen detector", zh="氧气探测器"),
    silence_s=120,
    source="sensegrid operating default: a silent oxygen detector leaves workers in the tunnel unprotected",
)
PRESSURE_SILENT = missing_data_rule(
    AREA_ID,
    "pressure_logger_silent",
    subject="water_pressure",
    device=Text(en="Pressure logger", zh="压力记录仪"),
    silence_s=3600,
    source="sensegrid operating default: pressure loggers often report every 15 min",
)

RULES: tuple[RuleSpec, ...] = (
    FOG_SIGNAL,
    ROAD_ICING,
    CH4_COMPARTMENT,
    COMBUSTIBLE_GAS,
    H2S,
    CO,
    O2_LOW,
    O2_HIGH,
    WATER_PRESSURE_LOW,
    WATER_PRESSURE_COMPLIANCE,
    VISIBILITY_SILENT,
    ROAD_WEATHER_SILENT,
    CH4_SILENT,
    O2_SILENT,
    PRESSURE_SILENT,
)
