"""`sensegrid demo`: the whole platform on one machine, with a simulated fleet of all six areas.

Steps: database and broker (the configured ones when SENSEGRID_DATABASE_URL / SENSEGRID_MQTT_URL
are set, embedded ones otherwise) → migrate → register the demo fleet and the scenarios' devices
for tenant `demo` → apply the scenarios' time compression as tenant overrides → an admin API key →
backfill history straight through ingest's pipeline → ingest, the alert evaluator, the API and the
simulator, live, until Ctrl-C (or `--duration`) → stop in order: simulator, ingest (flushes and
acks), evaluator, API, embedded services.

Everything runs in this process (threads), so Ctrl-C or SIGTERM stops all of it and a killed demo
leaves nothing behind (the embedded PostgreSQL dies with its parent).
"""

from __future__ import annotations

import contextlib
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import uvicorn
from rich.console import Console

from alerts.evaluator import Evaluator
from api.app import create_app
from core.logging import configure_logging
from core.settings import Settings
from ingest.consumer import IngestWorker
from sensegrid.backfill import Span, backfill
from sensegrid.demo.screen import Counters, DemoScreen
from sensegrid.embedded.broker import EmbeddedBroker
from sensegrid.embedded.postgres import EmbeddedPostgres
from sensegrid.embedded.service import EmbeddedServiceError, default_state_dir
from sensegrid.ports import free_port
from sensegrid.sim_fleet import apply_overrides, register_fleet
from sim.engine import Simulator
from sim.fleet import SimDevice, demo_fleet
from sim.publish import Publisher
from sim.scenarios import ScenarioRun, all_scenarios, demo_overrides, find, fleet_of, place_starting_at
from sim.signals import DEMO_FAULTS, NO_FAULTS
from store.api_keys import create_key
from store.db import connect
from store.db_url import redacted
from store.migrate import drop_database, upgrade

TENANT = "demo"
FIRST_ALERT_S = 20.0  # the first scenario's first alert is due this long after the demo goes live
STAGGER_S = 25.0  # and each further scenario's first alert this much later


@dataclass(frozen=True)
class DemoPlan:
    """The fleet, the scenario runs placed on the clock around the moment the demo goes live, and
    the simulator that plays them."""

    fleet: tuple[SimDevice, ...]
    scenario_devices: tuple[SimDevice, ...]
    runs: tuple[ScenarioRun, ...]
    simulator: Simulator


def plan_demo(
    *, devices: int, seed: int, tenant: str, scenario_ids: tuple[str, ...], live_from: float, faults: bool
) -> DemoPlan:
    """Place each scenario so its first expected alert falls due soon after `live_from`, one after
    the other; what comes before that moment is stored as history by the backfill."""
    scenarios = [find(s) for s in scenario_ids] if scenario_ids else list(all_scenarios())
    runs = []
    for i, scenario in enumerate(scenarios):
        first = min((e.fires_by_s for e in scenario.expected), default=0.0)
        runs.append(place_starting_at(scenario, live_from + FIRST_ALERT_S + i * STAGGER_S - first))
    fleet = demo_fleet(devices, seed=seed, tenant=tenant)
    played = fleet_of(runs, tenant)
    simulator = Simulator(
        [*fleet, *played], seed=seed, runs=runs, faults=DEMO_FAULTS if faults else NO_FAULTS
    )
    return DemoPlan(tuple(fleet), tuple(played), tuple(runs), simulator)


@dataclass(frozen=True)
class DemoOptions:
    """What `sensegrid demo` was asked for."""

    devices: int = 120
    seed: int = 7
    backfill_hours: float = 24.0
    duration_s: float | None = None
    api_port: int | None = None
    embedded: bool | None = None  # None: embedded unless the database / broker is configured
    scenarios: tuple[str, ...] = ()  # () = every scenario
    faults: bool = True  # sensor faults (spikes, flat-lines, drift, dropouts, clock skew)
    state_dir: Path | None = None


@dataclass
class _Running:
    """The services started, in the order they stop."""

    threads: list[tuple[str, Callable[[], None], threading.Thread]] = field(default_factory=list)

    def start(self, name: str, target: Callable[[], None], stop: Callable[[], None]) -> threading.Thread:
        thread = threading.Thread(target=target, name=f"demo-{name}", daemon=True)
        thread.start()
        self.threads.append((name, stop, thread))
        return thread

    def stop_all(self, say: Callable[[str], None]) -> None:
        for name, stop, thread in self.threads:
            say(f"stopping {name}…")
            stop()
            thread.join(timeout=30)
            if thread.is_alive():
                say(f"{name} did not stop within 30 s")
        self.threads.clear()


@dataclass(frozen=True)
class _Live:
    """What the live screen reads its figures from."""

    ingest: IngestWorker
    publisher: Publisher


