"""The simulated devices: a demo fleet covering every device kind of every area, and scenario devices.

Nothing here names an area: the fleet is built from the registry (`Area.device_kinds` and
`Area.profiles`), so a seventh area under ``domains/`` joins the fleet without a change here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from domains import registry
from domains.model import Text
from domains.simulation import DeviceProfile, Scenario, Setting

CHINA_STANDARD_TIME_H = 8.0  # every simulated site keeps Beijing time

SIMULATED = "simulated"
"""Device setting set on every simulated device, so a demo can tell its fleet from real devices."""


@dataclass(frozen=True)
class Place:
    """Where a demo device stands: a city, in both languages, and its coordinates."""

    code: str
    name: Text
    latitude: float
    longitude: float


# Cities the demo fleet is spread over, round-robin (coordinates of each city centre).
PLACES: tuple[Place, ...] = (
    Place("beijing", Text(en="Beijing", zh="北京"), 39.90, 116.40),
    Place("shanghai", Text(en="Shanghai", zh="上海"), 31.23, 121.47),
    Place("guangzhou", Text(en="Guangzhou", zh="广州"), 23.13, 113.26),
    Place("chengdu", Text(en="Chengdu", zh="成都"), 30.66, 104.06),
    Place("wuhan", Text(en="Wuhan", zh="武汉"), 30.59, 114.30),
    Place("xian", Text(en="Xi'an", zh="西安"), 34.27, 108.95),
    Place("hangzhou", Text(en="Hangzhou", zh="杭州"), 30.27, 120.16),
    Place("nanning", Text(en="Nanning", zh="南宁"), 22.82, 108.37),
    Place("shenzhen", Text(en="Shenzhen", zh="深圳"), 22.54, 114.06),
    Place("kunming", Text(en="Kunming", zh="昆明"), 25.04, 102.71),
)


@dataclass(frozen=True)
class SimDevice:
    """One simulated device: what registering it takes, which profile plays it, how often it reports.

    `metadata` holds the device settings its area's indices read (SPC limits, placard pressure,
    noise zone…); `scenario` and `role` bind a scenario's device to its part.
    """

    id: str
    area: str
    kind: str
    tenant: str
    name: Text
    site: str
    latitude: float
    longitude: float
    interval_s: float
    metadata: Mapping[str, Setting] = field(default_factory=dict)
    utc_offset_h: float = CHINA_STANDARD_TIME_H
    scenario: str | None = None
    role: str | None = None

    @property
    def profile(self) -> DeviceProfile:
        return profile_of(self.area, self.kind)

    @property
    def metrics(self) -> tuple[str, ...]:
        return tuple(s.metric for s in self.profile.signals)


def profile_of(area_id: str, kind: str) -> DeviceProfile:
    """The simulator profile of a device kind (KeyError naming the kinds that have one)."""
    area = registry.area(area_id)
    for profile in area.profiles:
        if profile.kind == kind:
            return profile
    known = ", ".join(p.kind for p in area.profiles) or "none"
    raise KeyError(f"area {area_id} has no simulator profile for {kind!r}; profiles: {known}")


def all_kinds() -> tuple[tuple[str, str], ...]:
    """Every (area, device kind) of every area, in registry order."""
    return tuple((area.id, kind) for area in registry.areas() for kind in area.device_kinds)


def _device_id(*parts: str) -> str:
    """A device id safe as an MQTT client id and topic level: lower case, hyphens, no '/', '+', '#'."""
    return "-".join(p.replace("_", "-").lower() for p in parts)


def demo_fleet(devices: int, seed: int = 0, tenant: str = "demo") -> list[SimDevice]:
    """`devices` devices covering every device kind of every area (kinds taken in turn), spread over
    the cities of :data:`PLACES`.

    At least one device per kind is needed; a ValueError says how many that is. `seed` turns the
    city each kind starts at, so two seeds give two different maps of the same fleet.
    """
    kinds = all_kinds()
    if devices < len(kinds):
        raise ValueError(
            f"a demo fleet needs at least {len(kinds)} devices, one per device kind of the "
            f"{len(registry.areas())} areas; got {devices}"
        )
    counts: dict[tuple[str, str], int] = {}
    fleet: list[SimDevice] = []
    for i in range(devices):
        area_id, kind = kinds[i % len(kinds)]
        n = counts[(area_id, kind)] = counts.get((area_id, kind), 0) + 1
        place = PLACES[(i + seed) % len(PLACES)]
        title = registry.area(area_id).device_kinds[kind]
        profile = profile_of(area_id, kind)
        fleet.append(
            SimDevice(
                id=_device_id(tenant, area_id, kind, f"{n:04d}"),
                area=area_id,
                kind=kind,
                tenant=tenant,
                name=Text(en=f"{title.en} {n} · {place.name.en}", zh=f"{place.name.zh}{title.zh} {n}"),
                site=f"{place.code}-{area_id}",
                latitude=round(place.latitude + 0.01 * ((n * 7) % 11 - 5), 4),
                longitude=round(place.longitude + 0.01 * ((n * 5) % 11 - 5), 4),
                interval_s=profile.interval_s,
                metadata={**profile.settings, SIMULATED: True},
            )
        )
    return fleet


def scenario_devices(scenario: Scenario, tenant: str = "demo") -> list[SimDevice]:
    """The devices that play `scenario`'s roles, ids ``<tenant>-<scenario>-<role>``."""
    out = []
    for role in scenario.roles:
        profile = profile_of(scenario.area, role.kind)
        out.append(
            SimDevice(
                id=_device_id(tenant, scenario.id, role.role),
                area=scenario.area,
                kind=role.kind,
                tenant=tenant,
                name=role.name,
                site=role.site,
                latitude=role.latitude,
                longitude=role.longitude,
                interval_s=profile.interval_s,
                metadata={**profile.settings, **role.settings, SIMULATED: True},
                scenario=scenario.id,
                role=role.role,
            )
        )
    return out


def with_interval(fleet: Sequence[SimDevice], interval_s: float) -> list[SimDevice]:
    """The fleet with every device reporting every `interval_s` instead of its kind's own interval."""
    if interval_s <= 0:
        raise ValueError(f"the report interval must be > 0 s, got {interval_s!r}")
    return [replace(d, interval_s=interval_s) for d in fleet]
