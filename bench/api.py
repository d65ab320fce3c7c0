"""API latency benchmark: the issue-6 read paths under concurrent clients, over real HTTP.

    .venv/bin/python bench/api.py [--days 1] [--stations 50] [--clients 20] [--seconds 10]
                                  [--storage timescaledb|plain] [--keep]

Creates a throwaway database on the configured server (SENSEGRID_TEST_SERVER_URL, default
local), registers `--stations` air-quality stations (one per site) reporting six pollutants once a
minute, and stores `--days` of readings through the batch writer (raw + rollups, as ingest does):
stations × 6 × 1440 readings a day — 50 stations and `--days 24` make about 10.4 million. It then
runs `sensegrid api --workers W` (default 1, with `--threads` = SENSEGRID_API_THREADS, default 4)
on a free local port and drives `--clients` concurrent keep-alive connections at each endpoint for
`--seconds` with wrk (`apt-get install wrk`):

- latest values of one site            GET /readings/latest?site=…
- a 24 h 1-minute series of one series GET /readings/buckets?interval=1m
- the AQI view of every station        GET /environment/aqi
- the open-alerts list                 GET /alerts?state=firing&state=acknowledged
- one page of devices                  GET /devices

and prints req/s and p50/p95/p99 per endpoint, and a final JSON line. wrk counts only answered
requests, so each line also gives the clients actually served (req/s × mean latency, Little's law):
well under `--clients` means some waited unanswered and the percentiles flatter the server.
`--only latest_site,series_24h_1m` measures some endpoints. Target (issue 6): p95 ≤ 50 ms
with 20 clients and at least 10 million readings stored. Alongside the readings it stores
`--alerts` alerts (a fifth of them open, the rest resolved) spread over the stations.

`--keep` keeps the database and prints its name; `--database NAME` runs again on it without
seeding anew (seeding 10 M readings takes minutes).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import subprocess
import sys
import time
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alerts.lifecycle import fingerprint
from bench.database import throwaway_database
from core.settings import Settings
from sensegrid.ports import free_port
from store.alert_writes import AlertKey, AlertWrite, EventWrite, insert_alert
from store.api_keys import create_key
from store.db import connect
from store.device_registry import NewDevice, upsert_devices
from store.series import series_ids
from store.writer import write_batch

ROOT = Path(__file__).resolve().parents[1]
POLLUTANTS = {"pm25": 35.0, "pm10": 70.0, "no2": 40.0, "so2": 10.0, "co": 0.8, "o3": 90.0}
BATCH = 50_000


def seed(url: str, stations: int, days: float) -> int:
    """Store `days` of once-a-minute readings for every station; returns how many."""
    end = datetime.now(UTC).replace(second=0, microsecond=0)
    minutes = int(days * 1440)
    start = end - timedelta(minutes=minutes)
    ids = [f"aq-{i:03d}" for i in range(stations)]
    stored = 0
    with connect(url, autocommit=True) as conn:
        upsert_devices(
            conn, [NewDevice(d, "environment", "aq_station", "bench", d, f"station-{d[3:]}") for d in ids]
        )
        sids = series_ids(conn, [(d, m) for d in ids for m in POLLUTANTS])
        rows: list[tuple[float, int, float, int]] = []
        t0 = time.perf_counter()
        for minute in range(minutes):
            epoch = (start + timedelta(minutes=minute)).timestamp()
            wave = 1 + 0.5 * math.sin(minute / 180)
            for (_device, metric), sid in sids.items():
                rows.append((epoch, sid, POLLUTANTS[metric] * wave * random.uniform(0.8, 1.2), 0))
            if len(rows) >= BATCH:
                stored += write_batch(conn, rows, last_seen={d: epoch for d in ids}).stored
                rows.clear()
                print(
                    f"\r  {stored:,} readings stored ({stored / (time.perf_counter() - t0):,.0f}/s)", end=""
                )
        if rows:
            stored += write_batch(conn, rows, last_seen={d: end.timestamp() for d in ids}).stored
        conn.execute("ANALYZE")
    print()
    return stored


def seed_alerts(url: str, stations: int, count: int) -> int:
    """`count` alerts on the stations' rules: every fifth one open (firing), the rest resolved."""
    rules = ("environment.aqi_cn_level", "environment.pm25_24h_exceedance", "environment.aq_station_silent")
    now = time.time()
    with connect(url, autocommit=True) as conn:
        for n in range(count):
            device, rule = f"aq-{n % stations:03d}", rules[(n // stations) % len(rules)]
            is_open = n % 5 == 0
            state = "firing" if is_open else "resolved"
            # an open alert's fingerprint is unique; resolved ones may repeat
            key = AlertKey(
                fingerprint(f"bench{n}", rule, device),
                rule,
                "environment",
                "bench",
                device,
                f"station-{device[3:]}",
            )
            alert = AlertWrite(
                state, 3, "heavy", 210.0, {"device": device}, f"{device}: AQI 210", f"{device}：AQI 210"
            )
            event = EventWrite("system", None, state, None, 3, 210.0, "bench", routed=True)
            insert_alert(conn, key, alert, now - 3600 * (count - n) / count, event)
    return count


def serve(
    settings: Settings, workers: int, threads: int, view_cache_s: float
) -> tuple[subprocess.Popen[bytes], str]:
    """`sensegrid api` as a real process (the clients must not share its interpreter)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SENSEGRID_")}
    env.update(
        SENSEGRID_DATABASE_URL=settings.database_url,
        SENSEGRID_DB_POOL_MAX=str(settings.db_pool_max),
        SENSEGRID_LOG_LEVEL="WARNING",
        SENSEGRID_API_THREADS=str(threads),
        SENSEGRID_API_VIEW_CACHE_S=str(view_cache_s),
    )
    cmd = [sys.executable, "-m", "sensegrid.cli", "api", "--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(base + "/healthz", timeout=2)
            return proc, base
        except httpx.TransportError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("sensegrid api did not start") from None
            time.sleep(0.2)


def measure(
    base: str, token: str, path: str, params: dict[str, str | list[str]], clients: int, seconds: float
) -> dict[str, float]:
    """`clients` concurrent keep-alive connections asking `path` for `seconds`, driven by wrk (a C
    load generator: the clients must not take the CPU the server is measured on)."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("bench/api.py drives the load with wrk: install it (apt-get install wrk)")
    url = str(httpx.URL(base + path, params=params))
    httpx.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=60).raise_for_status()  # warm
    out = subprocess.run(
        [
            wrk,
            f"-t{min(clients, 2)}",
            f"-c{clients}",
            f"-d{seconds:g}s",
            "--timeout",
            "30s",
            "-s",
            str(ROOT / "bench" / "wrk" / "percentiles.lua"),
            "-H",
            f"Authorization: Bearer {token}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next((ln for ln in out.splitlines() if ln.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(f"{path}: wrk reported nothing:\n{out}")
    requests, errors, p50, p95, p99, elapsed, mean = line.split()[1:]
    rate = int(requests) / float(elapsed)
    return {
        "requests": int(requests),
        "errors": int(errors),
        "req_per_s": round(int(requests) / float(elapsed), 1),
        "p50_ms": round(float(p50), 1),
        "p95_ms": round(float(p95), 1),
        "p99_ms": round(float(p99), 1),
        # Little's law: the clients actually being served; fewer than `clients` means some waited
        # past the end of the run unanswered (and are missing from the percentiles)
        "served_clients": round(rate * float(mean) / 1000, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--days", type=float, default=1.0, help="days of minute readings to store")
    ap.add_argument("--stations", type=int, default=50)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--workers", type=int, default=1, help="`sensegrid api --workers`")
    ap.add_argument("--threads", type=int, default=Settings().api_threads, help="SENSEGRID_API_THREADS")
    ap.add_argument(
        "--view-cache-s",
        type=float,
        default=Settings().api_view_cache_s,
        help="SENSEGRID_API_VIEW_CACHE_S; 0 measures every view and series computed anew",
    )
    ap.add_argument("--seconds", type=float, default=10.0, help="measuring time per endpoint")
    ap.add_argument("--storage", choices=("timescaledb", "plain"), default="timescaledb")
    ap.add_argument("--alerts", type=int, default=5000, help="alerts to store (a fifth open)")
    ap.add_argument("--only", help="comma-separated endpoint labels to measure (default: all)")
    ap.add_argument("--keep", action="store_true", help="keep the database afterwards")
    ap.add_argument("--database", help="reuse this database kept by an earlier --keep run (no seeding)")
    args = ap.parse_args()

    with (
        throwaway_database(
            args.storage,
            keep=args.keep,
            name=args.database,
            db_pool_max=max(4, args.clients // args.workers + 2),
        ) as settings,
        ExitStack() as stack,
    ):
        url = settings.database_url
        with connect(url, autocommit=True) as conn:
            row = conn.execute("SELECT count(*) FROM readings").fetchone()
            stored = int(row[0]) if row else 0
        if args.database and stored:
            print(f"reusing {stored:,} readings")
        else:
            stored = seed(url, args.stations, args.days)
            seed_alerts(url, args.stations, args.alerts)
        with connect(url, autocommit=True) as conn:
            token = create_key(conn, tenant="bench", role="viewer", name="bench")[1]
        server, base = serve(settings, args.workers, args.threads, args.view_cache_s)
        stack.callback(server.wait, 30)
        stack.callback(server.terminate)
        now = datetime.now(UTC)
        endpoints: dict[str, tuple[str, dict[str, str | list[str]]]] = {
            "latest_site": ("/readings/latest", {"site": "station-007"}),
            "series_24h_1m": (
                "/readings/buckets",
                {
                    "device_id": "aq-007",
                    "metric": "pm25",
                    "interval": "1m",
                    "start": (now - timedelta(hours=24)).isoformat(),
                    "end": now.isoformat(),
                },
            ),
            "aqi_all_stations": ("/environment/aqi", {}),
            "open_alerts": ("/alerts", {"state": ["firing", "acknowledged"]}),
            "devices_page": ("/devices", {"limit": "100"}),
        }
        results: dict[str, object] = {
            "readings": stored,
            "stations": args.stations,
            "clients": args.clients,
            "workers": args.workers,
            "threads": args.threads,
            "view_cache_s": args.view_cache_s,
        }
        wanted = set(args.only.split(",")) if args.only else set(endpoints)
        for label, (path, params) in endpoints.items():
            if label not in wanted:
                continue
            figures = measure(base, token, path, params, args.clients, args.seconds)
            results[label] = figures
            print(
                f"{label:<18} {figures['req_per_s']:>8} req/s  p50 {figures['p50_ms']:>6} ms  "
                f"p95 {figures['p95_ms']:>6} ms  p99 {figures['p99_ms']:>6} ms  errors {figures['errors']}  "
                f"served clients {figures['served_clients']}",
                flush=True,
            )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
