"""Every scenario raises exactly the alerts it promises, first as the rules judge its readings (pure),
then through the real pipeline: MQTT → ingest → PostgreSQL → evaluator → alerts.

The pipeline test places the scenario so that it ends now, publishes its readings backdated up to
each moment that matters (the end of its quiet baseline, each alert's fire, peak and clear times)
and checks what operators would see at that moment. Time is compressed for the test as for the
demo: every rule of the area waits at most 1 s (`for_s`), and a silence rule gives the silent
device 1 s once its silence has begun.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from alerts.lifecycle import OPEN_STATES
from alerts.overrides import remove_override, set_override
from domains import registry
from domains.model import ConditionKind
from domains.simulation import Scenario
from sensegrid.sim_fleet import register_fleet
from sim.engine import Simulator
from sim.publish import MqttSender, publish_range
from sim.scenarios import Outcome, ScenarioRun, all_scenarios, place_ending_at, place_starting_at
from store.alert_rows import AlertRow
from tests.alerts.conftest import AlertRig
from tests.sim.conftest import TENANT
from tests.sim.judge import Episode, judge

SEED = 2026
COMPRESSED_FOR_S = 1
OPEN = {s.value for s in OPEN_STATES}
FIRING = {"firing", "acknowledged"}
SCENARIO_IDS = [s.id for s in all_scenarios()]


def _scenario(scenario_id: str) -> Scenario:
    return next(s for s in all_scenarios() if s.id == scenario_id)


def _horizon(scenario: Scenario) -> float:
    """The last scenario second anything is expected at."""
    return max([scenario.duration_s, *(e.clears_by_s or e.peak_s for e in scenario.expected)])


# --- pure: the rules' verdict on the scenario's readings ----------------------------------------


def _problems(run: ScenarioRun, episodes: list[Episode]) -> list[str]:
    outcomes = run.outcomes(TENANT)
    wanted = {(o.rule, o.device) for o in outcomes}
    fired = [e for e in episodes if e.fired is not None]
    found = [f"unexpected {e.rule} on {e.device}" for e in fired if (e.rule, e.device) not in wanted]
    for o in outcomes:
        mine = [e for e in fired if (e.rule, e.device) == (o.rule, o.device)]
        if len(mine) != 1:
            found.append(f"{o.rule} on {o.device}: {len(mine)} alerts, expected one")
            continue
        e = mine[0]
        assert e.fired is not None
        if e.fired > o.fires_by:
            found.append(f"{o.rule} on {o.device} fired {e.fired - o.fires_by:.0f} s late")
        if e.at(o.peak_at) != (o.severity, o.level) or e.peak != o.severity:
            found.append(
                f"{o.rule} on {o.device} at its peak: {e.at(o.peak_at)}, expected {o.severity} {o.level}"
            )
        if o.clears_by is None and e.resolved is not None:
            found.append(f"{o.rule} on {o.device} resolved; expected it still open")
        if o.clears_by is not None and (e.resolved is None or e.resolved > o.clears_by):
            found.append(f"{o.rule} on {o.device} resolved at {e.resolved}, expected by {o.clears_by}")
    return found


@pytest.mark.parametrize("scenario_id", SCENARIO_IDS)
@pytest.mark.parametrize("starts", ["2026-01-15T03:00", "2026-07-15T14:30"])
def test_scenario_raises_exactly_its_expected_alerts_as_the_rules_judge_it(
    scenario_id: str, starts: str
) -> None:
    scenario = _scenario(scenario_id)
    run = place_starting_at(scenario, datetime.fromisoformat(starts).replace(tzinfo=UTC).timestamp())
    devices = run.devices(TENANT)
    sim = Simulator(devices, SEED, [run])
    step = min(60.0, *(d.interval_s for d in devices))
    episodes = judge(sim, run.start, run.at(_horizon(scenario) + 120), step_s=step)
    assert _problems(run, episodes) == []
    quiet = [e for e in episodes if e.opened < run.at(scenario.event_s)]
    assert quiet == [], "nothing may even go pending during the quiet baseline"


# --- through the pipeline -----------------------------------------------------------------------


class ScenarioDriver:
    """Plays one scenario run through MQTT up to the moments that matter, checking alerts at each."""

    def __init__(self, rig: AlertRig, sender: MqttSender, run: ScenarioRun) -> None:
        self.rig, self.sender, self.run = rig, sender, run
        self.sim = Simulator(run.devices(TENANT), SEED, [run])
        self.published_to = run.start
        self.outcomes = run.outcomes(TENANT)

    def publish_until(self, epoch: float, done: Callable[[], bool] = lambda: False) -> None:
        """Publish every reading up to `epoch` and wait until ingest has stored them. Where `epoch`
        is still ahead of the clock, the readings go out in real time, until `epoch` or `done()`."""
        while True:
            target = min(epoch, time.time())
            if target > self.published_to:
                publish_range(self.sender, self.sim, self.published_to, target)
                self.published_to = target
            assert self.sender.wait_acked(30)
            self.rig.ingest.wait_count(self.sender.stats.readings)
            if target >= epoch or done():
                return
            time.sleep(0.3)

    def resolved(self, o: Outcome) -> bool:
        return any(a.state == "resolved" for a in self.rig.alerts(o.rule, o.device))

    def alerts(self) -> list[AlertRow]:
        return [a for a in self.rig.alerts() if a.tenant == TENANT]

    def wait_for(self, o: Outcome, what: str, predicate: Callable[[AlertRow], bool]) -> AlertRow:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            for a in self.rig.alerts(o.rule, o.device):
                if predicate(a):
                    return a
            time.sleep(0.05)
        seen = [(a.state, a.severity, a.level) for a in self.rig.alerts(o.rule, o.device)]
        raise AssertionError(f"{o.rule} on {o.device}: not {what} in 30 s; alerts {seen}")


def _compress(rig: AlertRig, scenario: Scenario) -> None:
    for rule in registry.area(scenario.area).rules:
        if rule.kind is not ConditionKind.MISSING_DATA and rule.for_s > COMPRESSED_FOR_S:
            set_override(
                rig.db,
                tenant=TENANT,
                rule_id=rule.id,
                scope="tenant",
                scope_value="",
                document={"for_s": COMPRESSED_FOR_S},
                updated_by="test",
            )


def _wait_for_the_hour(scenario: Scenario) -> None:
    """Hour-mark scenarios are judged on clock-hour means: the mark must be this hour's start, with
    the scenario's tail and the test itself inside this hour."""
    if scenario.hour_mark_s is None:
        return
    tail = scenario.duration_s - scenario.hour_mark_s + 5
    into = time.time() % 3600
    if into < tail:
        time.sleep(tail - into)
    elif into > 3600 - 90:
        time.sleep(3600 - into + tail)


