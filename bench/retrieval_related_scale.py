"""Related history at scale: the live index of the service over 1M synthetic events plus
100k conversations (`chat_*` events), searched per customer and kept current from the store.

1. The store: `generate_bulk` (the 1M-event generator of bench/retrieval_scale.py), then
   conversations as the API writes them to the timeline (`bench.retrieval_related.Timeline`:
   greetings, the problem, the bot's reply, hand-offs with agent turns, thanks, closing),
   bulk-ingested in batches of 20,000. Texts: every utterance of data/intents (nlu.yml,
   valid.csv, test.csv; 34 intents). 80 % of the conversations go to customers drawn
   uniformly, 20 % to a heavy 1 % of them (long histories, the slow end of a per-customer
   search).
2. `LiveIndex.open()`: built from the store (and saved), as the service's first start does.
3. Per-customer search, the turn's vector given (the service has it): `LiveIndex.search_customer`
   for the 20 hits `AgentAssist.related` asks, and `related()` itself (+ the store read of
   those events); random customers, and the heavy ones.
4. Incremental indexing, as the service runs it: a thread syncs the live index every
   `sync_s` (api.main.keep_index, AGENT_ASSIST_INDEX_SYNC_S = 0.5 s) while new customer turns
   are written through `api.conversations.store.ConversationStore` (the API's own write
   path: turn row + timeline event in one transaction), at random moments; each turn's
   latency is from its commit until `search_customer` returns it. Also: the cost of one
   sync that picks up a single new turn, and of one that finds nothing; search latency
   while the loop runs, and while the index is being saved (save holds the index's lock).
"""

from __future__ import annotations

import random
import resource
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select

from bench.retrieval_related import ROOT, Timeline, bot_replies, utterances
from bench.retrieval_scale import rss_mb
from intent.encoder import Encoder
from retrieval.assist import AgentAssist
from retrieval.demo.generate import generate_bulk
from retrieval.live_index import LiveIndex
from retrieval.models import CustomerRow
from retrieval.pii import default_redactor
from retrieval.ranker import HybridRanker
from retrieval.responses import load_bank
from retrieval.schemas import EventIn
from retrieval.store import SqlHistoryStore

INTENT_FILES = tuple(ROOT / "data/intents" / f for f in ("nlu.yml", "valid.csv", "test.csv"))
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _pct(xs: list[float], digits: int = 3) -> dict[str, float]:
    return {
        "p50": round(float(np.percentile(xs, 50)), digits),
        "p99": round(float(np.percentile(xs, 99)), digits),
        "max": round(float(np.max(xs)), digits),
        "n": len(xs),
    }


def add_conversations(
    store: SqlHistoryStore,
    customers: list[str],
    n: int,
    rng: random.Random,
    now: datetime,
    heavy: list[str],
    batch: int = 20_000,
) -> int:
    """`n` conversations on the timelines of `customers`; returns the events written."""
    pool = utterances(INTENT_FILES)
    small = {k: pool[k] for k in ("greet", "thank_you")}
    topics = sorted(pool)
    bot = bot_replies()
    pending: list[EventIn] = []
    written = 0
    for k in range(n):
        cid = rng.choice(heavy) if rng.random() < 0.2 else rng.choice(customers)
        conv = f"conv_bulk{k:07d}"
        tl = Timeline(cid, rng, bot, prefix=f"{conv}:turn_")
        topic = rng.choice(topics)
        at = now - timedelta(days=rng.uniform(0.1, 365))
        tl.chat(conv, at, rng.choice(pool[topic]), topic, small)
        pending += tl.events
        if len(pending) >= batch:
            _ingest(store, pending)
            written += len(pending)
            pending = []
    _ingest(store, pending)
    return written + len(pending)


def _ingest(store: SqlHistoryStore, events: list[EventIn]) -> None:
    res = store.ingest_events(events)
    if res.errors:
        raise RuntimeError(f"events: {res.errors[:3]}")


class SyncLoop(threading.Thread):
    """api.main.keep_index without asyncio: sync every `interval` seconds."""

    def __init__(self, live: LiveIndex, interval: float) -> None:
        super().__init__(daemon=True)
        self.live, self.interval = live, interval
        self.stop = threading.Event()
        self.syncs: list[float] = []  # ms per sync

    def run(self) -> None:
        while not self.stop.wait(self.interval):
            t = time.perf_counter()
            self.live.sync()
            self.syncs.append((time.perf_counter() - t) * 1000)


def _timed(fn: Callable[..., object], *args: Any, **kw: Any) -> float:
    """Milliseconds `fn(*args, **kw)` takes."""
    t = time.perf_counter()
    fn(*args, **kw)
    return (time.perf_counter() - t) * 1000


