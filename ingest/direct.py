"""Messages stored without the broker: ingest's own pipeline, written batch by batch (backfill).

History generated in bulk takes the path a live message takes — decode, device and metric checks,
unit conversion, calibration, quality flags, rejections with reasons, rollups in the same
transaction — only not through MQTT, so a day of a fleet is stored in seconds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import psycopg

from core.settings import Settings
from core.types import Device
from ingest.pipeline import Message, Pipeline
from store.ingest_devices import get_devices
from store.series import series_ids
from store.writer import write_batch


@dataclass
class DirectTotals:
    """What a DirectWriter stored so far."""

    messages: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0


class DirectWriter:
    """Stores batches of messages on one connection; not thread-safe."""

    def __init__(self, settings: Settings, conn: psycopg.Connection) -> None:
        self.conn = conn
        self.pipeline = Pipeline(settings, self._devices, self._series)
        self.totals = DirectTotals()

    def _devices(self, ids: Iterable[str]) -> dict[str, Device]:
        return get_devices(self.conn, ids)

    def _series(self, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
        return series_ids(self.conn, list(pairs))

    def write(self, messages: list[Message]) -> DirectTotals:
        """Store one batch in one transaction; returns the running totals."""
        prepared = self.pipeline.prepare(messages)
        result = write_batch(
            self.conn, prepared.rows, rejected=prepared.rejected, last_seen=prepared.last_seen
        )
        self.totals.messages += len(messages)
        self.totals.stored += result.stored
        self.totals.duplicates += result.duplicates
        self.totals.rejected += result.rejected
        return self.totals
