"""API keys an API worker has verified, kept until any key changes: no key lookup per request.

Looking a key up on every request costs a database round trip and a thread hop. A worker keeps
the keys it has verified (never the unknown ones) and forgets all of them when PostgreSQL
announces a change to `api_keys` — a trigger NOTIFYs on every update, delete or truncate
(migration 0005) — so a revoked key is refused as soon as the notification arrives, milliseconds
after the revocation commits. A listener thread holds one connection LISTENing and asks it a
trivial query every second; while it is not connected (database restart, network) or has not
answered for HEARTBEAT_STALE_S (a connection cut without a word), the cache is bypassed and every
request looks its key up. Entries also expire after `SENSEGRID_API_KEY_CACHE_S` seconds (0 turns
the cache and its listener off). Not covered: a connection through a pooler in transaction mode
(LISTEN needs a session) or triggers disabled by hand — there the age bound is the only one.
"""

from __future__ import annotations

import logging
import threading
import time

import psycopg

from store.api_keys import ApiKey, heartbeat, listen_for_key_changes
from store.db import connect

log = logging.getLogger("sensegrid.api.keys")

MAX_ENTRIES = 10_000  # keys are few; a bound keeps a flood of valid-looking tokens from growing it
RECONNECT_S = 1.0
HEARTBEAT_STALE_S = 3.0  # the listener answered within this long, or its cache is not trusted


class KeyCache:
    """Verified keys by token hash; `start()` the listener before use, `stop()` it on shutdown."""

    def __init__(self, database_url: str, max_age_s: float) -> None:
        self.database_url = database_url
        self.max_age_s = max_age_s
        self._keys: dict[str, tuple[float, ApiKey]] = {}
        self._generation = 0
        self._live = False
        self._heard = 0.0  # monotonic time the listener's connection last answered
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def enabled(self) -> bool:
        return self.max_age_s > 0

    @property
    def live(self) -> bool:
        """True while the listener is connected and answering, i.e. while cached keys may be served."""
        return self._live and time.monotonic() - self._heard < HEARTBEAT_STALE_S

    def start(self) -> None:
        if self.enabled and self._thread is None:
            self._thread = threading.Thread(target=self._listen, name="sensegrid-api-keys", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def get(self, token_hash: str) -> ApiKey | None:
        """The key verified for this token hash, or None: look it up (then `put` it)."""
        if not self.live:
            return None
        entry = self._keys.get(token_hash)
        if entry is None or time.monotonic() - entry[0] >= self.max_age_s:
            return None
        return entry[1]

    def generation(self) -> int:
        """Read before a lookup and hand to `put`: a change in between keeps its answer out."""
        return self._generation

    def put(self, token_hash: str, key: ApiKey, generation: int) -> None:
        with self._lock:
            if not self._live or generation != self._generation:
                return
            if len(self._keys) >= MAX_ENTRIES:
                self._keys.clear()
            self._keys[token_hash] = (time.monotonic(), key)

    def _forget(self, *, live: bool) -> None:
        with self._lock:
            self._generation += 1
            self._keys.clear()
            self._live = live

    def _listen(self) -> None:
        while not self._stop.is_set():
            try:
                with connect(self.database_url, autocommit=True) as conn:
                    listen_for_key_changes(conn)
                    self._heard = time.monotonic()
                    self._forget(live=True)
                    log.debug("listening for API key changes")
                    while not self._stop.is_set():
                        for _ in conn.notifies(timeout=1.0):
                            self._forget(live=True)
                        heartbeat(conn)  # a dead connection hangs or fails here, `live` turns False
                        self._heard = time.monotonic()
            except psycopg.Error as exc:
                if not self._stop.is_set():
                    log.warning("API key listener lost its connection (%s); keys looked up per request", exc)
            finally:
                self._forget(live=False)
            self._stop.wait(RECONNECT_S)
