"""Devices of the caller's tenant: register, read, change, deactivate, list; calibration history."""

from __future__ import annotations

import base64
import binascii
import csv
import io
from collections.abc import Callable, Sequence
from datetime import UTC
from typing import Annotated, TypeVar

from fastapi import APIRouter, Body, Query, Response
from pydantic import ValidationError

from api.deps import Conn, Operator, SettingsDep, Viewer
from api.json_body import json_response
from api.problems import ProblemError, documented
from api.schemas import (
    CalibrationHistory,
    CalibrationVersionIn,
    CalibrationVersionOut,
    Device,
    DeviceCreate,
    DevicePage,
    DeviceStatus,
    DeviceUpdate,
    FieldError,
    ImportResult,
)
from domains import registry
from store import device_registry
from store.calibration import add_calibration, calibration_history

router = APIRouter(prefix="/devices", tags=["devices"])

T = TypeVar("T")


def _out(record: device_registry.DeviceRecord) -> Device:
    return Device(
        id=record.id,
        area=record.area,
        kind=record.kind,
        name=record.name,
        site=record.site,
        latitude=record.latitude,
        longitude=record.longitude,
        metadata=record.metadata,
        active=record.active,
        created_at=record.created_at,
        last_seen=record.last_seen,
        online=record.online,
        status=record.status,
    )


def _not_found(device_id: str) -> ProblemError:
    return ProblemError(404, f"no device {device_id!r} in your tenant", kind="not-found")


def _check_kind(area: str, kind: str, field: str) -> None:
    try:
        owner = registry.area(area)
    except KeyError:
        known = ", ".join(a.id for a in registry.areas())
        raise ProblemError(422, f"unknown area {area!r}; known: {known}", kind="invalid-request") from None
    if owner.device_kinds and kind not in owner.device_kinds:
        raise ProblemError(
            422,
            f"{field}: unknown device kind {kind!r} in area {area!r}; "
            f"known: {', '.join(sorted(owner.device_kinds))}",
            kind="invalid-request",
        )


CursorQ = Annotated[str | None, Query(description="`next_cursor` of the previous page.")]


