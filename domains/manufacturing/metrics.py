"""What factory devices report: machine vibration, motor condition, workshop gas, process gauges."""

from __future__ import annotations

from collections.abc import Mapping

from domains.model import Metric, Text

DEVICE_KINDS: Mapping[str, Text] = {
    "vibration_sensor": Text(en="Vibration sensor (bearing housing)", zh="振动传感器（轴承座）"),
    "motor_monitor": Text(en="Motor condition monitor", zh="电机状态监测器"),
    "gas_detector": Text(en="Workshop gas detector", zh="车间气体探测器"),
    "gauge": Text(en="In-process gauge", zh="在线量仪"),
}

VIBRATION_VELOCITY_RMS = Metric(
    name="vibration_velocity_rms",
    unit="mm/s",
    title=Text(en="Vibration velocity (r.m.s.)", zh="振动速度有效值"),
    # Zone D starts at 4.5–11 mm/s; 100 mm/s leaves room for a machine shaking itself apart while
    # rejecting a sensor that reports counts instead of mm/s.
    plausible=(0.0, 100.0),
    device_kinds=("vibration_sensor", "motor_monitor"),
    source="ISO 10816-3 / ISO 20816-3 (docs/standards.md §4)",
    description=Text(
        en="Broadband velocity r.m.s. (10–1000 Hz) on a bearing housing, the quantity ISO 10816-3 zones.",
        zh="轴承座上的宽带（10–1000 Hz）振动速度有效值，即 ISO 10816-3 分区所用的量。",
    ),
)

BEARING_TEMPERATURE = Metric(
    name="bearing_temperature",
    unit="degC",
    title=Text(en="Bearing temperature", zh="轴承温度"),
    plausible=(-40.0, 200.0),
    device_kinds=("vibration_sensor", "motor_monitor"),
)

MOTOR_TEMPERATURE = Metric(
    name="motor_temperature",
    unit="degC",
    title=Text(en="Motor winding temperature", zh="电机绕组温度"),
    # Insulation class H allows 180 °C; a reading far above means a broken probe.
    plausible=(-40.0, 250.0),
    device_kinds=("motor_monitor",),
)

MOTOR_CURRENT = Metric(
    name="motor_current",
    unit="A",
    title=Text(en="Motor current", zh="电机电流"),
    plausible=(0.0, 10_000.0),
    device_kinds=("motor_monitor",),
)

CO = Metric(
    name="co",
    unit="mg/m^3",
    title=Text(en="Carbon monoxide", zh="一氧化碳"),
    # Industrial CO cells read 0–1000 ppm ≈ 0–1250 mg/m³ at 20 °C.
    plausible=(0.0, 1500.0),
    device_kinds=("gas_detector",),
    source="GBZ 2.1-2019 Table 1 (docs/standards.md §4)",
)

H2S = Metric(
    name="h2s",
    unit="mg/m^3",
    title=Text(en="Hydrogen sulphide", zh="硫化氢"),
    # Industrial H2S cells read 0–100 ppm ≈ 0–150 mg/m³; high-range cells up to 500 ppm.
    plausible=(0.0, 800.0),
    device_kinds=("gas_detector",),
    source="GBZ 2.1-2019 Table 1; GB/T 50493-2019 (docs/standards.md §2, §4)",
)

COMBUSTIBLE_GAS = Metric(
    name="combustible_lel",
    unit="percent",
    title=Text(en="Combustible gas (% LEL)", zh="可燃气体（%LEL）"),
    plausible=(0.0, 100.0),
    device_kinds=("gas_detector",),
    source="GB/T 50493-2019 (docs/standards.md §2)",
    description=Text(
        en="Concentration as a percentage of the gas's lower explosive limit, not % by volume.",
        zh="以爆炸下限的百分数表示的浓度，而非体积百分数。",
    ),
)

PART_DIAMETER = Metric(
    name="part_diameter",
    unit="mm",
    title=Text(en="Part diameter", zh="零件直径"),
    plausible=(0.0, 10_000.0),
    device_kinds=("gauge",),
    source="SPC run rules (docs/standards.md §4)",
    description=Text(
        en="A measured characteristic of each part, charted with SPC run rules.",
        zh="每个零件的测量特性，用SPC判异准则监控。",
    ),
)

METRICS: tuple[Metric, ...] = (
    VIBRATION_VELOCITY_RMS,
    BEARING_TEMPERATURE,
    MOTOR_TEMPERATURE,
    MOTOR_CURRENT,
    CO,
    H2S,
    COMBUSTIBLE_GAS,
    PART_DIAMETER,
)
