"""Domain views computed once per change of their data: answers cached in each API worker.

A view such as the AQI of 50 stations reads thousands of rollup rows and runs the domain code per
device, yet its answer changes only when a device's readings are written (`devices.data_at`
moves), its settings change, or the clock moves the windows. The caller's key holds the first two
(`device_state`); an entry lives at most `SENSEGRID_API_VIEW_CACHE_S` seconds for the third.
Concurrent misses of one key compute once: the others wait for that answer.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable

import orjson

from store.views import ViewDevice


def device_state(devices: Iterable[ViewDevice]) -> tuple[Hashable, ...]:
    """What a view's answer depends on besides the clock: each device's identity, settings, series
    and when its readings were last written."""
    return tuple(
        (
            d.id,
            d.kind,
            d.name,
            d.site,
            d.data_at,
            tuple(sorted(d.series.items())),
            orjson.dumps(d.metadata, option=orjson.OPT_SORT_KEYS),
        )
        for d in devices
    )


class ViewCache:
    """Serialized answers by key, each for at most `ttl_s` seconds; the newest `max_entries` kept."""

    def __init__(self, ttl_s: float, max_entries: int = 512) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
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
            body = compute()
            with self._lock:
                self._entries[key] = (started, body)
                self._entries.move_to_end(key)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
                self._computing.pop(key, None)
        return body
