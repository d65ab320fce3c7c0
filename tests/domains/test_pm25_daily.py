"""The PM2.5 24-h exceedance rule judges only a valid 24-h mean (GB 3095-2012 §8: 20 valid hours)."""

from __future__ import annotations

import math

from domains import registry
from domains.conditions import evaluate
from domains.environment.pm25_daily import PM25_24H_MEAN
from domains.model import Severity
from tests.domains.validity_rig import full_hours, invalid, station

ABOVE_LIMIT = 80.0  # µg/m³: IAQI 106 on the 2026 edition, an exceedance when the day is valid
RULE = registry.rule("environment.pm25_24h_exceedance")


def _judge(valid_hours: int, minutes: float = 60) -> tuple[float | None, Severity | None]:
    hours = full_hours(range(24 - valid_hours, 24), ABOVE_LIMIT, minutes)
    result = PM25_24H_MEAN.compute(station("pm25", hours))
    assert result is not None
    return result.value, evaluate(RULE, result.value).severity


def test_twenty_valid_hours_make_a_day_and_the_rule_fires() -> None:
    value, severity = _judge(20)
    assert value is not None and math.isclose(value, ABOVE_LIMIT)
    assert severity is Severity.WARNING


def test_nineteen_valid_hours_are_not_a_day_and_say_why() -> None:
    value, severity = _judge(19)
    assert value is None and severity is None
    result = PM25_24H_MEAN.compute(station("pm25", full_hours(range(5, 24), ABOVE_LIMIT)))
    assert invalid(result)["pm25_24h"] == {
        "en": "PM2.5 24 h: 19 of 20 required hours",
        "zh": "PM2.5 24小时：有效小时 19，需 20",
    }


def test_hours_short_of_45_minutes_do_not_count() -> None:
    assert _judge(24, minutes=44) == (None, None)
    assert _judge(20, minutes=45)[1] is Severity.WARNING


def test_the_rule_reads_hourly_means_and_their_sampling_minutes() -> None:
    assert RULE.subject == PM25_24H_MEAN.id
    assert {(i.metric, i.window) for i in PM25_24H_MEAN.inputs} == {
        ("pm25", "hourly_means"),
        ("pm25", "hourly_minutes"),
    }
