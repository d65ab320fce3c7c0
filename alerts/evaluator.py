"""The alert evaluator: wakes on ingest's NOTIFY and on a tick, judges the rules, reconciles alerts.

Three kinds of pass, all ending in `alerts.lifecycle.reconcile` per (device, rule):

- **readings**: ingest commits a batch and NOTIFYs `sensegrid_readings` with the series it
  touched; the rules of those devices whose inputs include a touched metric are judged at once
  (plus their missing-data rules, so a device that reports again clears its silence alert).
- **tick** (`alerts_tick_s`): what time alone changes — devices silent for longer than the
  shortest silence of the rules whose kind judges silence (missing data) or reported offline,
  and every open alert (a `for_s` elapsing, a window sliding past old data). The tick also claims shards.
- **sweep** (at start, on taking a shard, every `alerts_sweep_s`): every rule of every device
  held, for whatever happened while nobody listened — all at once at start, otherwise a page of
  devices per turn of the loop, between the passes on new readings.

Devices are split into `alerts_shards` shards by a hash of their id. Each evaluator takes shards
with session advisory locks on its own control connection (the one that LISTENs), aiming at an
even share of the evaluators running; when one dies its session ends, its locks go, and the
others take its shards on their next tick. All state is in the database (pending alerts carry
their start), so a restarted or replacing evaluator picks up exactly where the last one stood.
"""

from __future__ import annotations

import contextlib
import logging
import math
import signal
import threading
import time
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

import psycopg

from alerts.lifecycle import fingerprint, reconcile, retire
from alerts.observe import applies, observe
from alerts.overrides import Overrides
from alerts.windows import Readings, hourly_since, plan_reads
from core.settings import Settings
from domains import registry
from domains.model import Area, InvalidInputError, RuleSpec, Severity
from domains.rule_kinds import kind_of, reads_for
from store.alert_rows import AlertRow, open_alerts
from store.db import connect
from store.device_state import DeviceState, devices_in_shards, touched_metrics
from store.rule_overrides import list_overrides
from store.shards import join_evaluators, shard_holders, try_lock_shard, unlock_shard
from store.silences import active_silences
from store.windows import database_now, hourly_rollups, latest_readings, minutes_per_hour, recent_points
from store.writer import NOTIFY_CHANNEL

log = logging.getLogger("sensegrid.alerts")

_WAIT_S = 0.5  # longest the loop waits for a NOTIFY before looking at the clock and stop flag
_SWEEP_PAGE = 500  # devices judged together in a sweep
_RETRY_S = 2.0  # pause before reconnecting after the database went away

Wanted = Callable[[DeviceState, Area, RuleSpec], bool]


@dataclass(frozen=True)
class _Job:
    device: DeviceState
    area: Area
    rule: RuleSpec
    effective: RuleSpec | None  # with overrides applied; None: switched off for this device
    fingerprint: str


def _parse_series(payload: str) -> set[int]:
    return {int(p) for p in payload.split(",") if p.strip().isdigit()}


