"""`sensegrid backfill`: history from the simulator, stored straight through ingest's pipeline.

The simulator's readings of a time range are encoded exactly as they would be published, then
decoded, checked, converted, quality-flagged and written with their rollups by
`ingest.direct.DirectWriter` — no broker in between — in batches, with a progress bar.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from core.settings import Settings
from ingest.direct import DirectWriter
from ingest.pipeline import Message
from sim.engine import Reading, Simulator
from sim.fleet import SimDevice
from sim.publish import telemetry_messages
from store.db import connect

MESSAGES_PER_BATCH = 2000
STEP_S = 1800.0  # the range is generated half an hour at a time, so memory stays flat


@dataclass(frozen=True)
class BackfillResult:
    """What a backfill stored."""

    messages: int
    stored: int
    duplicates: int
    rejected: int
    seconds: float


@dataclass(frozen=True)
class Span:
    """A stretch of history to store: [start, end) epoch s, of `devices` (None: the whole fleet)."""

    start: float
    end: float
    devices: Sequence[SimDevice] | None = None


def backfill(
    settings: Settings,
    simulator: Simulator,
    spans: Sequence[Span],
    *,
    batch_size: int = 1,
    console: Console | None = None,
) -> BackfillResult:
    """Store the simulator's readings of each span, printing one progress bar (in simulated hours)
    on `console`. Readings already stored (an earlier backfill of the same range and seed) count as
    duplicates."""
    console = console or Console(stderr=True)
    began = time.perf_counter()
    with (
        connect(settings.database_url, autocommit=True) as conn,
        Progress(
            TextColumn("backfill"),
            BarColumn(),
            TextColumn(
                "{task.fields[hours]} · {task.fields[stored]:,} readings ({task.fields[rate]:,.0f}/s)"
            ),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        ) as progress,
    ):
        writer = DirectWriter(settings, conn)
        total_s = sum(max(0.0, s.end - s.start) for s in spans)
        task = progress.add_task("backfill", total=max(total_s, 1.0), stored=0, rate=0.0, hours="")
        done_s = 0.0
        for span in spans:
            t = span.start
            while t < span.end:
                stop = min(span.end, t + STEP_S)
                _write_range(writer, settings, simulator.readings(t, stop, span.devices), batch_size)
                done_s += stop - t
                t = stop
                progress.update(
                    task,
                    completed=done_s,
                    hours=f"{done_s / 3600:,.1f}/{total_s / 3600:,.1f} h",
                    stored=writer.totals.stored,
                    rate=writer.totals.stored / max(time.perf_counter() - began, 1e-6),
                )
    totals = writer.totals
    return BackfillResult(
        totals.messages, totals.stored, totals.duplicates, totals.rejected, time.perf_counter() - began
    )


def _write_range(
    writer: DirectWriter, settings: Settings, readings: Iterable[Reading], batch_size: int
) -> None:
    batch: list[Message] = []
    for topic, payload in telemetry_messages(settings.topic_prefix, readings, batch_size=batch_size):
        batch.append(Message(topic, payload, received_at=time.time()))
        if len(batch) >= MESSAGES_PER_BATCH:
            writer.write(batch)
            batch = []
    if batch:
        writer.write(batch)
