"""Request and response bodies of the API, kept apart from the storage rows in `store/`."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from domains.model import ConditionKind

DEVICE_ID_PATTERN = r"^[^/+#\s]{1,128}$"


class FieldError(BaseModel):
    """One wrong field of a request."""

    field: str = Field(description="Where: `query.limit`, `body.kind`, `path.device_id`...")
    message: str = Field(description="What was wrong.")
    accepted: str | None = Field(default=None, description="What would be accepted, when known.")


class Problem(BaseModel):
    """RFC 9457 problem details."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "https://sensegrid.dev/problems/invalid-request",
                    "title": "Invalid request",
                    "status": 422,
                    "detail": "query.limit: Input should be less than or equal to 1000 "
                    "(accepted: a number <= 1000)",
                    "instance": "/devices",
                    "errors": [{"field": "query.limit", "message": "...", "accepted": "a number <= 1000"}],
                }
            ]
        }
    )

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldError] | None = None


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Check(BaseModel):
    name: str
    ok: bool
    detail: str


class Ready(BaseModel):
    ready: bool
    checks: list[Check]


DeviceStatus = Literal["online", "offline", "silent"]


class DeviceCreate(BaseModel):
    """A device to register in the caller's tenant."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "id": "aq-0001",
                    "area": "environment",
                    "kind": "aq_station",
                    "name": "Station 1",
                    "site": "s1",
                }
            ]
        },
    )

    id: str = Field(pattern=DEVICE_ID_PATTERN, description="The device's MQTT client id (no '/', '+', '#').")
    area: str = Field(description="Area id from the domain registry, e.g. environment, city.")
    kind: str = Field(description="Device kind of that area, e.g. aq_station.")
    name: str = Field(default="", max_length=200)
    site: str = Field(default="", max_length=200, description="Station, road segment, field, line...")
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    metadata: dict[str, str | int | float | bool | None] = Field(default_factory=dict)


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def _absent(**kwargs: Any) -> Any:
    """A field that may be left out (it then keeps its value) but, when given, is not null."""
    return Field(default=None, json_schema_extra=_no_default, **kwargs)


class DeviceUpdate(BaseModel):
    """Fields to change; absent fields stay as they are. Only latitude/longitude may be null."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"site": "s2", "name": "Moved"}]}
    )

    kind: str = _absent(description="Another device kind of the device's area.")
    name: str = _absent(max_length=200)
    site: str = _absent(max_length=200)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    metadata: dict[str, str | int | float | bool | None] = _absent()
    active: bool = _absent(description="false deactivates the device, true reactivates it.")


class Device(BaseModel):
    id: str
    area: str
    kind: str
    name: str
    site: str
    latitude: float | None
    longitude: float | None
    metadata: dict[str, object]
    active: bool
    created_at: datetime
    last_seen: datetime | None = Field(description="Time of the newest reading received.")
    online: bool | None = Field(description="From the MQTT status topic / last will; null: never reported.")
    status: DeviceStatus = Field(
        description="offline: the broker reported it gone; silent: no reading recently; else online."
    )


class ImportResult(BaseModel):
    created: int
    ids: list[str]


class DevicePage(BaseModel):
    items: list[Device]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


class CalibrationVersionIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"metric": "pm25", "effective_from": "2026-01-01T00:00:00Z", "gain": 1.02, "offset": -0.5}
            ]
        },
    )

    metric: str
    effective_from: datetime
    gain: float = 1.0
    offset: float = 0.0
    coefficients: list[float] = Field(
        default_factory=list, description="Polynomial c0 + c1·x + …; wins over gain."
    )


class CalibrationVersionOut(BaseModel):
    effective_from: datetime
    gain: float = 1.0
    offset: float = 0.0
    coefficients: list[float] = Field(default_factory=list)


class CalibrationHistory(BaseModel):
    device_id: str
    metrics: dict[str, list[CalibrationVersionOut]] = Field(
        description="Per metric, the versions oldest first."
    )


class RawReading(BaseModel):
    time: datetime
    value: float
    quality: int = Field(description="0 good, 1 suspect, 2 bad (domains.model.Quality).")
    bad: bool = Field(
        description="True when flagged bad: stored, shown, but left out of rollups and buckets."
    )


class RawPage(BaseModel):
    device_id: str
    metric: str
    items: list[RawReading]
    next_cursor: str | None


class BucketOut(BaseModel):
    start: datetime
    count: int
    avg: float
    min: float
    max: float
    last: float


class BucketSeries(BaseModel):
    device_id: str
    metric: str
    interval_s: int
    source: Literal["readings_1h", "readings_1m", "readings"] = Field(
        description="Table the buckets were computed from (rollups when the interval allows)."
    )
    buckets: list[BucketOut]


class LatestOut(BaseModel):
    device_id: str
    metric: str
    time: datetime
    value: float
    quality: int
    bad: bool


class LevelOut(BaseModel):
    """One rung of a standard's scale (AQI level, fog signal...)."""

    code: str
    title_en: str
    title_zh: str
    severity: int | None = Field(description="1 info, 2 warning, 3 major, 4 critical; null: no alert.")
    color: str | None
    advice_en: str | None = None
    advice_zh: str | None = None


class IndexInputOut(BaseModel):
    metric: str
    window: str = Field(description="latest, avg_1h, avg_24h, moving_avg_8h, min_24h, max_24h or series.")


class IndexInfo(BaseModel):
    area: str
    id: str
    title_en: str
    title_zh: str
    source: str = Field(description="The standard (and clause or table) the index follows.")
    edition: str | None = Field(
        default=None, description="The default edition, for a standard with several (HJ 633)."
    )
    unit: str | None
    inputs: list[IndexInputOut]
    levels: list[LevelOut]


