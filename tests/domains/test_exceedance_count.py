"""The exceedance_count rule kind: episodes past a limit in a window, judged against rungs on the count."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import pytest

from domains import registry
from domains.dashboards import SEVERITY_COLORS, Band, area_dashboard, metric_bands
from domains.gas_limits import COMBUSTIBLE_FIRST_ALARM_LEL
from domains.model import ConditionKind, Direction, RuleSpec, Severity, Text, Threshold, Window
from domains.rule_kinds import KINDS, input_metrics, kind_of, reads_for
from domains.rule_kinds.base import Evidence, WindowRead
from domains.rule_kinds.exceedance_count import exceedances

HOUR_S = 3600

GAS_REPEATS = RuleSpec(
    id="city.combustible_first_alarm_repeats",
    area="city",
    subject="combustible_lel",
    kind=ConditionKind.EXCEEDANCE_COUNT,
    direction=Direction.ABOVE,
    title=Text(en="Combustible gas alarming again and again", zh="可燃气体反复报警"),
    message=Text(
        en="{device}: combustible gas reached the first alarm {value} times in an hour ({level}). {advice}",
        zh="{device}：一小时内可燃气体 {value} 次达到一级报警（{level}）。{advice}",
    ),
    thresholds=(Threshold(Severity.MAJOR, 4.0),),  # more than 3 times
    params={"limit": COMBUSTIBLE_FIRST_ALARM_LEL, "window_s": HOUR_S},
    configurable_default=True,
    source=(
        "sensegrid configurable default, not a standard's criterion: a detector reaching its first "
        "alarm (GB/T 50493-2019 §5.5.2, ≤ 25 % LEL) more than 3 times in an hour points at a recurring leak"
    ),
)


@contextmanager
def city_with(*rules: RuleSpec) -> Iterator[None]:
    """The city area with `rules` added, for as long as the block runs."""
    city = registry.area("city")
    registry.register(replace(city, rules=(*city.rules, *rules)))
    try:
        yield
    finally:
        registry.register(city)


def _points(*values: float) -> tuple[tuple[float, float], ...]:
    return tuple((1000.0 + 60.0 * i, float(v)) for i, v in enumerate(values))


@pytest.mark.parametrize(
    ("values", "direction", "expected"),
    [
        ((), Direction.ABOVE, 0),
        ((5, 10, 24.9), Direction.ABOVE, 0),
        ((25,), Direction.ABOVE, 1),  # at the limit counts, as a rung is inclusive
        ((30, 31, 40), Direction.ABOVE, 1),  # one run is one episode
        ((30, 5, 30), Direction.ABOVE, 2),
        ((5, 30, 5, 30, 5, 30, 5, 30, 5), Direction.ABOVE, 4),
        ((30, 5, 30, 5, 30, 5, 30), Direction.ABOVE, 4),  # runs at both ends of the window count
        ((30, 20, 10, 20, 30), Direction.BELOW, 1),  # BELOW: readings ≤ limit
        ((20, 30, 25, 30, 10), Direction.BELOW, 3),
    ],
)
def test_an_episode_is_a_run_of_consecutive_readings_past_the_limit(
    values: tuple[float, ...], direction: Direction, expected: int
) -> None:
    assert exceedances(_points(*values), 25.0, direction) == expected


def _judge(values: tuple[float, ...] | None, active: Severity | None = None) -> tuple[Severity | None, str]:
    inputs = {} if values is None else {"combustible_lel": _points(*values)}
    with city_with(GAS_REPEATS):
        verdict = kind_of(GAS_REPEATS).judge(
            GAS_REPEATS, registry.area("city"), Evidence(now=2000.0, inputs=inputs), active
        )
    assert verdict.unit is None and not verdict.details
    return verdict.decision.severity, verdict.decision.reason.en


@pytest.mark.parametrize(
    ("values", "active", "severity", "reason"),
    [
        ((5, 30, 5, 30, 5, 30, 5), None, None, "value 3 meets no threshold"),
        ((5, 30, 5, 30, 5, 30, 5, 30, 5), None, Severity.MAJOR, "value 4 ≥ 4: major"),
        ((30, 5, 30, 5, 30, 5, 30, 5, 30), None, Severity.MAJOR, "value 5 ≥ 4: major"),
        ((5, 30, 5), Severity.MAJOR, None, "value 1 is back below every threshold by more than"),
        ((5, 6), None, None, "value 0 meets no threshold"),
        (None, None, None, "no data"),
        (None, Severity.MAJOR, Severity.MAJOR, "no data; keeping major"),
    ],
)
def test_the_count_is_judged_against_the_rungs_as_any_value(
    values: tuple[float, ...] | None, active: Severity | None, severity: Severity | None, reason: str
) -> None:
    got, why = _judge(values, active)
    assert got is severity and why.startswith(reason)


def test_hysteresis_holds_the_count_like_any_value() -> None:
    held = replace(GAS_REPEATS, clear_hysteresis=1.0)
    with city_with(held):
        kind, city = kind_of(held), registry.area("city")
        three = Evidence(now=2000.0, inputs={"combustible_lel": _points(5, 30, 5, 30, 5, 30, 5)})
        assert kind.judge(held, city, three, Severity.MAJOR).decision.severity is Severity.MAJOR
        assert kind.judge(held, city, three, None).decision.severity is None


def test_it_reads_the_raw_points_of_its_window_of_the_subject_metric() -> None:
    with city_with(GAS_REPEATS):
        city = registry.area("city")
        assert reads_for(GAS_REPEATS, city) == (WindowRead("combustible_lel", Window.SERIES, span_s=3600.0),)
        assert input_metrics(GAS_REPEATS, city) == frozenset({"combustible_lel"})
        assert kind_of(GAS_REPEATS).silence_s(GAS_REPEATS) is None  # readings, not time, change it
        assert kind_of(GAS_REPEATS).applies(GAS_REPEATS, city, "tunnel_gas_detector", {"combustible_lel"})
        assert not kind_of(GAS_REPEATS).applies(GAS_REPEATS, city, "tunnel_gas_detector", {"o2"})


@pytest.mark.parametrize(
    ("params", "subject", "says"),
    [
        ({"window_s": 3600}, "combustible_lel", "params['limit']"),
        ({"limit": 25.0}, "combustible_lel", "params['window_s'] > 0"),
        ({"limit": 25.0, "window_s": 0}, "combustible_lel", "params['window_s'] > 0"),
        ({"limit": 25.0, "window_s": 3600}, "fog_signal", "not of an index"),
    ],
)
def test_the_registry_refuses_a_count_without_its_limit_and_window(
    params: dict[str, float], subject: str, says: str
) -> None:
    broken = replace(GAS_REPEATS, params=params, subject=subject)
    with pytest.raises(ValueError, match=says.replace("[", r"\[").replace("]", r"\]")):
        registry.validate(replace(registry.area("city"), rules=(broken,)))


def test_every_condition_kind_has_its_module() -> None:
    assert set(KINDS) == set(ConditionKind)
    assert all(KINDS[k].kind is k for k in ConditionKind)


def test_the_dashboard_draws_the_limit_on_the_metric_panel() -> None:
    early = replace(GAS_REPEATS, params={**GAS_REPEATS.params, "limit": 10.0})
    drawn = kind_of(early).drawn(early)
    assert drawn is not None and metric_bands((drawn,)) == (
        Band(None, "#2E7D32"),
        Band(10.0, SEVERITY_COLORS[Severity.INFO]),
    )
    with city_with(early):
        dashboard = area_dashboard(registry.area("city"))
    panel = next(p for s in dashboard.sections for p in s.panels if p.metric.name == "combustible_lel")
    assert Band(10.0, SEVERITY_COLORS[Severity.INFO]) in panel.bands
    assert panel.bands[-1].start == 50.0  # the ladder's second alarm still on top
