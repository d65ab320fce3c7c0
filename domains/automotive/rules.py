"""Automotive alert rules as data: TPMS, runaway, insulation, pack temperature, SOC, T-box alarms, silence."""

from __future__ import annotations

from domains.automotive.battery_runaway import DEFAULT_MAX_OPERATING_TEMP_C, THERMAL_RUNAWAY
from domains.automotive.gbt32960 import ALARM_LEVELS
from domains.automotive.insulation import INSULATION_LOW, LOW_FROM_OHM_PER_VOLT, Circuit
from domains.automotive.tpms import DEFAULT_PLACARD_KPA, DROP_FRACTION, MINIMUM_ACTIVATION_KPA, UNDER_INFLATED
from domains.model import (
    ConditionKind,
    Direction,
    RuleSpec,
    Severity,
    Text,
    Threshold,
    Window,
    missing_data_rule,
)

AREA_ID = "automotive"

TPMS_UNDER_INFLATION = RuleSpec(
    id="automotive.tpms_under_inflation",
    area=AREA_ID,
    subject="tpms_under_inflation",
    kind=ConditionKind.THRESHOLD,
    title=Text(en="Tyre under-inflated", zh="轮胎欠压"),
    message=Text(
        en="{device}: {value} tyre(s) at or below the warning pressure. {advice}",
        zh="{device}：{value} 个轮胎气压达到或低于报警值。{advice}",
    ),
    source="FMVSS 138 S4.2 (25 % below placard, or 140 kPa, whichever is higher); 140 kPa and "
    "GB 26149-2017 thresholds [verify] configurable default (docs/standards.md §5)",
    thresholds=(Threshold(Severity.WARNING, 1, UNDER_INFLATED),),
    # FMVSS 138 allows up to 20 minutes; one minute only rides out a single bad radio frame.
    for_s=60,
    configurable_default=True,
    params={
        "drop_fraction": DROP_FRACTION,
        "minimum_kpa": MINIMUM_ACTIVATION_KPA,
        "placard_kpa": DEFAULT_PLACARD_KPA,
    },
)

THERMAL_RUNAWAY_ALARM = RuleSpec(
    id="automotive.thermal_runaway",
    area=AREA_ID,
    subject="thermal_runaway",
    kind=ConditionKind.COMPOSITE,
    title=Text(en="Battery thermal runaway", zh="动力电池热失控"),
    message=Text(
        en="{device}: battery thermal runaway detected. {advice}",
        zh="{device}：检测到动力电池热失控。{advice}",
    ),
    source="GB 38031-2025 App. C: (a) voltage drop > 25 % or (b) T ≥ maker's maximum operating "
    "temperature, and (c) dT/dt ≥ 1 °C/s for > 3 s (docs/standards.md §5)",
    thresholds=(Threshold(Severity.CRITICAL, 1, THERMAL_RUNAWAY),),
    window=Window.SERIES,
    # GB 38031 wants the warning ≥ 5 min before danger: no pending time, and the alert is held
    # for a minute of samples so a runaway that has already tripped is not missed between ticks.
    params={"series_s": 60, "max_operating_temp_c": DEFAULT_MAX_OPERATING_TEMP_C},
)

INSULATION_LOW_ALARM = RuleSpec(
    id="automotive.insulation_low",
    area=AREA_ID,
    subject="insulation_ohm_per_volt",
    kind=ConditionKind.THRESHOLD,
    title=Text(en="Insulation resistance too low", zh="绝缘电阻过低"),
    message=Text(
        en="{device}: insulation {value} Ω/V < {threshold} Ω/V. {advice}",
        zh="{device}：绝缘电阻 {value} Ω/V，低于 {threshold} Ω/V。{advice}",
    ),
    source="GB 18384: ≥ 100 Ω/V for DC circuits — [verify] configurable default (docs/standards.md §5)",
    direction=Direction.BELOW,
    # GB 18384 asks for at least 100 Ω/V: exactly 100 passes; the rung is the next float below it.
    thresholds=(Threshold(Severity.CRITICAL, LOW_FROM_OHM_PER_VOLT[Circuit.DC], INSULATION_LOW),),
    for_s=10,  # insulation monitors settle for a few seconds after the contactors close
    clear_hysteresis=10.0,  # sensegrid choice, Ω/V
    configurable_default=True,
)

