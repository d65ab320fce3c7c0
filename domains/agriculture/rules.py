"""The agriculture area's alert rules, as data: frost, drought, heat stress, ponds, greenhouses, silence."""

from __future__ import annotations

from domains.agriculture import aquaculture, drought, frost, greenhouse, heat_stress
from domains.model import (
    ConditionKind,
    Direction,
    RuleSpec,
    Severity,
    Text,
    Threshold,
    Window,
    missing_data_rule,
    strictly_above,
    strictly_below,
)

AREA_ID = "agriculture"

FROST_SIGNAL = RuleSpec(
    id="agriculture.frost_signal",
    area=AREA_ID,
    subject="frost_signal",
    kind=ConditionKind.LEVEL_LADDER,
    direction=Direction.ABOVE,
    title=Text(en="Frost warning signal", zh="霜冻预警信号"),
    message=Text(
        en="{device}: {level}. {advice}",
        zh="{device}：{level}。{advice}",
    ),
    thresholds=(
        Threshold(Severity.WARNING, 1.0, frost.FROST_BLUE),
        Threshold(Severity.MAJOR, 2.0, frost.FROST_YELLOW),
        Threshold(Severity.CRITICAL, 3.0, frost.FROST_ORANGE),
    ),
    # Ten minutes below the limit before signalling: a single cold gust on a leaf sensor is not a
    # frost (sensegrid default).
    for_s=600,
    source=(
        "CMA frost warning signals, observed: blue < 0 °C, yellow < −3 °C, orange < −5 °C on the "
        "ground minimum or leaf temperature (index frost_signal: 1 blue, 2 yellow, 3 orange)"
    ),
)

DROUGHT = RuleSpec(
    id="agriculture.drought",
    area=AREA_ID,
    subject="relative_soil_moisture",
    kind=ConditionKind.LEVEL_LADDER,
    direction=Direction.BELOW,
    title=Text(en="Agricultural drought", zh="农业干旱"),
    message=Text(
        en="{device}: relative soil moisture {value} {unit}, {level}. {advice}",
        zh="{device}：土壤相对湿度 {value} {unit}，{level}。{advice}",
    ),
    # GB/T 32136 bands are closed at the top (50 < R ≤ 60 is light), which is exactly what an
    # inclusive BELOW rung means, so the limits go in as they are.
    thresholds=(
        Threshold(Severity.INFO, drought.DROUGHT_BOUNDS[3], drought.DROUGHT_LIGHT),
        Threshold(Severity.WARNING, drought.DROUGHT_BOUNDS[2], drought.DROUGHT_MODERATE),
        Threshold(Severity.MAJOR, drought.DROUGHT_BOUNDS[1], drought.DROUGHT_SEVERE),
        Threshold(Severity.CRITICAL, drought.DROUGHT_BOUNDS[0], drought.DROUGHT_EXTREME),
    ),
    # Soil dries over days: an hour of confirmation and 2 points of hysteresis stop an irrigation
    # pulse or a noisy probe from flapping the level (sensegrid defaults).
    for_s=3600,
    clear_hysteresis=2.0,
    configurable_default=True,
    source=(
        "GB/T 32136-2015 §5.2: light ≤ 60, moderate ≤ 50, severe ≤ 40, extreme ≤ 30 % of field "
        "capacity; soil-texture adjustments [verify] configurable default"
    ),
)

HEAT_STRESS = RuleSpec(
    id="agriculture.heat_stress",
    area=AREA_ID,
    subject="thi",
    kind=ConditionKind.LEVEL_LADDER,
    direction=Direction.ABOVE,
    title=Text(en="Livestock heat stress", zh="畜禽热应激"),
    message=Text(
        en="{device}: THI {value}, {level}. {advice}",
        zh="{device}：温湿指数 {value}，{level}。{advice}",
    ),
    thresholds=(
        Threshold(Severity.INFO, heat_stress.THI_BOUNDS[0], heat_stress.THI_MILD),
        Threshold(Severity.WARNING, heat_stress.THI_BOUNDS[1], heat_stress.THI_MODERATE),
        Threshold(Severity.MAJOR, heat_stress.THI_BOUNDS[2], heat_stress.THI_SEVERE),
        Threshold(Severity.CRITICAL, heat_stress.THI_BOUNDS[3], heat_stress.THI_EMERGENCY),
    ),
    for_s=900,
    clear_hysteresis=1.0,
    # Field and greenhouse sensors report the same air temperature; only barns hold livestock.
    device_kinds=("barn_sensor",),
    source=(
        "THI classes (docs/standards.md §3): ≥ 72 mild, ≥ 80 moderate, ≥ 90 severe, ≥ 99 emergency; "
        "dairy herds: lower the first rung to 68"
    ),
)

