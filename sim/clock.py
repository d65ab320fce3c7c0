"""Simulated time for live publishing: a speed-up that never runs ahead of the real clock.

    simulated = min(origin + speedup × (wall − started), wall)

Ingest rejects readings stamped more than SENSEGRID_INGEST_MAX_FUTURE_S ahead of its clock, so
simulated time is capped at now. A speed-up is therefore only useful with an origin in the past:
the fleet replays the history between origin and now `speedup` times faster than real time, then,
once caught up, goes on in real time. With speedup 1 and origin now, it is plain real time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SimClock:
    """Simulated time from `origin` (epoch s), `speedup` × faster than the wall clock from `started`."""

    origin: float
    speedup: float = 1.0
    started: float = field(default_factory=time.time)

    def __post_init__(self) -> None:
        if self.speedup < 1.0:
            raise ValueError(
                f"speed-up must be ≥ 1 (simulated time cannot fall behind), got {self.speedup!r}"
            )

    @classmethod
    def replaying(cls, history_s: float, speedup: float = 1.0, now: float | None = None) -> SimClock:
        """A clock that starts `history_s` in the past and catches up `speedup` times faster."""
        wall = time.time() if now is None else now
        return cls(origin=wall - max(0.0, history_s), speedup=speedup, started=wall)

    def now(self, wall: float | None = None) -> float:
        """The simulated time at wall-clock `wall` (default: now), never later than `wall`."""
        w = time.time() if wall is None else wall
        return min(self.origin + self.speedup * max(0.0, w - self.started), w)

    def caught_up(self, wall: float | None = None) -> bool:
        """Whether simulated time has reached the real clock (and runs in real time from now on)."""
        w = time.time() if wall is None else wall
        return self.now(w) >= w
