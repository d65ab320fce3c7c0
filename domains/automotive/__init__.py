"""Automotive electronics: tyre pressures, EV battery thermal runaway, insulation, GB/T 32960 T-box alarms."""

from __future__ import annotations

from domains.automotive.battery_runaway import THERMAL_RUNAWAY_INDEX
from domains.automotive.gbt32960 import GBT32960_ALARM
from domains.automotive.insulation import INSULATION
from domains.automotive.metrics import DEVICE_KINDS, METRICS
from domains.automotive.rules import AREA_ID, RULES
from domains.automotive.simulation import PROFILES, SCENARIOS
from domains.automotive.tpms import TPMS_UNDER_INFLATION
from domains.model import Area, Text

AREA = Area(
    id=AREA_ID,
    title=Text(en="Automotive electronics", zh="汽车电子"),
    description=Text(
        en="Fleet monitoring of passenger cars and EVs: tyre under-inflation (FMVSS 138 / GB 26149), "
        "traction-battery thermal runaway (GB 38031-2025 App. C), insulation resistance (GB 18384), "
        "and the alarm data EV T-boxes report under GB/T 32960.3.",
        zh="乘用车与电动汽车车队监测：轮胎欠压（FMVSS 138 / GB 26149）、动力电池热失控"
        "（GB 38031-2025 附录C）、绝缘电阻（GB 18384）以及车载终端按 GB/T 32960.3 上报的报警数据。",
    ),
    standards=("FMVSS 138", "GB 26149-2017", "GB 38031-2025", "GB/T 32960.3", "GB 18384"),
    metrics=METRICS,
    indices=(TPMS_UNDER_INFLATION, THERMAL_RUNAWAY_INDEX, INSULATION, GBT32960_ALARM),
    rules=RULES,
    device_kinds=DEVICE_KINDS,
    profiles=PROFILES,
    scenarios=SCENARIOS,
)
