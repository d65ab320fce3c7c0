"""`sensegrid grafana push` against a local HTTP server that answers like Grafana's HTTP API
(folder and dashboard endpoints, documented responses) and records every call: a contract test,
since no Grafana runs here."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sensegrid.grafana.dashboards import all_dashboards
from sensegrid.grafana.push import PushError, push
from tests.cli import run_cli

TOKEN = "glsa_test_token"


@dataclass
class Call:
    method: str
    path: str
    authorization: str | None
    body: object


@dataclass
class FakeGrafana:
    """What the fake answers: whether the folder exists, and a status forced on every call."""

    url: str = ""
    folder_exists: bool = False
    force_status: int | None = None
    dashboard_status: int = 200
    calls: list[Call] = field(default_factory=list)


def _handler(state: FakeGrafana) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def _answer(self, status: int, body: object) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            state.calls.append(Call(self.command, self.path, self.headers.get("Authorization"), body))
            if state.force_status == 401:
                return self._answer(401, {"message": "Invalid API key"})
            if self.command == "GET" and self.path == "/api/folders/sensegrid":
                if state.folder_exists:
                    return self._answer(200, {"id": 1, "uid": "sensegrid", "title": "sensegrid"})
                return self._answer(404, {"message": "folder not found", "status": "not-found"})
            if self.command == "POST" and self.path == "/api/folders":
                return self._answer(200, {"id": 1, "uid": body["uid"], "title": body["title"]})  # type: ignore[index]
            if self.command == "POST" and self.path == "/api/dashboards/db":
                if state.dashboard_status == 412:
                    return self._answer(
                        412,
                        {
                            "message": "A dashboard with the same name in the folder already exists",
                            "status": "name-exists",
                        },
                    )
                uid = body["dashboard"]["uid"]  # type: ignore[index]
                return self._answer(
                    200,
                    {
                        "id": 7,
                        "uid": uid,
                        "url": f"/d/{uid}/x",
                        "status": "success",
                        "version": 2,
                        "slug": "x",
                    },
                )
            return self._answer(404, {"message": "Not found"})

        def do_GET(self) -> None:
            self._handle()

        def do_POST(self) -> None:
            self._handle()

    return Handler


@pytest.fixture
def grafana() -> Iterator[FakeGrafana]:
    state = FakeGrafana()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()


def test_push_creates_the_folder_and_overwrites_every_dashboard(grafana: FakeGrafana) -> None:
    dashboards = all_dashboards()
    result = push(grafana.url, TOKEN, dashboards)
    assert result.folder_created and result.dashboards == tuple(d.uid for d in dashboards)
    assert [(c.method, c.path) for c in grafana.calls] == [
        ("GET", "/api/folders/sensegrid"),
        ("POST", "/api/folders"),
    ] + [("POST", "/api/dashboards/db")] * len(dashboards)
    assert {c.authorization for c in grafana.calls} == {f"Bearer {TOKEN}"}
    assert grafana.calls[1].body == {"title": "sensegrid", "uid": "sensegrid"}
    saved = [c.body for c in grafana.calls[2:]]
    for body, dashboard in zip(saved, dashboards, strict=True):
        assert isinstance(body, dict)
        assert body["overwrite"] is True and body["folderUid"] == "sensegrid"
        assert body["dashboard"] == dashboard.to_json() | {"id": None}


def test_push_keeps_an_existing_folder(grafana: FakeGrafana) -> None:
    grafana.folder_exists = True
    result = push(grafana.url + "/", TOKEN, all_dashboards()[:1])
    assert not result.folder_created
    assert [(c.method, c.path) for c in grafana.calls] == [
        ("GET", "/api/folders/sensegrid"),
        ("POST", "/api/dashboards/db"),
    ]


def test_push_without_a_token_says_how_to_give_one(grafana: FakeGrafana) -> None:
    with pytest.raises(PushError, match="SENSEGRID_GRAFANA_TOKEN"):
        push(grafana.url, "", all_dashboards())
    assert grafana.calls == []


def test_cli_push_reports_success(grafana: FakeGrafana) -> None:
    done = run_cli("grafana", "push", "--url", grafana.url, SENSEGRID_GRAFANA_TOKEN=TOKEN)
    assert done.returncode == 0, done.stderr
    assert f"{len(all_dashboards())} dashboards saved" in done.stdout
    assert {c.authorization for c in grafana.calls} == {f"Bearer {TOKEN}"}


def test_cli_push_with_a_rejected_token_exits_1_and_says_why(grafana: FakeGrafana) -> None:
    grafana.force_status = 401
    done = run_cli("grafana", "push", "--url", grafana.url, "--token", "wrong")
    assert done.returncode == 1
    assert "401 Unauthorized" in done.stderr and "--token" in done.stderr
    assert len(grafana.calls) == 1


def test_cli_push_with_a_name_clash_exits_1_with_grafanas_reason(grafana: FakeGrafana) -> None:
    grafana.dashboard_status = 412
    done = run_cli("grafana", "push", "--url", grafana.url, "--token", TOKEN)
    assert done.returncode == 1
    assert "412" in done.stderr and "same name" in done.stderr


def test_cli_push_to_nothing_listening_says_where_it_tried() -> None:
    done = run_cli("grafana", "push", "--url", "http://127.0.0.1:9", "--token", TOKEN)
    assert done.returncode == 1
    assert "cannot reach Grafana at http://127.0.0.1:9" in done.stderr
