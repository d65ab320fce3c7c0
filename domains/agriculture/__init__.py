"""Smart agriculture area: frost, drought, evapotranspiration, livestock heat stress, ponds, greenhouses."""

from __future__ import annotations

from domains.agriculture.aquaculture import POND_DO_DAILY_INDEX, POND_DO_INDEX
from domains.agriculture.drought import DROUGHT_INDEX
from domains.agriculture.et0_index import ET0_INDEX
from domains.agriculture.frost import FROST_SIGNAL_INDEX
from domains.agriculture.greenhouse import GREENHOUSE_TOMATO_INDEX
from domains.agriculture.heat_stress import THI_INDEX
from domains.agriculture.metrics import DEVICE_KINDS, METRICS
from domains.agriculture.rules import AREA_ID, RULES
from domains.agriculture.simulation import PROFILES, SCENARIOS
from domains.model import Area, Text

AREA = Area(
    id=AREA_ID,
    title=Text(en="Smart agriculture", zh="智慧农业"),
    description=Text(
        en=(
            "Field frost and drought, reference evapotranspiration for irrigation, livestock heat "
            "stress, fish-pond dissolved oxygen and greenhouse tomato climate."
        ),
        zh="农田霜冻与干旱、灌溉用参考作物蒸散量、畜禽热应激、鱼塘溶解氧和番茄温室环境。",
    ),
    standards=(
        "CMA frost warning signals",
        "GB/T 32136-2015",
        "FAO-56 (Allen et al. 1998)",
        "THI (NRC 1971 form)",
        "GB 11607-89",
        "Greenhouse tomato practice [verify]",
    ),
    metrics=METRICS,
    indices=(
        FROST_SIGNAL_INDEX,
        DROUGHT_INDEX,
        ET0_INDEX,
        THI_INDEX,
        POND_DO_INDEX,
        POND_DO_DAILY_INDEX,
        GREENHOUSE_TOMATO_INDEX,
    ),
    rules=RULES,
    device_kinds=DEVICE_KINDS,
    profiles=PROFILES,
    scenarios=SCENARIOS,
)
