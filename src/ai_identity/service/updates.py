"""Incremental identity updates: each accepted event refreshes its user's behaviour facet within a second.

When an event is durable in the event log (the group commit's transaction has committed), its user is marked
*dirty*. One background thread (:class:`IdentityUpdater`, started and stopped by the app's lifespan) takes
every dirty user at once and, per user:

1. reads the user's events from the platform's columnar event store (``read_events(platform, now,
   [uid], behavior.COLUMNS)``: rows dated after now are rejected as a build rejects rows after its cut-off;
   the generated platforms carry such rows on purpose) and the user's events in the service's event log
   (SQLite, PostgreSQL or MySQL; turned into the same columns by ``normalise``);
2. computes :func:`~ai_identity.analyse.behavior.behavior_stats` for that user alone, as of the later of the
   identity's ``as_of`` and the user's newest event (so the same events always give the same facet, and a
   duplicate changes nothing);
3. replaces ``identity.behavior`` with ``behavior_facet(uid, b)``, re-renders the persona (it quotes the peak
   hour and device from that facet), recomputes ``content_hash`` and writes it with ``IdentityStore.put``:
   a changed hash gets the next ``identity_version`` and the previous document goes to ``identity_history``.
   Nothing else in the identity changes (``built_at``, ``as_of``, quality and the other facets stay the
   nightly build's).

Bursts coalesce: events of a user that arrive while the user waits or is being rebuilt cause one more
rebuild, not one per event. The write is a compare-and-set on the version read: if the identity was replaced
meanwhile (a consent change, a build) the user is rebuilt again on top of it; if it was erased, nothing is
written.

Limits. Computed for one user, the platform-wide models fall back: with fewer than 30 users
``behavior_stats`` classifies the weekly pattern by plain weekend-share thresholds and fits no assistance
mixture, and the peak-hour smoothing has only the user's own histogram to shrink towards. The nightly batch
build (``ai-identity build``) restores the population models. Users with no identity yet (new users; the
service accepts their events) are skipped until a build creates one, and so are stubs (no analysis
consented). Events the platform's own store also holds (when the platform copies them there) would count
twice until the event log is pruned; phase 1 has no such copy.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from ai_identity.service.events import (
    Accepted,
    EventLog,
    EventReader,
    GroupCommitter,
    RedisCopy,
    TrackEvent,
)
from ai_identity.sources.embedded.events import EVENT_SCHEMA

__all__ = ["IdentityUpdater", "UpdatingCommitter"]

log = logging.getLogger("ai_identity.service.updates")


class IdentityUpdater:
    """Dirty users in, refreshed behaviour facets out, on one background thread (see the module docstring)."""

    def __init__(self, platform: Path, event_log: EventLog, identity_store_path: Path) -> None:
        self.platform = Path(platform)
        self.event_log = event_log
        self.identity_store_path = Path(identity_store_path)
        self._dirty: set[int] = set()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._in_flight = False  # a batch of dirty users is being rebuilt
        # counters (read by tests and the freshness benchmark)
        self.marked = 0  # users marked dirty (an event each, coalesced ones included)
        self.rebuilds = 0  # identities recomputed
        self.written = 0  # identities that got a new version
        self.skipped = 0  # users without an identity, stubs, or erased meanwhile
        self.failures = 0

    # -- the producer side (called from the event writer thread) ------------------------------------------

    def mark(self, user_ids: Iterable[int]) -> None:
        """Mark users dirty; the worker rebuilds each once, however many events arrived meanwhile."""
        uids = set(user_ids)
        if not uids:
            return
        with self._cond:
            self._dirty |= uids
            self.marked += len(uids)
            self._cond.notify()

    def pending(self) -> int:
        with self._cond:
            return len(self._dirty)

    # -- lifecycle ---------------------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="identity-updater", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the rebuild in progress (users still dirty wait for the next start or the nightly build)."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    # -- the worker --------------------------------------------------------------------------------------

    def _run(self) -> None:
        from ai_identity.store.identities import IdentityStore

        store = IdentityStore(self.identity_store_path)
        events = self.event_log.reader()
        try:
            while True:
                with self._cond:
                    while not self._dirty and not self._stopping:
                        self._cond.wait()
                    if self._stopping:
                        return
                    batch, self._dirty = sorted(self._dirty), set()
                    self._in_flight = True
                try:
                    for uid in batch:
                        try:
                            self.refresh(uid, store, events)
                        except Exception as exc:  # one user's failure must not stop the others
                            self.failures += 1
                            log.error("identity update failed: %s", type(exc).__name__)  # no user id in logs
                finally:
                    with self._cond:
                        self._in_flight = False
        finally:
            events.close()
            store.close()

    def refresh(self, uid: int, store: Any, events: EventReader) -> str:
        """Recompute one user's behaviour facet; returns ``written``, ``unchanged``, ``skipped`` or ``retry``."""
        from ai_identity.analyse.assemble import behavior_facet, content_hash
        from ai_identity.analyse.behavior import behavior_stats
        from ai_identity.analyse.persona import render_persona
        from ai_identity.errors import NotFoundError
        from ai_identity.model.identity import Identity

        try:
            ident = store.get(uid)
        except NotFoundError:
            self.skipped += 1
            return "skipped"
        if ident.stub:
            self.skipped += 1
            return "skipped"
        # the platform's rows are read as of now (or the identity's cut-off if later): rows dated beyond it
        # are rejected as the build rejects them ("in the future of the platform's now")
        frame = self._events_of(uid, events, max(datetime.now(UTC), ident.as_of.astimezone(UTC)))
        if frame.is_empty():
            self.skipped += 1
            return "skipped"
        self.rebuilds += 1
        newest = datetime.fromtimestamp(int(frame["ts_us"].max()) / 1e6, UTC)  # type: ignore[arg-type]
        as_of = max(ident.as_of.astimezone(UTC), newest)
        tz = ident.profile.get("timezone")
        tz_by_user = {uid: tz.value} if tz is not None and isinstance(tz.value, str) and tz.value else {}
        table = behavior_stats(frame, tz_by_user, as_of)
        if uid not in table:  # every event is older than the window: the facet stays as built
            return "unchanged"
        doc = ident.model_dump()
        doc["behavior"] = behavior_facet(uid, table[uid])
        new = Identity.model_validate(doc)  # a fresh object: no cached serialisation of the old content
        if new.persona is not None:
            new.persona = render_persona(new, "self")
        new.content_hash = content_hash(new)
        if new.content_hash == ident.content_hash:
            return "unchanged"
        return self._write(uid, ident.identity_version, new, store)

    def _write(self, uid: int, base_version: int, new: Any, store: Any) -> str:
        """Compare-and-set: write only over the version the facet was computed from."""
        con = store.con
        con.execute("BEGIN IMMEDIATE")
        try:
            row = con.execute("SELECT identity_version FROM identities WHERE user_id=?", (uid,)).fetchone()
            if row is None or row[0] != base_version:
                con.rollback()
                if row is None:  # erased meanwhile: never resurrect it
                    self.skipped += 1
                    return "skipped"
                self.mark([uid])  # replaced meanwhile (consent change, build): recompute on top of it
                return "retry"
            store.put(new)  # commits the transaction; the old document moves to identity_history
        except BaseException:
            if con.in_transaction:
                con.rollback()
            raise
        self.written += 1
        return "written"

    def _events_of(self, uid: int, events: EventReader, cutoff: datetime) -> pl.DataFrame:
        """The user's platform events up to ``cutoff`` and all their event-log events (the service refused
        any later than its clock-skew allowance), in ``behavior.COLUMNS``."""
        from ai_identity.analyse.behavior import COLUMNS
        from ai_identity.sources.embedded.events import normalise, read_events

        platform = read_events(self.platform, cutoff, [uid], columns=COLUMNS).frame
        rows = [json.loads(doc) for doc in events.events_of(uid)]
        parts = []
        if platform.height:
            parts.append(platform.select([c for c in COLUMNS if c in platform.columns]))
        if rows:
            logged = pl.DataFrame([{k: r.get(k) for k in EVENT_SCHEMA} for r in rows], schema=EVENT_SCHEMA)
            logged = normalise(logged).select(COLUMNS)
            if parts:
                schema = parts[0].schema
                logged = logged.with_columns(
                    [pl.col(c).cast(schema[c], strict=False) for c in logged.columns if c in schema]
                )
            parts.append(logged)
        if not parts:
            return pl.DataFrame()
        return pl.concat(parts, how="diagonal_relaxed")

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """True once no user is dirty and no rebuild runs (tests, benchmarks)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._cond:
                if not self._dirty and not self._in_flight:
                    return True
            time.sleep(0.005)
        return False


class UpdatingCommitter(GroupCommitter):
    """The group committer that, once a group's transaction has committed, marks its users dirty."""

    def __init__(self, log: EventLog, redis: RedisCopy, updater: IdentityUpdater | None) -> None:
        super().__init__(log, redis)
        self.updater = updater

    def _flush(self, items: list[tuple[TrackEvent, str]]) -> tuple[list[Accepted], Any]:
        accepted, state = super()._flush(items)
        if self.updater is not None:  # durable now: the log's COMMIT has returned
            self.updater.mark(
                ev.user_id for a, (ev, _) in zip(accepted, items, strict=True) if not a.duplicate
            )
        return accepted, state
