"""Environment views: the air quality index per station, after the standard the caller picks."""

from __future__ import annotations

from enum import StrEnum
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.deps import Conn, SettingsDep, ViewCacheDep, Viewer
from api.problems import ProblemError
from api.routes.indices import index_header, view
from api.schemas import IndexView
from domains.environment.aqi_china import AQI_CN_DAILY, AQI_CN_REALTIME, compute_daily, compute_realtime
from domains.environment.aqi_us import AQI_US
from domains.environment.hj633_iaqi import Edition

router = APIRouter(prefix="/environment", tags=["domain views"])

AREA = "environment"


class AqiStandard(StrEnum):
    HJ633_2026 = Edition.HJ633_2026.value
    HJ633_2012 = Edition.HJ633_2012.value
    US_EPA = "US-EPA"


class AqiPeriod(StrEnum):
    HOURLY = "hourly"
    DAILY = "daily"


@router.get(
    "/aqi",
    response_model=IndexView,
    summary="AQI per station: China HJ 633 (edition selectable, hourly or daily) or US EPA",
    description="HJ 633 hourly: 1-hour means of the newest clock hour; O3 1-h and 8-h, and SO2 1-h and "
    "24-h (used above 800 µg/m³ 1-h), from their clock-hour means; daily: means of the hourly means of the "
    "last 24 clock hours. US EPA (40 CFR 58 App. G) uses its own averaging times (PM 24 h, CO 8 h, "
    "O3 8 h/1 h, NO2 1 h, SO2 1 h and 24 h from 305 ppb) and takes no `period`. `details` "
    "holds the IAQI per pollutant and the primary pollutants; `level` the level name (zh/en) and colour. "
    "`indexed`, `missing` and `complete` (also in `details`, with a bilingual note "
    "`coverage_en`/`coverage_zh`) say which of the six pollutants the AQI stands on: an AQI of PM2.5 "
    "alone is not complete. `edition` names the HJ 633 edition the answer was computed after (null for "
    "US EPA).",
)
def aqi(
    principal: Viewer,
    conn: Conn,
    settings: SettingsDep,
    cache: ViewCacheDep,
    standard: Annotated[
        AqiStandard, Query(description="HJ633-2026, HJ633-2012 or US-EPA.")
    ] = AqiStandard.HJ633_2026,
    period: Annotated[AqiPeriod | None, Query(description="HJ 633 only: hourly (default) or daily.")] = None,
    site: Annotated[str | None, Query(description="Only this station (site).")] = None,
    device_id: Annotated[str | None, Query(description="Only this device.")] = None,
) -> Response:
    if standard is AqiStandard.US_EPA:
        if period is not None:
            raise ProblemError(
                422,
                "query.period: the US EPA AQI has fixed averaging times; "
                "leave `period` out with standard US-EPA",
                kind="invalid-request",
            )
        spec, compute = AQI_US, AQI_US.compute
    else:
        edition = Edition(standard.value)
        if period is AqiPeriod.DAILY:
            spec, compute = AQI_CN_DAILY, partial(compute_daily, edition=edition)
        else:
            spec, compute = AQI_CN_REALTIME, partial(compute_realtime, edition=edition)
    source = (
        spec.source
        if standard is AqiStandard.US_EPA
        else spec.source.replace(Edition.HJ633_2026.value, standard.value)
    )
    # The US AQI has one edition (none to state); HJ 633 views state the edition asked for.
    header = index_header(
        AREA, spec, source=source, edition="" if standard is AqiStandard.US_EPA else standard.value
    )
    return view(
        conn,
        settings,
        cache,
        principal.tenant,
        header,
        spec.inputs,
        compute,
        variant=f"{standard.value}/{period.value if period else ''}",
        device_id=device_id,
        site=site,
        kind=None,
    )
