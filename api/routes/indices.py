"""Every area's indices, and any index computed per device over stored data (e.g. city fog)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.deps import Conn, SettingsDep, ViewCacheDep, Viewer
from api.index_view import Compute, DeviceIndex, compute_for
from api.json_body import json_response
from api.problems import ProblemError
from api.schemas import DeviceIndexOut, IndexHeader, IndexInfo, IndexInputOut, IndexView, LevelOut
from domains import registry
from domains.model import IndexInput, IndexSpec, Level
from store.view_devices import area_devices, area_state

router = APIRouter(prefix="/indices", tags=["domain views"])


def level_out(level: Level) -> LevelOut:
    return LevelOut(
        code=level.code,
        title_en=level.title.en,
        title_zh=level.title.zh,
        severity=int(level.severity) if level.severity is not None else None,
        color=level.color,
        advice_en=level.advice.en if level.advice else None,
        advice_zh=level.advice.zh if level.advice else None,
    )


def index_header(area: str, spec: IndexSpec, *, source: str = "", edition: str = "") -> IndexHeader:
    """The header of a view of `spec`; `source` and `edition` replace the spec's own when given
    (an AQI view computed after another edition of its standard)."""
    return IndexHeader(
        area=area,
        index=spec.id,
        title_en=spec.title.en,
        title_zh=spec.title.zh,
        source=source or spec.source,
        edition=edition or spec.edition,
    )


def _info(area: str, spec: IndexSpec) -> IndexInfo:
    return IndexInfo(
        **index_header(area, spec).model_dump(exclude={"index"}),
        id=spec.id,
        unit=spec.unit,
        inputs=[IndexInputOut(metric=i.metric, window=i.window.value) for i in spec.inputs],
        levels=[level_out(lv) for lv in spec.levels],
    )


def _names(details: dict[str, object], key: str) -> list[str] | None:
    raw = details.get(key)
    return [str(x) for x in raw] if isinstance(raw, list | tuple) else None


def device_index_out(item: DeviceIndex) -> DeviceIndexOut:
    result = item.result
    details = dict(result.details) if result else {}
    complete = details.get("complete")
    return DeviceIndexOut(
        device_id=item.device.id,
        name=item.device.name,
        kind=item.device.kind,
        site=item.device.site,
        at=datetime.fromtimestamp(item.at, UTC),
        value=result.value if result else None,
        level=level_out(result.level) if result and result.level else None,
        details=details,
        inputs={k: float(v) for k, v in item.inputs.items() if isinstance(v, float | int)},
        series_points={k: len(v) for k, v in item.inputs.items() if isinstance(v, tuple)},
        indexed=_names(details, "indexed"),
        missing=_names(details, "missing"),
        complete=complete if isinstance(complete, bool) else None,
        error=item.error if item.error else (None if result else "not enough data in the index's windows"),
    )


def view(
    conn: Conn,
    settings: SettingsDep,
    cache: ViewCacheDep,
    tenant: str,
    header: IndexHeader,
    inputs: tuple[IndexInput, ...],
    compute: Compute,
    *,
    variant: str = "",
    device_id: str | None,
    site: str | None,
    kind: str | None,
) -> Response:
    """The IndexView answer for the tenant's devices of `header.area` with data for `inputs`, from
    the view cache while nothing it depends on changed. `variant` tells apart computations of one
    index (an AQI edition or period)."""
    state = area_state(conn, tenant, header.area, device_id=device_id, site=site, kind=kind)
    key = (tenant, header.area, header.index, variant, device_id, site, kind, state)

    def build() -> bytes:
        devices = area_devices(conn, tenant, header.area, device_id=device_id, site=site, kind=kind)
        metrics = {i.metric for i in inputs}
        devices = [d for d in devices if not metrics.isdisjoint(d.series)]
        items = [device_index_out(item) for item in compute_for(conn, settings, devices, inputs, compute)]
        return IndexView(**header.model_dump(), items=items).model_dump_json().encode()

    return json_response(cache.get_or_compute(key, build))


@router.get(
    "", response_model=list[IndexInfo], summary="Every index of every area, with its inputs and levels"
)
def list_indices(principal: Viewer) -> list[IndexInfo]:
    return [_info(a.id, spec) for a in registry.areas() for spec in a.indices]


@router.get(
    "/{area}/{index_id}",
    response_model=IndexView,
    summary="One index per device, computed by the area's domain code over the stored windows",
    description="E.g. `/indices/city/fog_signal?site=G15-K102` (fog signal, speed limit and gap per "
    "road segment) or `/indices/agriculture/thi`. Only devices with data for the index are listed.",
)
def index_view(
    area: str,
    index_id: str,
    principal: Viewer,
    conn: Conn,
    settings: SettingsDep,
    cache: ViewCacheDep,
    device_id: Annotated[str | None, Query(description="Only this device.")] = None,
    site: Annotated[str | None, Query(description="Only devices of this site.")] = None,
    kind: Annotated[str | None, Query(description="Only devices of this kind.")] = None,
) -> Response:
    try:
        spec = registry.index(area, index_id)
    except KeyError as exc:
        raise ProblemError(404, str(exc).strip("'\""), kind="not-found") from None
    return view(
        conn,
        settings,
        cache,
        principal.tenant,
        index_header(area, spec),
        spec.inputs,
        spec.compute,
        device_id=device_id,
        site=site,
        kind=kind,
    )
