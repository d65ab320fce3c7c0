"""MQTT notifications on the tests' real Mosquitto: the current alert state of a device retained on
<prefix>/alerts/<area>/<device>, so a road sign that connects later still learns it."""

from __future__ import annotations

import threading
from typing import Any

import orjson
import paho.mqtt.client as mqtt
import psycopg
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion

from alerts.outbox import Dispatcher
from core.settings import Settings
from domains.model import Severity
from sensegrid.ports import free_port
from tests.alerts.notify_rig import add_alert, change, notify_settings, outbox
from tests.broker import Broker


def mqtt_dispatcher(migrated: Settings, broker_url: str, prefix: str, **changes: Any) -> Dispatcher:
    routes = [{"channel": "mqtt", "target": prefix}]
    return Dispatcher(notify_settings(migrated, routes, mqtt_url=broker_url, topic_prefix=prefix, **changes))


def notify(migrated: Settings, broker: Broker, prefix: str) -> list[str]:
    dispatcher = mqtt_dispatcher(migrated, broker.url, prefix)
    try:
        _, outcomes = dispatcher.run_once()
    finally:
        dispatcher.close()
    return [o.status for o in outcomes]


def late_subscriber(broker: Broker, topic: str) -> mqtt.MQTTMessage:
    """Connect now, subscribe, and return the retained message the broker hands over."""
    got: list[mqtt.MQTTMessage] = []
    arrived = threading.Event()
    client = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=MQTTProtocolVersion.MQTTv5)

    def on_message(_c: mqtt.Client, _u: object, msg: mqtt.MQTTMessage) -> None:
        got.append(msg)
        arrived.set()

    client.on_message = on_message
    client.on_connect = lambda c, *_: c.subscribe(topic, qos=1)
    client.connect("127.0.0.1", broker.port)
    client.loop_start()
    try:
        assert arrived.wait(10), f"no retained message on {topic}"
    finally:
        client.disconnect()
        client.loop_stop()
    return got[0]


def test_latest_alert_state_is_retained_and_a_subscriber_connecting_later_receives_it(
    db: psycopg.Connection, migrated: Settings, broker: Broker, topic_prefix: str
) -> None:
    topic = f"{topic_prefix}/alerts/city/vis-k100"
    fog, first = add_alert(db, device="vis-k100", severity=Severity.MAJOR, level="orange")
    assert notify(migrated, broker, topic_prefix) == ["sent"]

    firing = late_subscriber(broker, topic)
    assert firing.retain and firing.qos == 1
    state = orjson.loads(firing.payload)
    assert (state["alert_id"], state["event_id"], state["state"]) == (fog, first, "firing")
    assert state["severity"] == 3
    assert state["title"] == {"en": "Fog", "zh": "大雾"}
    assert [a["alert_id"] for a in state["device_alerts"]] == [fog]

    escalated = change(db, fog, "firing", severity=Severity.CRITICAL, level="red", value=40.0)
    assert notify(migrated, broker, topic_prefix) == ["sent"]
    state = orjson.loads(late_subscriber(broker, topic).payload)
    assert (state["event_id"], state["severity_name"], state["level"], state["value"]) == (
        escalated,
        "critical",
        "red",
        40.0,
    )

    change(db, fog, "resolved")
    assert notify(migrated, broker, topic_prefix) == ["sent"]
    resolved = late_subscriber(broker, topic)
    state = orjson.loads(resolved.payload)
    assert resolved.retain
    assert state["state"] == "resolved"
    assert state["device_alerts"] == [], "nothing is active on the device any more: all clear"


def test_device_topic_keeps_showing_a_firing_alert_when_another_alert_of_the_device_resolves(
    db: psycopg.Connection, migrated: Settings, broker: Broker, topic_prefix: str
) -> None:
    fog, _ = add_alert(db, device="vis-k100", severity=Severity.MAJOR)
    offline, _ = add_alert(db, device="vis-k100", rule_id="city.visibility_silent", severity=Severity.WARNING)
    change(db, offline, "resolved")
    assert notify(migrated, broker, topic_prefix) == ["sent", "sent", "sent"]

    state = orjson.loads(late_subscriber(broker, f"{topic_prefix}/alerts/city/vis-k100").payload)
    assert [(a["alert_id"], a["state"]) for a in state["device_alerts"]] == [(fog, "firing")]


def test_a_late_retry_publishes_the_current_state_not_the_old_one(
    db: psycopg.Connection, migrated: Settings, broker: Broker, topic_prefix: str
) -> None:
    fog, _ = add_alert(db, device="vis-k100", severity=Severity.MAJOR)
    dispatcher = mqtt_dispatcher(migrated, broker.url, topic_prefix)
    dispatcher.route(db)
    change(db, fog, "resolved")  # resolved before the firing event's notification went out
    dispatcher.deliver_one(db)
    dispatcher.close()

    state = orjson.loads(late_subscriber(broker, f"{topic_prefix}/alerts/city/vis-k100").payload)
    assert state["state"] == "resolved"


def test_unreachable_broker_is_retried(db: psycopg.Connection, migrated: Settings, topic_prefix: str) -> None:
    add_alert(db)
    nobody = f"mqtt://127.0.0.1:{free_port()}"
    dispatcher = mqtt_dispatcher(migrated, nobody, topic_prefix, notify_timeout_s=0.5)
    _, outcomes = dispatcher.run_once()
    dispatcher.close()

    assert [o.status for o in outcomes] == ["pending"]
    [row] = outbox(db)
    assert "not connected to the MQTT broker 127.0.0.1" in row["last_error"]
