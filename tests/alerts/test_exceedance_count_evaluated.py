"""An exceedance_count rule through real ingest and the real evaluator, and its overrides."""

from __future__ import annotations

import time
from collections.abc import Iterator

import psycopg
import pytest

from alerts.overrides import apply_override, parse_override
from domains.model import Severity
from store.device_registry import NewDevice, upsert_devices
from tests.alerts.conftest import AlertRig
from tests.domains.test_exceedance_count import GAS_REPEATS, city_with

RULE = GAS_REPEATS.id
DETECTOR = NewDevice("gas-1", "city", "tunnel_gas_detector", tenant="t1", name="Tunnel 1 gas", site="T1")


@pytest.fixture
def gas_rule(db: psycopg.Connection) -> Iterator[None]:
    """The city area with the repeated-first-alarm rule (set up before the evaluator starts)."""
    with city_with(GAS_REPEATS):
        upsert_devices(db, [DETECTOR])
        yield


def _episodes(count: int, end: float) -> list[tuple[float, dict[str, float]]]:
    """`count` first alarms (30 % LEL) between quiet readings, one reading a minute up to `end`."""
    values = [5.0, *[v for _ in range(count) for v in (30.0, 5.0)]]
    start = end - 60.0 * (len(values) - 1)
    return [(start + 60.0 * i, {"combustible_lel": v}) for i, v in enumerate(values)]


def test_four_first_alarms_in_an_hour_fire_and_a_raised_rung_clears_it(
    gas_rule: None, alert_rig: AlertRig
) -> None:
    evaluator = alert_rig.start_evaluator()
    now = time.time()
    alert_rig.publish_many("gas-1", _episodes(3, now - 300))
    alert_rig.wait_until(lambda: alert_rig.ingest.count() >= 7, what="three episodes stored")
    alert_rig.wait_judged(evaluator)
    assert alert_rig.alerts(RULE, "gas-1") == []  # three times is not more than three

    alert_rig.publish_many(
        "gas-1", [(now - 120, {"combustible_lel": 31.0}), (now - 60, {"combustible_lel": 4.0})]
    )
    fired = alert_rig.wait_alert(RULE, "gas-1")
    assert fired.severity == Severity.MAJOR and fired.value == 4.0
    assert "first alarm 4 times in an hour" in fired.message_en

    alert_rig.override(RULE, {"rungs": [{"severity": "major", "value": 6}]}, tenant="t1")
    alert_rig.publish("gas-1", {"combustible_lel": 3.0})
    alert_rig.wait_alert(RULE, "gas-1", lambda a: a.state == "resolved", what="resolved under the override")


def test_an_override_of_a_count_rule_is_checked_and_applied_on_the_count() -> None:
    with pytest.raises(ValueError, match="≥ 1"):
        parse_override(GAS_REPEATS, {"rungs": [{"severity": "major", "value": 0}]})
    raised = apply_override(
        GAS_REPEATS,
        parse_override(
            GAS_REPEATS, [{"severity": "critical", "value": 10}, {"severity": "major", "value": 6}]
        ),
    )
    assert raised is not None
    assert [(t.severity, t.value) for t in raised.thresholds] == [
        (Severity.CRITICAL, 10.0),
        (Severity.MAJOR, 6.0),
    ]
    assert raised.params == GAS_REPEATS.params  # the limit and window stay the rule's
