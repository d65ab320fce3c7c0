"""`sensegrid demo` as a newcomer runs it: nothing configured, so embedded PostgreSQL and MQTT;
readings flow, a scenario's alert shows through the API, and Ctrl-C stops everything cleanly."""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from sensegrid.ports import free_port

REPO = Path(__file__).resolve().parents[1]


class DemoProcess:
    """`python -m sensegrid.cli demo …` with every SENSEGRID_* variable removed, its output read
    line by line on a thread."""

    def __init__(self, state_dir: Path, api_port: int) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SENSEGRID_")}
        env["PYTHONUNBUFFERED"] = "1"
        env["COLUMNS"] = "200"
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sensegrid.cli",
                "demo",
                "--state-dir",
                str(state_dir),
                "--api-port",
                str(api_port),
                "--backfill-hours",
                "2",
                "--devices",
                "24",
            ],
            cwd=tempfile.gettempdir(),  # no .env of the repository is read
            env={**env, "PYTHONPATH": str(REPO)},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))
            self._queue.put(line)

    def wait_for(self, pattern: str, timeout_s: float) -> re.Match[str]:
        deadline = time.monotonic() + timeout_s
        for line in list(self.lines):
            if m := re.search(pattern, line):
                return m
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=0.5)
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
                continue
            if m := re.search(pattern, line):
                return m
        raise AssertionError(f"no line matching {pattern!r}; the demo printed:\n" + "\n".join(self.lines))


@pytest.fixture
def demo() -> Iterator[DemoProcess]:
    state = Path(tempfile.mkdtemp(prefix="sensegrid-demo-test-"))
    state.chmod(0o755)  # as root the embedded PostgreSQL runs as a system user that must enter it
    process = DemoProcess(state, free_port())
    try:
        yield process
    finally:
        if process.proc.poll() is None:
            process.proc.kill()
            process.proc.wait(30)
        shutil.rmtree(state, ignore_errors=True)


def test_demo_with_nothing_configured_shows_readings_and_a_scenario_alert_then_stops_on_ctrl_c(
    demo: DemoProcess,
) -> None:
    api = demo.wait_for(r"API\s+(http://\S+)", timeout_s=240).group(1)
    token = demo.wait_for(r"API key\s+(\S+)", timeout_s=10).group(1)
    assert "database: configured" not in "\n".join(demo.lines)  # it started its own services
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=api, headers=headers, timeout=10) as client:
        deadline = time.monotonic() + 180
        readings = alerts = None
        while time.monotonic() < deadline and not (readings and alerts):
            r = client.get("/readings/latest", params={"area": "city"})
            assert r.status_code == 200, r.text
            readings = r.json()
            a = client.get("/alerts", params={"state": ["firing", "acknowledged"]})
            assert a.status_code == 200, a.text
            alerts = [x for x in a.json()["items"] if x["rule_id"] == "city.fog_signal"] or None
            time.sleep(2)
        assert readings, "no readings visible through the API"
        assert alerts, "the fog scenario's alert never showed through the API:\n" + "\n".join(demo.lines)
        assert alerts[0]["device_id"] and alerts[0]["message_zh"]
    demo.proc.send_signal(signal.SIGINT)
    assert demo.proc.wait(60) == 0, "\n".join(demo.lines)
    assert any("stopped cleanly" in line for line in demo.lines)
    assert not any("Traceback" in line for line in demo.lines), "\n".join(demo.lines)