def run(
    events: int,
    conversations: int,
    encoder: Encoder,
    workdir: Path,
    seed: int = 7,
    queries: int = 2000,
    live_turns: int = 40,
    sync_s: float = 0.5,
) -> dict[str, Any]:
    from api.conversations.store import ConversationStore  # the API's write path
    from api.storage.schema import open_database  # the history's tables and the API's

    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / f"related_{events}_{conversations}.db"
    for p in workdir.glob(db.name + "*"):
        p.unlink()
    index_dir = workdir / f"related_index_{events}_{conversations}"
    for p in index_dir.glob("*"):
        p.unlink()
    store = SqlHistoryStore(open_database(f"sqlite:///{db}"))
    now = datetime.now(UTC)
    rng = random.Random(seed)
    t0 = time.perf_counter()
    n_bulk = generate_bulk(store, events, seed, now=now)
    bulk_s = time.perf_counter() - t0
    with store.engine.connect() as conn:
        customers = list(conn.execute(select(CustomerRow.id).order_by(CustomerRow.id)).scalars())
    heavy = rng.sample(customers, max(1, len(customers) // 100))
    t0 = time.perf_counter()
    n_chat = add_conversations(store, customers, conversations, rng, now, heavy)
    chat_s = time.perf_counter() - t0

    rss_before = rss_mb()
    live = LiveIndex(store, encoder, index_dir, default_redactor())
    t0 = time.perf_counter()
    live.open()  # build from the store + save, as the service's first start
    open_s = time.perf_counter() - t0
    rss_after = rss_mb()
    index = live._index
    assert index is not None
    assist = AgentAssist(store, HybridRanker(load_bank(), encoder), index=live)

    pool = utterances(INTENT_FILES)
    texts = [rng.choice(pool[i]) for i in sorted(pool) for _ in range(2)]
    qvecs = encoder.encode(texts, 64)
    per_customer = {c: len(index._per_customer[i]) for i, c in enumerate(index._customers)}
    heavy_hist = sorted(per_customer[c] for c in heavy)

    def search_lat(pick: list[str], n: int, full: bool) -> list[float]:
        out = []
        for _ in range(n):
            c, q = rng.choice(pick), qvecs[rng.randrange(len(qvecs))]
            if full:
                out.append(_timed(assist.related, c, q))
            else:
                out.append(_timed(live.search_customer, c, q, k=20))
        return out

    search_all = search_lat(customers, queries, False)
    search_heavy = search_lat(heavy, min(queries, 500), False)
    related_all = search_lat(customers, queries, True)
    related_heavy = search_lat(heavy, min(queries, 500), True)

    # incremental: new customer turns through the API's write path, live sync loop running
    convs = ConversationStore(store.engine, redact=default_redactor().redact)
    tag = iter(range(10**9))

    def new_turn() -> tuple[str, str, np.ndarray, float]:
        """Write a new customer turn; (customer, event id, its vector, commit time)."""
        c = rng.choice(customers)
        conv, _ = convs.create(c)
        word = "".join(rng.choice(LETTERS) for _ in range(6))  # a text the cache never saw
        text = f"{rng.choice(texts)} (ref {word}{next(tag)})"
        q = encoder.encode([text], 1)[0]
        turn, _ = convs.add_customer_turn(conv, text)
        return c, f"{conv.id}:{turn.id}", q, time.perf_counter()

    def visible(c: str, eid: str, q: np.ndarray) -> bool:
        return any(h.event_id == eid for h in live.search_customer(c, q, k=5))

    # (a) one sync after one new turn, and a sync that finds nothing (loop not running)
    new_turn()
    live.sync()  # warm-up: the first single-text encode and the first turn write pay set-up
    one_turn, empty = [], []
    for _ in range(max(3, live_turns // 2)):
        c, eid, q, _ = new_turn()
        one_turn.append(_timed(live.sync))
        assert visible(c, eid, q), "a synced turn must be searchable"
        empty.append(_timed(live.sync))
    # (b) the service's loop: turns written at random moments, polled until visible
    loop = SyncLoop(live, sync_s)
    loop.start()
    lag: list[float] = []
    during: list[float] = []
    for _ in range(live_turns):
        time.sleep(rng.uniform(0, sync_s))
        c, eid, q, t = new_turn()
        while not visible(c, eid, q):
            c2, q2 = rng.choice(customers), qvecs[rng.randrange(len(qvecs))]
            during.append(_timed(live.search_customer, c2, q2, k=20))
            time.sleep(0.002)
        lag.append((time.perf_counter() - t) * 1000)
    loop.stop.set()
    loop.join()
    # (c) a search that arrives while the index is being saved (every index_save_s = 60 s)
    live._saved_seq = -1  # force a save
    started, save_ms = threading.Event(), [0.0]

    def save() -> None:
        started.set()
        save_ms[0] = _timed(live.save)

    saver = threading.Thread(target=save)
    saver.start()
    started.wait()
    time.sleep(0.01)
    blocked = _timed(live.search_customer, customers[0], qvecs[0], k=20)
    saver.join()
    sizes = {p.name: round(p.stat().st_size / 1e6, 1) for p in index_dir.iterdir()}
    store.close()
    return {
        "events": n_bulk + n_chat,
        "bulk_events": n_bulk,
        "conversations": conversations,
        "chat_events": n_chat,
        "customers": len(customers),
        "heavy_customers": len(heavy),
        "heavy_history_events": {"median": heavy_hist[len(heavy_hist) // 2], "max": heavy_hist[-1]},
        "max_history_events": max(per_customer.values()),
        "ingest_s": {"bulk": round(bulk_s, 1), "conversations": round(chat_s, 1)},
        "open_s": round(open_s, 1),
        "open_events_per_s": round((n_bulk + n_chat) / open_s),
        "distinct_texts": index.distinct_texts,
        "search_customer_ms": _pct(search_all),
        "search_customer_heavy_ms": _pct(search_heavy),
        "related_ms": _pct(related_all),
        "related_heavy_ms": _pct(related_heavy),
        "sync_interval_s": sync_s,
        "turn_visible_ms": _pct(lag, 1),
        "sync_one_new_turn_ms": _pct(one_turn, 1),
        "sync_nothing_new_ms": _pct(empty, 2),
        "loop_sync_ms": _pct(loop.syncs, 1) if loop.syncs else None,
        "search_during_loop_ms": _pct(during) if during else None,
        "search_during_save_ms": round(blocked, 1),
        "save_ms": round(save_ms[0]),
        "rss_mb_before_open": round(rss_before),
        "rss_mb_after_open": round(rss_after),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "index_files_mb": sizes,
    }
