"""Alert latency benchmark: from publishing a threshold-crossing reading to its alert firing.

    .venv/bin/python bench/alerts.py [--rate 5000] [--devices 500] [--samples 200]
                                     [--workers 2] [--storage timescaledb|plain]

Starts its own Mosquitto (deploy/mosquitto/mosquitto-local.conf, free port) and a throwaway
database on the configured server (SENSEGRID_TEST_SERVER_URL, default local), and runs
`sensegrid ingest` and `sensegrid alerts run` as real processes with their default settings.
A publisher process keeps a background load of `--rate` readings/s (utility-tunnel gas detectors,
5 metrics each, values well inside every limit, stamped now) while probe detectors, one at a
time every `--interval` s, publish natural gas at 35 % LEL (city.ch4_compartment first alarm,
no `for`) and, once their alert fired, 0 % LEL to clear it. Latency = the alert row's fired_at
(database clock) − the probe's publish time (same host clock). Prints the background rate
actually stored, p50/p95/p99 latency, and a final JSON line. Target (issue 5): p95 ≤ 1 s.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from multiprocessing.synchronize import Event as EventType
from pathlib import Path

import orjson
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.database import throwaway_database
from core.settings import Settings
from store.db import connect
from store.device_registry import NewDevice, upsert_devices
from tests.broker import Broker, Publisher

RULE = "city.ch4_compartment"
QUIET = {"ch4_lel": 1.0, "combustible_lel": 1.0, "o2": 20.9, "h2s": 0.0, "co": 1.0}
SETS_PER_MESSAGE = 2  # reading sets (of 5 metrics) per background message


def background(url: str, prefix: str, devices: list[str], rate: int, stop: EventType) -> None:
    """Publish `rate` readings/s, stamped now, spread over the devices, until `stop`."""
    pub = Publisher(url)
    per_message = SETS_PER_MESSAGE * len(QUIET)
    messages_per_tick = max(1, round(rate / per_message / 20))  # 20 ticks a second
    k = 0
    next_tick = time.time()
    while not stop.is_set():
        now = time.time()
        for _ in range(messages_per_tick):
            device = devices[k % len(devices)]
            sets = [{"ts": round(now - 0.001 * j, 6), "metrics": QUIET} for j in range(SETS_PER_MESSAGE)]
            pub.client.publish(f"{prefix}/{device}/telemetry", orjson.dumps({"readings": sets}), qos=1)
            k += 1
        next_tick += 0.05
        time.sleep(max(0.0, next_tick - time.time()))
    pub.close()


def _count(conn: psycopg.Connection, sql: str, args: tuple[object, ...] = ()) -> int:
    row = conn.execute(sql, args).fetchone()
    return int(row[0]) if row else 0


def _wait_log(log: Path, text: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if text in log.read_text():
            return
        if proc.poll() is not None:
            raise SystemExit(f"{proc.args!r} exited early; see {log}")
        time.sleep(0.1)
    raise SystemExit(f"{proc.args!r} did not log {text!r}; see {log}")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def run(args: argparse.Namespace, settings: Settings, broker: Broker, workdir: Path) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SENSEGRID_")}
    env.update(
        SENSEGRID_DATABASE_URL=settings.database_url,
        SENSEGRID_MQTT_URL=broker.url,
        SENSEGRID_TOPIC_PREFIX=settings.topic_prefix,
        SENSEGRID_INGEST_CLIENT_ID=f"bench-{uuid.uuid4().hex[:6]}",
        SENSEGRID_INGEST_SHARED_GROUP=f"bench-{uuid.uuid4().hex[:6]}",
        SENSEGRID_TIMESCALEDB=settings.timescaledb,
    )
    ingest_log, alerts_log = workdir / "ingest.log", workdir / "alerts.log"
    ingest = subprocess.Popen(
        [sys.executable, "-m", "sensegrid.cli", "ingest", "--workers", str(args.workers)],
        env=env,
        stdout=ingest_log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    evaluator = subprocess.Popen(
        [sys.executable, "-m", "sensegrid.cli", "alerts", "run"],
        env=env,
        stdout=alerts_log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_log(ingest_log, "subscribed to", ingest)
        _wait_log(alerts_log, "alert evaluator ready", evaluator)
        devices = [f"bg-{i:05d}" for i in range(args.devices)]
        stop = mp.get_context("fork").Event()
        loader = mp.get_context("fork").Process(
            target=background, args=(broker.url, settings.topic_prefix, devices, args.rate, stop)
        )
        loader.start()
        conn = connect(settings.database_url, autocommit=True)
        print(f"background load {args.rate} readings/s over {args.devices} devices; warming up…", flush=True)
        time.sleep(args.warmup)
        stored_before, t_before = _count(conn, "SELECT count(*) FROM readings"), time.time()
        probe = Publisher(broker.url)
        probes = [f"probe-{i:03d}" for i in range(args.probes)]
        crossings: dict[str, list[float]] = {p: [] for p in probes}
        open_sql = "SELECT count(*) FROM alerts WHERE device_id = %s AND state <> 'resolved'"

        def send(device: str, ch4: float) -> float:
            t = time.time()
            probe.publish(
                f"{settings.topic_prefix}/{device}/telemetry",
                orjson.dumps({"ts": t, "metrics": {"ch4_lel": ch4}}),
            )
            return t

        for i in range(args.samples):
            device = probes[i % len(probes)]
            if _count(conn, open_sql, (device,)):  # its previous alert: clear it first
                send(device, 0.0)
                deadline = time.time() + 10
                while _count(conn, open_sql, (device,)) and time.time() < deadline:
                    time.sleep(0.01)
            crossings[device].append(send(device, 35.0))
            if (i + 1) % 50 == 0:
                print(f"  {i + 1}/{args.samples} crossings published", flush=True)
            time.sleep(args.interval)
        deadline = time.time() + 30
        total = sum(len(v) for v in crossings.values())
        while (
            time.time() < deadline
            and _count(conn, "SELECT count(*) FROM alerts WHERE fired_at IS NOT NULL") < total
        ):
            time.sleep(0.05)
        stored_after, t_after = _count(conn, "SELECT count(*) FROM readings"), time.time()
        stop.set()
        loader.join(timeout=30)
        latencies: list[float] = []
        for device, published in crossings.items():
            rows = conn.execute(
                "SELECT extract(epoch FROM fired_at)::float8 FROM alerts "
                "WHERE device_id = %s AND rule_id = %s AND fired_at IS NOT NULL ORDER BY id",
                (device, RULE),
            ).fetchall()
            latencies += [fired - sent for (fired,), sent in zip(rows, published, strict=False)]
        missing = total - len(latencies)
        duplicates = _count(
            conn,
            "SELECT count(*) - count(DISTINCT (device_id, started_at)) FROM alerts WHERE rule_id = %s",
            (RULE,),
        )
        conn.close()
        probe.close()
    finally:
        for proc in (evaluator, ingest):
            proc.terminate()
            proc.wait(timeout=60)
    ms = [x * 1000 for x in latencies]
    return {
        "storage": args.storage,
        "background_target_readings_per_s": args.rate,
        "background_stored_readings_per_s": round((stored_after - stored_before) / (t_after - t_before)),
        "crossings": total,
        "alerts_missing": missing,
        "duplicate_alerts": duplicates,
        "p50_ms": round(percentile(ms, 50), 1) if ms else None,
        "p95_ms": round(percentile(ms, 95), 1) if ms else None,
        "p99_ms": round(percentile(ms, 99), 1) if ms else None,
        "max_ms": round(max(ms), 1) if ms else None,
        "mean_ms": round(statistics.fmean(ms), 1) if ms else None,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rate", type=int, default=5000, help="background readings per second")
    ap.add_argument("--devices", type=int, default=500, help="background devices")
    ap.add_argument("--probes", type=int, default=20, help="devices taking turns at crossing the threshold")
    ap.add_argument("--samples", type=int, default=200, help="threshold crossings measured")
    ap.add_argument("--interval", type=float, default=0.25, help="seconds between two crossings")
    ap.add_argument("--warmup", type=float, default=10.0, help="seconds of background load before measuring")
    ap.add_argument("--workers", type=int, default=2, help="ingest worker processes")
    ap.add_argument("--storage", choices=("timescaledb", "plain"), default="timescaledb")
    args = ap.parse_args()

    with throwaway_database(args.storage) as settings:
        with connect(settings.database_url, autocommit=True) as conn:
            kind = ("city", "tunnel_gas_detector")
            fleet = [f"bg-{i:05d}" for i in range(args.devices)] + [
                f"probe-{i:03d}" for i in range(args.probes)
            ]
            upsert_devices(
                conn,
                [NewDevice(d, *kind, tenant="bench", site=f"tunnel-{i % 20}") for i, d in enumerate(fleet)],
            )
        workdir = Path(tempfile.mkdtemp(prefix="sensegrid-bench-alerts-"))
        broker = Broker(workdir / "mosquitto")
        broker.start()
        try:
            result = run(args, settings, broker, workdir)
        finally:
            broker.stop()
    print()
    print(
        f"background {result['background_stored_readings_per_s']:,} readings/s stored; "
        f"{result['crossings']} crossings, {result['alerts_missing']} without alert, "
        f"{result['duplicate_alerts']} duplicates"
    )
    print(
        f"publish → firing: p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, p99 {result['p99_ms']} ms"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
