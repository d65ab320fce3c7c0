"""How city devices behave for the simulator, and the events it can play on expressways and in tunnels.

Quiet-day levels stay clear of every rule of this area: visibility above 4 km (CMA fog signals
start below 500 m), a dry road with friction above 0.75 (slippery below 0.70), tunnel gas at a
fraction of the GB/T 50493-2019 set points (20 % LEL natural gas, 19.5–23.5 % O2, H2S 10 and CO
20 mg/m³), network-end pressure above 0.2 MPa (CJ/T 316-2009: ≥ 0.14 MPa).
"""

from __future__ import annotations

from domains.city import fog, tunnel_gas
from domains.city.rules import AREA_ID, CH4_COMPARTMENT, COMBUSTIBLE_GAS, FOG_SIGNAL, VISIBILITY_SILENT
from domains.model import Level, Severity, Text
from domains.simulation import (
    Cycle,
    DeviceProfile,
    Effect,
    EffectOp,
    ExpectedAlert,
    Follows,
    Outage,
    Role,
    Scenario,
    Signal,
)

# Mist and haze in the early morning, clearest in the afternoon.
VISIBILITY = Signal(
    "visibility",
    20_000.0,
    diurnal=Cycle(5000.0, 15.0),
    seasonal=Cycle(2500.0, 240),
    wander=2000.0,
    jitter=200.0,
    decimals=0,
)
CH4_LEL = Signal("ch4_lel", 0.4, wander=0.2, jitter=0.1, bounds=(0.0, 100.0), decimals=1)

PROFILES: tuple[DeviceProfile, ...] = (
    DeviceProfile("visibility_sensor", 60.0, (VISIBILITY,)),
    DeviceProfile(
        "road_weather_station",
        60.0,
        (
            VISIBILITY,
            Signal(
                "air_temperature",
                15.0,
                diurnal=Cycle(6.0, 14.5),
                seasonal=Cycle(12.0, 200),
                wander=1.0,
                jitter=0.05,
            ),
            # Moist air about 7 °C above its dew point (RH near 63 %).
            Signal("relative_humidity", 63.0, wander=3.0, jitter=0.5, bounds=(10.0, 100.0), decimals=1),
            Signal("dew_point", 8.0, follows=Follows("air_temperature", 1.0), wander=0.8, jitter=0.05),
            Signal("wind_speed", 3.0, diurnal=Cycle(1.0, 14.5), wander=0.8, jitter=0.3, bounds=(0.0, 75.0)),
            # Asphalt runs warmer than the air by day; a dry road does not ice even below 0 °C.
            Signal(
                "road_surface_temp",
                16.0,
                diurnal=Cycle(9.0, 14.0),
                seasonal=Cycle(13.0, 200),
                wander=1.5,
                jitter=0.1,
            ),
            Signal("precipitation_intensity", 0.0, bounds=(0.0, 500.0), decimals=1),
            Signal("water_film_thickness", 0.0, bounds=(0.0, 50.0)),
            Signal("friction", 0.82, wander=0.015, jitter=0.004, bounds=(0.0, 1.0), decimals=3),
        ),
    ),
    DeviceProfile(
        "tunnel_gas_detector",
        30.0,
        (
            CH4_LEL,
            # A catalytic combustible-gas sensor sees the same methane.
            Signal(
                "combustible_lel",
                0.5,
                follows=Follows("ch4_lel", 1.0),
                jitter=0.1,
                bounds=(0.0, 100.0),
                decimals=1,
            ),
            # Methane displaces air: 100 % LEL is 5 % by volume, so O2 falls 0.0105 % vol per % LEL.
            Signal("o2", 20.9, follows=Follows("ch4_lel", -0.0105), wander=0.05, jitter=0.02),
            Signal("h2s", 0.15, wander=0.05, jitter=0.02, bounds=(0.0, 1000.0), decimals=3),
            Signal("co", 1.2, wander=0.3, jitter=0.1, bounds=(0.0, 2000.0)),
            # Underground: cool and damp all year, hardly a daily cycle.
            Signal("air_temperature", 21.0, seasonal=Cycle(4.0, 220), wander=0.3, jitter=0.05),
            Signal("relative_humidity", 72.0, wander=3.0, jitter=0.5, bounds=(10.0, 100.0), decimals=1),
        ),
    ),
    DeviceProfile(
        "pressure_logger",
        300.0,
        # Highest at night when demand is low.
        (Signal("water_pressure", 0.32, diurnal=Cycle(0.04, 3.0), wander=0.015, jitter=0.003, decimals=3),),
    ),
)

_MIN = 60.0

# --- fog bank ------------------------------------------------------------------------------------

