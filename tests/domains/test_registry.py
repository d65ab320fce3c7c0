"""The area registry, exercised with a throwaway seventh area registered at run time.

Real areas are discovered alongside it; these tests assert only about their own area, so they do
not depend on which real areas exist.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping

import pytest

from domains import registry
from domains.model import (
    Area,
    ConditionKind,
    IndexInput,
    IndexResult,
    IndexSpec,
    Metric,
    RuleSpec,
    Severity,
    Text,
    Threshold,
)
from domains.registry import UnknownNameError
from domains.simulation import (
    Cycle,
    DeviceProfile,
    Effect,
    EffectOp,
    ExpectedAlert,
    Follows,
    Role,
    Scenario,
    Signal,
)

AREA_ID = "scratch_greenhouse"


def _double_temperature(inputs: Mapping[str, object]) -> IndexResult | None:
    value = inputs.get("leaf_temperature")
    if not isinstance(value, float | int):
        return None
    return IndexResult(value=2.0 * value, level=None)


LEAF_TEMPERATURE = Metric(
    name="leaf_temperature",
    unit="degC",
    title=Text(en="Leaf temperature", zh="叶面温度"),
    plausible=(-40.0, 85.0),
    device_kinds=("leaf_sensor",),
)
DOUBLED = IndexSpec(
    id="doubled_leaf_temperature",
    title=Text(en="Doubled leaf temperature", zh="叶温两倍"),
    inputs=(IndexInput("leaf_temperature"),),
    compute=_double_temperature,
    source="test",
)
TOO_HOT = RuleSpec(
    id=f"{AREA_ID}.too_hot",
    area=AREA_ID,
    subject="leaf_temperature",
    kind=ConditionKind.THRESHOLD,
    title=Text(en="Leaves too hot", zh="叶温过高"),
    message=Text(en="{device}: {value} {unit}", zh="{device}：{value} {unit}"),
    source="test",
    thresholds=(Threshold(Severity.WARNING, 35.0),),
)
SILENT = RuleSpec(
    id=f"{AREA_ID}.silent",
    area=AREA_ID,
    subject="leaf_temperature",
    kind=ConditionKind.MISSING_DATA,
    title=Text(en="Sensor silent", zh="传感器无数据"),
    message=Text(en="{device} silent", zh="{device} 无数据"),
    source="test",
    params={"silence_s": 900},
)
LEAF_PROFILE = DeviceProfile(
    "leaf_sensor", 300.0, (Signal("leaf_temperature", 20.0, diurnal=Cycle(6.0, 13.0), jitter=0.2),)
)
HEAT_WAVE = Scenario(
    id="scratch_heat_wave",
    area=AREA_ID,
    title=Text(en="Heat wave", zh="热浪"),
    story=Text(en="Leaves reach 38 °C for an hour.", zh="叶温升到38 °C并持续一小时。"),
    roles=(Role("leaf", "leaf_sensor", Text(en="Leaf 1", zh="叶片1"), "bed-1", 30.0, 120.0),),
    event_s=600.0,
    duration_s=7200.0,
    effects=(
        Effect(
            "leaf",
            "leaf_temperature",
            EffectOp.SET,
            ((600.0, 25.0), (1800.0, 38.0), (5400.0, 38.0), (7200.0, 22.0)),
        ),
    ),
    expected=(
        ExpectedAlert(f"{AREA_ID}.too_hot", "leaf", Severity.WARNING, "warning", 1800.0, 3600.0, 7200.0),
    ),
)
SCRATCH = Area(
    id=AREA_ID,
    title=Text(en="Scratch greenhouse", zh="测试温室"),
    description=Text(en="A throwaway area for registry tests", zh="用于注册表测试的临时领域"),
    standards=(),
    metrics=(LEAF_TEMPERATURE,),
    indices=(DOUBLED,),
    rules=(TOO_HOT, SILENT),
    device_kinds={"leaf_sensor": Text(en="Leaf sensor", zh="叶面传感器")},
    profiles=(LEAF_PROFILE,),
    scenarios=(HEAT_WAVE,),
)


@pytest.fixture
def scratch_area() -> Iterator[Area]:
    registry.register(SCRATCH)
    try:
        yield SCRATCH
    finally:
        registry.unregister(AREA_ID)


def test_registered_area_is_found_by_every_lookup(scratch_area: Area) -> None:
    assert scratch_area in registry.areas()
    assert registry.area(AREA_ID) is scratch_area
    assert registry.metric(AREA_ID, "leaf_temperature") is LEAF_TEMPERATURE
    assert registry.index(AREA_ID, "doubled_leaf_temperature") is DOUBLED
    assert registry.rule(f"{AREA_ID}.too_hot") is TOO_HOT
    assert {TOO_HOT.id, SILENT.id} <= {r.id for r in registry.rules()}


def test_areas_are_listed_in_id_order(scratch_area: Area) -> None:
    ids = [a.id for a in registry.areas()]
    assert ids == sorted(ids)
    assert AREA_ID in ids


def test_index_found_through_the_registry_computes(scratch_area: Area) -> None:
    spec = registry.index(AREA_ID, "doubled_leaf_temperature")
    result = spec.compute({"leaf_temperature": 21.5})
    assert result is not None and result.value == 43.0
    assert spec.compute({}) is None


def test_unknown_names_say_what_is_known(scratch_area: Area) -> None:
    with pytest.raises(UnknownNameError, match=rf"unknown area 'nowhere'.*{AREA_ID}"):
        registry.area("nowhere")
    with pytest.raises(UnknownNameError, match=r"unknown metric 'leaf_colour'.*known: leaf_temperature"):
        registry.metric(AREA_ID, "leaf_colour")
    with pytest.raises(UnknownNameError, match=r"unknown index 'nope'.*known: doubled_leaf_temperature"):
        registry.index(AREA_ID, "nope")
    with pytest.raises(UnknownNameError, match=rf"unknown rule '{AREA_ID}\.too_cold'"):
        registry.rule(f"{AREA_ID}.too_cold")


def test_unregister_removes_the_area_and_its_rules() -> None:
    registry.register(SCRATCH)
    registry.unregister(AREA_ID)
    assert AREA_ID not in [a.id for a in registry.areas()]
    assert TOO_HOT.id not in {r.id for r in registry.rules()}
    with pytest.raises(UnknownNameError):
        registry.area(AREA_ID)
    registry.unregister(AREA_ID)  # a second time is harmless


def test_register_replaces_an_area_with_the_same_id(scratch_area: Area) -> None:
    renamed = dataclasses.replace(scratch_area, title=Text(en="Renamed", zh="改名"))
    registry.register(renamed)
    assert registry.area(AREA_ID).title.en == "Renamed"
    assert [a.id for a in registry.areas()].count(AREA_ID) == 1


def test_validate_accepts_the_consistent_area() -> None:
    registry.validate(SCRATCH)  # does not raise


def _broken(**changes: object) -> Area:
    return dataclasses.replace(SCRATCH, **changes)  # type: ignore[arg-type]


ORPHAN_RULE = dataclasses.replace(TOO_HOT, id=f"{AREA_ID}.orphan", subject="soil_moisture")
BARN_PROFILE = dataclasses.replace(LEAF_PROFILE, kind="barn_sensor")
SOIL_SIGNAL = Signal("soil_moisture", 24.0)
EARLY_FOLLOWER = Signal("leaf_temperature", 20.0, follows=Follows("air_temperature", 1.0))


@pytest.mark.parametrize(
    ("area", "message"),
    [
        (
            _broken(rules=(TOO_HOT, ORPHAN_RULE)),
            rf"rule {AREA_ID}.orphan watches unknown metric or index 'soil_moisture'",
        ),
        (_broken(metrics=(LEAF_TEMPERATURE, LEAF_TEMPERATURE)), "duplicate metric names: leaf_temperature"),
        (_broken(indices=(DOUBLED, DOUBLED)), "duplicate index names: doubled_leaf_temperature"),
        (_broken(rules=(TOO_HOT, TOO_HOT)), rf"duplicate rule names: {AREA_ID}.too_hot"),
        (
            _broken(rules=(dataclasses.replace(TOO_HOT, area="city"),)),
            rf"rule {AREA_ID}.too_hot says area 'city', lives in '{AREA_ID}'",
        ),
        (
            _broken(indices=(dataclasses.replace(DOUBLED, inputs=(IndexInput("air_temperature"),)),)),
            "index doubled_leaf_temperature reads unknown metric air_temperature",
        ),
        (
            _broken(metrics=(dataclasses.replace(LEAF_TEMPERATURE, plausible=(85.0, -40.0)),)),
            "metric leaf_temperature has an empty plausible range",
        ),
        (
            _broken(rules=(dataclasses.replace(TOO_HOT, device_kinds=("leaf_sensor", "barn_sensor")),)),
            rf"rule {AREA_ID}.too_hot is scoped to unknown device kinds barn_sensor; known: leaf_sensor",
        ),
        (
            _broken(profiles=(LEAF_PROFILE, BARN_PROFILE)),
            "profile barn_sensor: not a device kind of the area",
        ),
        (
            _broken(profiles=(dataclasses.replace(LEAF_PROFILE, signals=(SOIL_SIGNAL,)),)),
            "profile leaf_sensor: unknown metric soil_moisture",
        ),
        (
            _broken(profiles=(dataclasses.replace(LEAF_PROFILE, signals=(EARLY_FOLLOWER,)),)),
            "leaf_temperature follows air_temperature, which must come before it",
        ),
        (
            _broken(
                scenarios=(
                    dataclasses.replace(
                        HEAT_WAVE, expected=(dataclasses.replace(HEAT_WAVE.expected[0], rule="x.y"),)
                    ),
                )
            ),
            "scenario scratch_heat_wave expects unknown rule x.y",
        ),
        (
            _broken(
                scenarios=(
                    dataclasses.replace(
                        HEAT_WAVE, effects=(dataclasses.replace(HEAT_WAVE.effects[0], role="stem"),)
                    ),
                )
            ),
            "scenario scratch_heat_wave: a change names unknown role stem",
        ),
    ],
    ids=[
        "rule on unknown metric",
        "duplicate metric",
        "duplicate index",
        "duplicate rule",
        "rule of another area",
        "index on unknown metric",
        "empty plausible range",
        "rule scoped to a device kind the area lacks",
        "profile of a device kind the area lacks",
        "profile signal of an unknown metric",
        "correlated signal before its source",
        "scenario expecting an unknown rule",
        "scenario changing an unknown role",
    ],
)
def test_validate_rejects_an_inconsistent_area_naming_the_problem(area: Area, message: str) -> None:
    with pytest.raises(ValueError, match=rf"area '{AREA_ID}' is inconsistent: .*{message}"):
        registry.validate(area)


def test_rules_may_be_scoped_to_the_areas_own_device_kinds() -> None:
    scoped = dataclasses.replace(TOO_HOT, device_kinds=("leaf_sensor",))
    registry.validate(_broken(rules=(scoped, SILENT)))  # does not raise


def test_device_kind_scope_is_not_checked_when_the_area_declares_no_kinds() -> None:
    scoped = dataclasses.replace(TOO_HOT, device_kinds=("barn_sensor",))
    registry.validate(_broken(rules=(scoped,), device_kinds={}, scenarios=()))  # does not raise


def test_register_refuses_an_inconsistent_area_and_keeps_it_out() -> None:
    with pytest.raises(ValueError, match="watches unknown metric or index 'soil_moisture'"):
        registry.register(_broken(rules=(ORPHAN_RULE,)))
    with pytest.raises(UnknownNameError):
        registry.area(AREA_ID)


def test_validate_lists_every_problem_at_once() -> None:
    area = _broken(metrics=(LEAF_TEMPERATURE, LEAF_TEMPERATURE), rules=(TOO_HOT, ORPHAN_RULE))
    with pytest.raises(ValueError) as excinfo:
        registry.validate(area)
    assert "duplicate metric names" in str(excinfo.value)
    assert "soil_moisture" in str(excinfo.value)


def test_every_device_kind_of_every_area_has_a_simulator_profile() -> None:
    """The simulator plays every kind an area declares; a seventh area must bring its profiles."""
    for area in registry.areas():
        if area.id == AREA_ID:
            continue
        profiled = [p.kind for p in area.profiles]
        assert sorted(profiled) == sorted(area.device_kinds), area.id
