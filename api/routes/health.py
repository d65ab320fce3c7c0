"""Liveness, readiness and Prometheus metrics (no API key needed: probes and scrapers call them)."""

from __future__ import annotations

import asyncio
from functools import lru_cache

import psycopg
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from psycopg_pool import PoolTimeout
from starlette.concurrency import run_in_threadpool

from api.broker_probe import probe_broker
from api.deps import SettingsDep, get_connections
from api.problems import PROBLEM_JSON, problem_response
from api.schemas import Check, Health, Problem, Ready
from core.metrics import REGISTRY
from store.migrate import head_revision
from store.readiness import schema_revision

router = APIRouter(tags=["operations"])


@lru_cache(maxsize=1)
def _head() -> str:
    return head_revision()


@router.get("/healthz", response_model=Health, summary="The process is up")
def healthz() -> Health:
    return Health()


async def _database_check(request: Request) -> Check:
    try:
        async with asyncio.timeout(3), get_connections(request).connection() as conn:
            revision = await run_in_threadpool(schema_revision, conn)
    except (psycopg.Error, PoolTimeout, TimeoutError) as exc:
        return Check(name="database", ok=False, detail=f"database unreachable: {exc or 'no answer in 3 s'}")
    if revision != _head():
        return Check(
            name="database",
            ok=False,
            detail=f"schema at {revision or '(empty)'}, this version needs {_head()}: "
            "run `sensegrid migrate`",
        )
    return Check(name="database", ok=True, detail=f"reachable, schema at {revision}")


def _broker_check(settings: SettingsDep) -> Check:
    try:
        return Check(name="broker", ok=True, detail=probe_broker(settings.mqtt))
    except (OSError, ValueError) as exc:
        return Check(name="broker", ok=False, detail=f"broker {settings.mqtt_url} not usable: {exc}")


@router.get(
    "/readyz",
    response_model=Ready,
    summary="Database reachable with the schema at head, and the MQTT broker reachable",
    responses={
        503: {
            "model": Problem,
            "content": {PROBLEM_JSON: {}},
            "description": "Not ready: a problem document whose `checks` member says what failed.",
        }
    },
)
async def readyz(request: Request, settings: SettingsDep) -> Response:
    checks = [await _database_check(request), await run_in_threadpool(_broker_check, settings)]
    ready = Ready(ready=all(c.ok for c in checks), checks=checks)
    if ready.ready:
        return JSONResponse(ready.model_dump())
    failed = "; ".join(c.detail for c in checks if not c.ok)
    return problem_response(request, 503, failed, kind="not-ready", extensions=ready.model_dump())


@router.get(
    "/metrics",
    summary="Prometheus metrics of this process",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {}}, "description": "Prometheus text format."}},
)
def metrics() -> Response:
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)
