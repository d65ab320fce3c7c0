"""Answers computed from stored data once per change of that data, cached in each API worker.

A domain view such as the AQI of 50 stations reads thousands of rollup rows and runs the domain
code per device, and a day of one-minute buckets is 1,440 rows to read and serialize, yet such an
answer changes only when a device's readings are written (`devices.data_at` moves), its settings
change, or the clock moves the windows. The caller's key holds the first two (`store.view_devices.area_state`
for views, the series' `data_at` and bucket range for series); an entry lives at most
`SENSEGRID_API_VIEW_CACHE_S` seconds for the third. Concurrent misses of one key compute once: the
others wait for that answer. The newest entries are kept up to `max_entries` and `max_bytes`.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable


class ViewCache:
    """Serialized answers by key, each for at most `ttl_s` seconds; the newest `max_entries` kept."""

    def __init__(self, ttl_s: float, max_entries: int = 512, max_bytes: int = 32 * 1024 * 1024) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._bytes = 0
        self._entries: OrderedDict[Hashable, tuple[float, bytes]] = OrderedDict()
        self._computing: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()

    def _fresh(self, key: Hashable, now: float) -> bytes | None:
        entry = self._entries.get(key)
        if entry is None or now - entry[0] >= self.ttl_s:
            return None
        self._entries.move_to_end(key)
        return entry[1]

    def get_or_compute(self, key: Hashable, compute: Callable[[], bytes]) -> bytes:
        """The cached answer for `key`, or `compute()`'s, stored for the next callers."""
        if self.ttl_s <= 0:
            return compute()
        with self._lock:
            body = self._fresh(key, time.monotonic())
            if body is not None:
                return body
            gate = self._computing.setdefault(key, threading.Lock())
        with gate:
            with self._lock:  # another request may have computed it while this one waited
                body = self._fresh(key, time.monotonic())
            if body is not None:
                return body
            started = time.monotonic()
            try:
                body = compute()
            except BaseException:
                with self._lock:
                    self._computing.pop(key, None)
                raise
            with self._lock:
                old = self._entries.pop(key, None)
                self._bytes += len(body) - (len(old[1]) if old else 0)
                self._entries[key] = (started, body)
                while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                    self._bytes -= len(self._entries.popitem(last=False)[1][1])
                self._computing.pop(key, None)
        return body