def _port_free(host: str, port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def _raise_stop(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # SIGTERM stops the demo the way Ctrl-C does


@contextlib.contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """SIGTERM ends the demo like Ctrl-C does (only the main thread can install the handler)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class Demo:
    """One run of `sensegrid demo`."""

    def __init__(self, settings: Settings, options: DemoOptions, console: Console) -> None:
        self.base = settings
        self.options = options
        self.console = console

    def say(self, text: str) -> None:
        self.console.print(f"[bold cyan]demo[/bold cyan] {text}", highlight=False)

    # -- services ------------------------------------------------------------------------------

    def _services(self, stack: ExitStack) -> Settings:
        """Settings pointing at the database and broker to use, embedded ones started on `stack`."""
        configured = self.base.model_fields_set
        use_db = self.options.embedded is not True and "database_url" in configured
        use_mqtt = self.options.embedded is not True and "mqtt_url" in configured
        if self.options.embedded is False and not (use_db and use_mqtt):
            raise EmbeddedServiceError(
                "--no-embedded needs SENSEGRID_DATABASE_URL and SENSEGRID_MQTT_URL set "
                "(or leave the option out to start embedded services)"
            )
        update: dict[str, object] = {
            "ingest_client_id": "sensegrid-demo-ingest",
        }
        state = self.options.state_dir or default_state_dir()
        if use_db:
            self.say(f"database: configured ({redacted(self.base.database_url)})")
        else:
            pg = stack.enter_context(EmbeddedPostgres(state / "postgres", progress=self.say))
            drop_database(pg.url)  # every embedded demo starts afresh; the cluster itself is reused
            update["database_url"] = pg.url
            update["timescaledb"] = "auto"
        if use_mqtt:
            self.say(f"broker: configured ({redacted(self.base.mqtt_url)})")
        else:
            broker = stack.enter_context(EmbeddedBroker(progress=self.say))
            update["mqtt_url"] = broker.url
            update["mqtt_protocol"] = EmbeddedBroker.protocol
        return self.base.model_copy(update=update)

    def _backfill(self, settings: Settings, plan: DemoPlan, live_from: float) -> None:
        """The fleet's last `backfill_hours`, and each scenario's devices from their run's start."""
        spans = []
        if self.options.backfill_hours > 0:
            spans.append(Span(live_from - self.options.backfill_hours * 3600, live_from, plan.fleet))
        for run in plan.runs:
            devices = [d for d in plan.scenario_devices if d.scenario == run.scenario.id]
            if run.start < live_from:
                spans.append(Span(run.start, live_from, devices))
        self.say(
            f"storing history: the fleet's last {self.options.backfill_hours:g} h and each scenario up to now"
        )
        backfill(settings, plan.simulator, spans, console=self.console)

    def _api_port(self, settings: Settings) -> int:
        wanted = self.options.api_port or settings.api_port
        if _port_free(settings.api_host, wanted):
            return wanted
        port = free_port(settings.api_host)
        self.say(f"port {wanted} is taken; the API listens on {port} instead")
        return port

    # -- the run -------------------------------------------------------------------------------

    def run(self) -> int:
        if "log_level" not in self.base.model_fields_set:
            configure_logging("WARNING")  # the live screen speaks; services log only what is wrong
        running = _Running()
        with ExitStack() as stack, _stop_on_sigterm():
            try:
                settings = self._services(stack)
                result = upgrade(settings)
                self.say(
                    f"schema {result.after}; "
                    + ("TimescaleDB hypertables" if result.hypertables else "plain PostgreSQL tables")
                )
                live_from = time.time()
                plan = plan_demo(
                    devices=self.options.devices,
                    seed=self.options.seed,
                    tenant=TENANT,
                    scenario_ids=self.options.scenarios,
                    live_from=live_from,
                    faults=self.options.faults,
                )
                with connect(settings.database_url, autocommit=True) as conn:
                    registered = register_fleet(conn, [*plan.fleet, *plan.scenario_devices])
                    apply_overrides(conn, TENANT, demo_overrides(plan.runs), by="sensegrid demo")
                    _key, token = create_key(conn, tenant=TENANT, role="admin", name="sensegrid demo")
                self.say(
                    f"registered {registered} devices of six areas for tenant {TENANT!r}; scenarios "
                    + ", ".join(r.scenario.id for r in plan.runs)
                    + " (their rules time-compressed for the demo)"
                )
                self._backfill(settings, plan, live_from)
                port = self._api_port(settings)
                api_url = f"http://{settings.api_host}:{port}"
                live = self._start(running, settings, plan, port)
                self.console.print(f"API      {api_url}   docs {api_url}/docs", highlight=False)
                self.console.print(f"API key  {token}   (admin, tenant {TENANT})", highlight=False)
                self.console.print(
                    f"try      curl -H 'Authorization: Bearer {token}' {api_url}/alerts?state=firing",
                    highlight=False,
                )
                screen = DemoScreen(settings, TENANT, api_url, self.console)
                screen.show(
                    Counters(
                        stored=lambda: live.ingest.stored, published=lambda: live.publisher.stats.readings
                    ),
                    until=None if self.options.duration_s is None else time.time() + self.options.duration_s,
                )
            except KeyboardInterrupt:
                self.console.print()
                self.say("stopping")
            except (EmbeddedServiceError, ValueError) as exc:  # ValueError: options the fleet refuses
                self.console.print(f"[red]demo cannot start:[/red] {exc}")
                return 1
            finally:
                running.stop_all(self.say)
        self.say("stopped cleanly")
        return 0

    def _start(self, running: _Running, settings: Settings, plan: DemoPlan, port: int) -> _Live:
        worker = IngestWorker(settings, 0, shared=False)
        running.start("ingest", worker.run, worker.stop)
        evaluator = Evaluator(settings)
        running.start("alerts", evaluator.run, evaluator.stop)
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(settings),
                host=settings.api_host,
                port=port,
                access_log=False,
                log_config=None,
                log_level="warning",
            )
        )

        def stop_server() -> None:
            server.should_exit = True

        running.start("api", server.run, stop_server)
        publisher = Publisher(settings, plan.simulator, start=time.time())
        running.start("simulator", publisher.run, publisher.stop)
        # the simulator stops first, then ingest drains what it sent
        running.threads.sort(key=lambda t: ["simulator", "ingest", "alerts", "api"].index(t[0]))
        deadline = time.monotonic() + 30
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        return _Live(worker, publisher)


def run_demo(settings: Settings, options: DemoOptions, console: Console | None = None) -> int:
    """Run the demo; the exit code (0 after a clean stop)."""
    return Demo(settings, options, console or Console(soft_wrap=True)).run()