class DeviceIndexOut(BaseModel):
    device_id: str
    name: str
    kind: str
    site: str
    at: datetime = Field(description="When it was computed (database clock); windows end here.")
    value: float | None
    level: LevelOut | None
    details: dict[str, object] = Field(
        description="Index-specific figures, e.g. IAQI per pollutant, primary pollutants, speed limit."
    )
    inputs: dict[str, float] = Field(description="The window values used, per metric.")
    series_points: dict[str, int] = Field(description="Raw points read, per metric read as a series.")
    indexed: list[str] | None = Field(None, description="AQI: the pollutants it stands on (null: no AQI).")
    missing: list[str] | None = Field(None, description="AQI: the pollutants with no data at all.")
    complete: bool | None = Field(
        None, description="AQI: false when not every pollutant was indexed — the level is then partial."
    )
    error: str | None = Field(description="Why the index could not be computed from the stored data.")


class IndexHeader(BaseModel):
    """Which index a view shows, after which standard."""

    area: str
    index: str
    title_en: str
    title_zh: str
    source: str
    edition: str | None = Field(
        default=None,
        description="The edition of the standard the view was computed after, for a standard with "
        "several (China AQI: HJ633-2012 or HJ633-2026); null for one with a single edition.",
    )


class IndexView(IndexHeader):
    items: list[DeviceIndexOut] = Field(description="One per device with data for the index.")


AlertStateName = Literal["pending", "firing", "acknowledged", "resolved"]


class AlertOut(BaseModel):
    """One alert instance of the caller's tenant."""

    id: int
    rule_id: str
    area: str
    device_id: str | None
    site: str
    state: AlertStateName
    severity: int = Field(description="1 info, 2 warning, 3 major, 4 critical.")
    level: str | None = Field(description="Level code of the rule's rung (e.g. an AQI level), if any.")
    value: float | None
    title_en: str
    title_zh: str
    message_en: str
    message_zh: str
    started_at: datetime
    fired_at: datetime | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    resolved_at: datetime | None
    updated_at: datetime


class AlertEventOut(BaseModel):
    """One recorded change of an alert: who, when, from what to what."""

    id: int
    alert_id: int
    at: datetime
    actor: str = Field(description="'system' (the evaluator) or the person / API key name that acted.")
    old_state: AlertStateName | None
    new_state: AlertStateName
    old_severity: int | None
    new_severity: int | None
    value: float | None
    note: str


class AlertDetail(AlertOut):
    events: list[AlertEventOut] = Field(description="Every change of the alert, oldest first.")


class AlertPage(BaseModel):
    items: list[AlertOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


class AlertChangeOut(BaseModel):
    """The `data` of one Server-Sent Event of /alerts/stream (its `id:` is `event.id`)."""

    event: AlertEventOut
    alert: AlertOut


SilenceMatcherKey = Literal["device_id", "site", "rule_id", "area"]


class SilenceCreate(BaseModel):
    """A maintenance window: alerts of the caller's tenant matching every matcher are not notified."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "matchers": {"site": "G15-K102"},
                    "ends_at": "2026-11-28T06:00:00+08:00",
                    "comment": "sensor cleaning",
                }
            ]
        },
    )

    matchers: dict[SilenceMatcherKey, str] = Field(
        description="Any of device_id, site, rule_id, area; an alert is silenced when all match."
    )
    starts_at: datetime | None = Field(default=None, description="Default: now. Needs a time zone.")
    ends_at: datetime = Field(description="When notifications resume. Needs a time zone.")
    comment: str = Field(default="", max_length=1000)


class SilenceOut(BaseModel):
    id: int
    matchers: dict[str, str]
    starts_at: datetime
    ends_at: datetime
    created_by: str
    comment: str
    created_at: datetime


class ThresholdOut(BaseModel):
    severity: int
    value: float
    level: str | None = Field(description="Level code of the rung, if the rule grades by level.")


_KIND_NAMES = [str(k) for k in ConditionKind]
_KINDS = ", ".join(_KIND_NAMES[:-1]) + f" or {_KIND_NAMES[-1]}."  # every kind domains.rule_kinds runs


class RuleOut(BaseModel):
    """A rule as data: what it watches, when it fires, and the standard it follows."""

    id: str
    area: str
    subject: str = Field(description="The metric or index the rule watches.")
    kind: str = Field(description=_KINDS)
    title_en: str
    title_zh: str
    direction: str
    thresholds: list[ThresholdOut]
    for_s: int = Field(description="How long the condition must hold before the alert fires.")
    clear_hysteresis: float
    source: str
    configurable_default: bool


OverrideScope = Literal["tenant", "site", "device"]


class OverrideIn(BaseModel):
    """Other thresholds, `for`, hysteresis, or off, for one rule at one scope of the caller's tenant."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "scope": "site",
                    "scope_value": "station-1",
                    "override": {"rungs": [{"severity": "major", "value": 100}], "for_s": 60},
                }
            ]
        },
    )

    scope: OverrideScope
    scope_value: str = Field(
        default="", max_length=200, description="'' for the tenant; else the site or device id."
    )
    override: dict[str, Any] = Field(
        description='Any of "rungs" ([{severity, value[, level]}]), "for_s", "clear_hysteresis", "enabled".'
    )


class OverrideOut(BaseModel):
    id: int
    rule_id: str
    scope: OverrideScope
    scope_value: str
    override: dict[str, Any]
    updated_by: str
    updated_at: datetime
