"""Live customer memory: every conversation writes its turns and ownership changes to the
customer's journey timeline as it happens, and the history index, kept current from the
store, brings earlier conversations back as related history in the next one."""

from __future__ import annotations

from pathlib import Path

import pytest
from api_helpers import ASSIST_KEY, agent_headers, bearer, start

from intent.encoder import HashingEncoder
from retrieval.assist import AgentAssist
from retrieval.live_index import LiveIndex
from retrieval.ranker import HybridRanker
from retrieval.responses import load_bank

CCAAS = bearer(ASSIST_KEY)


def _timeline(client, customer="C-1"):
    return client.get(f"/v1/customers/{customer}/timeline", headers=CCAAS).json()["events"]


def test_a_conversation_becomes_history_as_it_happens(client):
    before = {e["id"] for e in _timeline(client)}
    cid, me = start(client)
    client.post(
        f"/v1/conversations/{cid}/messages",
        json={"text": "refund to my card 4111 1111 1111 1111 please"},
        headers=me,
    )
    client.post(f"/v1/conversations/{cid}/handoff", json={"reason": "wants a person"}, headers=me)
    alice = agent_headers(client)
    client.post(f"/v1/conversations/{cid}/claim", headers=alice)
    client.post(f"/v1/conversations/{cid}/agent-messages", json={"text": "On it"}, headers=alice)
    client.post(f"/v1/conversations/{cid}/close", json={"reason": "refunded"}, headers=alice)
    new = [e for e in _timeline(client) if e["id"] not in before]
    assert all(e["channel"] == "chat" and e["attributes"]["conversation_id"] == cid for e in new)
    types = [e["type"] for e in reversed(new)]  # the timeline is newest first
    assert types == [
        "chat_customer",
        "chat_bot",
        "chat_request_handoff",
        "chat_system",
        "chat_claim",
        "chat_agent",
        "chat_close",
        "chat_wrapup",
        "chat_system",
    ]
    customer = next(e for e in new if e["type"] == "chat_customer")
    assert customer["intent"] == "get_refund"  # the classifier's intent reaches the timeline
    assert "4111 1111" not in str(new) and "[CARD visa ****1111]" in customer["text"]
    handoff = next(e for e in new if e["type"] == "chat_request_handoff")
    assert "wants a person" in handoff["text"]
    claim = next(e for e in new if e["type"] == "chat_claim")
    assert claim["attributes"]["agent_id"] == "alice"


def test_an_anonymous_conversation_writes_no_timeline(client, history):
    events = history.count_events()
    cid, me = start(client, customer_id=None)
    r = client.post(f"/v1/conversations/{cid}/messages", json={"text": "hello"}, headers=me)
    assert r.status_code == 200 and r.json()["replies"]
    assert history.count_events() == events


@pytest.fixture
def live(history, tmp_path: Path) -> LiveIndex:
    return LiveIndex(history, HashingEncoder(64), tmp_path / "index").open()


def test_an_earlier_conversation_comes_back_as_related_history(make_client, history, live):
    ranker = HybridRanker(load_bank(templates=None), HashingEncoder(64))
    client = make_client(assistant=AgentAssist(history, ranker, index=live).warm_up())
    first, me = start(client)
    issue = "my new phone will not activate, the sim card is not recognised"
    client.post(f"/v1/conversations/{first}/messages", json={"text": issue}, headers=me)
    client.post(f"/v1/conversations/{first}/close", json={}, headers=me)
    live.sync()  # (the app's own sync task may have taken some of them already)
    assert live.last_seq == history.max_seq()  # the turns and the close, by the high-water mark
    said = [e for e in history.events("C-1") if e.attributes.get("conversation_id") == first]
    assert len(said) >= 3
    second, me2 = start(client)
    again = "the phone will still not activate: the sim card is not recognised"
    client.post(f"/v1/conversations/{second}/messages", json={"text": again}, headers=me2)
    live.sync()
    payload = client.get(f"/v1/conversations/{second}/assist", headers=CCAAS).json()
    related = payload["related_history"]
    assert related, payload["warnings"]
    top = related[0]
    assert top["conversation_id"] == first and top["type"] == "chat_customer"
    assert top["text"] == issue and "earlier chat" in top["reason"]
    assert all(r["conversation_id"] != second for r in related)  # not the current one
    assert all(r["type"] not in ("chat_bot", "chat_system") for r in related)


