"""Smart manufacturing: machine vibration zones, SPC run rules, workshop gas exposure and alarms."""

from __future__ import annotations

from domains.manufacturing.exposure import CO_STEL, CO_TWA
from domains.manufacturing.metrics import DEVICE_KINDS, METRICS
from domains.manufacturing.rules import AREA_ID, RULES
from domains.manufacturing.simulation import PROFILES, SCENARIOS
from domains.manufacturing.spc import SPC_VIOLATIONS, VIBRATION_TREND
from domains.manufacturing.vibration import ISO10816_ZONE
from domains.model import Area, Text

AREA = Area(
    id=AREA_ID,
    title=Text(en="Smart manufacturing", zh="智能制造"),
    description=Text(
        en="Condition monitoring of rotating machines (ISO 10816-3 vibration zones), statistical "
        "process control of measured parts (Western Electric / Nelson run rules), and workshop gas "
        "safety (GBZ 2.1-2019 exposure limits, GB/T 50493-2019 detector alarms).",
        zh="旋转机械状态监测（ISO 10816-3 振动分区）、零件测量的统计过程控制（西电/Nelson 判异准则）"
        "以及车间气体安全（GBZ 2.1-2019 职业接触限值、GB/T 50493-2019 探测器报警）。",
    ),
    standards=(
        "ISO 10816-3:2009 / ISO 20816-3",
        "Western Electric Statistical Quality Control Handbook (1956)",
        "Nelson, 'The Shewhart control chart — tests for special causes', JQT 16(4), 1984",
        "GBZ 2.1-2019",
        "GB/T 50493-2019",
    ),
    metrics=METRICS,
    indices=(ISO10816_ZONE, SPC_VIOLATIONS, VIBRATION_TREND, CO_TWA, CO_STEL),
    rules=RULES,
    device_kinds=DEVICE_KINDS,
    profiles=PROFILES,
    scenarios=SCENARIOS,
)
