"""Wrap-up at close, end to end through the API: proposed from the transcript, edited by
the agent, saved on the conversation, on the customer's timeline and in the
`conversation.closed` webhook; the customer's next conversation opens with it, and other
customers' agents find it as a resolved case."""

from __future__ import annotations

from pathlib import Path

import pytest
from api_helpers import ASSIST_KEY, agent_headers, bearer, start
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.storage.tables import OutboxEventRow
from intent.encoder import HashingEncoder
from retrieval.assist import AgentAssist
from retrieval.live_index import LiveIndex
from retrieval.ranker import HybridRanker
from retrieval.responses import load_bank

CCAAS = bearer(ASSIST_KEY)


def _handled_by_alice(client, customer="C-1"):
    cid, me = start(client, customer)
    say = client.post
    say(
        f"/v1/conversations/{cid}/messages",
        json={"text": "I want a refund, card 4111 1111 1111 1111"},
        headers=me,
    )
    say(f"/v1/conversations/{cid}/handoff", json={"reason": "refund needs a person"}, headers=me)
    alice = agent_headers(client)
    say(f"/v1/conversations/{cid}/claim", headers=alice)
    text = "I have issued the refund. You will receive it within 5 days."
    r = say(f"/v1/conversations/{cid}/agent-messages", json={"text": text}, headers=alice)
    assert r.status_code == 201, r.text
    return cid, me, alice


def _draft(proposal, **changes):
    keys = ("wanted", "done", "promised", "next_step", "disposition")
    return {k: proposal[k] for k in keys} | changes


def _closed_events(history, cid):
    with Session(history.engine) as s:
        rows = s.scalars(select(OutboxEventRow).where(OutboxEventRow.type == "conversation.closed"))
        return [r.payload for r in rows if r.payload["conversation_id"] == cid]


def test_the_agent_edits_the_proposal_and_it_is_saved_everywhere(client, history):
    cid, me, alice = _handled_by_alice(client)
    proposal = client.get(f"/v1/conversations/{cid}/wrapup", headers=alice).json()
    assert proposal["intents"] == ["get_refund"] and proposal["outcome"] == "follow_up"
    assert proposal["disposition"] == "REFUND" and not proposal["edited"]
    assert "4111 1111" not in str(proposal)  # built from the stored, redacted turns
    turns = {
        t["id"]: t for t in client.get(f"/v1/conversations/{cid}", headers=alice).json()["turns"]
    }
    for line in proposal["wanted"] + proposal["promised"]:
        assert line["turn_ids"] and all(t in turns for t in line["turn_ids"])
    assert turns[proposal["promised"][0]["turn_ids"][0]]["role"] == "agent"

    note = [{"text": "Call back if the refund is not there by Friday", "turn_ids": []}]
    body = {"reason": "refund issued", "wrapup": _draft(proposal, next_step=note)}
    r = client.post(f"/v1/conversations/{cid}/close", json=body, headers=alice)
    assert r.status_code == 200 and r.json()["state"] == "closed", r.text

    saved = client.get(f"/v1/conversations/{cid}/wrapup", headers=alice).json()
    assert saved["edited"] and saved["author"] == "agent:alice"
    assert saved["next_step"] == note and saved["disposition"] == "REFUND"
    timeline = client.get("/v1/customers/C-1/timeline", headers=CCAAS).json()["events"]
    event = next(e for e in timeline if e["type"] == "chat_wrapup")
    assert event["id"] == f"{cid}:wrapup" and event["channel"] == "chat"
    assert event["attributes"]["disposition"] == "REFUND"
    assert "Call back if the refund is not there by Friday" in event["text"]
    (closed,) = _closed_events(history, cid)
    assert closed["wrapup"]["next_step"] == note and closed["wrapup"]["edited"] is True


