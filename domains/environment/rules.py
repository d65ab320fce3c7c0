"""The environment area's alert rules, as data: AQI level ladder, PM2.5 exceedance, water class, silence."""

from __future__ import annotations

from domains.environment import aqi_china, hj633_levels
from domains.environment.hj633_iaqi import DEFAULT_EDITION, Row
from domains.environment.metrics import AIR_TEMPERATURE, PM25, WATER_PH
from domains.environment.pm25_daily import PM25_24H_MEAN
from domains.environment.water_quality import CLASS_LEVELS, WaterClass, classes_worse_than
from domains.model import ConditionKind, RuleSpec, Severity, Text, Threshold, missing_data_rule

AREA_ID = "environment"

AQI_CN_LADDER = RuleSpec(
    id=f"{AREA_ID}.aqi_cn_level",
    area=AREA_ID,
    subject=aqi_china.AQI_CN_REALTIME.id,
    kind=ConditionKind.LEVEL_LADDER,
    title=Text(en="Air pollution level (China AQI)", zh="空气污染等级（AQI）"),
    # {coverage}: which pollutants the AQI stands on when it is not all six, e.g.
    # " (PM2.5 only; missing SO2, NO2, CO, O3, PM10)" (docs/standards.md §1.1).
    message=Text(
        en="{device}: AQI {value}{coverage} — {level}. {advice}",
        zh="{device}：空气质量指数 {value}{coverage}，{level}。{advice}",
    ),
    source="HJ 633-2012 Table 2 levels (docs/standards.md §1.1); real-time AQI is reported hourly (§5), "
    "so a level must last one hour before it alerts",
    # One rung per polluted level of HJ 633-2012 Table 2, at the level's lowest (integer) AQI.
    # Heavily and severely polluted are both CRITICAL; domains.conditions.evaluate names the
    # furthest rung met, so at AQI 301 the alert says 严重污染, not 重度污染.
    thresholds=(
        Threshold(Severity.WARNING, 101.0, hj633_levels.LIGHTLY_POLLUTED),
        Threshold(Severity.MAJOR, 151.0, hj633_levels.MODERATELY_POLLUTED),
        Threshold(Severity.CRITICAL, 201.0, hj633_levels.HEAVILY_POLLUTED),
        Threshold(Severity.CRITICAL, 301.0, hj633_levels.SEVERELY_POLLUTED),
    ),
    for_s=3600,
    # Hourly AQI wobbles by a few points around a boundary; 5 points keeps an alert from flapping.
    clear_hysteresis=5.0,
)

# HJ 633-2012 §3 and §4: a pollutant exceeds when its IAQI is above 100, i.e. its concentration is
# above the IAQI-100 breakpoint (PM2.5 24 h: 60 µg/m³ in the 2026 edition, 75 in 2012); exactly
# 60 gives IAQI 100 and does not exceed. The rule reads the 24-h mean of valid periods only (GB
# 3095-2012 §8: 20 valid hours; the pm25_24h_mean index), so too few hours of data never make an
# exceedance; its rung is the next float above the breakpoint (docs/standards.md §1.1, §1.4).
PM25_EXCEEDANCE = RuleSpec(
    id=f"{AREA_ID}.pm25_24h_exceedance",
    area=AREA_ID,
    subject=PM25_24H_MEAN.id,
    kind=ConditionKind.THRESHOLD,
    title=Text(en="PM2.5 24-h mean exceeds the IAQI-100 limit", zh="PM2.5 24小时均值超标"),
    message=Text(
        en="{device}: PM2.5 24-h mean {value} {unit} is above {threshold} {unit} (IAQI above 100).",
        zh="{device}：PM2.5 24小时平均浓度 {value} {unit}，超过 {threshold} {unit}（IAQI大于100）。",
    ),
    source=f"HJ 633 Table 1 PM2.5 24-h breakpoint at IAQI 100, edition {DEFAULT_EDITION.value}; "
    "24-h mean valid with 20 hours, GB 3095-2012 §8 (docs/standards.md §1.1, §1.4)",
    thresholds=(Threshold(Severity.WARNING, aqi_china.exceeding_from(Row.PM25_24H)),),
    # A 24-h mean moves slowly; 2 µg/m³ is enough to stop an hourly re-evaluation from flapping.
    clear_hysteresis=2.0,
)

DEFAULT_TARGET_CLASS = WaterClass.III


def water_class_rule(target: WaterClass = DEFAULT_TARGET_CLASS) -> RuleSpec:
    """An alert when the overall water class is worse than `target` (one rung per worse class).

    The first class below target warns, the next is major, anything further critical. The target
    is the site's water-function class, so it is a configurable default (III).
    """
    worse = classes_worse_than(target)
    ladder = (Severity.WARNING, Severity.MAJOR, Severity.CRITICAL)
    return RuleSpec(
        id=f"{AREA_ID}.water_class_below_target",
        area=AREA_ID,
        subject="water_class",
        kind=ConditionKind.LEVEL_LADDER,
        title=Text(en="Surface water worse than its target class", zh="地表水水质劣于目标类别"),
        message=Text(
            en=f"{{device}}: water quality is {{level}} (target: class {target.name} or better).",
            zh=f"{{device}}：水质为{{level}}（目标：{target.name}类及以上）。",
        ),
        source="GB 3838-2002 Table 1 classes (docs/standards.md §1.3); target class III is a "
        "[verify] configurable default (the site's water-function zone sets it)",
        thresholds=tuple(
            Threshold(ladder[min(i, len(ladder) - 1)], float(c), CLASS_LEVELS[c]) for i, c in enumerate(worse)
        ),
        # Automatic stations typically sample every 4 h: wait for a second sample before alerting.
        for_s=4 * 3600,
        configurable_default=True,
        params={"target_class": int(target)},
    )


# A station's whole report goes silent at once, so each silence rule watches one metric every
# station of that kind sends.
_SILENT_MESSAGE = Text(
    en="{device} has sent no data for longer than {threshold} s.",
    zh="{device} 已超过 {threshold} 秒未上报数据。",
)
AQ_STATION_SILENT = missing_data_rule(
    AREA_ID,
    "aq_station_silent",
    subject=PM25.name,
    device=Text(en="Air-quality station", zh="空气质量监测站"),
    silence_s=2 * 3600,
    message=_SILENT_MESSAGE,
    source="operational default: two missed hourly reports (HJ 633 real-time reports are hourly)",
)
WEATHER_STATION_SILENT = missing_data_rule(
    AREA_ID,
    "weather_station_silent",
    subject=AIR_TEMPERATURE.name,
    device=Text(en="Weather station", zh="气象站"),
    silence_s=10 * 60,
    message=_SILENT_MESSAGE,
    source="operational default: ten missed 1-minute observations (docs/standards.md §7 QC works on "
    "1-minute values)",
)
WATER_STATION_SILENT = missing_data_rule(
    AREA_ID,
    "water_station_silent",
    subject=WATER_PH.name,
    device=Text(en="Water-quality station", zh="水质自动站"),
    silence_s=8 * 3600,
    message=_SILENT_MESSAGE,
    source="operational default: two missed samples of a station sampling every 4 h",
)

RULES: tuple[RuleSpec, ...] = (
    AQI_CN_LADDER,
    PM25_EXCEEDANCE,
    water_class_rule(),
    AQ_STATION_SILENT,
    WEATHER_STATION_SILENT,
    WATER_STATION_SILENT,
)
