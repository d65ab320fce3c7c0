"""The embedded MQTT broker: amqtt (MQTT 3.1.1) on 127.0.0.1, in a thread of this process."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from typing import Any, ClassVar, Literal

from amqtt.broker import Broker
from amqtt.plugins.base import BaseAuthPlugin

from sensegrid.embedded.service import EmbeddedService, EmbeddedServiceError, Progress, log, require_free_port
from sensegrid.ports import free_port


class TrustLocalClients(BaseAuthPlugin):  # type: ignore[misc]  # amqtt ships no type hints
    """amqtt authentication for a broker on 127.0.0.1: everyone may connect, and is not treated
    as anonymous, so persistent sessions keep their QoS 1 messages while the client is away
    (amqtt drops those of anonymous clients)."""

    async def authenticate(self, *, session: object) -> bool:
        return True


class EmbeddedBroker(EmbeddedService):
    """An amqtt broker on 127.0.0.1:`port` (None: a free port), in a daemon thread of this process
    with its own asyncio loop.

    amqtt speaks MQTT 3.1.1 only (QoS 0-2, persistent sessions, retained messages; no shared
    subscriptions, no Receive Maximum), hence `protocol`: clients of this broker need
    SENSEGRID_MQTT_PROTOCOL=3.1.1, and ingest runs one worker. It runs in-process rather than as a
    subprocess because a thread cannot be orphaned, starts in a fraction of a second and needs no
    second interpreter; the demo's message rate is far below what it handles under the GIL.

    Weaker than Mosquitto, and fine for a demo: sessions live in memory (they end with the
    process), and a QoS 1 message still unacknowledged when its client disconnects, or after 5 s,
    is not delivered again, so a crashed ingest worker loses the batch it had not yet committed.
    """

    protocol: ClassVar[Literal["3.1.1"]] = "3.1.1"

    def __init__(self, *, port: int | None = None, progress: Progress | None = None) -> None:
        self.requested_port = port
        self.port: int | None = None
        self.progress: Progress = progress or log.info
        self._loop: asyncio.AbstractEventLoop | None = None
        self._broker: Any = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """mqtt://127.0.0.1:<port> of the running broker."""
        if self.port is None:
            raise RuntimeError("EmbeddedBroker is not started")
        return f"mqtt://127.0.0.1:{self.port}"

    def start(self) -> str:
        """Start listening and return `url`; raises EmbeddedServiceError when it cannot."""
        if self._thread is not None:
            return self.url
        if self.requested_port is not None:
            require_free_port(self.requested_port, "MQTT broker")
        port = self.requested_port or free_port()
        # amqtt (and its state machine library) narrate every connection and packet at INFO; their
        # problems still show as warnings.
        for name in ("amqtt", "transitions"):
            logging.getLogger(name).setLevel(logging.WARNING)
        ready = threading.Event()
        failure: list[BaseException] = []
        thread = threading.Thread(
            target=self._serve, args=(port, ready, failure), name="sensegrid-embedded-broker", daemon=True
        )
        thread.start()
        if not ready.wait(30) or failure:
            thread.join(timeout=5)
            cause = failure[0] if failure else TimeoutError("no answer within 30 s")
            raise EmbeddedServiceError(f"the embedded MQTT broker did not start on port {port}: {cause}")
        self._thread, self.port = thread, port
        self.progress(f"embedded MQTT broker (amqtt, MQTT {self.protocol}) ready on {self.url}")
        return self.url

    def _serve(self, port: int, ready: threading.Event, failure: list[BaseException]) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        config = {
            "listeners": {"default": {"type": "tcp", "bind": f"127.0.0.1:{port}"}},
            "plugins": {f"{__name__}.{TrustLocalClients.__name__}": {}},
        }
        try:
            broker = Broker(config, loop=loop)
            loop.run_until_complete(broker.start())
        except Exception as exc:
            failure.append(exc)
            ready.set()
            loop.close()
            return
        self._loop, self._broker = loop, broker
        ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    def stop(self) -> None:
        """Disconnect every client, close the listener and end the thread."""
        thread, loop, broker = self._thread, self._loop, self._broker
        self._thread = self._loop = self._broker = None
        self.port = None
        if thread is None or loop is None:
            return
        shutdown = asyncio.run_coroutine_threadsafe(broker.shutdown(), loop)
        with contextlib.suppress(Exception):  # a failing shutdown still ends the loop below
            shutdown.result(timeout=15)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=15)
        self.progress("embedded MQTT broker stopped")