class Evaluator:
    """One evaluator process (or thread, in tests). `run()` blocks until `stop()`."""

    def __init__(self, settings: Settings, *, shard_index: int | None = None) -> None:
        self.settings = settings
        self.shards = settings.alerts_shards
        if shard_index is not None and not 0 <= shard_index < self.shards:
            raise ValueError(f"--shard-index must be 0..{self.shards - 1} with {self.shards} shards")
        self.fixed = shard_index
        self.held: set[int] = set()
        self.ready = threading.Event()
        self.passes = 0  # turns of the main loop completed (tests wait on it)
        self._stopping = threading.Event()
        self._control: psycopg.Connection | None = None
        self._work: psycopg.Connection | None = None
        self._unknown_areas: set[str] = set()
        self._waiting_logged = False
        self._sweeping: set[int] = set()  # shards of the sweep under way
        self._sweep_after = ""  # the last device id it judged

    # -- running -------------------------------------------------------------------------------

    def stop(self) -> None:
        """Ask the loop to finish its current pass and return."""
        self._stopping.set()

    def install_signal_handlers(self) -> None:
        """SIGTERM / SIGINT stop the evaluator after its current pass."""
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda _s, _f: self.stop())

    def run(self) -> None:
        """Evaluate until stopped; reconnects (and reclaims shards) when the database goes away."""
        while not self._stopping.is_set():
            try:
                self._serve()
            except psycopg.Error as exc:
                log.warning("database error (%s); reconnecting in %.0f s", exc, _RETRY_S)
                self._stopping.wait(_RETRY_S)
            finally:
                self._close()

    def _close(self) -> None:
        self.ready.clear()
        self.held.clear()  # the session's locks end with it
        self._sweeping.clear()
        for conn in (self._control, self._work):
            if conn is not None:
                with contextlib.suppress(Exception):
                    conn.close()
        self._control = self._work = None

    def _serve(self) -> None:
        url = self.settings.database_url
        self._control = connect(url, autocommit=True)
        self._control.execute(f"LISTEN {NOTIFY_CHANNEL}")
        self._work = connect(url, autocommit=True)
        self._start_sweep(self._claim())
        while self._sweeping:  # all of it before serving: what was stored while nobody listened
            self._sweep_page()
        log.info(
            "alert evaluator ready: holding %d of %d shards %s",
            len(self.held),
            self.shards,
            sorted(self.held),
        )
        self.ready.set()
        tick_s, sweep_s = self.settings.alerts_tick_s, self.settings.alerts_sweep_s
        next_tick = time.monotonic() + tick_s
        next_sweep = time.monotonic() + sweep_s if sweep_s else math.inf
        while not self._stopping.is_set():
            wait = max(0.0, min(next_tick - time.monotonic(), _WAIT_S))
            series = self._collect(self._control, wait)
            if series:
                self.on_readings(series)
            if time.monotonic() >= next_tick:
                self._start_sweep(self._claim())
                self.tick()
                next_tick = time.monotonic() + tick_s
            if time.monotonic() >= next_sweep:
                self._start_sweep(self.held)
                next_sweep = time.monotonic() + sweep_s
            if self._sweeping:
                self._sweep_page()
            self.passes += 1

    @staticmethod
    def _collect(control: psycopg.Connection, wait: float) -> set[int]:
        """Series ids of the NOTIFYs that arrive within `wait` s, and of all already queued."""
        series: set[int] = set()
        for note in control.notifies(timeout=wait, stop_after=1):
            series |= _parse_series(note.payload)
        for note in control.notifies(timeout=0):
            series |= _parse_series(note.payload)
        return series

    # -- shards --------------------------------------------------------------------------------

    def _claim(self) -> set[int]:
        """Take free shards up to an even share of the evaluators running (give back any excess);
        the shards newly taken."""
        control = self._control
        assert control is not None
        if self.fixed is not None:
            if self.fixed in self.held:
                return set()
            if try_lock_shard(control, self.shards, self.fixed):
                self.held.add(self.fixed)
                log.info("took shard %d of %d", self.fixed, self.shards)
                return {self.fixed}
            if not self._waiting_logged:
                log.warning("shard %d is held by another evaluator; waiting for it", self.fixed)
                self._waiting_logged = True
            return set()
        join_evaluators(control, self.shards)
        holders = shard_holders(control, self.shards)
        share = math.ceil(self.shards / max(1, holders.evaluators))
        for shard in sorted(self.held, reverse=True)[: max(0, len(self.held) - share)]:
            unlock_shard(control, self.shards, shard)
            self.held.discard(shard)
            log.info(
                "gave back shard %d (%d evaluators share %d shards)", shard, holders.evaluators, self.shards
            )
        taken: set[int] = set()
        for shard in range(self.shards):
            if len(self.held) >= share:
                break
            if shard not in holders.held and try_lock_shard(control, self.shards, shard):
                self.held.add(shard)
                taken.add(shard)
        if taken:
            log.info("took shards %s; holding %d of %d", sorted(taken), len(self.held), self.shards)
        return taken

    # -- passes --------------------------------------------------------------------------------

    def on_readings(self, series_ids: Iterable[int]) -> int:
        """Judge the rules that read the touched series; the number of alerts changed."""
        conn = self._db()
        touched = touched_metrics(conn, series_ids, self.shards, self.held)
        if not touched:
            return 0
        devices = devices_in_shards(conn, self.shards, self.held, ids=touched)

        def wanted(device: DeviceState, area: Area, rule: RuleSpec) -> bool:
            kind = kind_of(rule)
            return kind.silence_s(rule) is not None or not kind.input_metrics(rule, area).isdisjoint(
                touched[device.id]
            )

        return self._evaluate(devices, wanted)[0]

    def tick(self) -> int:
        """Judge what time alone changes: silent devices and open alerts; the alerts changed."""
        conn = self._db()
        now = database_now(conn)
        overrides = Overrides(list_overrides(conn))
        timed = [(r, s) for r in registry.rules() if (s := kind_of(r).silence_s(r)) is not None]
        overridden = overrides.shortest_silence_s(r for r, _ in timed)
        shortest = min([*(s for _, s in timed), overridden or math.inf], default=math.inf)
        silent = (
            devices_in_shards(conn, self.shards, self.held, silent_before=now - shortest)
            if math.isfinite(shortest)
            else []
        )
        silent_ids = {d.id for d in silent}
        rows = open_alerts(conn, shards=self.shards, owned=self.held)
        pairs = {(a.device_id, a.rule_id) for a in rows}
        others = {a.device_id for a in rows if a.device_id is not None} - silent_ids
        devices = (
            [*silent, *devices_in_shards(conn, self.shards, self.held, ids=others)] if others else silent
        )

        def wanted(device: DeviceState, _area: Area, rule: RuleSpec) -> bool:
            return (device.id, rule.id) in pairs or (
                device.id in silent_ids and kind_of(rule).silence_s(rule) is not None
            )

        changed, judged = self._evaluate(devices, wanted)
        return changed + self._retire(conn, [a for a in rows if a.fingerprint not in judged])

    def _start_sweep(self, shards: Collection[int]) -> None:
        if shards:
            self._sweeping |= set(shards)
            self._sweep_after = ""  # from the start: the new shards' devices may sort before

    def _sweep_page(self) -> None:
        """Judge the next page of the sweep under way (one page per turn of the loop, so readings
        keep being judged while a large fleet is swept)."""
        shards = self._sweeping & self.held
        page = (
            devices_in_shards(self._db(), self.shards, shards, after_id=self._sweep_after, limit=_SWEEP_PAGE)
            if shards
            else []
        )
        if not page:
            self._sweeping.clear()
            return
        self._evaluate(page, lambda _d, _a, _r: True)
        self._sweep_after = page[-1].id

    def _retire(self, conn: psycopg.Connection, rows: Sequence[AlertRow]) -> int:
        """Resolve open alerts whose rule no longer applies to their device (deactivated, its kind
        changed, the rule gone from its area)."""
        return sum(retire(conn, row, "rule no longer applies to the device") for row in rows)

    # -- judging -------------------------------------------------------------------------------

    def _db(self) -> psycopg.Connection:
        if self._work is None:
            self._work = connect(self.settings.database_url, autocommit=True)
        return self._work

    def _area(self, area_id: str) -> Area | None:
        try:
            return registry.area(area_id)
        except registry.UnknownNameError:
            if area_id not in self._unknown_areas:
                self._unknown_areas.add(area_id)
                log.error("devices of unknown area %r are not evaluated", area_id)
            return None

    def _jobs(self, conn: psycopg.Connection, devices: Iterable[DeviceState], wanted: Wanted) -> list[_Job]:
        overrides = Overrides(list_overrides(conn))
        jobs = []
        for device in devices:
            area = self._area(device.area)
            if area is None:
                continue
            for rule in area.rules:
                if wanted(device, area, rule) and applies(rule, device, area):
                    effective = overrides.effective(rule, device.tenant, device.site, device.id)
                    fp = fingerprint(device.tenant, rule.id, device.id)
                    jobs.append(_Job(device, area, rule, effective, fp))
        return jobs

    def _read(self, conn: psycopg.Connection, jobs: Sequence[_Job], now: float) -> Readings:
        """Every window the jobs need, in one query per kind of storage."""
        pairs = [
            (sid, read)
            for job in jobs
            if job.effective is not None
            for read in reads_for(job.effective, job.area)
            if (sid := job.device.series.get(read.metric)) is not None
        ]
        max_points = self.settings.alerts_series_max_points
        plan = plan_reads(pairs, now, max_points)
        return Readings(
            now=now,
            max_points=max_points,
            latest=latest_readings(conn, plan.latest, now - self.settings.alerts_max_age_s),
            hourly=hourly_rollups(conn, plan.hourly, hourly_since(now)),
            points=recent_points(conn, plan.points),
            minutes=minutes_per_hour(conn, plan.minutes, hourly_since(now)),
        )

    def _evaluate(self, devices: Sequence[DeviceState], wanted: Wanted) -> tuple[int, set[str]]:
        """Judge the wanted rules of `devices` and reconcile their alerts: (alerts changed,
        fingerprints judged)."""
        conn = self._db()
        jobs = self._jobs(conn, devices, wanted)
        if not jobs:
            return 0, set()
        now = database_now(conn)
        current: Mapping[str, AlertRow] = {
            a.fingerprint: a for a in open_alerts(conn, fingerprints=[j.fingerprint for j in jobs])
        }
        readings = self._read(conn, jobs, now)
        silences = active_silences(conn)
        changed = 0
        for job in jobs:
            row = current.get(job.fingerprint)
            if job.effective is None:
                changed += row is not None and reconcile(conn, job.device, job.rule, row, None, now, silences)
                continue
            active = Severity(row.severity) if row is not None else None
            try:
                seen = observe(job.effective, job.device, readings, now, active)
            except InvalidInputError as exc:  # the device's settings, or its data, are not usable
                log.warning("rule %s cannot judge device %s: %s", job.rule.id, job.device.id, exc)
                continue
            except Exception:  # a bug in one rule must not stop the alerts of every other device
                log.exception("rule %s failed on device %s", job.rule.id, job.device.id)
                continue
            changed += reconcile(conn, job.device, job.effective, row, seen, now, silences)
        return changed, {j.fingerprint for j in jobs}