PACK_TEMPERATURE_HIGH = RuleSpec(
    id="automotive.pack_temperature_high",
    area=AREA_ID,
    subject="pack_temperature",
    kind=ConditionKind.LEVEL_LADDER,
    title=Text(en="Battery temperature high", zh="动力电池温度过高"),
    message=Text(
        en="{device}: battery at {value} {unit}, at or above {threshold} {unit} ({level}).",
        zh="{device}：电池温度 {value} {unit}，达到 {threshold} {unit}（{level}）。",
    ),
    source="maker's limits; sensegrid defaults: warning 5 °C below, major at the maximum operating "
    "temperature of GB 38031-2025 App. C (b) — [verify] configurable default (docs/standards.md §5)",
    thresholds=(
        Threshold(Severity.WARNING, DEFAULT_MAX_OPERATING_TEMP_C - 5.0),
        Threshold(Severity.MAJOR, DEFAULT_MAX_OPERATING_TEMP_C),
    ),
    for_s=30,
    clear_hysteresis=2.0,
    configurable_default=True,
)

SOC_LOW = RuleSpec(
    id="automotive.soc_low",
    area=AREA_ID,
    subject="soc",
    kind=ConditionKind.LEVEL_LADDER,
    title=Text(en="Battery charge low", zh="电量低"),
    message=Text(
        en="{device}: state of charge {value} % (≤ {threshold} %). Plan a charge.",
        zh="{device}：剩余电量 {value}%（≤ {threshold}%），请安排充电。",
    ),
    source="sensegrid defaults (no standard value; GB/T 32960.3 leaves SOC-low to the maker) — "
    "configurable default",
    direction=Direction.BELOW,
    thresholds=(Threshold(Severity.WARNING, 20.0), Threshold(Severity.MAJOR, 10.0)),
    for_s=60,
    clear_hysteresis=2.0,
    configurable_default=True,
)

GBT32960_ALARM_LEVEL = RuleSpec(
    id="automotive.gbt32960_alarm",
    area=AREA_ID,
    subject="gbt32960_alarm",
    kind=ConditionKind.LEVEL_LADDER,
    title=Text(en="Vehicle fault reported", zh="车辆上报故障"),
    message=Text(
        en="{device} reports a {level}. {advice}",
        zh="{device} 上报{level}。{advice}",
    ),
    source="GB/T 32960.3 alarm data, highest alarm level 1–3 (docs/standards.md §5)",
    thresholds=(
        Threshold(Severity.WARNING, 1, ALARM_LEVELS[1]),
        Threshold(Severity.MAJOR, 2, ALARM_LEVELS[2]),
        Threshold(Severity.CRITICAL, 3, ALARM_LEVELS[3]),
    ),
)

# GB/T 32960.3 real-time reports come at most 30 s apart; ten missed reports is a fault, not a
# pause. A parked vehicle logs out and goes quiet on purpose (MQTT status offline).
TBOX_SILENT = missing_data_rule(
    AREA_ID,
    "tbox_silent",
    subject="pack_voltage",
    device=Text(en="Vehicle T-box", zh="车载终端"),
    silence_s=300,
    message=Text(
        en="{device} has sent no data for {threshold} s while logged in.",
        zh="{device} 登入状态下已超过 {threshold} 秒未上报数据。",
    ),
    source="GB/T 32960.3 real-time reporting interval ≤ 30 s; silence threshold is sensegrid's",
    offline_is_silence=False,
)

RULES: tuple[RuleSpec, ...] = (
    TPMS_UNDER_INFLATION,
    THERMAL_RUNAWAY_ALARM,
    INSULATION_LOW_ALARM,
    PACK_TEMPERATURE_HIGH,
    SOC_LOW,
    GBT32960_ALARM_LEVEL,
    TBOX_SILENT,
)
