"""Devices and series: registration, look-ups for ingest, calibration versions, series ids."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import orjson
import psycopg
from psycopg.types.json import Jsonb

from core.types import Calibration, CalibrationVersion, Device


@dataclass(frozen=True)
class NewDevice:
    """What registering a device takes. `metadata`: device settings (JSON scalars) merged into the
    stored ones on re-registration, so settings added through the API are kept."""

    id: str
    domain: str
    kind: str
    tenant: str = "default"
    name: str = ""
    site: str = ""
    latitude: float | None = None
    longitude: float | None = None
    metadata: Mapping[str, object] = field(default_factory=dict)


_UPSERT = """
INSERT INTO devices (id, tenant, domain, kind, name, site, latitude, longitude, metadata)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (id) DO UPDATE SET tenant = EXCLUDED.tenant, domain = EXCLUDED.domain,
    kind = EXCLUDED.kind, name = EXCLUDED.name, site = EXCLUDED.site,
    latitude = EXCLUDED.latitude, longitude = EXCLUDED.longitude,
    metadata = devices.metadata || EXCLUDED.metadata, active = true
"""


def upsert_devices(conn: psycopg.Connection, devices: Sequence[NewDevice]) -> int:
    """Register devices (or update them when the id exists); returns how many were written."""
    with conn.cursor() as cur:
        cur.executemany(
            _UPSERT,
            [
                (
                    d.id,
                    d.tenant,
                    d.domain,
                    d.kind,
                    d.name,
                    d.site,
                    d.latitude,
                    d.longitude,
                    Jsonb(dict(d.metadata)),
                )
                for d in devices
            ],
        )
    return len(devices)


def _calibration_from_json(doc: object) -> Calibration:
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


def get_devices(conn: psycopg.Connection, ids: Iterable[str]) -> dict[str, Device]:
    """The registered devices among `ids` (unknown ids are simply absent)."""
    rows = conn.execute(
        "SELECT id, tenant, domain, kind, name, site, active, calibration FROM devices WHERE id = ANY(%s)",
        (list(ids),),
    ).fetchall()
    return {
        r[0]: Device(
            id=r[0],
            tenant=r[1],
            domain=r[2],
            kind=r[3],
            name=r[4],
            site=r[5],
            active=r[6],
            calibration=_calibration_from_json(r[7]),
        )
        for r in rows
    }


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


def series_ids(conn: psycopg.Connection, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """Ids of the (device, metric) series, creating the missing ones, in one round trip each way."""
    wanted = list(set(pairs))
    if not wanted:
        return {}
    devices = [p[0] for p in wanted]
    metrics = [p[1] for p in wanted]
    conn.execute(
        "INSERT INTO series (device_id, metric) SELECT * FROM unnest(%s::text[], %s::text[]) "
        "ON CONFLICT (device_id, metric) DO NOTHING",
        (devices, metrics),
    )
    rows = conn.execute(
        "SELECT s.device_id, s.metric, s.id FROM series s "
        "JOIN unnest(%s::text[], %s::text[]) AS w(device_id, metric) USING (device_id, metric)",
        (devices, metrics),
    ).fetchall()
    return {(r[0], r[1]): r[2] for r in rows}


@dataclass(frozen=True)
class DeviceRow:
    """A device as listed to operators."""

    id: str
    tenant: str
    domain: str
    kind: str
    name: str
    site: str
    active: bool
    last_seen: datetime | None


def list_devices(
    conn: psycopg.Connection, *, area: str | None = None, tenant: str | None = None, limit: int = 100
) -> list[DeviceRow]:
    """Devices ordered by id, optionally of one area and/or tenant."""
    rows = conn.execute(
        "SELECT id, tenant, domain, kind, name, site, active, last_seen FROM devices "
        "WHERE (%(area)s::text IS NULL OR domain = %(area)s) "
        "AND (%(tenant)s::text IS NULL OR tenant = %(tenant)s) ORDER BY id LIMIT %(limit)s",
        {"area": area, "tenant": tenant, "limit": limit},
    ).fetchall()
    return [DeviceRow(*r) for r in rows]
