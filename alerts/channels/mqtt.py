"""MQTT channel: the current alert state of a device, retained on `<prefix>/alerts/<area>/<device>`.

A highway message sign, a PLC or a dashboard subscribes to the topics of its segment
(``sensegrid/alerts/city/+``) and, being retained, gets the present state the moment it connects,
even after a power cut. Messages are state, not history: each publish carries the alert that just
changed *as it is now* plus ``device_alerts``, every firing or acknowledged alert of that device,
so a device with a fog alert still shows it after its unrelated offline alert resolves, and a
late retry can never bring back a state that is over. An empty ``device_alerts`` means all clear.

Published with QoS 1 and retain on the broker of SENSEGRID_MQTT_URL; the route's target is the
topic prefix. An alert without a device uses ``-`` as the device level.
"""

from __future__ import annotations

import threading
import uuid

import orjson
import paho.mqtt.client as mqtt
import psycopg
from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode, MQTTProtocolVersion

from alerts.channels import DeliveryError, alert_payload
from core.settings import Settings
from store.outbox import OutboxItem, active_device_alerts, latest_event


def alert_topic(prefix: str, area: str, device_id: str | None) -> str:
    """Where the state of a device's alerts is retained."""
    return f"{prefix}/alerts/{area}/{device_id or '-'}"


class MqttChannel:
    """One connection to the broker for the dispatcher's lifetime (paho reconnects it)."""

    def __init__(self, settings: Settings) -> None:
        self.timeout_s = settings.notify_timeout_s
        endpoint = settings.mqtt
        self.broker = f"{endpoint.host}:{endpoint.port}"
        self._connected = threading.Event()
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id=f"sensegrid-notify-{uuid.uuid4().hex[:12]}",
            protocol=MQTTProtocolVersion.MQTTv5 if settings.mqtt_v5 else MQTTProtocolVersion.MQTTv311,
        )
        if endpoint.username:
            self.client.username_pw_set(endpoint.username, endpoint.password)
        if endpoint.tls:
            self.client.tls_set()
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.reconnect_delay_set(min_delay=1, max_delay=30)
        self.client.connect_async(endpoint.host, endpoint.port, keepalive=30)
        self.client.loop_start()

    def _on_connect(self, _c: mqtt.Client, _u: object, _f: object, reason: object, _p: object) -> None:
        if not getattr(reason, "is_failure", False):
            self._connected.set()

    def _on_disconnect(self, _c: mqtt.Client, _u: object, _f: object, _r: object, _p: object) -> None:
        self._connected.clear()

    def deliver(self, item: OutboxItem, conn: psycopg.Connection) -> None:
        latest = latest_event(conn, item.alert_id) if item.alert_id is not None else None
        if latest is None:
            raise DeliveryError(f"alert of outbox row {item.id} no longer exists", permanent=True)
        alert = latest.alert
        message = alert_payload(latest, as_now=True)
        message["device_alerts"] = [
            alert_payload(a, as_now=True) for a in active_device_alerts(conn, alert.area, alert.device_id)
        ]
        topic = alert_topic(item.target, alert.area, alert.device_id)
        if not self._connected.wait(self.timeout_s):
            raise DeliveryError(f"not connected to the MQTT broker {self.broker}")
        info = self.client.publish(topic, orjson.dumps(message), qos=1, retain=True)
        if info.rc != MQTTErrorCode.MQTT_ERR_SUCCESS:
            raise DeliveryError(
                f"publishing to {topic} on {self.broker} failed: {mqtt.error_string(info.rc)}"
            )
        try:
            info.wait_for_publish(timeout=self.timeout_s)
        except (RuntimeError, ValueError) as exc:
            raise DeliveryError(f"publishing to {topic} on {self.broker} failed: {exc}") from None
        if not info.is_published():
            raise DeliveryError(f"{self.broker} did not acknowledge {topic} within {self.timeout_s:g} s")

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()