def test_the_index_survives_a_restart_and_catches_up(history, tmp_path: Path):
    directory = tmp_path / "index"
    first = LiveIndex(history, HashingEncoder(64), directory).open()
    seen = first.last_seq
    history.ingest_event(
        {
            "id": "late-1",
            "customer_id": "C-1",
            "channel": "email",
            "type": "email_in",
            "ts": "2026-11-20T10:00:00Z",
            "text": "my parcel arrived damaged",
        }
    )
    again = LiveIndex(history, HashingEncoder(64), directory).open()  # loads, then syncs
    assert again.last_seq > seen
    hits = again.search_customer("C-1", "the parcel was damaged", k=3)
    assert hits and hits[0].event_id == "late-1"
    assert not LiveIndex(history, HashingEncoder(64), tmp_path / "none").ready


def test_an_index_from_another_database_is_rebuilt(history, tmp_path: Path):
    """A saved index whose mark is above this store's (a reset or another database) would
    skip every new event below its mark: it is rebuilt instead."""
    from api.storage.schema import open_database
    from retrieval.store import SqlHistoryStore

    other = SqlHistoryStore(open_database(f"sqlite:///{tmp_path}/other.db"))
    other.upsert_customers([{"id": "C-1", "name": "Emma Stone"}])
    for k in range(5):
        other.ingest_event(
            {
                "id": f"o-{k}",
                "customer_id": "C-1",
                "channel": "web",
                "type": "page_view",
                "ts": "2026-11-20T10:00:00Z",
                "text": f"viewed page {k}",
            }
        )
    directory = tmp_path / "index"
    LiveIndex(other, HashingEncoder(64), directory).open()
    other.close()
    live = LiveIndex(history, HashingEncoder(64), directory).open()
    assert live.last_seq == history.max_seq()
    assert all(not h.event_id.startswith("o-") for h in live.search_customer("C-1", "page", 10))


def test_the_chinese_turns_index_takes_a_customer_at_their_first_chinese_turn(
    history, tmp_path: Path
):
    """The Chinese turns' own index holds no English-only customer until a Chinese turn of
    theirs searches it; then their whole history is there (read from the store), and stays
    there across a restart. A Chinese event stored for another customer brings them in at
    the next sync."""
    for k, text in enumerate(["my parcel arrived damaged", "can I get an invoice"]):
        history.ingest_event(
            {
                "id": f"en-{k}",
                "customer_id": "C-1",
                "channel": "email",
                "type": "email_in",
                "ts": "2026-11-19T10:00:00Z",
                "text": text,
            }
        )
    directory = tmp_path / "index-zh"
    live = LiveIndex(history, HashingEncoder(64), directory, language="zh").open()
    assert "C-1" not in live._index.members  # type: ignore[union-attr]
    own = {e.id for e in history.events("C-1")}
    assert {"en-0", "en-1"} <= own
    hits = live.search_customer("C-1", "my parcel", k=len(own) + 5)
    assert {h.event_id for h in hits} == own  # admitted by the search itself
    live.save()
    history.ingest_event(
        {
            "id": "zh-1",
            "customer_id": "C-2",
            "channel": "chat",
            "type": "chat_customer",
            "ts": "2026-11-20T10:00:00Z",
            "text": "我的包裹到哪里了？",
        }
    )
    again = LiveIndex(history, HashingEncoder(64), directory, language="zh").open()
    members = again._index.members  # type: ignore[union-attr]
    assert members == {"C-1", "C-2"}  # C-1 kept by the save, C-2 by its Chinese event
    assert {h.event_id for h in again.search_customer("C-2", "包裹", k=50)} == {
        e.id for e in history.events("C-2")
    }


def test_a_long_history_is_admitted_newest_first_and_the_rest_in_the_background(
    history, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The turn that admits a customer waits only for their newest events (the first
    Chinese call stays quick however long the history); the next sync adds the older
    ones."""
    import retrieval.live_index

    monkeypatch.setattr(retrieval.live_index, "ADMIT_MAX", 3)
    for k in range(8):
        history.ingest_event(
            {
                "id": f"long-{k}",
                "customer_id": "C-2",
                "channel": "email",
                "type": "email_in",
                "ts": f"2026-11-{10 + k}T10:00:00Z",
                "text": f"question number {k} about my parcel",
            }
        )
    live = LiveIndex(history, HashingEncoder(64), tmp_path / "zh", language="zh").open()
    every = {e.id for e in history.events("C-2")}
    newest = {e.id for e in history.events("C-2", limit=3)}
    assert live.admit("C-2") == 3
    assert {h.event_id for h in live.search_customer("C-2", "parcel", k=50)} == newest
    assert live.sync() == len(every) - 3  # the older ones, in the background
    assert {h.event_id for h in live.search_customer("C-2", "parcel", k=50)} == every
    assert live.sync() == 0
