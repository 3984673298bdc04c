from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from intent.encoder import HashingEncoder
from retrieval.errors import IndexMismatch
from retrieval.index import HistoryIndex
from retrieval.schemas import Event
from retrieval.store import SqlHistoryStore

NOW = datetime.now(UTC).replace(microsecond=0)


class SpyEncoder(HashingEncoder):
    """HashingEncoder that records every text it is asked to encode."""

    def __init__(self, dim: int = 64) -> None:
        super().__init__(dim)
        self.seen: list[str] = []

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        self.seen.extend(texts)
        return super().encode(texts, batch_size)


def e(i: int, customer: str, text: str, channel: str = "chat", days: float = 1.0) -> Event:
    return Event(
        f"e{i}",
        customer,
        channel,
        "chat_message",
        NOW - timedelta(days=days),
        text,
        None,
        None,
        None,
        {},
    )


@pytest.fixture
def index() -> HistoryIndex:
    ix = HistoryIndex(SpyEncoder())
    ix.add(
        [
            e(1, "A", "my phone will not activate sim error"),
            e(2, "A", "where is my parcel delivery", channel="web", days=10),
            e(3, "A", "refund for the returned jacket", channel="email", days=3),
            e(4, "B", "phone activation failed with sim error"),
            e(5, "C", "phone will not activate after update"),
            e(6, "C", "phone activation keeps failing sim", days=2),
        ]
    )
    return ix


def test_customer_search_ranks_only_that_customers_events(index: HistoryIndex):
    hits = index.search_customer("A", "phone activate sim", k=2)
    assert [h.event_id for h in hits] == ["e1", hits[1].event_id]
    assert {h.customer_id for h in hits} == {"A"}
    assert hits[0].score > hits[1].score
    assert index.search_customer("nobody", "phone") == []


def test_customer_search_filters_channel_and_time_window(index: HistoryIndex):
    assert [h.event_id for h in index.search_customer("A", "phone", channels=["web"])] == ["e2"]
    window = index.search_customer(
        "A", "phone", since=NOW - timedelta(days=5), until=NOW - timedelta(days=2)
    )
    assert [h.event_id for h in window] == ["e3"]
    with pytest.raises(ValueError):
        index.search_customer("A", "phone", k=0)


def test_similar_cases_excludes_the_customer_and_keeps_one_event_per_customer(index: HistoryIndex):
    hits = index.similar_cases("phone will not activate sim error", k=5, exclude_customer="A")
    assert {h.customer_id for h in hits} == {"B", "C"}
    assert len(hits) == 2


def test_pii_is_redacted_before_embedding_and_texts_are_cached():
    enc = SpyEncoder()
    ix = HistoryIndex(enc)
    ix.add([e(1, "A", "contact me at ann.lee@example.com about order 123456")])
    ix.add([e(2, "B", "contact me at bo.chen@example.org about order 654321")])
    assert all("@" not in t and "123456" not in t for t in enc.seen)
    assert len(enc.seen) == 1 and ix.distinct_texts == 1  # same text once redacted + masked
    assert len(ix) == 2
    assert ix.add([e(1, "A", "contact me at ann.lee@example.com about order 123456")]) == 0


def test_sync_adds_only_what_is_new_and_matches_a_rebuild(tmp_path):
    store = SqlHistoryStore.open(f"sqlite:///{tmp_path / 'h.db'}")
    store.upsert_customers([{"id": "A", "name": "Ann"}])
    batch = [
        {
            "id": f"x{i}",
            "customer_id": "A",
            "channel": "chat",
            "type": "chat_message",
            "ts": NOW - timedelta(hours=i),
            "text": t,
        }
        for i, t in enumerate(["phone activation failed", "where is my parcel"])
    ]
    store.ingest_events(batch)
    ix = HistoryIndex.rebuild(store, HashingEncoder(32))
    assert len(ix) == 2
    store.ingest_events([{**batch[0], "id": "x9", "text": "refund please"}])
    assert ix.sync(store) == 1 and ix.sync(store) == 0
    fresh = HistoryIndex.rebuild(store, HashingEncoder(32))
    assert [h.event_id for h in ix.search_customer("A", "refund")] == [
        h.event_id for h in fresh.search_customer("A", "refund")
    ]
    store.close()


def test_save_load_round_trip(index: HistoryIndex, tmp_path):
    before = index.search_customer("C", "phone activation", k=3)
    index.save(tmp_path / "ix")
    assert (tmp_path / "ix" / "texts.faiss").exists() and (tmp_path / "ix" / "index.json").exists()
    loaded = HistoryIndex.load(tmp_path / "ix", SpyEncoder())
    assert loaded.search_customer("C", "phone activation", k=3) == before
    assert loaded.similar_cases("phone", k=3) == index.similar_cases("phone", k=3)
    with pytest.raises(IndexMismatch):
        HistoryIndex.load(tmp_path / "ix", HashingEncoder(32))


def test_query_by_vector_equals_query_by_text(index: HistoryIndex):
    vec = index.encoder.encode(["refund jacket"])[0]
    assert index.search_customer("A", vec) == index.search_customer("A", "refund jacket")