POND_DO = RuleSpec(
    id="agriculture.pond_do",
    area=AREA_ID,
    subject="dissolved_oxygen",
    kind=ConditionKind.LEVEL_LADDER,
    direction=Direction.BELOW,
    title=Text(en="Pond oxygen low", zh="池塘溶解氧偏低"),
    message=Text(
        en="{device}: dissolved oxygen {value} {unit}, {level} (at or below {threshold} mg/L). {advice}",
        zh="{device}：溶解氧 {value} {unit}，{level}（不高于 {threshold} mg/L）。{advice}",
    ),
    thresholds=(
        Threshold(Severity.WARNING, aquaculture.DO_WARN, aquaculture.DO_LOW),
        Threshold(Severity.MAJOR, aquaculture.DO_ALARM, aquaculture.DO_ALARMING),
        Threshold(Severity.CRITICAL, aquaculture.DO_CRITICAL, aquaculture.DO_CRITICAL_LEVEL),
    ),
    # Oxygen can crash within an hour before dawn: five minutes of confirmation only.
    for_s=300,
    clear_hysteresis=0.3,
    source="GB 11607-89 Table 1 (> 5 mg/L 16 h a day, never < 3 mg/L); warn 5, alarm 4, critical 3 mg/L",
)

POND_DO_DAILY = RuleSpec(
    id="agriculture.pond_do_daily",
    area=AREA_ID,
    subject="pond_do_daily",
    kind=ConditionKind.THRESHOLD,
    direction=Direction.BELOW,
    title=Text(en="Pond oxygen short of 16 h above 5 mg/L", zh="池塘溶解氧大于5 mg/L不足16小时"),
    message=Text(
        en="{device}: only {value} h above 5 mg/L in the last 24 h; GB 11607 asks for 16.",
        zh="{device}：近24小时溶解氧大于5 mg/L仅 {value} 小时，渔业水质标准要求16小时。",
    ),
    thresholds=(
        Threshold(
            Severity.WARNING,
            strictly_below(aquaculture.DO_HOURS_ABOVE_REQUIRED),
            aquaculture.DAY_NON_COMPLIANT,
        ),
    ),
    window=Window.SERIES,
    source="GB 11607-89 Table 1: in any 24 h, > 5 mg/L for at least 16 h",
)

GREENHOUSE_HUMIDITY = RuleSpec(
    id="agriculture.greenhouse_humidity",
    area=AREA_ID,
    subject="relative_humidity",
    kind=ConditionKind.THRESHOLD,
    direction=Direction.ABOVE,
    title=Text(en="Greenhouse humidity: disease risk", zh="温室高湿病害风险"),
    message=Text(
        en="{device}: humidity {value} {unit}, above 85 %. {advice}",
        zh="{device}：湿度 {value} {unit}，高于85%。{advice}",
    ),
    thresholds=(
        Threshold(
            Severity.WARNING,
            strictly_above(greenhouse.TOMATO.disease_rh_above),
            greenhouse.DISEASE_RISK,
        ),
    ),
    # Fungal spores need hours of wet leaves, not a minute of fog from the misting system.
    for_s=7200,
    clear_hysteresis=3.0,
    configurable_default=True,
    device_kinds=("greenhouse_sensor",),
    source="Greenhouse tomato practice: RH > 85 % disease risk — [verify] configurable default",
)

GREENHOUSE_CHILLING = RuleSpec(
    id="agriculture.greenhouse_chilling",
    area=AREA_ID,
    subject="air_temperature",
    kind=ConditionKind.THRESHOLD,
    direction=Direction.BELOW,
    title=Text(en="Greenhouse too cold for tomato", zh="温室低温冷害"),
    message=Text(
        en="{device}: air {value} {unit}, below the 13 °C tomato minimum. {advice}",
        zh="{device}：气温 {value} {unit}，低于番茄最低温度13 °C。{advice}",
    ),
    thresholds=(
        Threshold(
            Severity.MAJOR,
            strictly_below(greenhouse.TOMATO.min_temp_c),
            greenhouse.CHILLING,
        ),
    ),
    for_s=600,
    clear_hysteresis=0.5,
    configurable_default=True,
    device_kinds=("greenhouse_sensor",),
    source="Greenhouse tomato practice: minimum 13 °C — [verify] configurable default",
)


STATION_SILENT = missing_data_rule(
    AREA_ID,
    "station_silent",
    subject="air_temperature",
    device=Text(en="Climate sensor", zh="环境传感器"),
    silence_s=1800,
    source="sensegrid operating default: field, barn and greenhouse sensors report every 1-10 min",
)
SOIL_SILENT = missing_data_rule(
    AREA_ID,
    "soil_probe_silent",
    subject="relative_soil_moisture",
    device=Text(en="Soil probe", zh="土壤墒情传感器"),
    silence_s=3 * 3600,
    source="sensegrid operating default: soil probes often report hourly; three missed reports",
)
FROST_SENSOR_SILENT = missing_data_rule(
    AREA_ID,
    "frost_sensor_silent",
    subject="ground_min_temperature",
    device=Text(en="Ground temperature sensor", zh="地面温度传感器"),
    silence_s=1800,
    source="sensegrid operating default: a frost night must not pass unwatched",
)
DO_SILENT = missing_data_rule(
    AREA_ID,
    "do_probe_silent",
    subject="dissolved_oxygen",
    device=Text(en="Oxygen probe", zh="溶解氧传感器"),
    silence_s=900,
    source="sensegrid operating default: pond oxygen can crash within an hour at night",
)

RULES: tuple[RuleSpec, ...] = (
    FROST_SIGNAL,
    DROUGHT,
    HEAT_STRESS,
    POND_DO,
    POND_DO_DAILY,
    GREENHOUSE_HUMIDITY,
    GREENHOUSE_CHILLING,
    STATION_SILENT,
    SOIL_SILENT,
    FROST_SENSOR_SILENT,
    DO_SILENT,
)
