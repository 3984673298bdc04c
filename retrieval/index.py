"""Vector index over the customer history.

Structure (chosen for per-customer top-k at 1M events and a fast build):
- one FAISS `IndexFlatIP` over the DISTINCT embedding texts (PII-redacted, digit runs masked);
  an event points at its text's row. Event texts repeat a lot (system events, templated
  messages), so this table is also the embedding cache: a text already seen costs a hash
  lookup, not an encoder call;
- compact per-event columns (customer, text row, channel, time) and one position list per
  customer. Per-customer search is an exact inner product over that customer's vectors only
  (tens to hundreds of rows): O(customer history), independent of the index size;
- cross-customer "similar cases" search asks FAISS for the nearest distinct texts, then
  expands them to events (best event per customer);
- resolved cases (the wrap-ups written when a conversation closes, types in `CASE_TYPES`)
  keep their own position list: "how was this solved for others" is an exact inner product
  over those only (one per conversation, far fewer than events).

A second index of the same history for the turns of one language (`language`, e.g. "zh":
the Chinese turns' index, with a multilingual encoder) holds only what such turns search:
every resolved case, and the events of the customers who use that language. A customer
joins when one of their events is in the language (their earlier events are read from the
store then, `earlier`), or when a turn of theirs searches the index (`admit`). English
customers' events are then embedded once, by the base encoder, not once per index.

Persisted as `texts.faiss` + `index.json` (ids, columns, encoder name, language and members).
The store is the source of truth: `sync(store)` adds what was ingested since `last_seq`;
`rebuild` starts over.
"""

from __future__ import annotations

import hashlib
import json
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import faiss
import numpy as np

from intent.encoder import Encoder
from intent.encoder import encoder_name as name_of
from intent.language import detect
from retrieval.errors import IndexMismatch, ValidationError
from retrieval.pii import Redactor, embedding_text
from retrieval.schemas import CHANNELS, Event

FORMAT = 2
CASE_TYPES = frozenset({"chat_wrapup"})  # events that describe a finished case
# not indexed: the bot's and the system's own words (notices, questions), which related
# history never shows; embedding them would cost an encoder pass per bot answer (its
# texts are filled with the customer's facts, so they rarely repeat) in every worker
NOT_INDEXED = frozenset({"chat_bot", "chat_system"})
_CHAN = {c: i for i, c in enumerate(CHANNELS)}
# a language index reads at most this many of a joining customer's newest events
BACKFILL_MAX = 1_000
# one customer's events, newest first (`SqlHistoryStore.events`)
Earlier = Callable[..., Sequence[Event]]


@dataclass(frozen=True, slots=True)
class Hit:
    event_id: str
    customer_id: str
    channel: str
    ts: datetime
    score: float  # cosine similarity to the query


@dataclass(frozen=True, slots=True)
class IndexSnapshot:
    """What `HistoryIndex.save` writes, taken at one instant (`HistoryIndex.snapshot`)."""

    vectors: np.ndarray  # one row per distinct embedding text
    meta: dict[str, object]
    ids: list[str]
    columns: dict[str, array]

    def write(self, directory: str | Path) -> Path:
        """`texts.faiss` + `index.json`, each replaced atomically."""
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        table = faiss.IndexFlatIP(int(self.meta["dim"]))  # type: ignore[call-overload]
        if len(self.vectors):
            table.add(np.ascontiguousarray(self.vectors))
        faiss.write_index(table, str(d / "texts.faiss.tmp"))
        events: dict[str, object] = {"ids": self.ids}
        events |= {name: col.tolist() for name, col in self.columns.items()}
        meta = self.meta | {"events": events}
        (d / "index.json.tmp").write_text(json.dumps(meta, separators=(",", ":")), "utf-8")
        (d / "texts.faiss.tmp").replace(d / "texts.faiss")
        (d / "index.json.tmp").replace(d / "index.json")
        return d