def test_the_bots_and_the_systems_own_words_are_not_embedded(tmp_path):
    """Related history never shows them: no encoder pass for a bot answer, in any worker,
    and a sync moves past them."""
    store = SqlHistoryStore.open(f"sqlite:///{tmp_path / 'h.db'}")
    store.upsert_customers([{"id": "A", "name": "Ann"}])
    rows = [
        ("c1", "chat_message", "my parcel never arrived"),
        ("b1", "chat_bot", "Order ORD-1 left our warehouse on 3 May, Ann."),
        ("s1", "chat_system", "You are now chatting with an agent."),
    ]
    store.ingest_events(
        [
            {"id": i, "customer_id": "A", "channel": "chat", "type": t, "ts": NOW, "text": x}
            for i, t, x in rows
        ]
    )
    enc = SpyEncoder(32)
    ix = HistoryIndex.rebuild(store, enc)
    assert len(ix) == 1 and enc.seen == ["my parcel never arrived"]
    assert [h.event_id for h in ix.search_customer("A", "parcel")] == ["c1"]
    store.ingest_events(
        [
            {
                **dict(zip(("id", "type", "text"), r, strict=True)),
                "customer_id": "A",
                "channel": "chat",
                "ts": NOW,
            }
            for r in [("b2", "chat_bot", "Anything else, Ann?")]
        ]
    )
    enc.seen.clear()
    assert ix.sync(store) == 0 and ix.last_seq == store.max_seq()
    assert enc.seen == []
    store.close()


def _scoped_store(tmp_path, rows):
    store = SqlHistoryStore.open(f"sqlite:///{tmp_path / 'h.db'}")
    store.upsert_customers([{"id": c, "name": c} for c in ("A", "B", "Z")])
    store.ingest_events(
        [
            {"id": i, "customer_id": c, "channel": "chat", "type": t, "ts": NOW, "text": x}
            for i, c, t, x in rows
        ]
    )
    return store


SCOPED = [  # in insertion order
    ("a1", "A", "chat_message", "my parcel never arrived"),
    ("z1", "Z", "email_in", "The screen of my new phone arrived cracked"),
    ("b1", "B", "chat_wrapup", "Replaced a cracked phone screen under warranty"),
    ("z2", "Z", "chat_message", "我新买的手机屏幕是裂的"),  # Z writes Chinese: joins
    ("a2", "A", "chat_message", "where is my refund"),
]


def test_a_language_index_holds_its_customers_and_every_resolved_case(tmp_path):
    """The Chinese turns' index: only the customers who write Chinese (with the events they
    had before, read back from the store when they join) and every wrap-up; an English
    customer's events are not embedded there."""
    store = _scoped_store(tmp_path, SCOPED)
    enc = SpyEncoder(32)
    ix = HistoryIndex.rebuild(store, enc, language="zh")
    assert ix.members == {"Z"} and ix.last_seq == store.max_seq()
    assert {h.event_id for h in ix.search_customer("Z", "cracked screen")} == {"z1", "z2"}
    assert ix.search_customer("A", "parcel") == []
    assert [h.event_id for h in ix.resolved_cases("cracked screen")] == ["b1"]
    assert not any("parcel" in t or "refund" in t for t in enc.seen)
    every = HistoryIndex.rebuild(store, HashingEncoder(32))  # without a language: all
    assert len(every) == 5 and every.members == frozenset()
    store.close()


def test_a_language_index_grown_by_sync_equals_its_rebuild(tmp_path):
    """Event by event (as the service syncs) or all at once, the same content: a customer
    joining later brings their earlier events, whichever batch they were in."""
    store = _scoped_store(tmp_path, SCOPED[:3])
    grown = HistoryIndex(HashingEncoder(32), language="zh")
    grown.sync(store)
    assert grown.members == frozenset() and len(grown) == 1  # the wrap-up only
    store.ingest_events(
        [
            {"id": i, "customer_id": c, "channel": "chat", "type": t, "ts": NOW, "text": x}
            for i, c, t, x in SCOPED[3:]
        ]
    )
    assert grown.sync(store) == 2  # z2 and the earlier z1
    rebuilt = HistoryIndex.rebuild(store, HashingEncoder(32), language="zh")
    assert grown.members == rebuilt.members == {"Z"} and len(grown) == len(rebuilt) == 3
    for customer in ("Z", "A"):
        assert grown.search_customer(customer, "screen") == rebuilt.search_customer(
            customer, "screen"
        )
    store.close()


def test_a_turn_admits_its_customer_and_the_members_survive_a_save(tmp_path):
    """A Chinese assist call for a customer who never wrote Chinese before: their events
    are embedded then (outside any lock: `missing_vectors`), and kept across a restart."""
    store = _scoped_store(tmp_path, SCOPED[:3])
    ix = HistoryIndex.rebuild(store, HashingEncoder(32), language="zh")
    assert not ix.admits("A") and ix.admits("B") is False
    events = store.events("A")
    vectors = ix.missing_vectors(events)
    assert len(vectors) == 1  # "my parcel never arrived", not yet in the table
    assert ix.admit("A", events, vectors) == 1 and ix.admit("A", events) == 0
    assert [h.event_id for h in ix.search_customer("A", "parcel")] == ["a1"]
    ix.save(tmp_path / "ix")
    loaded = HistoryIndex.load(tmp_path / "ix", HashingEncoder(32), language="zh")
    assert loaded.members == {"A"}
    assert loaded.search_customer("A", "parcel") == ix.search_customer("A", "parcel")
    store.ingest_events(  # a member's later English event is indexed too
        [
            {
                "id": "a3",
                "customer_id": "A",
                "channel": "chat",
                "type": "chat_message",
                "ts": NOW,
                "text": "refund for the jacket",
            }
        ]
    )
    assert loaded.sync(store) == 1
    with pytest.raises(IndexMismatch):  # a language index is not an index of everything
        HistoryIndex.load(tmp_path / "ix", HashingEncoder(32))
    store.close()