def encode_cursor(value: str) -> str:
    return base64.urlsafe_b64encode(value.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    try:
        value = base64.b64decode(cursor + "=" * (-len(cursor) % 4), altchars=b"-_", validate=True).decode()
        if "\x00" in value:
            raise ValueError("NUL in cursor")
        return value
    except (binascii.Error, ValueError):
        raise ProblemError(
            422,
            "query.cursor: not a cursor this API issued; pass `next_cursor` of the previous page",
            kind="invalid-request",
        ) from None


def next_page(rows: Sequence[T], limit: int, key: Callable[[T], str]) -> tuple[Sequence[T], str | None]:
    """A page of `rows` fetched with `limit + 1`: its first `limit`, and the `next_cursor` after them
    (made of `key` of the last one) when there was one more, else None."""
    page = rows[:limit]
    return page, encode_cursor(key(page[-1])) if len(rows) > limit and page else None


@router.get("", response_model=DevicePage, summary="List devices (filtered, paginated by id)")
def list_devices(
    principal: Viewer,
    conn: Conn,
    settings: SettingsDep,
    area: Annotated[str | None, Query(description="Area id, e.g. environment.")] = None,
    kind: Annotated[str | None, Query(description="Device kind, e.g. aq_station.")] = None,
    site: Annotated[str | None, Query(description="Site, e.g. a station or road segment.")] = None,
    status: Annotated[DeviceStatus | None, Query(description="online, offline or silent.")] = None,
    active: Annotated[bool | None, Query(description="false lists deactivated devices.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    cursor: CursorQ = None,
) -> Response:
    rows = device_registry.list_devices(
        conn,
        principal.tenant,
        silent_after_s=settings.api_silent_after_s,
        area=area,
        kind=kind,
        site=site,
        status=status,
        active=active,
        after_id=decode_cursor(cursor) if cursor else None,
        limit=limit + 1,
    )
    page, next_cursor = next_page(rows, limit, lambda r: r.id)
    return json_response(DevicePage(items=[_out(r) for r in page], next_cursor=next_cursor))


@router.post(
    "",
    response_model=Device,
    status_code=201,
    summary="Register a device (operator)",
    responses=documented(409, "The device id is registered already (ids are unique across tenants)"),
)
def create_device(body: DeviceCreate, principal: Operator, conn: Conn, settings: SettingsDep) -> Device:
    _check_kind(body.area, body.kind, "body.kind")
    try:
        device_registry.create_device(
            conn,
            principal.tenant,
            device_id=body.id,
            area=body.area,
            kind=body.kind,
            name=body.name,
            site=body.site,
            latitude=body.latitude,
            longitude=body.longitude,
            metadata=body.metadata,
        )
    except device_registry.DeviceIdTakenError:
        raise ProblemError(
            409,
            f"device id {body.id!r} is registered already; device ids are MQTT client ids and unique",
            kind="conflict",
        ) from None
    record = device_registry.get_device(conn, principal.tenant, body.id, settings.api_silent_after_s)
    assert record is not None
    return _out(record)


CSV_COLUMNS = ("id", "area", "kind", "name", "site", "latitude", "longitude")
MAX_IMPORT_ROWS = 10_000


def _parse_csv(data: bytes) -> list[DeviceCreate]:
    """Every row as a DeviceCreate, or a 422 naming each wrong line and field."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProblemError(422, "body: the CSV is not UTF-8 text", kind="invalid-request") from None
    try:
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        header = list(rows[0].keys()) if rows else next(csv.reader(io.StringIO(text, newline="")), [])
    except csv.Error as exc:
        raise ProblemError(422, f"body: not a readable CSV file ({exc})", kind="invalid-request") from None
    missing = {"id", "area", "kind"} - set(header)
    if missing:
        raise ProblemError(
            422,
            f"body: missing column(s) {', '.join(sorted(missing))}; the header row may hold "
            f"{','.join(CSV_COLUMNS)} (id, area and kind required)",
            kind="invalid-request",
        )
    devices: list[DeviceCreate] = []
    errors: list[FieldError] = []
    for line, row in enumerate(rows, start=2):
        if line - 1 > MAX_IMPORT_ROWS:
            raise ProblemError(
                422, f"body: at most {MAX_IMPORT_ROWS} devices per import", kind="invalid-request"
            )
        fields = {k: (v or "").strip() for k, v in row.items() if k in CSV_COLUMNS}
        for coordinate in ("latitude", "longitude"):
            if not fields.get(coordinate):
                fields.pop(coordinate, None)
        try:
            device = DeviceCreate.model_validate(fields)
            _check_kind(device.area, device.kind, "kind")
            devices.append(device)
        except ValidationError as exc:
            errors += [
                FieldError(field=f"body.line {line}.{'.'.join(map(str, e['loc']))}", message=e["msg"])
                for e in exc.errors()
            ]
        except ProblemError as exc:
            errors.append(FieldError(field=f"body.line {line}", message=exc.detail))
    if errors:
        detail = "; ".join(f"{e.field}: {e.message}" for e in errors[:20])
        raise ProblemError(422, detail, kind="invalid-request", errors=errors)
    ids = [d.id for d in devices]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ProblemError(
            422, f"body: device id(s) listed twice: {', '.join(repeated)}", kind="invalid-request"
        )
    return devices


@router.post(
    "/import",
    response_model=ImportResult,
    status_code=201,
    summary="Register many devices from CSV (operator); all or none",
    description="Body: CSV with a header row of id,area,kind[,name,site,latitude,longitude]. Every "
    "device is registered in the key's tenant, or none is: a wrong row gives 422 naming its line, an "
    "id that is registered already gives 409.",
    responses=documented(409, "An id of the file is registered already"),
)
def import_devices(
    principal: Operator,
    conn: Conn,
    body: Annotated[
        bytes, Body(media_type="text/csv", examples=["id,area,kind,site\naq-9,environment,aq_station,s9"])
    ],
) -> ImportResult:
    devices = _parse_csv(body)
    try:
        with conn.transaction():
            for d in devices:
                device_registry.create_device(
                    conn,
                    principal.tenant,
                    device_id=d.id,
                    area=d.area,
                    kind=d.kind,
                    name=d.name,
                    site=d.site,
                    latitude=d.latitude,
                    longitude=d.longitude,
                    metadata=d.metadata,
                )
    except device_registry.DeviceIdTakenError as exc:
        raise ProblemError(
            409, f"device id {exc.args[0]!r} is registered already; nothing was imported", kind="conflict"
        ) from None
    return ImportResult(created=len(devices), ids=[d.id for d in devices])


@router.get("/{device_id}", response_model=Device, summary="One device, with last seen and status")
def get_device(device_id: str, principal: Viewer, conn: Conn, settings: SettingsDep) -> Device:
    record = device_registry.get_device(conn, principal.tenant, device_id, settings.api_silent_after_s)
    if record is None:
        raise _not_found(device_id)
    return _out(record)


@router.patch("/{device_id}", response_model=Device, summary="Change a device (operator)")
def update_device(
    device_id: str, body: DeviceUpdate, principal: Operator, conn: Conn, settings: SettingsDep
) -> Device:
    changes = body.model_dump(exclude_unset=True)
    if "kind" in changes:
        current = device_registry.get_device(conn, principal.tenant, device_id, settings.api_silent_after_s)
        if current is None:
            raise _not_found(device_id)
        _check_kind(current.area, str(changes["kind"]), "body.kind")
    if not device_registry.update_device(conn, principal.tenant, device_id, changes):
        raise _not_found(device_id)
    record = device_registry.get_device(conn, principal.tenant, device_id, settings.api_silent_after_s)
    assert record is not None
    return _out(record)


@router.delete(
    "/{device_id}",
    response_model=Device,
    summary="Deactivate a device (operator); it is kept with its data, `active: false`",
)
def deactivate_device(device_id: str, principal: Operator, conn: Conn, settings: SettingsDep) -> Device:
    if not device_registry.update_device(conn, principal.tenant, device_id, {"active": False}):
        raise _not_found(device_id)
    record = device_registry.get_device(conn, principal.tenant, device_id, settings.api_silent_after_s)
    assert record is not None
    return _out(record)


@router.get("/{device_id}/calibration", response_model=CalibrationHistory, summary="Calibration history")
def get_calibration(
    device_id: str, principal: Viewer, conn: Conn, settings: SettingsDep
) -> CalibrationHistory:
    if device_registry.get_device(conn, principal.tenant, device_id, settings.api_silent_after_s) is None:
        raise _not_found(device_id)
    history = calibration_history(conn, device_id)
    metrics = {
        metric: sorted(
            (CalibrationVersionOut.model_validate(v) for v in versions), key=lambda v: v.effective_from
        )
        for metric, versions in history.items()
    }
    return CalibrationHistory(device_id=device_id, metrics=metrics)


@router.post(
    "/{device_id}/calibration",
    response_model=CalibrationHistory,
    status_code=201,
    summary="Add a calibration version for one metric (operator); earlier versions are kept",
)
def add_calibration_version(
    device_id: str, body: CalibrationVersionIn, principal: Operator, conn: Conn, settings: SettingsDep
) -> CalibrationHistory:
    if device_registry.get_device(conn, principal.tenant, device_id, settings.api_silent_after_s) is None:
        raise _not_found(device_id)
    effective = body.effective_from if body.effective_from.tzinfo else body.effective_from.replace(tzinfo=UTC)
    add_calibration(
        conn,
        device_id,
        body.metric,
        effective.astimezone(UTC),
        gain=body.gain,
        offset=body.offset,
        coefficients=body.coefficients,
    )
    return get_calibration(device_id, principal, conn, settings)