_FOG_ARRIVES_S = 1800.0
_FOG_STEP_S = 1200.0  # the bank drifts 6 km in 20 minutes, about 18 km/h
_FOG_POSTS = ("K120", "K126", "K132", "K138", "K144")
# Thinnest visibility at each post: the core of the bank (red, < 50 m) is at the middle post.
_FOG_CORE_M = (320.0, 120.0, 35.0, 120.0, 320.0)
_FOG_SIGNAL_AT: dict[float, tuple[Severity, Level]] = {
    320.0: (Severity.WARNING, fog.SIGNAL_YELLOW),
    120.0: (Severity.MAJOR, fog.SIGNAL_ORANGE),
    35.0: (Severity.CRITICAL, fog.SIGNAL_RED),
}


def _fog_at(arrives: float, core_m: float) -> tuple[tuple[float, float], ...]:
    """Visibility as the bank passes one post: thickening for 15 min, 20 min at its core, 15 min
    to lift (blended into the post's own visibility at both ends)."""
    return (
        (arrives, 4000.0),
        (arrives + 5 * _MIN, 1500.0),
        (arrives + 10 * _MIN, 600.0),
        (arrives + 15 * _MIN, core_m),
        (arrives + 35 * _MIN, core_m),
        (arrives + 40 * _MIN, 900.0),
        (arrives + 45 * _MIN, 3000.0),
        (arrives + 50 * _MIN, 9000.0),
    )


def _fog_roles() -> tuple[Role, ...]:
    return tuple(
        Role(
            post.lower(),
            "visibility_sensor",
            Text(en=f"G42 Shanghai–Chengdu Expressway {post}", zh=f"沪蓉高速 {post} 能见度仪"),
            f"g42-{post.lower()}",
            31.70 + 0.02 * i,
            119.90 + 0.06 * i,
        )
        for i, post in enumerate(_FOG_POSTS)
    )


def _fog_expected() -> tuple[ExpectedAlert, ...]:
    out = []
    for i, (post, core) in enumerate(zip(_FOG_POSTS, _FOG_CORE_M, strict=True)):
        arrives = _FOG_ARRIVES_S + i * _FOG_STEP_S
        severity, level = _FOG_SIGNAL_AT[core]
        out.append(
            ExpectedAlert(
                FOG_SIGNAL.id,
                post.lower(),
                severity,
                level.code,
                # Below 500 m about 11 min after the bank arrives, plus the rule's minute.
                fires_by_s=arrives + 16 * _MIN,
                peak_s=arrives + 25 * _MIN,
                # Past 550 m (500 m + 50 m hysteresis) as it lifts.
                clears_by_s=arrives + 40 * _MIN,
            )
        )
    return tuple(out)


FOG_BANK = Scenario(
    id="fog_bank",
    area=AREA_ID,
    title=Text(en="Fog bank drifting along an expressway", zh="团雾沿高速公路移动"),
    story=Text(
        en="A patch of radiation fog drifts east along the G42 at about 18 km/h. At each of five "
        "visibility sensors 6 km apart, visibility falls within a quarter of an hour: yellow "
        "(< 500 m) at the edges, orange (< 200 m) next in, red (< 50 m) in the core; twenty minutes "
        "later the fog lifts there and reaches the next sensor.",
        zh="一团辐射雾以约18公里/小时的速度沿沪蓉高速向东移动。间隔6公里的五台能见度仪依次在一刻钟内"
        "能见度骤降：边缘为黄色（<500米），向内为橙色（<200米），雾核处为红色（<50米）；二十分钟后该处雾散，"
        "团雾抵达下一台。",
    ),
    roles=_fog_roles(),
    event_s=_FOG_ARRIVES_S,
    duration_s=_FOG_ARRIVES_S + (len(_FOG_POSTS) - 1) * _FOG_STEP_S + 41 * _MIN,
    effects=tuple(
        Effect(
            post.lower(),
            "visibility",
            EffectOp.SET,
            _fog_at(_FOG_ARRIVES_S + i * _FOG_STEP_S, core),
            blend_s=5 * _MIN,
        )
        for i, (post, core) in enumerate(zip(_FOG_POSTS, _FOG_CORE_M, strict=True))
    ),
    expected=_fog_expected(),
    demo_overrides={FOG_SIGNAL.id: {"for_s": 10}},
)

# --- tunnel gas leak -------------------------------------------------------------------------------

_LEAK_S = 1800.0
# Methane (% LEL) added at the detector next to the leak and at the one 200 m downstream, as the
# leak grows, the valve is shut and the fans purge the compartment (every 2 minutes).
_LEAK_NEAR = (0.0, 12.0, 28.0, 44.0, 57.0, 60.0, 42.0, 20.0, 7.0, 2.0, 0.0)
_LEAK_DOWNSTREAM = (0.0, 5.0, 14.0, 24.0, 30.0, 32.0, 24.0, 12.0, 4.0, 1.0, 0.0)


