"""Putting a simulated fleet into the database: its devices registered, its scenarios' compression set."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import psycopg

from alerts.overrides import set_override
from sim.fleet import SimDevice
from store.device_registry import NewDevice, upsert_devices


def registration(device: SimDevice) -> NewDevice:
    """How a simulated device is registered: its settings as metadata, its name in both languages
    (the one name field reads "zh · en"; the metadata keeps each)."""
    return NewDevice(
        id=device.id,
        domain=device.area,
        kind=device.kind,
        tenant=device.tenant,
        name=f"{device.name.zh} · {device.name.en}",
        site=device.site,
        latitude=device.latitude,
        longitude=device.longitude,
        metadata={**device.metadata, "name_en": device.name.en, "name_zh": device.name.zh},
    )


def register_fleet(conn: psycopg.Connection, devices: Sequence[SimDevice]) -> int:
    """Register (or update) the devices so ingest accepts their readings; how many were written."""
    return upsert_devices(conn, [registration(d) for d in devices])


def apply_overrides(
    conn: psycopg.Connection, tenant: str, overrides: Mapping[str, Mapping[str, object]], *, by: str
) -> int:
    """Set each rule's override document for `tenant` (tenant scope), e.g. the scenarios' time
    compression from :func:`sim.scenarios.demo_overrides`; how many were set."""
    for rule_id, document in overrides.items():
        set_override(
            conn,
            tenant=tenant,
            rule_id=rule_id,
            scope="tenant",
            scope_value="",
            document=dict(document),
            updated_by=by,
        )
    return len(overrides)
