"""Choosing scenarios, placing them on the clock, and what each run must show operators.

A scenario (``domains.simulation.Scenario``) is a story in seconds from its own start; a
:class:`ScenarioRun` pins that start to an epoch. Place a run to end now and publish its history
(`place_ending_at`, the fast way to show or test it), or to start now and play it live
(`place_starting_at`). Either way its expected alerts come out as device ids and epochs
(`ScenarioRun.outcomes`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from domains import registry
from domains.model import Severity
from domains.simulation import Scenario
from sim.fleet import SimDevice, scenario_devices

HOUR_S = 3600.0


def all_scenarios() -> tuple[Scenario, ...]:
    """Every scenario of every area, in registry order."""
    return tuple(s for area in registry.areas() for s in area.scenarios)


def find(scenario_id: str) -> Scenario:
    """The scenario called `scenario_id` (KeyError listing the known ones)."""
    for s in all_scenarios():
        if s.id == scenario_id:
            return s
    known = ", ".join(s.id for s in all_scenarios())
    raise KeyError(f"unknown scenario {scenario_id!r}; scenarios: {known}")


@dataclass(frozen=True)
class Outcome:
    """An alert a run must raise, in the terms an operator sees: device, rule, severity and level,
    firing by `fires_by` (epoch s), at its peak at `peak_at`, resolved by `clears_by` (None: still
    open at the end of the run)."""

    device: str
    rule: str
    severity: Severity
    level: str
    fires_by: float
    peak_at: float
    clears_by: float | None


@dataclass(frozen=True)
class ScenarioRun:
    """A scenario pinned to the clock: its second 0 is the epoch `start`."""

    scenario: Scenario
    start: float

    def at(self, scenario_s: float) -> float:
        """The epoch of a scenario second."""
        return self.start + scenario_s

    @property
    def end(self) -> float:
        return self.at(self.scenario.duration_s)

    def devices(self, tenant: str = "demo") -> list[SimDevice]:
        """The devices that play this run (see :func:`sim.fleet.scenario_devices`)."""
        return scenario_devices(self.scenario, tenant)

    def outcomes(self, tenant: str = "demo") -> list[Outcome]:
        """The run's expected alerts, on the devices of `tenant`."""
        ids = {d.role: d.id for d in self.devices(tenant)}
        return [
            Outcome(
                device=ids[e.role],
                rule=e.rule,
                severity=e.severity,
                level=e.level,
                fires_by=self.at(e.fires_by_s),
                peak_at=self.at(e.peak_s),
                clears_by=None if e.clears_by_s is None else self.at(e.clears_by_s),
            )
            for e in self.scenario.expected
        ]


def _on_the_hour(scenario: Scenario, start: float, later: bool) -> float:
    """`start` moved (later, or earlier) so the scenario's hour mark falls on a clock hour."""
    if scenario.hour_mark_s is None:
        return start
    mark = start + scenario.hour_mark_s
    hour = math.ceil(mark / HOUR_S) if later else math.floor(mark / HOUR_S)
    return hour * HOUR_S - scenario.hour_mark_s


def place_ending_at(scenario: Scenario, end: float) -> ScenarioRun:
    """The run that ends at `end` (or up to an hour before it, to put its hour mark on the hour)."""
    return ScenarioRun(scenario, _on_the_hour(scenario, end - scenario.duration_s, later=False))


def place_starting_at(scenario: Scenario, start: float) -> ScenarioRun:
    """The run that starts at `start` (or up to an hour after it, to put its hour mark on the hour)."""
    return ScenarioRun(scenario, _on_the_hour(scenario, start, later=True))


def demo_overrides(runs: Iterable[ScenarioRun]) -> dict[str, Mapping[str, object]]:
    """Rule id → override document the demo applies for its tenant: each run's time compression.

    Where two scenarios compress the same rule, the shorter `for_s` wins.
    """
    merged: dict[str, dict[str, object]] = {}
    for run in runs:
        for rule_id, document in run.scenario.demo_overrides.items():
            current = merged.setdefault(rule_id, {})
            for key, value in document.items():
                if key == "for_s" and isinstance(value, int | float) and "for_s" in current:
                    held = current["for_s"]
                    current[key] = min(value, held) if isinstance(held, int | float) else value
                else:
                    current[key] = value
    return dict(merged)


def fleet_of(runs: Sequence[ScenarioRun], tenant: str = "demo") -> list[SimDevice]:
    """The devices of all `runs` (each scenario's devices once, even if it runs twice)."""
    seen: set[str] = set()
    out: list[SimDevice] = []
    for run in runs:
        for device in run.devices(tenant):
            if device.id not in seen:
                seen.add(device.id)
                out.append(device)
    return out
