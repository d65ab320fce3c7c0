"""Environment monitoring (环境监测): air quality (China and US AQI), weather, surface-water class.

See README.md in this folder for what the area watches and what each alert means.
"""

from __future__ import annotations

from domains.environment.aqi_china import AQI_CN_DAILY, AQI_CN_REALTIME
from domains.environment.aqi_us import AQI_US
from domains.environment.metrics import DEVICE_KINDS, METRICS
from domains.environment.nowcast import AQI_US_NOWCAST
from domains.environment.pm25_daily import PM25_24H_MEAN
from domains.environment.rules import AREA_ID, RULES
from domains.environment.simulation import PROFILES, SCENARIOS
from domains.environment.validity import DATA_COMPLETENESS
from domains.environment.water_quality import WATER_CLASS
from domains.model import Area, Text

AREA = Area(
    id=AREA_ID,
    title=Text(en="Environment monitoring", zh="环境监测"),
    description=Text(
        en="Ambient air quality (China AQI per HJ 633, US EPA AQI), weather observations and "
        "surface-water quality class (GB 3838-2002) for environmental agencies and operators.",
        zh="环境空气质量（HJ 633 空气质量指数、美国 EPA AQI）、气象观测及地表水水质类别"
        "（GB 3838-2002），服务于生态环境部门和监测站运维单位。",
    ),
    standards=(
        "HJ 633-2012",
        "HJ 633-2026",
        "GB 3095-2012",
        "40 CFR 58 Appendix G (2024)",
        "GB 3838-2002",
        "WMO automatic-station QC / CMA QX/T 118",
    ),
    metrics=METRICS,
    indices=(
        AQI_CN_REALTIME,
        AQI_CN_DAILY,
        AQI_US,
        AQI_US_NOWCAST,
        PM25_24H_MEAN,
        WATER_CLASS,
        DATA_COMPLETENESS,
    ),
    rules=RULES,
    device_kinds=DEVICE_KINDS,
    profiles=PROFILES,
    scenarios=SCENARIOS,
)