def _leak(start: float, amounts: tuple[float, ...]) -> tuple[tuple[float, float], ...]:
    return tuple((start + 2 * _MIN * i, a) for i, a in enumerate(amounts))


def _detector(role: str, chainage: str, offset: float) -> Role:
    return Role(
        role,
        "tunnel_gas_detector",
        Text(en=f"Utility tunnel gas compartment {chainage}", zh=f"综合管廊天然气舱 {chainage}"),
        "xiongan-tunnel-gas",
        39.03 + offset,
        115.92,
    )


TUNNEL_GAS_LEAK = Scenario(
    id="tunnel_gas_leak",
    area=AREA_ID,
    title=Text(en="Natural-gas leak in a utility tunnel", zh="综合管廊天然气泄漏"),
    story=Text(
        en="A flange in the natural-gas compartment starts to leak. The detector beside it passes the "
        "first alarm (20 % LEL, GB 50838) within four minutes and the second alarm (50 % LEL) within "
        "eight; the one 200 m downstream reaches the first alarm. The valve is shut and the fans purge "
        "the compartment; both detectors fall back below their set points, the one 400 m away never "
        "reaches one.",
        zh="天然气舱内一处法兰开始泄漏。其旁的探测器四分钟内超过一级报警（20 %LEL，GB 50838），八分钟内"
        "超过二级报警（50 %LEL）；下游200米的探测器达到一级报警。关阀并启动风机排风后，两台探测器回落到"
        "报警值以下，400米外的探测器始终未达到报警值。",
    ),
    roles=(
        _detector("near", "0+100", 0.0),
        _detector("downstream", "0+300", 0.002),
        _detector("far", "0+500", 0.004),
    ),
    event_s=_LEAK_S,
    duration_s=_LEAK_S + 22 * _MIN,
    effects=(
        Effect("near", "ch4_lel", EffectOp.ADD, _leak(_LEAK_S, _LEAK_NEAR)),
        Effect("downstream", "ch4_lel", EffectOp.ADD, _leak(_LEAK_S + 3 * _MIN, _LEAK_DOWNSTREAM)),
        Effect(
            "far", "ch4_lel", EffectOp.ADD, _leak(_LEAK_S + 6 * _MIN, tuple(a / 6 for a in _LEAK_DOWNSTREAM))
        ),
    ),
    # The combustible-gas sensor sees the same methane, so both rules alarm on both detectors.
    expected=tuple(
        ExpectedAlert(
            rule.id,
            role,
            severity,
            level.code,
            fires_by_s=_LEAK_S + fires * _MIN,
            peak_s=_LEAK_S + peak * _MIN,
            clears_by_s=_LEAK_S + clears * _MIN,
        )
        for rule in (CH4_COMPARTMENT, COMBUSTIBLE_GAS)
        for role, severity, level, fires, peak, clears in (
            ("near", Severity.CRITICAL, tunnel_gas.SECOND_ALARM, 5, 10, 15),
            ("downstream", Severity.MAJOR, tunnel_gas.FIRST_ALARM, 11, 13, 18),
        )
    ),
)

# --- a sensor going silent -----------------------------------------------------------------------

_POWER_CUT_S = 1800.0
_POWER_BACK_S = 3600.0

SENSOR_SILENT = Scenario(
    id="sensor_silent",
    area=AREA_ID,
    title=Text(en="A visibility sensor goes silent", zh="能见度仪失联"),
    story=Text(
        en="The solar controller of a visibility sensor on the G60 fails at dusk and the sensor stops "
        "reporting; five minutes later the operators are told it is silent. Half an hour later a "
        "technician restores power and the sensor reports again.",
        zh="沪昆高速一台能见度仪的太阳能控制器在黄昏时故障，仪器停止上报；五分钟后值班人员收到失联告警。"
        "半小时后技术人员恢复供电，仪器重新上报。",
    ),
    roles=(
        Role(
            "sensor",
            "visibility_sensor",
            Text(en="G60 Shanghai–Kunming Expressway K1102", zh="沪昆高速 K1102 能见度仪"),
            "g60-k1102",
            27.73,
            112.35,
        ),
    ),
    event_s=_POWER_CUT_S,
    duration_s=_POWER_BACK_S + 2 * _MIN,
    outages=(Outage("sensor", _POWER_CUT_S, _POWER_BACK_S),),
    expected=(
        ExpectedAlert(
            VISIBILITY_SILENT.id,
            "sensor",
            Severity.WARNING,
            Severity.WARNING.name.lower(),
            fires_by_s=_POWER_CUT_S + 6 * _MIN,
            peak_s=_POWER_CUT_S + 15 * _MIN,
            clears_by_s=_POWER_BACK_S + 2 * _MIN,
        ),
    ),
)

SCENARIOS: tuple[Scenario, ...] = (FOG_BANK, TUNNEL_GAS_LEAK, SENSOR_SILENT)
