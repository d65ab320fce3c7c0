"""Smart city area: fog and icing on highways, gas in utility tunnels, pressure in the water network."""

from __future__ import annotations

from domains.city.fog import FOG_SIGNAL_INDEX, TRAFFIC_CONTROL_INDEX
from domains.city.icing import ROAD_ICING_INDEX
from domains.city.metrics import DEVICE_KINDS, METRICS
from domains.city.rules import AREA_ID, RULES
from domains.city.simulation import PROFILES, SCENARIOS
from domains.city.tunnel_gas import TUNNEL_GAS_INDEX
from domains.city.water_pressure import WATER_PRESSURE_COMPLIANCE_INDEX, WATER_PRESSURE_OK_INDEX
from domains.model import Area, Text

AREA = Area(
    id=AREA_ID,
    title=Text(en="Smart city", zh="智慧城市"),
    description=Text(
        en=(
            "Expressway fog and icing (CMA fog signals, driving rules, traffic control levels), "
            "utility-tunnel gas detection and water-supply network pressure."
        ),
        zh="高速公路团雾与结冰（大雾预警信号、雾天行驶规定、交通管控等级）、综合管廊气体探测和供水管网压力。",
    ),
    standards=(
        "CMA fog warning signals (中国气象局令第16号)",
        "GB/T 27964-2011",
        "道路交通安全法实施条例 art. 81",
        "GB 50838-2015",
        "GB/T 50493-2019",
        "GBZ 2.1-2019",
        "CJ/T 316-2009",
        "GB 50013",
    ),
    metrics=METRICS,
    indices=(
        FOG_SIGNAL_INDEX,
        TRAFFIC_CONTROL_INDEX,
        ROAD_ICING_INDEX,
        TUNNEL_GAS_INDEX,
        WATER_PRESSURE_OK_INDEX,
        WATER_PRESSURE_COMPLIANCE_INDEX,
    ),
    rules=RULES,
    device_kinds=DEVICE_KINDS,
    profiles=PROFILES,
    scenarios=SCENARIOS,
)