def test_a_bad_wrapup_is_refused_and_the_conversation_stays_open(client):
    cid, _, alice = _handled_by_alice(client)
    other, _, _ = _handled_by_alice(client, "C-2")
    proposal = client.get(f"/v1/conversations/{cid}/wrapup", headers=alice).json()
    foreign = client.get(f"/v1/conversations/{other}", headers=alice).json()["turns"][0]["id"]
    for draft, words in (
        (_draft(proposal, disposition="MADE-UP"), "unknown disposition 'MADE-UP'"),
        (_draft(proposal, done=[{"text": "x", "turn_ids": [foreign]}]), "is not in conversation"),
    ):
        r = client.post(f"/v1/conversations/{cid}/close", json={"wrapup": draft}, headers=alice)
        assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_wrapup"
        assert words in r.json()["error"]["message"]
    conv = client.get(f"/v1/conversations/{cid}", headers=alice).json()["conversation"]
    assert conv["state"] == "human"


def test_the_customer_neither_reads_nor_writes_a_wrapup(client):
    cid, me, alice = _handled_by_alice(client)
    assert client.get(f"/v1/conversations/{cid}/wrapup", headers=me).status_code == 403
    proposal = client.get(f"/v1/conversations/{cid}/wrapup", headers=alice).json()
    r = client.post(f"/v1/conversations/{cid}/close", json={"wrapup": _draft(proposal)}, headers=me)
    assert r.status_code == 403


def test_a_close_without_a_wrapup_saves_the_proposal(client, history):
    cid, me = start(client)
    client.post(
        f"/v1/conversations/{cid}/messages", json={"text": "where is my order?"}, headers=me
    )
    assert client.post(f"/v1/conversations/{cid}/close", json={}, headers=me).status_code == 200
    saved = client.get(f"/v1/conversations/{cid}/wrapup", headers=CCAAS).json()
    assert saved["disposition"] == "ORD-STATUS" and saved["outcome"] == "resolved_by_bot"
    assert not saved["edited"] and saved["author"].startswith("customer")
    (closed,) = _closed_events(history, cid)
    assert closed["wrapup"]["disposition"] == "ORD-STATUS"


def test_the_next_conversation_opens_with_the_last_one(client):
    cid, _, alice = _handled_by_alice(client)
    proposal = client.get(f"/v1/conversations/{cid}/wrapup", headers=alice).json()
    client.post(f"/v1/conversations/{cid}/close", json={"wrapup": _draft(proposal)}, headers=alice)
    new, me = start(client)
    (opening,) = client.get(f"/v1/conversations/{new}", headers=me).json()["turns"]
    assert opening["role"] == "bot"
    assert opening["text"].startswith(
        "Welcome back, Emma! Earlier today you contacted us about a refund."
    )
    assert "You will receive it within 5 days" in opening["text"]  # what alice told her
    assert "REFUND" not in opening["text"] and "follow" not in opening["text"].lower()
    other, me2 = start(client, "C-2")  # nothing to recall: no opening
    assert client.get(f"/v1/conversations/{other}", headers=me2).json()["turns"] == []


def test_a_chinese_conversation_opens_in_chinese(client):
    cid, _, alice = _handled_by_alice(client)
    proposal = client.get(f"/v1/conversations/{cid}/wrapup", headers=alice).json()
    client.post(f"/v1/conversations/{cid}/close", json={"wrapup": _draft(proposal)}, headers=alice)
    r = client.post(
        "/v1/conversations", json={"customer_id": "C-1", "language": "zh"}, headers=CCAAS
    )
    assert r.status_code == 201
    new, me = r.json()["conversation"]["id"], {"Authorization": f"Bearer {r.json()['token']}"}
    (opening,) = client.get(f"/v1/conversations/{new}", headers=me).json()["turns"]
    assert opening["text"].startswith("Emma，欢迎回来！您今天早些时候联系过我们，关于退款。")
    assert "You will receive it within 5 days" in opening["text"]  # the agent's own words
    assert opening["text"].endswith("今天有什么可以帮您？")


