"""The alert evaluator running against real ingest: MQTT → ingest → PostgreSQL → NOTIFY → alerts."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import psycopg
import pytest

from alerts.evaluator import Evaluator
from alerts.lifecycle import OPEN_STATES
from alerts.overrides import set_override
from core.settings import Settings
from store.alert_pages import alerts_page
from store.alert_rows import AlertRow, EventRow, alert_events
from store.device_registry import NewDevice, upsert_devices
from tests.broker import Broker, Publisher
from tests.ingest.conftest import IngestRig, rig_settings

DEVICES = [
    NewDevice("fog-1", "city", "visibility_sensor", tenant="t1", name="G15 K102", site="G15-K102"),
    NewDevice("fog-2", "city", "visibility_sensor", tenant="t1", name="G15 K110", site="G15-K110"),
    NewDevice("aq-1", "environment", "aq_station", tenant="t1", name="Station 1", site="station-1"),
    NewDevice("ev-1", "automotive", "vehicle_tbox", tenant="t2", name="EV 1", site="fleet-a"),
    NewDevice("gauge-1", "manufacturing", "gauge", tenant="t3", name="Gauge 1", site="line-1"),
]
OPEN = [s.value for s in OPEN_STATES]
__all__ = ["rig_settings"]  # ingest's fixture, used by alert_settings


@dataclass
class AlertRig:
    """One test's set-up: real ingest, evaluators in threads, and what operators would look at."""

    ingest: IngestRig
    settings: Settings
    db: psycopg.Connection
    evaluators: list[tuple[Evaluator, threading.Thread]] = field(default_factory=list)

    def start_evaluator(self, settings: Settings | None = None, shard_index: int | None = None) -> Evaluator:
        evaluator = Evaluator(settings or self.settings, shard_index=shard_index)
        thread = threading.Thread(target=evaluator.run, daemon=True)
        thread.start()
        self.evaluators.append((evaluator, thread))
        assert evaluator.ready.wait(30), "evaluator did not start"
        return evaluator

    def stop_evaluator(self, evaluator: Evaluator) -> None:
        for e, thread in list(self.evaluators):
            if e is evaluator:
                e.stop()
                thread.join(timeout=30)
                self.evaluators.remove((e, thread))

    def stop_all(self) -> None:
        for evaluator, _ in list(self.evaluators):
            self.stop_evaluator(evaluator)

    def publish(self, device: str, metrics: dict[str, float], ts: float | None = None) -> None:
        self.ingest.publish(
            device, orjson.dumps({"ts": time.time() if ts is None else ts, "metrics": metrics})
        )

    def publish_many(self, device: str, readings: list[tuple[float, dict[str, float]]]) -> None:
        """One message holding several timestamped reading sets."""
        sets = [{"ts": t, "metrics": m} for t, m in readings]
        self.ingest.publish(device, orjson.dumps({"readings": sets}))

    def publish_status(self, device: str, status: str) -> None:
        self.ingest.publisher.publish(f"{self.settings.topic_prefix}/{device}/status", status)

    def override(
        self, rule_id: str, document: object, *, tenant: str, scope: str = "tenant", value: str = ""
    ) -> None:
        set_override(
            self.db,
            tenant=tenant,
            rule_id=rule_id,
            scope=scope,
            scope_value=value,
            document=document,
            updated_by="test",
        )

    def alerts(
        self, rule_id: str | None = None, device: str | None = None, *, states: list[str] | None = None
    ) -> list[AlertRow]:
        return alerts_page(self.db, None, rule_id=rule_id, device_id=device, states=states, limit=10_000)

    def events(self, alert_id: int) -> list[EventRow]:
        return alert_events(self.db, alert_id)

    def wait_alert(
        self,
        rule_id: str,
        device: str,
        predicate: Callable[[AlertRow], bool] = lambda a: a.state == "firing",
        timeout: float = 30.0,
        what: str = "",
    ) -> AlertRow:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for alert in self.alerts(rule_id, device):
                if predicate(alert):
                    return alert
            time.sleep(0.05)
        seen = [(a.id, a.state, a.level, a.severity) for a in self.alerts(rule_id, device)]
        raise AssertionError(f"no {rule_id} alert of {device} {what} in {timeout:.0f} s; have {seen}")

    def wait_until(
        self, predicate: Callable[[], bool], timeout: float = 30.0, what: str = "condition"
    ) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.05)
        raise AssertionError(f"{what} not met in {timeout:.0f} s")

    def wait_judged(self, evaluator: Evaluator, passes: int = 3) -> None:
        """Wait until `evaluator` has gone `passes` more times round its loop (so what was stored
        before has been judged)."""
        start = evaluator.passes
        self.wait_until(lambda: evaluator.passes >= start + passes, what=f"{passes} evaluation passes")


@pytest.fixture
def alert_settings(rig_settings: Settings) -> Settings:
    """Ingest's test settings, with an evaluator that ticks often and splits devices into 4 shards."""
    return rig_settings.model_copy(update={"alerts_tick_s": 0.3, "alerts_shards": 4, "alerts_sweep_s": 0.0})


@pytest.fixture
def alert_rig(alert_settings: Settings, db: psycopg.Connection, broker: Broker) -> Iterator[AlertRig]:
    upsert_devices(db, DEVICES)
    publisher = Publisher(broker.url)
    ingest = IngestRig(alert_settings, db, publisher, broker, [])
    ingest.start_worker()
    rig = AlertRig(ingest, alert_settings, db)
    yield rig
    rig.stop_all()
    ingest.stop_workers()
    publisher.close()
    db.execute("TRUNCATE rule_overrides RESTART IDENTITY")


class EvaluatorProcess:
    """`sensegrid alerts run` as a real process, configured through SENSEGRID_* variables."""

    def __init__(self, settings: Settings, log: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SENSEGRID_")}
        env.update(
            SENSEGRID_DATABASE_URL=settings.database_url,
            SENSEGRID_ALERTS_TICK_S=str(settings.alerts_tick_s),
            SENSEGRID_ALERTS_SHARDS=str(settings.alerts_shards),
            SENSEGRID_ALERTS_SWEEP_S="0",
        )
        self.log = log
        self.fh = log.open("ab")
        self.starts = log.read_text().count("alert evaluator ready") if log.exists() else 0
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sensegrid.cli", "alerts", "run"],
            env=env,
            stdout=self.fh,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.log.read_text().count("alert evaluator ready") > self.starts:
                return
            if self.proc.poll() is not None:
                raise AssertionError(f"evaluator exited early:\n{self.log.read_text()}")
            time.sleep(0.05)
        raise AssertionError(f"evaluator not ready:\n{self.log.read_text()}")

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)
        self.fh.close()
