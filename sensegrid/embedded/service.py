"""What the embedded services share: their base class, their error, progress lines and where data goes."""

from __future__ import annotations

import logging
import os
import socket
from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Self

Progress = Callable[[str], None]
"""Receives one short line per step (the demo prints them)."""

log = logging.getLogger("sensegrid.embedded")


class EmbeddedServiceError(RuntimeError):
    """An embedded service cannot start; the message says what was wrong and what to do."""


def default_state_dir() -> Path:
    """Where the demo keeps its data: /var/lib/sensegrid/demo as root, otherwise
    $XDG_DATA_HOME/sensegrid/demo (~/.local/share/sensegrid/demo)."""
    if os.geteuid() == 0:
        return Path("/var/lib/sensegrid/demo")
    xdg = os.environ.get("XDG_DATA_HOME", "")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / "sensegrid" / "demo"


def require_free_port(port: int, service: str) -> None:
    """Raise EmbeddedServiceError, saying what to do, when `service` cannot listen on 127.0.0.1:`port`."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers do: TIME_WAIT is no conflict
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            raise EmbeddedServiceError(
                f"port {port} on 127.0.0.1 is already in use, so the embedded {service} cannot listen "
                "there: choose another port, or give none to take a free one"
            ) from None


class EmbeddedService(ABC):
    """A server this process runs: `start()` returns its URL, `stop()` ends it; `with` does both."""

    @abstractmethod
    def start(self) -> str:
        """Start the service (if not running) and return its URL."""

    @abstractmethod
    def stop(self) -> None:
        """Stop the service if it runs."""

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self.stop()