@pytest.fixture
def live(history, tmp_path: Path) -> LiveIndex:
    return LiveIndex(history, HashingEncoder(64), tmp_path / "index").open()


def test_other_customers_resolved_cases_come_back_without_their_id(make_client, history, live):
    ranker = HybridRanker(load_bank(templates=None), HashingEncoder(64))
    client = make_client(assistant=AgentAssist(history, ranker, index=live).warm_up())
    cid, _, alice = _handled_by_alice(client, "C-2")
    proposal = client.get(f"/v1/conversations/{cid}/wrapup", headers=alice).json()
    client.post(f"/v1/conversations/{cid}/close", json={"wrapup": _draft(proposal)}, headers=alice)
    live.sync()
    r = client.post(
        "/v1/customers/C-1/history:search",
        json={"text": "I want a refund for my card"},
        headers=alice,
    )
    assert r.status_code == 200, r.text
    cases = [h for h in r.json()["hits"] if h["kind"] == "resolved_case"]
    assert cases and cases[0]["event_id"] == f"{cid}:wrapup"
    assert cases[0]["customer_id"] is None and "REFUND" in cases[0]["reason"]
    assert "issued the refund" in cases[0]["text"]
    assert cases[0]["said_to_customer"] == []  # another customer's words: never for the bot
    # C-2's own search does not show C-2's case as another customer's
    mine = client.post("/v1/customers/C-2/history:search", json={"text": "refund"}, headers=alice)
    assert all(h["kind"] == "own_history" for h in mine.json()["hits"])
    own_case = next(h for h in mine.json()["hits"] if h["type"] == "chat_wrapup")
    assert own_case["said_to_customer"] == [
        "I have issued the refund.",
        "You will receive it within 5 days.",
    ]
    assert (
        client.post(
            "/v1/customers/C-404/history:search", json={"text": "x"}, headers=alice
        ).status_code
        == 404
    )
    assert client.post("/v1/customers/C-1/history:search", json={"text": "x"}).status_code == 401


def test_asking_for_a_person_is_no_topic_to_recall(client):
    cid, me = start(client)
    client.post(f"/v1/conversations/{cid}/messages", json={"text": "I want a human"}, headers=me)
    client.post(f"/v1/conversations/{cid}/close", json={}, headers=me)
    assert client.get(f"/v1/conversations/{cid}/wrapup", headers=CCAAS).json()["intents"] == [
        "contact_human_agent"
    ]
    new, me2 = start(client)
    assert client.get(f"/v1/conversations/{new}", headers=me2).json()["turns"] == []


def test_the_search_says_so_when_history_is_not_loaded(make_client):
    client = make_client(assistant=None)
    r = client.post("/v1/customers/C-1/history:search", json={"text": "refund"}, headers=CCAAS)
    assert r.status_code == 200 and r.json()["hits"] == []
    assert "not loaded" in r.json()["warnings"][0]
    r = client.post("/v1/customers/C-404/history:search", json={"text": "x"}, headers=CCAAS)
    assert r.status_code == 404


def test_the_opening_repeats_only_the_agents_own_words_never_an_edited_note(client):
    cid, _, alice = _handled_by_alice(client)
    proposal = client.get(f"/v1/conversations/{cid}/wrapup", headers=alice).json()
    agent_turn = proposal["promised"][0]["turn_ids"]
    note = [{"text": "refund in 5 days - customer is difficult", "turn_ids": agent_turn}]
    draft = _draft(proposal, promised=note)
    client.post(f"/v1/conversations/{cid}/close", json={"wrapup": draft}, headers=alice)
    new, me = start(client)
    (opening,) = client.get(f"/v1/conversations/{new}", headers=me).json()["turns"]
    assert "We said: “You will receive it within 5 days.”" in opening["text"]
    assert "difficult" not in opening["text"]