@pytest.mark.parametrize("scenario_id", SCENARIO_IDS)
def test_scenario_alerts_fire_and_clear_through_the_pipeline(
    scenario_id: str, alert_rig: AlertRig, sender: MqttSender
) -> None:
    scenario = _scenario(scenario_id)
    rig = alert_rig
    _compress(rig, scenario)
    _wait_for_the_hour(scenario)
    run = place_ending_at(scenario, time.time() - 1)
    driver = ScenarioDriver(rig, sender, run)
    register_fleet(rig.db, driver.sim.fleet)
    evaluator = rig.start_evaluator()

    moments: dict[float, list[tuple[str, Outcome | None]]] = {run.at(scenario.event_s): [("quiet", None)]}
    for o in driver.outcomes:
        moments.setdefault(o.fires_by, []).append(("fires", o))
        moments.setdefault(o.peak_at, []).append(("peak", o))
        if o.clears_by is not None:
            moments.setdefault(o.clears_by, []).append(("clears", o))
    silences: dict[str, int] = {}
    for at in sorted(moments):
        clearing = [o for what, o in moments[at] if what == "clears" and o is not None]
        driver.publish_until(at, lambda c=clearing: all(driver.resolved(o) for o in c) and bool(c))
        for what, o in moments[at]:
            if o is None:
                rig.wait_judged(evaluator)
                assert driver.alerts() == [], "nothing fires during the quiet baseline"
            elif what == "fires":
                if registry.rule(o.rule).kind is ConditionKind.MISSING_DATA:
                    silences[o.device] = set_override(
                        rig.db,
                        tenant=TENANT,
                        rule_id=o.rule,
                        scope="device",
                        scope_value=o.device,
                        document={"rungs": [{"severity": o.severity.name.lower(), "value": 1}]},
                        updated_by="test",
                    ).id
                driver.wait_for(o, "firing", lambda a: a.state in FIRING)
            elif what == "peak":
                driver.wait_for(
                    o,
                    f"{o.level}",
                    lambda a, o=o: a.state in FIRING and (a.severity, a.level) == (o.severity, o.level),
                )
            else:
                driver.wait_for(o, "resolved", lambda a: a.state == "resolved")
                if o.device in silences:
                    remove_override(rig.db, silences.pop(o.device))

    fired = [a for a in driver.alerts() if a.fired_at is not None]
    assert sorted({(a.rule_id, a.device_id) for a in fired}) == sorted(
        {(o.rule, o.device) for o in driver.outcomes}
    )
    for o in driver.outcomes:
        (alert,) = [a for a in fired if (a.rule_id, a.device_id) == (o.rule, o.device)]
        highest = max(e.new_severity or 0 for e in rig.events(alert.id))
        assert highest == o.severity, f"{o.rule} on {o.device} reached {highest}, expected {o.severity}"
        if o.clears_by is None:
            assert alert.state in OPEN, (
                f"{o.rule} on {o.device} must stay open: nothing says the hazard is over"
            )
