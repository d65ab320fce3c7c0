"""Ingest benchmark: MQTT → sensegrid ingest → PostgreSQL/TimescaleDB, against a raw binary COPY.

    .venv/bin/python bench/ingest.py [--batched-messages 6000] [--single-messages 100000]
                                     [--workers 2] [--publishers 2] [--storage timescaledb|plain]

Starts its own Mosquitto from deploy/mosquitto/mosquitto-local.conf on a free port and a
throwaway database on the configured server (SENSEGRID_TEST_SERVER_URL, default local), runs
`sensegrid ingest` as real processes, publishes from several publisher processes (payloads are
built before the clock starts), and measures from the first publish to the commit of the last
reading. In the same run it COPYs the same rows straight into the same table from Python. Prints
progress, a table, and a final JSON line per case with readings_per_s, messages_per_s,
raw_copy_rows_per_s, ratio and the ingest processes' peak RSS.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import orjson
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.database import throwaway_database
from core.settings import Settings
from store.db import connect
from store.device_registry import NewDevice, upsert_devices
from store.series import series_ids
from tests.broker import Broker, Publisher

METRICS = (
    "pm25",
    "pm10",
    "so2",
    "no2",
    "o3",
    "co",
    "air_temperature",
    "relative_humidity",
    "wind_speed",
    "air_pressure",
)
VALUES = {
    "pm25": 35.0,
    "pm10": 70.0,
    "so2": 10.0,
    "no2": 30.0,
    "o3": 90.0,
    "co": 0.8,
    "air_temperature": 12.0,
    "relative_humidity": 60.0,
    "wind_speed": 3.0,
    "air_pressure": 1010.0,
}


def build_payloads(case: str, n_messages: int, n_devices: int, t0: float) -> list[tuple[str, bytes]]:
    """(device, payload) pairs; every reading has a distinct (device, metric, time)."""
    out = []
    for k in range(n_messages):
        device = f"bench-{k % n_devices:05d}"
        slot = k // n_devices
        if case == "batched":  # 10 reading sets x 10 metrics = 100 readings
            sets = [
                {
                    "ts": round(t0 + (slot * 10 + j) * 1.0, 3),
                    "metrics": {m: VALUES[m] + (slot + j) % 7 for m in METRICS},
                }
                for j in range(10)
            ]
            out.append((device, orjson.dumps({"readings": sets})))
        else:
            metric = METRICS[slot % len(METRICS)]
            out.append(
                (
                    device,
                    orjson.dumps(
                        {"ts": round(t0 + slot // len(METRICS), 3), "metrics": {metric: VALUES[metric]}}
                    ),
                )
            )
    return out


def publisher(
    url: str, prefix: str, payloads: list[tuple[str, bytes]], start_at: float, done: mp.Queue
) -> None:
    pub = Publisher(url)
    while time.time() < start_at:
        time.sleep(0.001)
    infos = [pub.client.publish(f"{prefix}/{d}/telemetry", p, qos=1) for d, p in payloads]
    for info in infos:
        info.wait_for_publish(timeout=120)
    done.put(time.time())
    pub.close()


def c_publisher(
    port: int, prefix: str, payloads: list[tuple[str, bytes]], start_at: float, done: mp.Queue
) -> None:
    """mosquitto_pub -l (C): one process per device, one message per stdin line, QoS 1."""
    by_device: dict[str, list[bytes]] = {}
    for device, payload in payloads:
        by_device.setdefault(device, []).append(payload)
    while time.time() < start_at:
        time.sleep(0.001)
    procs = []
    for device, lines in by_device.items():
        proc = subprocess.Popen(
            [
                "mosquitto_pub",
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-q",
                "1",
                "-M",
                "1000",
                "-l",
                "-t",
                f"{prefix}/{device}/telemetry",
            ],
            stdin=subprocess.PIPE,
        )
        procs.append((proc, b"\n".join(lines) + b"\n"))
    for proc, data in procs:
        assert proc.stdin is not None
        proc.stdin.write(data)
        proc.stdin.close()
    for proc, _ in procs:
        proc.wait()
    done.put(time.time())


def rss_kb(pid: int, field: str = "VmHWM") -> int:
    """Memory of a process and its children, kB: VmHWM (peak) or VmRSS (now)."""
    total = 0
    for p in [pid, *children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith(field + ":"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total


def children(pid: int) -> list[int]:
    try:
        out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    except FileNotFoundError:
        return []
    return [int(x) for x in out.split()]


def count(conn: psycopg.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM readings").fetchone()[0])  # type: ignore[index]


def raw_copy_rate(settings: Settings, rows: list[tuple[datetime, int, float, int]]) -> float:
    with connect(settings.database_url, autocommit=True) as conn:
        conn.execute("TRUNCATE readings, readings_1m, readings_1h")
        started = time.perf_counter()
        with (
            conn.transaction(),
            conn.cursor() as cur,
            cur.copy("COPY readings (time, series_id, value, quality) FROM STDIN (FORMAT BINARY)") as copy,
        ):
            copy.set_types(["timestamptz", "int4", "float8", "int2"])
            for row in rows:
                copy.write_row(row)
        elapsed = time.perf_counter() - started
        conn.execute("TRUNCATE readings, readings_1m, readings_1h")
    return len(rows) / elapsed


def run_case(
    case: str, args: argparse.Namespace, settings: Settings, broker: Broker, workdir: Path
) -> dict[str, object]:
    n_messages = args.batched_messages if case == "batched" else args.single_messages
    t0 = time.time() - 20 * 86400 + (0 if case == "batched" else 86400 * 5)
    print(f"[{case}] building {n_messages} payloads…", flush=True)
    payloads = build_payloads(case, n_messages, args.devices, t0)
    readings = n_messages * (100 if case == "batched" else 1)
    with connect(settings.database_url, autocommit=True) as conn:
        conn.execute("TRUNCATE readings, readings_1m, readings_1h, rejected_messages")
    prefix = settings.topic_prefix
    env = {k: v for k, v in os.environ.items() if not k.startswith("SENSEGRID_")}
    env.update(
        SENSEGRID_DATABASE_URL=settings.database_url,
        SENSEGRID_MQTT_URL=broker.url,
        SENSEGRID_TOPIC_PREFIX=prefix,
        SENSEGRID_INGEST_CLIENT_ID=f"bench-{case}-{uuid.uuid4().hex[:6]}",
        SENSEGRID_INGEST_SHARED_GROUP=f"bench-{case}-{uuid.uuid4().hex[:6]}",
        SENSEGRID_TIMESCALEDB=settings.timescaledb,
        SENSEGRID_LOG_LEVEL=os.environ.get("BENCH_LOG_LEVEL", "WARNING"),
    )
    log = (workdir / f"ingest-{case}.log").open("wb")
    ingest = subprocess.Popen(
        [sys.executable, "-m", "sensegrid.cli", "ingest", "--workers", str(args.workers)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    time.sleep(3.0)  # workers connect and subscribe
    if args.client == "c":  # each publisher takes whole devices (one mosquitto_pub per device)
        shares = [
            [p for p in payloads if int(p[0][-5:]) % args.publishers == i] for i in range(args.publishers)
        ]
    else:
        share = (len(payloads) + args.publishers - 1) // args.publishers
        shares = [payloads[i * share : (i + 1) * share] for i in range(args.publishers)]
    done: mp.Queue = mp.Queue()
    start_at = time.time() + 1.0
    ctx = mp.get_context("fork")
    target = c_publisher if args.client == "c" else publisher
    address: object = broker.port if args.client == "c" else broker.url
    pubs = [
        ctx.Process(target=target, args=(address, prefix, shares[i], start_at, done))
        for i in range(args.publishers)
    ]
    for p in pubs:
        p.start()
    conn = connect(settings.database_url, autocommit=True)
    last_print = 0.0
    stored = 0
    deadline = start_at + args.timeout
    while time.time() < deadline:
        stored = count(conn)
        now = time.time()
        if now - last_print >= 2 and now > start_at:
            rate = stored / (now - start_at)
            print(f"[{case}] {stored:>9}/{readings} readings stored, {rate:,.0f}/s so far", flush=True)
            last_print = now
        if stored >= readings:
            break
        time.sleep(0.02)
    finished = time.time()
    publish_done = max(done.get(timeout=60) for _ in pubs)
    for p in pubs:
        p.join()
    rss = rss_kb(ingest.pid)
    ingest.terminate()
    ingest.wait(timeout=60)
    log.close()
    rejected = int(conn.execute("SELECT count(*) FROM rejected_messages").fetchone()[0])  # type: ignore[index]
    conn.close()
    if stored < readings:
        print(f"[{case}] TIMEOUT: only {stored} of {readings} stored; see {workdir}", flush=True)
    elapsed = finished - start_at
    # the same rows, straight COPY into the same table
    with connect(settings.database_url, autocommit=True) as c2:
        pairs = {(d, m) for d in {p[0] for p in payloads} for m in METRICS}
        ids = series_ids(c2, pairs)
    rows: list[tuple[datetime, int, float, int]] = []
    for device, payload in payloads:
        doc = orjson.loads(payload)
        for s in doc.get("readings", [doc]):
            t = datetime.fromtimestamp(s["ts"], UTC)
            for m, v in s["metrics"].items():
                rows.append((t, ids[(device, m)], float(v), 0))
    copy_rate = raw_copy_rate(settings, rows)
    result = {
        "case": case,
        "storage": args.storage,
        "workers": args.workers,
        "publishers": args.publishers,
        "client": args.client,
        "messages": n_messages,
        "readings": readings,
        "stored": stored,
        "rejected": rejected,
        "seconds": round(elapsed, 3),
        "publish_seconds": round(publish_done - start_at, 3),
        "readings_per_s": round(stored / elapsed),
        "messages_per_s": round(n_messages * stored / readings / elapsed),
        "raw_copy_rows_per_s": round(copy_rate),
        "ratio": round(stored / elapsed / copy_rate, 3),
        "ingest_peak_rss_mb": round(rss / 1024, 1),
    }
    return result


def run_soak(
    args: argparse.Namespace, settings: Settings, broker: Broker, workdir: Path
) -> dict[str, object]:
    """A steady batched load for --soak-seconds: is the ingest's memory bounded?"""
    rate = args.soak_rate  # readings per second, 100 per message
    per_tick = max(1, rate // 100 // 10)  # messages every 100 ms
    env = {k: v for k, v in os.environ.items() if not k.startswith("SENSEGRID_")}
    env.update(
        SENSEGRID_DATABASE_URL=settings.database_url,
        SENSEGRID_MQTT_URL=broker.url,
        SENSEGRID_TOPIC_PREFIX=settings.topic_prefix,
        SENSEGRID_INGEST_CLIENT_ID=f"bench-soak-{uuid.uuid4().hex[:6]}",
        SENSEGRID_INGEST_SHARED_GROUP=f"bench-soak-{uuid.uuid4().hex[:6]}",
        SENSEGRID_TIMESCALEDB=settings.timescaledb,
        SENSEGRID_LOG_LEVEL="WARNING",
    )
    with connect(settings.database_url, autocommit=True) as conn:
        conn.execute("TRUNCATE readings, readings_1m, readings_1h, rejected_messages")
    log = (workdir / "ingest-soak.log").open("wb")
    ingest = subprocess.Popen(
        [sys.executable, "-m", "sensegrid.cli", "ingest", "--workers", str(args.workers)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    time.sleep(3.0)
    devices = [f"bench-{i:05d}" for i in range(args.devices)]
    pubs = {
        d: subprocess.Popen(
            [
                "mosquitto_pub",
                "-h",
                "127.0.0.1",
                "-p",
                str(broker.port),
                "-q",
                "1",
                "-M",
                "1000",
                "-l",
                "-t",
                f"{settings.topic_prefix}/{d}/telemetry",
            ],
            stdin=subprocess.PIPE,
        )
        for d in devices
    }
    t0 = time.time() - 30 * 86400
    sent = 0
    samples: list[tuple[float, int]] = []
    started = time.time()
    next_tick = started
    next_sample = started
    while time.time() - started < args.soak_seconds:
        for _ in range(per_tick):
            device = devices[sent % len(devices)]
            slot = sent // len(devices)
            sets = [{"ts": t0 + slot * 10 + j, "metrics": {m: VALUES[m] for m in METRICS}} for j in range(10)]
            stdin = pubs[device].stdin
            assert stdin is not None
            stdin.write(orjson.dumps({"readings": sets}) + b"\n")
            stdin.flush()
            sent += 1
        now = time.time()
        if now >= next_sample:
            samples.append((now - started, rss_kb(ingest.pid, "VmRSS")))
            print(
                f"[soak] {now - started:6.0f}s sent {sent * 100:>10} readings, ingest RSS "
                f"{samples[-1][1] / 1024:.0f} MB",
                flush=True,
            )
            next_sample += 30
        next_tick += 0.1
        time.sleep(max(0.0, next_tick - time.time()))
    for p in pubs.values():
        assert p.stdin is not None
        p.stdin.close()
        p.wait()
    expected = sent * 100
    conn = connect(settings.database_url, autocommit=True)
    deadline = time.time() + 300
    while time.time() < deadline and count(conn) < expected:
        time.sleep(0.5)
    stored = count(conn)
    conn.close()
    peak = rss_kb(ingest.pid)
    ingest.terminate()
    ingest.wait(timeout=60)
    log.close()
    first_half = [kb for t, kb in samples if t <= args.soak_seconds / 2]
    second_half = [kb for t, kb in samples if t > args.soak_seconds / 2]
    return {
        "case": "soak",
        "seconds": args.soak_seconds,
        "target_readings_per_s": rate,
        "readings_sent": expected,
        "stored": stored,
        "ingest_peak_rss_mb": round(peak / 1024, 1),
        "rss_max_first_half_mb": round(max(first_half, default=0) / 1024, 1),
        "rss_max_second_half_mb": round(max(second_half, default=0) / 1024, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--batched-messages", type=int, default=6000, help="messages of 100 readings")
    ap.add_argument("--single-messages", type=int, default=100_000, help="messages of one reading")
    ap.add_argument("--devices", type=int, default=500)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--publishers", type=int, default=2)
    ap.add_argument("--storage", choices=("timescaledb", "plain"), default="timescaledb")
    ap.add_argument("--cases", default="batched,single")
    ap.add_argument(
        "--client",
        choices=("c", "python"),
        default="c",
        help="load generator: mosquitto_pub -l processes (c) or paho publisher processes",
    )
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--soak-seconds", type=int, default=0, help="also run a steady load this long")
    ap.add_argument("--soak-rate", type=int, default=20000, help="readings/s of the soak load")
    args = ap.parse_args()

    results = []
    with throwaway_database(args.storage) as settings:
        with connect(settings.database_url, autocommit=True) as conn:
            upsert_devices(
                conn, [NewDevice(f"bench-{i:05d}", "environment", "aq_station") for i in range(args.devices)]
            )
        workdir = Path(tempfile.mkdtemp(prefix="sensegrid-bench-"))
        broker = Broker(workdir / "mosquitto")
        broker.start()
        try:
            for case in filter(None, args.cases.split(",")):
                results.append(run_case(case, args, settings, broker, workdir))
            if args.soak_seconds:
                soak = run_soak(args, settings, broker, workdir)
        finally:
            broker.stop()
    print()
    print(
        f"{'case':<8} {'readings/s':>11} {'messages/s':>11} {'raw COPY/s':>11} "
        f"{'ratio':>6} {'peak RSS MB':>12}"
    )
    for r in results:
        print(
            f"{r['case']:<8} {r['readings_per_s']:>11,} {r['messages_per_s']:>11,} "
            f"{r['raw_copy_rows_per_s']:>11,} {r['ratio']:>6} {r['ingest_peak_rss_mb']:>12}"
        )
    for r in results:
        print(json.dumps(r))
    if args.soak_seconds:
        print(json.dumps(soak))


if __name__ == "__main__":
    main()
