"""The simulator's tests on the real services: the alerts tests' rig of real ingest and evaluator."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from core.settings import Settings
from sim.publish import MqttSender
from tests.alerts.conftest import alert_rig
from tests.ingest.conftest import rig_settings

__all__ = ["alert_rig", "rig_settings"]  # fixtures of the ingest and alerts tests, used here

TENANT = "sim"
MONTH_S = 30 * 86_400


@pytest.fixture
def alert_settings(rig_settings: Settings) -> Settings:
    """The alerts rig's settings (as in tests/alerts), with newest readings up to a month old still
    current: scenario history is published backdated, and a drought's first signs are days old."""
    return rig_settings.model_copy(
        update={"alerts_tick_s": 0.3, "alerts_shards": 4, "alerts_sweep_s": 0.0, "alerts_max_age_s": MONTH_S}
    )


@pytest.fixture
def sender(alert_settings: Settings) -> Iterator[MqttSender]:
    """The simulator's own MQTT connection to the test broker, under the test's topic prefix."""
    s = MqttSender(alert_settings)
    s.connect()
    yield s
    s.close()
