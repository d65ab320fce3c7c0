"""The FastAPI application: `create_app(settings)` wires routers, errors, middleware and the pool."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.concurrency import run_in_threadpool

from api import problems
from api.access_log import AccessLogMiddleware
from api.body_limit import BodyLimitMiddleware
from api.deps import RequestConnections
from api.key_cache import KeyCache
from api.routes import alerts, devices, environment, health, indices, readings, rules, silences
from api.schemas import Problem
from api.view_cache import ViewCache
from core.settings import Settings, get_settings
from store.db import create_pool

DESCRIPTION = """\
sensegrid's HTTP API: devices, readings, domain views, alerts, silences, rules, health and metrics.

Every route except `/healthz`, `/readyz` and `/metrics` needs an API key in
`Authorization: Bearer <token>`; a key belongs to one tenant and sees only that tenant's data.
Roles: **viewer** reads, **operator** also registers and changes devices, **admin** may do everything.
Errors are RFC 9457 `application/problem+json` documents saying what was wrong.
"""

_ERRORS = {
    status: {"model": Problem, "content": {problems.PROBLEM_JSON: {}}, "description": title}
    for status, title in (
        (400, "The request body could not be read (e.g. not UTF-8)"),
        (401, "No or unknown API key"),
        (403, "The key's role does not allow this"),
        (404, "Not found in the key's tenant"),
        (413, "Request body too large"),
        (422, "Invalid request: `errors` lists each wrong field and what is accepted"),
        (500, "Internal error"),
    )
}


def cors_origins(setting: str) -> list[str]:
    return [o.strip() for o in setting.split(",") if o.strip()]


def create_app(settings: Settings | None = None) -> FastAPI:
    """The API for `settings` (default: the process settings); the pool opens with the app."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        pool = await run_in_threadpool(create_pool, settings, name="sensegrid-api", autocommit=True)
        app.state.pool = pool
        # Everything built so far (modules, routes, schemas, the domain registry) lives as long as
        # the process: out of the collector's sight, a full collection scans only what requests
        # made — 120,000 long-lived objects made each one a 30 ms pause in some request.
        app.state.connections = RequestConnections(pool, settings.db_pool_max)
        # Sync routes run in this many threads at once: more only contend for the GIL, and under
        # load a thread that loses that race for long makes the slowest answers many times slower.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.api_threads
        gc.freeze()
        app.state.key_cache.start()
        try:
            yield
        finally:
            await run_in_threadpool(app.state.key_cache.stop)
            await run_in_threadpool(pool.close)

    app = FastAPI(
        title="sensegrid API",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        responses=_ERRORS,  # type: ignore[arg-type]
    )
    app.state.settings = settings
    app.state.view_cache = ViewCache(settings.api_view_cache_s)
    app.state.key_cache = KeyCache(settings.database_url, settings.api_key_cache_s)
    problems.install(app)
    app.include_router(health.router)
    app.include_router(devices.router)
    app.include_router(readings.router)
    app.include_router(indices.router)
    app.include_router(environment.router)
    app.include_router(alerts.router)
    app.include_router(silences.router)
    app.include_router(rules.router)

    origins = cors_origins(settings.api_cors_origins)
    if origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST", "PATCH", "PUT", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Last-Event-ID"],
        )
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.api_max_body_bytes)
    app.add_middleware(AccessLogMiddleware)  # outermost: logs every answer, 413s included
    return app
