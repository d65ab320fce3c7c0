"""Consumer electronics: indoor air (GB/T 18883), comfort, environmental noise (GB 3096), battery health."""

from __future__ import annotations

from domains.consumer.indoor_air import INDOOR_AIR, THERMAL_COMFORT
from domains.consumer.metrics import DEVICE_KINDS, METRICS
from domains.consumer.noise import NOISE
from domains.consumer.rules import AREA_ID, RULES
from domains.consumer.simulation import PROFILES, SCENARIOS
from domains.model import Area, Text

AREA = Area(
    id=AREA_ID,
    title=Text(en="Consumer electronics", zh="消费电子"),
    description=Text(
        en="Home and personal devices: indoor air quality against GB/T 18883-2022, thermal comfort, "
        "environmental noise against GB 3096-2008, and battery end of life of wearables and speakers.",
        zh="家庭与个人设备：按 GB/T 18883-2022 评价室内空气质量与热舒适，按 GB 3096-2008 评价环境噪声，"
        "以及可穿戴设备和音箱的电池寿命。",
    ),
    standards=("GB/T 18883-2022", "GB 3096-2008"),
    metrics=METRICS,
    indices=(INDOOR_AIR, THERMAL_COMFORT, NOISE),
    rules=RULES,
    device_kinds=DEVICE_KINDS,
    profiles=PROFILES,
    scenarios=SCENARIOS,
)
