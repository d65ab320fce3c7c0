"""Devices' calibration versions (`devices.calibration`): appending one, reading them back."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import orjson
import psycopg
from psycopg.types.json import Jsonb

from core.types import Calibration, CalibrationVersion


def parse_calibration(doc: object) -> Calibration:
    """The stored calibration document of a device, each metric's versions oldest first."""
    if not isinstance(doc, dict):
        return Calibration()
    versions: dict[str, list[CalibrationVersion]] = {}
    for metric, items in doc.items():
        parsed = [
            CalibrationVersion(
                effective_from=datetime.fromisoformat(str(v["effective_from"])).timestamp(),
                gain=float(v.get("gain", 1.0)),
                offset=float(v.get("offset", 0.0)),
                coefficients=tuple(float(c) for c in v.get("coefficients", ())),
            )
            for v in items
        ]
        versions[metric] = sorted(parsed, key=lambda v: v.effective_from)
    return Calibration(versions)


def add_calibration(
    conn: psycopg.Connection,
    device_id: str,
    metric: str,
    effective_from: datetime,
    *,
    gain: float = 1.0,
    offset: float = 0.0,
    coefficients: Sequence[float] = (),
) -> None:
    """Append a calibration version for one metric of a device (earlier versions are kept)."""
    version = {
        "effective_from": effective_from.astimezone(UTC).isoformat(),
        "gain": gain,
        "offset": offset,
        "coefficients": list(coefficients),
    }
    updated = conn.execute(
        """
        UPDATE devices SET calibration = jsonb_set(
            calibration, ARRAY[%(metric)s],
            coalesce(calibration -> %(metric)s, '[]'::jsonb) || %(version)s::jsonb)
        WHERE id = %(device)s
        """,
        {"metric": metric, "version": Jsonb([version]), "device": device_id},
    )
    if updated.rowcount != 1:
        raise LookupError(f"no device {device_id!r}: register it first (`sensegrid devices add`)")


def calibration_history(conn: psycopg.Connection, device_id: str) -> dict[str, list[dict[str, object]]]:
    """Every calibration version of a device, per metric, as stored."""
    row = conn.execute("SELECT calibration FROM devices WHERE id = %s", (device_id,)).fetchone()
    if row is None:
        raise LookupError(f"no device {device_id!r}")
    doc = row[0]
    return orjson.loads(orjson.dumps(doc)) if doc else {}
