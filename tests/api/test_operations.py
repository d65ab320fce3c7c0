"""Health, readiness, metrics, errors as problem+json, limits, CORS, OpenAPI, access log, the command."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import orjson
import pytest

from core.settings import Settings
from sensegrid.ports import free_port
from store.migrate import head_revision
from tests.api.conftest import KeyFactory
from tests.api.rig import Server, bearer, start_server


def test_healthz_answers_without_a_key(client: httpx.Client) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}


def test_readyz_reports_the_database_at_head_and_the_broker_reachable(client: httpx.Client) -> None:
    r = client.get("/readyz")
    assert r.status_code == 200, r.text
    checks = {c["name"]: c for c in r.json()["checks"]}
    assert checks["database"]["ok"] and head_revision() in checks["database"]["detail"]
    assert checks["broker"]["ok"]


@pytest.fixture
def server_without_broker(api_settings: Settings) -> Iterator[Server]:
    s = start_server(api_settings.model_copy(update={"mqtt_url": f"mqtt://127.0.0.1:{free_port()}"}))
    yield s
    s.stop()


def test_readyz_is_a_503_problem_naming_the_broker_when_it_is_unreachable(
    server_without_broker: Server,
) -> None:
    r = httpx.get(server_without_broker.url + "/readyz", timeout=30)
    assert r.status_code == 503
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["status"] == 503 and "broker" in body["detail"]
    checks = {c["name"]: c["ok"] for c in body["checks"]}
    assert checks == {"database": True, "broker": False}


def test_metrics_count_requests_by_route_template(client: httpx.Client, make_key: KeyFactory) -> None:
    token = make_key("t1", "viewer")
    client.get("/devices/some-device", headers=bearer(token))
    r = client.get("/metrics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    text = r.text
    assert 'sensegrid_api_requests_total{method="GET",route="/devices/{device_id}",status="404"}' in text
    assert "sensegrid_api_request_seconds_bucket" in text
    assert "sensegrid_ingest_messages_received_total" in text  # the shared core registry


def test_an_unknown_route_is_a_problem_document(client: httpx.Client) -> None:
    r = client.get("/no/such/thing")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["title"] == "Not found" and body["instance"] == "/no/such/thing"
    assert "/openapi.json" in body["detail"]


def test_a_wrong_method_is_a_problem_document(client: httpx.Client) -> None:
    r = client.put("/healthz")
    assert r.status_code == 405
    assert r.headers["content-type"] == "application/problem+json"
    assert "PUT is not allowed" in r.json()["detail"]


def test_a_validation_error_names_the_field_and_what_is_accepted(
    client: httpx.Client, make_key: KeyFactory
) -> None:
    r = client.get("/devices", params={"limit": 5000}, headers=bearer(make_key("t1", "viewer")))
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["errors"] == [
        {
            "field": "query.limit",
            "message": "Input should be less than or equal to 1000",
            "accepted": "a number <= 1000",
        }
    ]
    assert "query.limit" in body["detail"]


def test_an_invalid_json_body_field_is_named(client: httpx.Client, make_key: KeyFactory) -> None:
    r = client.post(
        "/devices",
        json={"id": "x-1", "area": "environment", "kind": "aq_station", "latitude": 123},
        headers=bearer(make_key("t1", "admin")),
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "body.latitude"
    assert r.json()["errors"][0]["accepted"] == "a number <= 90"


def test_a_body_over_the_size_limit_is_refused_with_413(client: httpx.Client, make_key: KeyFactory) -> None:
    headers = bearer(make_key("t1", "admin"))
    big = {"id": "big-1", "area": "environment", "kind": "aq_station", "name": "x" * 10_000}
    r = client.post("/devices", json=big, headers=headers)
    assert r.status_code == 413
    assert r.headers["content-type"] == "application/problem+json"
    assert "4096 bytes" in r.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit holds for streamed bodies too
        yield orjson.dumps(big)[:3000]
        yield orjson.dumps(big)[3000:]

    r = client.post("/devices", content=chunks(), headers={**headers, "Content-Type": "application/json"})
    assert r.status_code == 413
    assert client.get("/devices/big-1", headers=headers).status_code == 404


def test_cors_preflight_allows_only_the_configured_origins(client: httpx.Client) -> None:
    preflight = {"Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization"}
    ok = client.options("/devices", headers={"Origin": "https://portal.example", **preflight})
    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == "https://portal.example"
    other = client.options("/devices", headers={"Origin": "https://evil.example", **preflight})
    assert "access-control-allow-origin" not in other.headers


def test_openapi_documents_bearer_auth_and_problem_responses(client: httpx.Client) -> None:
    doc = client.get("/openapi.json").json()
    assert doc["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": doc["components"]["securitySchemes"]["bearerAuth"]["description"],
    }
    get_device = doc["paths"]["/devices/{device_id}"]["get"]
    assert get_device["security"] == [{"bearerAuth": []}]
    assert "application/problem+json" in get_device["responses"]["404"]["content"]
    assert "Problem" in doc["components"]["schemas"]
    assert "security" not in doc["paths"]["/healthz"]["get"]


def test_every_request_is_logged_as_one_json_line(
    client: httpx.Client, make_key: KeyFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="sensegrid.api.access")
    client.get("/devices", headers=bearer(make_key("tenant-log", "viewer")))
    deadline = time.monotonic() + 10
    lines: list[dict[str, object]] = []
    while not lines and time.monotonic() < deadline:
        lines = [
            orjson.loads(r.getMessage())
            for r in caplog.records
            if r.name == "sensegrid.api.access" and '"/devices"' in r.getMessage()
        ]
        time.sleep(0.01)
    assert lines, "no access log line"
    line = lines[0]
    assert line["method"] == "GET" and line["route"] == "/devices" and line["status"] == 200
    assert line["tenant"] == "tenant-log"
    assert isinstance(line["duration_ms"], float)


def test_the_api_command_serves_on_the_given_port(api_settings: Settings) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SENSEGRID_")}
    env.update(SENSEGRID_DATABASE_URL=api_settings.database_url, SENSEGRID_MQTT_URL=api_settings.mqtt_url)
    proc = subprocess.Popen(
        [sys.executable, "-m", "sensegrid.cli", "api", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
                assert time.monotonic() < deadline, "sensegrid api did not start"
                time.sleep(0.2)
        assert r.status_code == 200, r.text
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)


def test_streams_and_many_clients_share_few_threads_and_connections_without_stalling(
    api_settings: Settings, make_key: KeyFactory
) -> None:
    """One route thread and two connections: streams polling and 24 clients at once all get their
    answers (a thread waiting for a connection that a request waiting for a thread holds would stall
    every one until the pool's 30 s timeout, then fail)."""
    server = start_server(
        api_settings.model_copy(update={"api_threads": 1, "db_pool_max": 2, "api_key_cache_s": 0})
    )
    token = make_key("t1", "viewer")
    stream_clients = [httpx.Client(base_url=server.url, timeout=60) for _ in range(2)]
    opened: list[int] = []

    def stream(c: httpx.Client) -> None:
        sse = {**bearer(token), "Accept": "text/event-stream"}
        with contextlib.suppress(httpx.HTTPError), c.stream("GET", "/alerts/stream", headers=sse) as r:
            opened.append(r.status_code)
            for _ in r.iter_lines():  # until the test closes the client
                pass

    def ask(n: int) -> int:
        path = ("/devices", "/readings/latest", "/alerts", "/readyz")[n % 4]
        with httpx.Client(base_url=server.url, timeout=60) as c:
            return c.get(path, headers=bearer(token)).status_code

    streams = [threading.Thread(target=stream, args=(c,), daemon=True) for c in stream_clients]
    try:
        for t in streams:
            t.start()
        with ThreadPoolExecutor(24) as pool:
            for _ in range(3):
                assert sorted(set(pool.map(ask, range(24)))) == [200]
        assert opened == [200, 200]
    finally:
        for c in stream_clients:
            c.close()
        for t in streams:
            t.join(timeout=30)
        server.stop()
