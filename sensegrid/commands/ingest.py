"""`sensegrid ingest`: run N ingest workers on one MQTT 5 shared subscription."""

from __future__ import annotations

import logging
import multiprocessing as mp
import signal
import sys

import typer
from prometheus_client import start_http_server

from core.logging import configure_logging
from core.metrics import REGISTRY
from core.settings import get_settings
from ingest.consumer import IngestWorker

log = logging.getLogger("sensegrid.ingest")


def run_worker(index: int, shared: bool) -> None:
    """One worker process: consume until SIGTERM/SIGINT, then flush, ack and exit."""
    settings = get_settings()
    configure_logging(settings.log_level)
    if settings.metrics_port:
        start_http_server(settings.metrics_port + index, registry=REGISTRY)
    worker = IngestWorker(settings, index, shared=shared)
    worker.install_signal_handlers()
    worker.run()


def ingest(
    workers: int = typer.Option(
        1, "--workers", "-w", min=1, help="Worker processes (one shared subscription)."
    ),
    first_index: int = typer.Option(
        0, help="Index of the first worker; client ids are <SENSEGRID_INGEST_CLIENT_ID>-<index>."
    ),
    shared: bool | None = typer.Option(
        None,
        "--shared/--no-shared",
        help="Join the shared subscription (default: when --workers > 1). Use --shared when "
        "running single-worker processes on several hosts.",
    ),
) -> None:
    """Consume telemetry from MQTT and store it (Ctrl-C / SIGTERM: flush, ack and stop)."""
    settings = get_settings()
    configure_logging(settings.log_level)
    use_shared = workers > 1 if shared is None else shared
    if use_shared and not settings.mqtt_v5:
        raise typer.BadParameter(
            "several workers (or --shared) need an MQTT 5 shared subscription, but "
            "SENSEGRID_MQTT_PROTOCOL is 3.1.1: run one worker without --shared, or use an MQTT 5 broker"
        )
    if workers == 1:
        run_worker(first_index, use_shared)
        return
    ctx = mp.get_context("spawn")
    procs = [
        ctx.Process(target=run_worker, args=(first_index + i, use_shared), daemon=False)
        for i in range(workers)
    ]
    for p in procs:
        p.start()
    log.info("started %d ingest workers", workers)

    def forward(signum: int, _frame: object) -> None:
        for p in procs:
            if p.pid is not None and p.is_alive():
                p.terminate()  # SIGTERM: each worker flushes and acks before leaving

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    for p in procs:
        p.join()
    failed = [p.exitcode for p in procs if p.exitcode not in (0, -signal.SIGTERM)]
    if failed:
        sys.exit(1)
