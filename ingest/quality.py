"""Quality flags of accepted readings, with the bounded per-series history the QC checks need."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence

from domains.model import Quality
from domains.qc import flag_reading
from ingest.checks import AcceptedReading
from store.writer import ReadingRow

_GOOD = Quality.GOOD
_BAD = Quality.BAD


class SeriesHistory:
    """Recent (time, value) of one series for the step and persistence checks, oldest first."""

    __slots__ = ("points", "span")

    def __init__(self, span: float) -> None:
        self.points: deque[tuple[float, float]] = deque()
        self.span = span

    def add(self, t: float, value: float) -> None:
        points = self.points
        if not points or t >= points[-1][0]:
            points.append((t, value))
        else:  # late reading: keep the history ordered
            items = sorted([*points, (t, value)])
            points.clear()
            points.extend(items)
        horizon = points[-1][0] - self.span
        while points and points[0][0] < horizon:
            points.popleft()


class QualityFlagger:
    """Flags readings series by series; remembers what it flagged for the next readings' checks."""

    __slots__ = ("_history",)

    def __init__(self) -> None:
        self._history: dict[int, SeriesHistory] = {}

    def add_rows(
        self,
        rows: list[ReadingRow],
        device_id: str,
        readings: Sequence[AcceptedReading],
        series: Mapping[tuple[str, str], int],
    ) -> None:
        """Append the stored row of each of one device's `readings`, in order; `series` has their ids."""
        history = self._history
        for name, t, v, entry in readings:
            sid = series[(device_id, name)]
            if entry.qc_needs_history:
                hist = history.get(sid)
                if hist is None:
                    hist = history[sid] = SeriesHistory(entry.history_s)
                quality = flag_reading(entry.metric, v, t, hist.points)
                if quality != _BAD:
                    hist.add(t, v)
            else:  # range is the only check: flag_reading's first test, inlined for speed
                quality = _GOOD if entry.low <= v <= entry.high else _BAD
            rows.append((t, sid, v, int(quality)))
