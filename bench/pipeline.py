"""Ingest pipeline benchmark: CPU time of `Pipeline.prepare` alone (decode, checks, units, QC).

    .venv/bin/python bench/pipeline.py [--devices 200] [--batched-messages 2000]
                                       [--single-messages 40000] [--repeat 7]

No broker and no database: devices and series ids are looked up in memory, so the figure is the
pipeline's own cost per reading — the part of ingest that runs in Python for every message. The
payloads are bench/ingest.py's (every reading a distinct device, metric and time; one in five
devices calibrated). Prints one line per case (best and median of --repeat runs, process CPU time)
and a final JSON line. To compare a change, time another checkout's pipeline with this script:
SENSEGRID_BENCH_TREE=<checkout> .venv/bin/python bench/pipeline.py
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

sys.path.insert(0, os.environ.get("SENSEGRID_BENCH_TREE") or str(Path(__file__).resolve().parents[1]))

from bench.ingest import build_payloads
from core.settings import Settings
from core.types import Calibration, CalibrationVersion, Device
from ingest.pipeline import Message, Pipeline

NOW = 1_790_000_000.0
CHUNK = 500  # messages per prepare(), as a worker's batch


def fleet(n: int) -> dict[str, Device]:
    """`n` air-quality stations; every fifth carries linear and polynomial calibrations."""
    devices = {}
    for k in range(n):
        calibration = Calibration()
        if k % 5 == 0:
            calibration = Calibration(
                {
                    "pm25": (CalibrationVersion(NOW - 3 * 86400, 1.1, 0.5),),
                    "air_temperature": (CalibrationVersion(NOW - 86400, coefficients=(0.1, 1.0, 0.001)),),
                }
            )
        device_id = f"bench-{k:05d}"
        devices[device_id] = Device(device_id, "bench", "environment", "aq_station", calibration=calibration)
    return devices


def pipeline(devices: Mapping[str, Device]) -> Pipeline:
    ids: dict[tuple[str, str], int] = {}

    def series(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
        wanted = list(pairs)
        for pair in sorted(wanted):
            ids.setdefault(pair, len(ids) + 1)
        return {pair: ids[pair] for pair in wanted}

    return Pipeline(
        Settings(topic_prefix="sensegrid"),
        lambda wanted: {i: devices[i] for i in wanted if i in devices},
        series,
        clock=lambda: NOW,
    )


def run_case(case: str, n_messages: int, n_devices: int, repeat: int) -> dict[str, float | int | str]:
    payloads = build_payloads(case, n_messages, n_devices, NOW - 86400)
    messages = [Message(f"sensegrid/{device}/telemetry", payload, NOW) for device, payload in payloads]
    devices = fleet(n_devices)
    times = []
    readings = 0
    for _ in range(repeat):
        prepared = pipeline(devices)
        started = time.process_time()
        readings = 0
        for i in range(0, len(messages), CHUNK):
            readings += len(prepared.prepare(messages[i : i + CHUNK]).rows)
        times.append(time.process_time() - started)
    best, median = min(times), statistics.median(times)
    return {
        "case": case,
        "messages": n_messages,
        "readings": readings,
        "best_s": round(best, 4),
        "median_s": round(median, 4),
        "readings_per_cpu_s": round(readings / best),
        "us_per_message": round(best / n_messages * 1e6, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--batched-messages", type=int, default=2000, help="messages of 100 readings")
    parser.add_argument("--single-messages", type=int, default=40000, help="messages of one reading")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    results = []
    for case, n in (("batched", args.batched_messages), ("single", args.single_messages)):
        print(f"[pipeline] {case}: {n} messages × {args.repeat} runs …", file=sys.stderr, flush=True)
        result = run_case(case, n, args.devices, args.repeat)
        results.append(result)
        print(
            f"{case:8s} readings={result['readings']:>8} best={result['best_s'] * 1e3:8.1f} ms "
            f"median={result['median_s'] * 1e3:8.1f} ms  {result['readings_per_cpu_s']:>10,} readings/CPU-s  "
            f"{result['us_per_message']:6.2f} µs/message"
        )
    print(json.dumps({"pipeline": results}))


if __name__ == "__main__":
    main()
