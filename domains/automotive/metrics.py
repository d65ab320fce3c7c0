"""What vehicles report: tyre pressures and temperatures (TPMS), traction battery state, GB/T 32960 alarms."""

from __future__ import annotations

from collections.abc import Mapping

from domains.automotive.tpms import TYRES
from domains.model import Metric, Text

DEVICE_KINDS: Mapping[str, Text] = {
    "vehicle_tbox": Text(en="Vehicle telematics box (GB/T 32960 T-box)", zh="车载终端（T-box）"),
    "tpms": Text(en="Tyre-pressure monitoring system", zh="胎压监测系统"),
}

_TYRE_NAMES: Mapping[str, Text] = {
    "fl": Text(en="front left", zh="左前"),
    "fr": Text(en="front right", zh="右前"),
    "rl": Text(en="rear left", zh="左后"),
    "rr": Text(en="rear right", zh="右后"),
}

TYRE_PRESSURES: tuple[Metric, ...] = tuple(
    Metric(
        name=f"tyre_pressure_{pos}",
        unit="kPa",
        title=Text(en=f"Tyre pressure, {_TYRE_NAMES[pos].en}", zh=f"{_TYRE_NAMES[pos].zh}轮胎气压"),
        # Passenger placards are 200–300 kPa; TPMS sensors measure up to about 900 kPa.
        plausible=(0.0, 1000.0),
        device_kinds=("tpms", "vehicle_tbox"),
        source="FMVSS 138; GB 26149-2017 (docs/standards.md §5)",
    )
    for pos in TYRES
)

TYRE_TEMPERATURES: tuple[Metric, ...] = tuple(
    Metric(
        name=f"tyre_temperature_{pos}",
        unit="degC",
        title=Text(en=f"Tyre temperature, {_TYRE_NAMES[pos].en}", zh=f"{_TYRE_NAMES[pos].zh}轮胎温度"),
        plausible=(-40.0, 150.0),
        device_kinds=("tpms",),
    )
    for pos in TYRES
)

CELL_VOLTAGE_MIN = Metric(
    name="cell_voltage_min",
    unit="V",
    title=Text(en="Lowest cell voltage", zh="最低单体电压"),
    # Lithium-ion chemistries stay below 5 V per cell.
    plausible=(0.0, 5.0),
    device_kinds=("vehicle_tbox",),
    source="GB/T 32960.3 extreme values; GB 38031-2025 App. C (a) (docs/standards.md §5)",
)

CELL_VOLTAGE_MAX = Metric(
    name="cell_voltage_max",
    unit="V",
    title=Text(en="Highest cell voltage", zh="最高单体电压"),
    plausible=(0.0, 5.0),
    device_kinds=("vehicle_tbox",),
    source="GB/T 32960.3 extreme values (docs/standards.md §5)",
)

PACK_VOLTAGE = Metric(
    name="pack_voltage",
    unit="V",
    title=Text(en="Traction pack voltage", zh="动力电池总电压"),
    plausible=(0.0, 1000.0),  # GB/T 32960.3 total voltage field: 0–1000 V
    device_kinds=("vehicle_tbox",),
)

PACK_TEMPERATURE = Metric(
    name="pack_temperature",
    unit="degC",
    title=Text(en="Highest battery temperature", zh="最高电池温度"),
    # GB/T 32960.3 temperature fields span −40…210 °C; a runaway pack must stay "plausible" so the
    # detector sees it, hence the full field range.
    plausible=(-40.0, 210.0),
    device_kinds=("vehicle_tbox",),
    source="GB/T 32960.3 extreme values; GB 38031-2025 App. C (b), (c) (docs/standards.md §5)",
    description=Text(
        en="The hottest temperature probe of the traction battery.",
        zh="动力电池各温度探针中的最高值。",
    ),
)

PACK_TEMPERATURE_MIN = Metric(
    name="pack_temperature_min",
    unit="degC",
    title=Text(en="Lowest battery temperature", zh="最低电池温度"),
    plausible=(-40.0, 210.0),  # GB/T 32960.3 temperature field: 0–250 with a 40 °C offset
    device_kinds=("vehicle_tbox",),
    source="GB/T 32960.3 extreme values (最低温度值) (docs/standards.md §5)",
    description=Text(
        en="The coldest temperature probe of the traction battery; with the hottest it gives the "
        "spread GB/T 32960.3 alarms on (temperature difference).",
        zh="动力电池各温度探针中的最低值；与最高值之差即温度差异报警所判的温差。",
    ),
)

PACK_CURRENT = Metric(
    name="pack_current",
    unit="A",
    title=Text(en="Traction pack current", zh="动力电池总电流"),
    # GB/T 32960.3 total current field: 0–20 000 × 0.1 A with a 1000 A offset, so −1000…+1000 A
    # (negative while charging or recuperating).
    plausible=(-1000.0, 1000.0),
    device_kinds=("vehicle_tbox",),
    source="GB/T 32960.3 vehicle data (总电流) (docs/standards.md §5)",
)

VEHICLE_SPEED = Metric(
    name="vehicle_speed",
    unit="km/h",
    title=Text(en="Vehicle speed", zh="车速"),
    plausible=(0.0, 220.0),  # GB/T 32960.3 speed field: 0–2200 × 0.1 km/h
    device_kinds=("vehicle_tbox",),
    source="GB/T 32960.3 vehicle data (车速) (docs/standards.md §5)",
)

SOC = Metric(
    name="soc",
    unit="percent",
    title=Text(en="State of charge", zh="荷电状态（SOC）"),
    plausible=(0.0, 100.0),
    device_kinds=("vehicle_tbox",),
)

INSULATION_RESISTANCE = Metric(
    name="insulation_resistance",
    unit="ohm",
    title=Text(en="Insulation resistance", zh="绝缘电阻"),
    plausible=(0.0, 60_000_000.0),  # GB/T 32960.3 insulation field: 0–60 000 kΩ
    device_kinds=("vehicle_tbox",),
    source="GB 18384 [verify] (docs/standards.md §5)",
)

GBT32960_ALARM_LEVEL = Metric(
    name="gbt32960_alarm_level",
    unit="dimensionless",
    title=Text(en="Highest alarm level (GB/T 32960.3)", zh="最高报警等级"),
    plausible=(0.0, 255.0),  # 0–3, 0xFE abnormal, 0xFF invalid
    device_kinds=("vehicle_tbox",),
    source="GB/T 32960.3 alarm data (docs/standards.md §5)",
)

GBT32960_ALARM_FLAGS = Metric(
    name="gbt32960_alarm_flags",
    unit="dimensionless",
    title=Text(en="General alarm flags (GB/T 32960.3)", zh="通用报警标志"),
    plausible=(0.0, 4_294_967_295.0),  # a 32-bit word, exact in double precision
    device_kinds=("vehicle_tbox",),
    source="GB/T 32960.3 alarm data (docs/standards.md §5)",
)

METRICS: tuple[Metric, ...] = (
    *TYRE_PRESSURES,
    *TYRE_TEMPERATURES,
    CELL_VOLTAGE_MIN,
    CELL_VOLTAGE_MAX,
    PACK_VOLTAGE,
    PACK_TEMPERATURE,
    PACK_TEMPERATURE_MIN,
    PACK_CURRENT,
    VEHICLE_SPEED,
    SOC,
    INSULATION_RESISTANCE,
    GBT32960_ALARM_LEVEL,
    GBT32960_ALARM_FLAGS,
)