class VectorIndex(Protocol):
    """The seam the context builder and the API use for history search."""

    encoder: Encoder  # what embeds the events; a query vector must come from it too

    def add(self, events: Sequence[Event], seqs: Sequence[int] | None = None) -> int: ...
    def search_customer(
        self,
        customer_id: str,
        query: str | np.ndarray,
        k: int = 10,
        channels: Iterable[str] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[Hit]: ...
    def similar_cases(
        self,
        query: str | np.ndarray,
        k: int = 10,
        exclude_customer: str | None = None,
        channels: Iterable[str] | None = None,
    ) -> list[Hit]: ...
    def resolved_cases(
        self, query: str | np.ndarray, k: int = 5, exclude_customer: str | None = None
    ) -> list[Hit]: ...


class _EventSource(Protocol):
    def iter_events(
        self, after_seq: int = 0, batch: int = 10_000
    ) -> Iterable[tuple[int, Event]]: ...


def earlier_events(store: object) -> Callable[[str], Sequence[Event]] | None:
    """A customer's events as a language index reads them when the customer joins: the
    store's `events(customer_id, limit=...)`, newest first (None: the store has none)."""
    events: Earlier | None = getattr(store, "events", None)
    if events is None:
        return None
    return lambda customer_id: events(customer_id, limit=BACKFILL_MAX)


def _epoch(ts: datetime) -> int:
    return int((ts if ts.tzinfo else ts.replace(tzinfo=UTC)).timestamp())


class HistoryIndex:
    def __init__(
        self,
        encoder: Encoder,
        redactor: Redactor | None = None,
        encoder_name: str | None = None,
        encode_batch: int = 128,
        language: str | None = None,
    ) -> None:
        """`language`: index only what that language's turns search (resolved cases, and
        the events of the customers who use it); None: every event."""
        self.encoder = encoder
        self.language = language
        self._members: set[str] = set()  # with `language`: the customers who use it
        self.redactor = redactor or Redactor()
        self.encoder_name = encoder_name or f"{name_of(encoder)}/{encoder.dim}"
        self.encode_batch = encode_batch
        self.dim = int(encoder.dim)
        self.last_seq = 0  # highest store sequence number indexed
        self.encoded = 0  # texts sent to the encoder (cache misses), for reporting
        self._faiss = faiss.IndexFlatIP(self.dim)
        self._mat = np.zeros((1024, self.dim), dtype=np.float32)
        self._key_row: dict[str, int] = {}
        self._hashes: list[str] = []
        self._ids: list[str] = []
        self._pos: dict[str, int] = {}
        self._cust = array("i")
        self._row = array("i")
        self._chan = array("b")
        self._ts = array("q")
        self._customers: list[str] = []
        self._cust_idx: dict[str, int] = {}
        self._per_customer: list[array] = []
        self._cases = array("i")  # positions of resolved-case events (CASE_TYPES)
        self._by_row: tuple[np.ndarray, np.ndarray] | None = None  # CSR text row -> events

    # ---------------------------------------------------------------- sizes

    @property
    def last_event_id(self) -> str | None:
        """The id of the event added last (None when empty)."""
        return self._ids[-1] if self._ids else None

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def distinct_texts(self) -> int:
        return len(self._hashes)

    # ---------------------------------------------------------------- building

    def _key(self, text: str) -> str:
        return hashlib.blake2b(
            embedding_text(self.redactor.redact(text)).encode("utf-8"), digest_size=16
        ).hexdigest()

    def _append_vectors(self, vecs: np.ndarray) -> None:
        n0 = len(self._hashes) - len(vecs)
        need = n0 + len(vecs)
        if need > len(self._mat):
            grown = np.zeros((max(need, 2 * len(self._mat)), self.dim), dtype=np.float32)
            grown[:n0] = self._mat[:n0]
            self._mat = grown
        self._mat[n0:need] = vecs
        self._faiss.add(vecs)

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        """The vectors of `texts` as this index embeds them (PII redacted, digit runs
        masked), checked against its width."""
        clean = [embedding_text(self.redactor.redact(t)) for t in texts]
        vecs = np.ascontiguousarray(self.encoder.encode(clean, self.encode_batch), np.float32)
        if vecs.shape != (len(clean), self.dim):
            raise IndexMismatch(f"{self.dim}-d vectors", f"{vecs.shape[1]}-d vectors")
        return vecs

    def _register(self, keys: Sequence[str], vecs: np.ndarray) -> None:
        """New text rows: `keys` (text hashes) with their vectors, in order."""
        for key in keys:
            self._key_row[key] = len(self._hashes)
            self._hashes.append(key)
        self._append_vectors(vecs)

    def _rows_for(
        self, texts: Sequence[str], ready: Mapping[str, np.ndarray] | None = None
    ) -> list[int]:
        """The text row of each of `texts`, embedding the ones not seen yet (`ready`:
        vectors embedded beforehand by `missing_vectors`, outside the caller's lock)."""
        keys = [self._key(t) for t in texts]
        new: dict[str, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in self._key_row and key not in new:
                new[key] = text
        known = [k for k in new if ready and k in ready]
        if known and ready:
            self._register(known, np.stack([ready[k] for k in known]).astype(np.float32))
            for key in known:
                del new[key]
        if new:
            self._register(list(new), self._embed(list(new.values())))
            self.encoded += len(new)
        return [self._key_row[k] for k in keys]

    # ---------------------------------------------------------------- a language's scope

    @property
    def members(self) -> frozenset[str]:
        """With `language`: the customers whose events this index holds."""
        return frozenset(self._members)

    @property
    def member_count(self) -> int:
        return len(self._members)

    def admits(self, customer_id: str) -> bool:
        """Whether this index holds `customer_id`'s events (always, without `language`)."""
        return self.language is None or customer_id in self._members

    def _joining(self, events: Sequence[Event]) -> list[str]:
        """The customers of `events` who join by them: an event of theirs in `language`."""
        out: dict[str, None] = {}
        for e in events:
            if (
                e.customer_id not in self._members
                and e.type not in CASE_TYPES
                and e.text
                and detect(e.text) == self.language
            ):
                out[e.customer_id] = None
        return list(out)

    def _in_scope(
        self, events: list[Event], earlier: Callable[[str], Sequence[Event]] | None
    ) -> list[Event]:
        backfill: list[Event] = []
        for cid in self._joining(events):
            self._members.add(cid)
            if earlier is not None:
                backfill.extend(earlier(cid))
        seen: set[str] = set()
        out: list[Event] = []
        for e in [*reversed(backfill), *events]:  # oldest first
            if e.id in seen or e.id in self._pos or e.type in NOT_INDEXED:
                continue
            if e.type in CASE_TYPES or e.customer_id in self._members:
                seen.add(e.id)
                out.append(e)
        return out

    def missing_vectors(self, events: Sequence[Event]) -> dict[str, np.ndarray]:
        """The vectors of the events' texts this index has not embedded yet, by text key:
        embedded without touching the index, so a caller can do it outside its lock and
        hand them to `admit`."""
        todo: dict[str, str] = {}
        for e in events:
            if e.id in self._pos or e.type in NOT_INDEXED:
                continue
            text = e.text or e.type
            key = self._key(text)
            if key not in self._key_row:
                todo.setdefault(key, text)
        if not todo:
            return {}
        return dict(zip(todo, self._embed(list(todo.values())), strict=True))

    def admit(
        self,
        customer_id: str,
        events: Sequence[Event],
        vectors: Mapping[str, np.ndarray] | None = None,
    ) -> int:
        """Make `customer_id` a member (a turn of theirs in `language` searches this index)
        and add their `events` (`vectors`: from `missing_vectors`). Returns how many were
        added; nothing without `language`."""
        if self.admits(customer_id):
            return 0
        self._members.add(customer_id)
        return self.add([e for e in events if e.customer_id == customer_id], vectors=vectors)

    # ---------------------------------------------------------------- adding

    def add(
        self,
        events: Sequence[Event],
        seqs: Sequence[int] | None = None,
        earlier: Callable[[str], Sequence[Event]] | None = None,
        vectors: Mapping[str, np.ndarray] | None = None,
    ) -> int:
        """Index `events` (already-indexed ids and `NOT_INDEXED` types are skipped; with
        `language`, only resolved cases and members' events, and a customer joining by one
        of these events brings their `earlier` ones). `vectors`: texts already embedded
        (`missing_vectors`). Returns how many were added."""
        fresh = [e for e in events if e.id not in self._pos and e.type not in NOT_INDEXED]
        if seqs:
            self.last_seq = max(self.last_seq, max(seqs))
        if self.language is not None:
            fresh = self._in_scope(fresh, earlier)
        if not fresh:
            return 0
        for e in fresh:
            if e.channel not in _CHAN:
                raise ValidationError("channel", f"unknown channel {e.channel!r}", e.channel)
        rows = self._rows_for([e.text or e.type for e in fresh], vectors)
        for e, row in zip(fresh, rows, strict=True):
            ci = self._cust_idx.get(e.customer_id)
            if ci is None:
                ci = self._cust_idx[e.customer_id] = len(self._customers)
                self._customers.append(e.customer_id)
                self._per_customer.append(array("i"))
            p = len(self._ids)
            self._pos[e.id] = p
            self._ids.append(e.id)
            self._cust.append(ci)
            self._row.append(row)
            self._chan.append(_CHAN[e.channel])
            self._ts.append(_epoch(e.ts))
            self._per_customer[ci].append(p)
            if e.type in CASE_TYPES:
                self._cases.append(p)
        self._by_row = None
        return len(fresh)

    def sync(self, store: _EventSource, batch: int = 10_000) -> int:
        """Add what the store holds beyond `last_seq`. Returns the number added."""
        added = 0
        buf: list[Event] = []
        seqs: list[int] = []
        earlier = earlier_events(store) if self.language is not None else None
        for seq, event in store.iter_events(after_seq=self.last_seq, batch=batch):
            buf.append(event)
            seqs.append(seq)
            if len(buf) >= batch:
                added += self.add(buf, seqs, earlier)
                buf, seqs = [], []
        if buf:
            added += self.add(buf, seqs, earlier)
        return added

    @classmethod
    def rebuild(cls, store: _EventSource, encoder: Encoder, **kwargs: object) -> HistoryIndex:
        index = cls(encoder, **kwargs)  # type: ignore[arg-type]
        index.sync(store)
        return index

    # ---------------------------------------------------------------- search

    def _query_vector(self, query: str | np.ndarray) -> np.ndarray:
        if isinstance(query, np.ndarray):
            vec = np.asarray(query, dtype=np.float32).reshape(-1)
            if vec.shape[0] != self.dim:
                raise ValidationError("query", f"expected a {self.dim}-d vector", vec.shape)
            return vec
        row = self._key_row.get(self._key(query))
        if row is not None:
            return self._mat[row]
        text = embedding_text(self.redactor.redact(query))
        return self.encoder.encode([text], 1)[0].astype(np.float32)

    def search_customer(
        self,
        customer_id: str,
        query: str | np.ndarray,
        k: int = 10,
        channels: Iterable[str] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[Hit]:
        """Top-k of one customer's events by similarity to `query` (text or vector)."""
        if k <= 0:
            raise ValueError("k must be positive")
        ci = self._cust_idx.get(customer_id)
        if ci is None:
            return []
        pos = np.frombuffer(self._per_customer[ci], dtype=np.int32)
        if channels is not None:
            codes = np.array([_CHAN[c] for c in channels if c in _CHAN], dtype=np.int8)
            pos = pos[np.isin(np.frombuffer(self._chan, dtype=np.int8)[pos], codes)]
        if since is not None or until is not None:
            ts = np.frombuffer(self._ts, dtype=np.int64)[pos]
            keep = np.ones(len(pos), dtype=bool)
            if since is not None:
                keep &= ts >= _epoch(since)
            if until is not None:
                keep &= ts <= _epoch(until)
            pos = pos[keep]
        if len(pos) == 0:
            return []
        q = self._query_vector(query)
        rows = np.frombuffer(self._row, dtype=np.int32)[pos]
        scores = self._mat[rows] @ q
        top = np.argpartition(-scores, k - 1)[:k] if len(scores) > k else np.arange(len(scores))
        top = top[np.lexsort((-np.frombuffer(self._ts, dtype=np.int64)[pos[top]], -scores[top]))]
        return [self._hit(int(pos[t]), float(scores[t])) for t in top]

    def _events_by_row(self) -> tuple[np.ndarray, np.ndarray]:
        if self._by_row is None:
            rows = np.frombuffer(self._row, dtype=np.int32)
            ts = np.frombuffer(self._ts, dtype=np.int64)
            order = np.lexsort((-ts, rows)).astype(np.int32)  # by text, newest first
            starts = np.searchsorted(rows[order], np.arange(len(self._hashes) + 1))
            self._by_row = (order, starts)
        return self._by_row

    def similar_cases(
        self,
        query: str | np.ndarray,
        k: int = 10,
        exclude_customer: str | None = None,
        channels: Iterable[str] | None = None,
    ) -> list[Hit]:
        """Events of OTHER customers like `query`: the best event per customer, top-k."""
        if k <= 0:
            raise ValueError("k must be positive")
        if not self._hashes:
            return []
        q = self._query_vector(query).reshape(1, -1)
        order, starts = self._events_by_row()
        codes = (
            np.array(sorted({_CHAN[c] for c in channels}), dtype=np.int8)
            if channels is not None
            else None
        )
        skip = self._cust_idx.get(exclude_customer) if exclude_customer else None
        chan = np.frombuffer(self._chan, dtype=np.int8)
        cust = np.frombuffer(self._cust, dtype=np.int32)
        n_texts = min(len(self._hashes), max(4 * k, 32))
        while True:
            scores, rows = self._faiss.search(q, n_texts)
            best: dict[int, tuple[float, int]] = {}  # customer -> (score, position)
            for score, row in zip(scores[0], rows[0], strict=True):
                if row < 0:
                    continue
                seg = order[starts[row] : starts[row + 1]]  # this text's events, newest first
                step = 16 * k
                for lo in range(0, len(seg), step):
                    chunk = seg[lo : lo + step]
                    if skip is not None:
                        chunk = chunk[cust[chunk] != skip]
                    if codes is not None:
                        chunk = chunk[np.isin(chan[chunk], codes)]
                    for p in chunk.tolist():
                        best.setdefault(int(cust[p]), (float(score), p))
                    if len(best) >= k:
                        break
                if len(best) >= k:
                    break
            if len(best) >= k or n_texts >= len(self._hashes):
                break
            n_texts = min(len(self._hashes), n_texts * 4)
        return [self._hit(p, s) for s, p in list(best.values())[:k]]

    def resolved_cases(
        self, query: str | np.ndarray, k: int = 5, exclude_customer: str | None = None
    ) -> list[Hit]:
        """Wrap-ups of finished conversations (any customer but `exclude_customer`) most
        like `query`: how the same problem was handled before. Exact, newest first on ties."""
        if k <= 0:
            raise ValueError("k must be positive")
        pos = np.frombuffer(self._cases, dtype=np.int32)
        skip = self._cust_idx.get(exclude_customer) if exclude_customer else None
        if skip is not None and len(pos):
            pos = pos[np.frombuffer(self._cust, dtype=np.int32)[pos] != skip]
        if len(pos) == 0:
            return []
        q = self._query_vector(query)
        scores = self._mat[np.frombuffer(self._row, dtype=np.int32)[pos]] @ q
        top = np.argpartition(-scores, k - 1)[:k] if len(scores) > k else np.arange(len(scores))
        top = top[np.lexsort((-np.frombuffer(self._ts, dtype=np.int64)[pos[top]], -scores[top]))]
        return [self._hit(int(pos[t]), float(scores[t])) for t in top]

    def _hit(self, p: int, score: float) -> Hit:
        return Hit(
            self._ids[p],
            self._customers[self._cust[p]],
            CHANNELS[self._chan[p]],
            datetime.fromtimestamp(self._ts[p], UTC),
            round(score, 6),
        )

    # ---------------------------------------------------------------- persistence

    def snapshot(self) -> IndexSnapshot:
        """A consistent copy to write while the index goes on changing: the vectors are a
        view (rows below the current count are never written again: the FAISS table only
        grows), the columns are copied (a memcpy each). Cheap to take under a lock."""
        n = len(self._hashes)
        return IndexSnapshot(
            self._mat[:n],
            {
                "format": FORMAT,
                "encoder": self.encoder_name,
                "dim": self.dim,
                "language": self.language,
                "members": sorted(self._members),
                "last_seq": self.last_seq,
                "text_hashes": list(self._hashes),
                "customers": list(self._customers),
            },
            list(self._ids),
            {
                "customer": array("i", self._cust),
                "text_row": array("i", self._row),
                "channel": array("b", self._chan),
                "ts": array("q", self._ts),
                "case_positions": array("i", self._cases),
            },
        )

    def save(self, directory: str | Path) -> Path:
        return self.snapshot().write(directory)

    @classmethod
    def load(
        cls,
        directory: str | Path,
        encoder: Encoder,
        redactor: Redactor | None = None,
        encoder_name: str | None = None,
        language: str | None = None,
    ) -> HistoryIndex:
        """`language`: the scope the index must have been built with (IndexMismatch when
        not, e.g. an index of every event made before the scope existed)."""
        d = Path(directory)
        meta = json.loads((d / "index.json").read_text("utf-8"))
        index = cls(encoder, redactor, encoder_name, language=language)
        if meta.get("format") != FORMAT or meta["encoder"] != index.encoder_name:
            raise IndexMismatch(index.encoder_name, str(meta.get("encoder")))
        if meta.get("language") != language:
            raise IndexMismatch(f"language {language}", f"language {meta.get('language')}")
        index._members = set(meta.get("members") or ())
        index._faiss = faiss.read_index(str(d / "texts.faiss"))  # type: ignore[assignment]
        n = index._faiss.ntotal
        index._mat = index._faiss.reconstruct_n(0, n) if n else index._mat
        index._hashes = list(meta["text_hashes"])
        index._key_row = {h: i for i, h in enumerate(index._hashes)}
        index._customers = list(meta["customers"])
        index._cust_idx = {c: i for i, c in enumerate(index._customers)}
        ev = meta["events"]
        index._ids = list(ev["ids"])
        index._pos = {e: i for i, e in enumerate(index._ids)}
        index._cust = array("i", ev["customer"])
        index._row = array("i", ev["text_row"])
        index._chan = array("b", ev["channel"])
        index._ts = array("q", ev["ts"])
        index._cases = array("i", ev["case_positions"])
        index._per_customer = [array("i") for _ in index._customers]
        cust = np.frombuffer(index._cust, dtype=np.int32)
        order = np.argsort(cust, kind="stable").astype(np.int32)
        bounds = np.searchsorted(cust[order], np.arange(len(index._customers) + 1))
        for c in range(len(index._customers)):
            index._per_customer[c] = array("i", order[bounds[c] : bounds[c + 1]].tobytes())
        index.last_seq = int(meta["last_seq"])
        return index
