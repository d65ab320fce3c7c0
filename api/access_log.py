"""One structured (JSON) log line and the Prometheus request metrics for every HTTP request."""

from __future__ import annotations

import logging
import time

import orjson
from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.metrics import REGISTRY

log = logging.getLogger("sensegrid.api.access")

REQUESTS = Counter(
    "sensegrid_api_requests",
    "HTTP requests answered by the API, by method, route template and status code.",
    ["method", "route", "status"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "sensegrid_api_request_seconds",
    "Time to answer an HTTP request (until the response has started), by method and route template.",
    ["method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
    registry=REGISTRY,
)


def _route_template(scope: Scope) -> str:
    # The template (/devices/{device_id}), not the path: one label value per route, not per device.
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "unmatched"


class AccessLogMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                LATENCY.labels(scope["method"], _route_template(scope)).observe(time.perf_counter() - started)
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            route = _route_template(scope)
            REQUESTS.labels(scope["method"], route, str(status)).inc()
            if log.isEnabledFor(logging.INFO):  # the line is built only when it is written
                principal = scope.get("state", {}).get("principal")
                client = scope.get("client")
                log.info(
                    orjson.dumps(
                        {
                            "event": "http_request",
                            "method": scope["method"],
                            "path": scope["path"],
                            "route": route,
                            "status": status,
                            "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                            "tenant": getattr(principal, "tenant", None),
                            "key_id": getattr(principal, "key_id", None),
                            "client": client[0] if client else None,
                        }
                    ).decode()
                )
