"""The history index as the running service keeps it: opened from its files under `var/`
(or built from the store when missing or made with another encoder), brought up to date
from the store by its high-water mark (`last_seq`) as events and chat turns arrive, and
saved back. Several API workers each keep their own copy, each catching up from the same
store, so they agree up to the sync interval. Thread-safe: search runs in request threads
while a background task syncs.

A language's index (`language`, retrieval/index.py) holds the events of the customers who
use that language: a customer it does not hold yet, searched by a turn in that language,
joins there and then (their newest `ADMIT_MAX` events read from the store and embedded
outside the lock: the first such turn pays for them, about 25 ms an event with
multilingual e5; the older ones follow at the next sync)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

import numpy as np

from intent.encoder import Encoder
from retrieval.errors import IndexMismatch
from retrieval.index import BACKFILL_MAX, HistoryIndex, Hit
from retrieval.pii import Redactor
from retrieval.schemas import Event
from retrieval.store import SqlHistoryStore

log = logging.getLogger("retrieval.live_index")

# a turn that admits a customer to a language's index waits for their newest this many
# events (about 25 ms each with multilingual e5 on 2 cores: 1.6 s at most, once); the
# older ones come at the next sync, in the background
ADMIT_MAX = 64


class LiveIndex:
    def __init__(
        self,
        store: SqlHistoryStore,
        encoder: Encoder,
        directory: str | Path,
        redactor: Redactor | None = None,
        language: str | None = None,
    ) -> None:
        """`language`: the index of that language's turns (only the customers who use it,
        and every resolved case); None: every event."""
        self.store = store
        self.encoder = encoder
        self.directory = Path(directory)
        self.redactor = redactor
        self.language = language
        self._index: HistoryIndex | None = None
        self._lock = threading.RLock()
        self._save_lock = threading.Lock()
        self._older: set[str] = set()  # admitted by a turn, their older events still to add
        self._older_lock = threading.Lock()
        self._saved: tuple[int, int, int] | None = None  # `_version` when last saved

    @property
    def ready(self) -> bool:
        return self._index is not None

    @property
    def last_seq(self) -> int:
        return self._index.last_seq if self._index is not None else 0

    def open(self) -> LiveIndex:
        """Load the saved index, or build it from the store; then catch up. Slow only the
        first time (every distinct text is embedded once)."""
        index: HistoryIndex | None = None
        if (self.directory / "index.json").exists():
            try:
                index = HistoryIndex.load(
                    self.directory, self.encoder, self.redactor, language=self.language
                )
            except (IndexMismatch, OSError, ValueError, KeyError) as exc:
                log.warning("history index at %s not reused (%s): rebuilding", self.directory, exc)
            if index is not None and not self._matches(index):
                log.warning(
                    "history index at %s was made from another database: rebuilding",
                    self.directory,
                )
                index = None
        if index is None:
            index = HistoryIndex(self.encoder, self.redactor, language=self.language)
        index.sync(self.store)
        with self._lock:
            self._index = index
        self._saved = None
        self.save()
        log.info(
            "history index ready: %d events (last seq %d)%s",
            len(index),
            index.last_seq,
            f", {index.member_count} {self.language} customers" if self.language else "",
        )
        return self

    def _matches(self, index: HistoryIndex) -> bool:
        """Whether a saved index belongs to this store: its high-water mark is not above
        the store's, and the last event it holds is in the store (a reset database, or
        another one, would otherwise leave new events below the mark, never indexed)."""
        if index.last_seq > self.store.max_seq():
            return False
        last = index.last_event_id
        return last is None or bool(self.store.get_events([last]))

    def sync(self) -> int:
        """Add what the store holds beyond the high-water mark (and, in a language's
        index, the older events of customers a turn admitted); the number added."""
        index = self._index
        if index is None:
            return 0
        with self._lock:
            added = index.sync(self.store)
        return added + (self._backfill_older(index) if self._older else 0)

    @staticmethod
    def _version(index: HistoryIndex) -> tuple[int, int, int]:
        """What changes whenever the index does (it only grows): the high-water mark, the
        events held, and a language index's members (a turn may admit one)."""
        return (index.last_seq, len(index), index.member_count)

    def save(self) -> bool:
        """Write the index if it changed since the last save (atomic file replaces). Only
        the snapshot is taken under the lock: searches do not wait for the disk."""
        index = self._index
        if index is None or self._version(index) == self._saved:
            return False
        with self._lock:
            snap = index.snapshot()
        with self._save_lock:  # one writer of the folder at a time
            snap.write(self.directory)
        self._saved = (
            int(snap.meta["last_seq"]),  # type: ignore[call-overload]
            len(snap.ids),
            len(snap.meta["members"]),  # type: ignore[arg-type]
        )
        return True

    def search_customer(
        self,
        customer_id: str,
        query: str | np.ndarray,
        k: int = 10,
        channels: Iterable[str] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[Hit]:
        index = self._index
        if index is None:
            return []
        if not index.admits(customer_id):
            self.admit(customer_id)
        with self._lock:
            return index.search_customer(customer_id, query, k, channels, since, until)

    def admit(self, customer_id: str) -> int:
        """Bring `customer_id`'s events into a language's index, embedded outside the lock
        so searches do not wait: their newest `ADMIT_MAX` now (the turn that asked waits
        for them), the older ones (up to `BACKFILL_MAX`) at the next sync. Returns how
        many were added now."""
        index = self._index
        if index is None or index.admits(customer_id):
            return 0
        events = self.store.events(customer_id, limit=ADMIT_MAX + 1)
        if len(events) > ADMIT_MAX:
            events = events[:ADMIT_MAX]
            with self._older_lock:
                self._older.add(customer_id)
        vectors = index.missing_vectors(events)
        with self._lock:
            return index.admit(customer_id, events, vectors)

    def _backfill_older(self, index: HistoryIndex) -> int:
        """The older events of the customers a turn admitted (`admit`), in the background."""
        with self._older_lock:
            waiting, self._older = self._older, set()
        added = 0
        for customer_id in sorted(waiting):
            events = self.store.events(customer_id, limit=BACKFILL_MAX)
            vectors = index.missing_vectors(events)
            with self._lock:
                added += index.add(events, vectors=vectors)
        return added

    def similar_cases(
        self,
        query: str | np.ndarray,
        k: int = 10,
        exclude_customer: str | None = None,
        channels: Iterable[str] | None = None,
    ) -> list[Hit]:
        index = self._index
        if index is None:
            return []
        with self._lock:
            return index.similar_cases(query, k, exclude_customer, channels)

    def resolved_cases(
        self, query: str | np.ndarray, k: int = 5, exclude_customer: str | None = None
    ) -> list[Hit]:
        index = self._index
        if index is None:
            return []
        with self._lock:
            return index.resolved_cases(query, k, exclude_customer)

    def add(self, events: Sequence[Event], seqs: Sequence[int] | None = None) -> int:
        index = self._index
        if index is None:
            return 0
        with self._lock:
            return index.add(events, seqs)
