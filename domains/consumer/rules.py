"""Consumer alert rules as data: indoor air, comfort, noise, battery end of life, silent monitors."""

from __future__ import annotations

from domains.consumer.battery_health import END_OF_LIFE, END_OF_LIFE_FROM_PERCENT
from domains.consumer.indoor_air import AIR_EXCEEDING, UNCOMFORTABLE
from domains.consumer.noise import (
    DEFAULT_UTC_OFFSET_H,
    DEFAULT_ZONE,
    LEQ_WINDOW_S,
    OVER_LIMIT_FROM_DB,
    OVER_NOISE_LIMIT,
)
from domains.model import (
    ConditionKind,
    Direction,
    RuleSpec,
    Severity,
    Text,
    Threshold,
    Window,
    missing_data_rule,
)

AREA_ID = "consumer"

INDOOR_AIR_EXCEEDANCE = RuleSpec(
    id="consumer.indoor_air_exceedance",
    area=AREA_ID,
    subject="indoor_air_gbt18883",
    kind=ConditionKind.THRESHOLD,
    title=Text(en="Indoor air above GB/T 18883", zh="室内空气质量超标"),
    message=Text(
        en="{device}: {value} indoor air parameter(s) above GB/T 18883-2022. {advice}",
        zh="{device}：{value} 项室内空气指标超过GB/T 18883-2022限值。{advice}",
    ),
    source="GB/T 18883-2022 Table 1 (docs/standards.md §6); CO2, PM2.5, PM10, NO2, CO limits "
    "[verify] configurable default",
    thresholds=(Threshold(Severity.WARNING, 1, AIR_EXCEEDING),),
    configurable_default=True,
)

THERMAL_DISCOMFORT = RuleSpec(
    id="consumer.thermal_discomfort",
    area=AREA_ID,
    subject="thermal_comfort",
    kind=ConditionKind.THRESHOLD,
    title=Text(en="Indoor climate uncomfortable", zh="室内温湿度不适"),
    message=Text(
        en="{device}: temperature or humidity outside the comfort range. {advice}",
        zh="{device}：温度或湿度超出舒适范围。{advice}",
    ),
    source="GB/T 18883-2022 physical parameters — [verify] configurable default (docs/standards.md §6)",
    thresholds=(Threshold(Severity.INFO, 1, UNCOMFORTABLE),),
    for_s=1800,  # a door opened for a minute is not a climate problem
    configurable_default=True,
)

NOISE_OVER_LIMIT = RuleSpec(
    id="consumer.noise_over_limit",
    area=AREA_ID,
    subject="noise_gb3096",
    kind=ConditionKind.THRESHOLD,
    title=Text(en="Noise above the GB 3096 limit", zh="环境噪声超标"),
    message=Text(
        en="{device}: noise {value} dB over the GB 3096-2008 limit. {advice}",
        zh="{device}：噪声超过GB 3096-2008限值 {value} dB。{advice}",
    ),
    # The index value is level − limit. GB 3096-2008 complies at ≤ limit (超标 is above it), so the
    # rung is the next float above 0 dB: exactly at the limit is within it, as the index says.
    source="GB 3096-2008 Table 1 (docs/standards.md §6)",
    thresholds=(Threshold(Severity.WARNING, OVER_LIMIT_FROM_DB, OVER_NOISE_LIMIT),),
    window=Window.SERIES,
    for_s=600,
    clear_hysteresis=1.0,  # sensegrid choice, dB
    params={
        "series_s": int(LEQ_WINDOW_S),
        "noise_zone_class": str(DEFAULT_ZONE),
        "utc_offset_h": DEFAULT_UTC_OFFSET_H,
    },
)

BATTERY_END_OF_LIFE = RuleSpec(
    id="consumer.battery_end_of_life",
    area=AREA_ID,
    subject="battery_soh",
    kind=ConditionKind.THRESHOLD,
    title=Text(en="Battery at end of life", zh="电池寿命终止"),
    message=Text(
        en="{device}: battery health {value} % (< {threshold} %). {advice}",
        zh="{device}：电池健康度 {value}%（低于 {threshold}%）。{advice}",
    ),
    # The convention says "< 80 %": exactly 80 % is still in life, as battery_end_of_life() says,
    # so the rung is the next float below 80.
    source="convention: SOH < 80 % is end of life (docs/standards.md §6)",
    direction=Direction.BELOW,
    thresholds=(Threshold(Severity.WARNING, END_OF_LIFE_FROM_PERCENT, END_OF_LIFE),),
    for_s=86_400,  # SOH estimates wobble with temperature; a day of it is a trend
    clear_hysteresis=2.0,
)

AIR_MONITOR_SILENT = missing_data_rule(
    AREA_ID,
    "air_monitor_silent",
    subject="co2",
    device=Text(en="Indoor air monitor", zh="室内空气监测仪"),
    silence_s=3600,
    severity=Severity.INFO,
    message=Text(
        en="{device} has sent no reading for {threshold} s; check power and Wi-Fi.",
        zh="{device} 已超过 {threshold} 秒未上报数据，请检查电源和网络。",
    ),
    source="sensegrid practice: home devices drop off Wi-Fi; an hour is worth a gentle notice",
)

RULES: tuple[RuleSpec, ...] = (
    INDOOR_AIR_EXCEEDANCE,
    THERMAL_DISCOMFORT,
    NOISE_OVER_LIMIT,
    BATTERY_END_OF_LIFE,
    AIR_MONITOR_SILENT,
)
