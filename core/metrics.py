"""The Prometheus metrics every sensegrid process exports (one registry, defined once)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

INGEST_RECEIVED = Counter(
    "sensegrid_ingest_messages_received", "MQTT messages received by ingest.", registry=REGISTRY
)
INGEST_STORED = Counter(
    "sensegrid_ingest_readings_stored", "Readings committed to the database.", registry=REGISTRY
)
INGEST_DUPLICATES = Counter(
    "sensegrid_ingest_readings_duplicate",
    "Redelivered readings that were already stored (dropped by the unique key).",
    registry=REGISTRY,
)
INGEST_REJECTED = Counter(
    "sensegrid_ingest_messages_rejected",
    "Messages (or parts) written to rejected_messages, by reason.",
    ["reason"],
    registry=REGISTRY,
)
INGEST_BATCH_READINGS = Histogram(
    "sensegrid_ingest_batch_readings",
    "Readings per committed batch.",
    buckets=(1, 10, 100, 500, 1000, 2500, 5000, 10000, 25000),
    registry=REGISTRY,
)
INGEST_BATCH_SECONDS = Histogram(
    "sensegrid_ingest_batch_write_seconds",
    "Time to write and commit one batch.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
    registry=REGISTRY,
)
INGEST_WRITE_FAILURES = Counter(
    "sensegrid_ingest_write_failures", "Batch writes that failed and were retried.", registry=REGISTRY
)
