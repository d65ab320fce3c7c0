"""The MQTT topics ingest reads (`<prefix>/<device_id>/telemetry` and `…/status`) and status payloads."""

from __future__ import annotations

import orjson

TELEMETRY = "telemetry"
STATUS = "status"
_KINDS = (TELEMETRY, STATUS)
_STATUS_WORDS = {"online": True, "offline": False, "1": True, "0": False, "true": True, "false": False}


class TopicScheme:
    """The topics under one configured prefix (SENSEGRID_TOPIC_PREFIX, possibly several levels)."""

    __slots__ = ("_prefix_parts",)

    def __init__(self, prefix: str) -> None:
        prefix = prefix.strip("/")
        self._prefix_parts = prefix.split("/") if prefix else []

    def parse(self, topic: str) -> tuple[str, str] | None:
        """(device id, "telemetry" or "status") of `<prefix>/<device_id>/<kind>`, else None."""
        parts = topic.split("/")
        n = len(self._prefix_parts)
        if len(parts) != n + 2 or parts[:n] != self._prefix_parts or parts[-1] not in _KINDS:
            return None
        return (parts[n], parts[-1]) if parts[n] else None


def parse_status(payload: bytes) -> bool | None:
    """True/False from a status message ("online"/"offline", or JSON {"status": ...}); None if neither."""
    text = payload.decode("utf-8", "replace").strip()
    if text.startswith("{"):
        try:
            doc = orjson.loads(payload)
        except orjson.JSONDecodeError:
            return None
        value = doc.get("status", doc.get("online")) if isinstance(doc, dict) else None
        if isinstance(value, bool):
            return value
        text = str(value) if value is not None else ""
    return _STATUS_WORDS.get(text.strip('"').lower())
