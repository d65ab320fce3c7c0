"""The China AQI levels of HJ 633 (优 … 严重污染), their colours and advice, and the pollutants' names.

docs/standards.md §1.1.
"""

from __future__ import annotations

from collections.abc import Mapping

from domains.model import Level, Severity, Text, require_finite
from domains.scales import band

# Levels, colours and health advice: HJ 633-2012 Table 2 and Appendix A (docs/standards.md §1.1).
# Severity is sensegrid's mapping of the levels onto alert urgency, not part of the standard.
EXCELLENT = Level(
    "excellent",
    Text(en="Excellent", zh="优"),
    None,
    "#00E400",
    Text(en="Air quality is satisfactory; everyone can be active outdoors.", zh="各类人群可正常活动"),
)
GOOD = Level(
    "good",
    Text(en="Good", zh="良"),
    Severity.INFO,
    "#FFFF00",
    Text(
        en="Very few unusually sensitive people should reduce outdoor activity.",
        zh="极少数异常敏感人群应减少户外活动",
    ),
)
LIGHTLY_POLLUTED = Level(
    "lightly_polluted",
    Text(en="Lightly polluted", zh="轻度污染"),
    Severity.WARNING,
    "#FF7E00",
    Text(
        en="Children, the elderly and people with heart or respiratory disease should reduce long, "
        "strenuous outdoor exercise.",
        zh="儿童、老年人及心脏病、呼吸系统疾病患者应减少长时间、高强度的户外锻炼",
    ),
)
MODERATELY_POLLUTED = Level(
    "moderately_polluted",
    Text(en="Moderately polluted", zh="中度污染"),
    Severity.MAJOR,
    "#FF0000",
    Text(
        en="Children, the elderly and people with heart or respiratory disease should avoid long, "
        "strenuous outdoor exercise; everyone else should reduce outdoor exercise.",
        zh="儿童、老年人及心脏病、呼吸系统疾病患者避免长时间、高强度的户外锻炼，一般人群适量减少户外运动",
    ),
)
HEAVILY_POLLUTED = Level(
    "heavily_polluted",
    Text(en="Heavily polluted", zh="重度污染"),
    Severity.CRITICAL,
    "#99004C",
    Text(
        en="Children, the elderly and people with heart or lung disease should stay indoors and stop "
        "outdoor exercise; everyone else should reduce outdoor activity.",
        zh="儿童、老年人和心脏病、肺病患者应停留在室内，停止户外运动，一般人群减少户外运动",
    ),
)
SEVERELY_POLLUTED = Level(
    "severely_polluted",
    Text(en="Severely polluted", zh="严重污染"),
    Severity.CRITICAL,
    "#7E0023",
    Text(
        en="Children, the elderly and the sick should stay indoors and avoid exertion; everyone else "
        "should avoid outdoor activity.",
        zh="儿童、老年人和病人应当留在室内，避免体力消耗，一般人群应避免户外活动",
    ),
)
LEVELS: tuple[Level, ...] = (
    EXCELLENT,
    GOOD,
    LIGHTLY_POLLUTED,
    MODERATELY_POLLUTED,
    HEAVILY_POLLUTED,
    SEVERELY_POLLUTED,
)
LEVEL_UPPER_BOUNDS: tuple[int, ...] = (50, 100, 150, 200, 300)  # HJ 633-2012 Table 2: 0–50, 51–100, ...


def level(aqi: float) -> Level:
    """The AQI level (优 … 严重污染) holding `aqi` (HJ 633-2012 Table 2)."""
    return band(require_finite("AQI", aqi, minimum=0.0), LEVEL_UPPER_BOUNDS, LEVELS)


POLLUTANT_TITLES: Mapping[str, Text] = {
    "so2_1h": Text(en="SO2 1-h", zh="二氧化硫1小时"),
    "so2_24h": Text(en="SO2 24-h", zh="二氧化硫24小时"),
    "no2_1h": Text(en="NO2 1-h", zh="二氧化氮1小时"),
    "no2_24h": Text(en="NO2 24-h", zh="二氧化氮24小时"),
    "co_1h": Text(en="CO 1-h", zh="一氧化碳1小时"),
    "co_24h": Text(en="CO 24-h", zh="一氧化碳24小时"),
    "o3_1h": Text(en="O3 1-h", zh="臭氧1小时"),
    "o3_8h": Text(en="O3 8-h moving average", zh="臭氧8小时滑动平均"),
    "o3_1h_max": Text(en="O3 daily maximum 1-h", zh="臭氧日最大1小时"),
    "o3_8h_max": Text(en="O3 daily maximum 8-h", zh="臭氧日最大8小时滑动平均"),
    "pm25": Text(en="PM2.5", zh="细颗粒物(PM2.5)"),
    "pm10": Text(en="PM10", zh="可吸入颗粒物(PM10)"),
}
"""Display names of the pollutant keys used in AQI details (HJ 633 names in zh)."""
