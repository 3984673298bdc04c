"""The suggested replies learn from agents (api/suggestion_learning.py): what agents use
for a kind of request climbs in the next conversation about it, what they dismiss sinks;
the learner reads the feedback log as the agent panel writes it."""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta

import pytest
from api_helpers import ASSIST_KEY, agent_headers, bearer, start

from api.suggestion_learning import SuggestionLearner, impressions
from intent.encoder import HashingEncoder
from retrieval.assist import AgentAssist
from retrieval.journey import JourneyModel
from retrieval.ranker import HybridRanker
from retrieval.responses import load_bank

CCAAS = bearer(ASSIST_KEY)


def _refund_chat(client):
    cid, me = start(client)
    r = client.post(
        f"/v1/conversations/{cid}/messages", json={"text": "I want a refund"}, headers=me
    )
    assert r.status_code == 200, r.text
    return cid, r.json()["turn"]["id"]


def _suggestions(client, cid):
    r = client.get(f"/v1/conversations/{cid}/assist", headers=CCAAS)
    assert r.status_code == 200, r.text
    return r.json()["suggestions"]


def _feedback(client, who, action, cid, turn, sid):
    body = {
        "kind": "suggestion", "action": action, "conversation_id": cid, "turn_id": turn,
        "suggestion_id": sid,
    }  # fmt: skip
    if action == "edited":
        body["edited_text"] = "Sure, I have started your refund."
    assert client.post("/v1/feedback", json=body, headers=who).status_code == 201


def _learner(client):
    services = client.app.state.services
    assistant = services.assist.assistant
    return SuggestionLearner(
        services.engine,
        functools.partial(setattr, assistant.ranker, "usage"),
        JourneyModel(client.app.state.journey.config),
    )


@pytest.fixture
def client(make_client, history):
    """The whole English bank (templates and knowledge): several replies per request."""
    ranker = HybridRanker(load_bank(languages={}), HashingEncoder(64))
    return make_client(assistant=AgentAssist(history, ranker).warm_up())


def test_the_reply_agents_use_climbs_in_the_next_conversation(client):
    cid, _ = _refund_chat(client)
    first = [s["id"] for s in _suggestions(client, cid)]
    assert len(first) >= 2
    top, chosen = first[0], first[1]  # agents keep picking the second
    alice = agent_headers(client)
    for k in range(6):
        cid, turn = _refund_chat(client)
        for sid in first:
            _feedback(client, alice, "shown", cid, turn, sid)
        _feedback(client, alice, "used" if k % 2 else "edited", cid, turn, chosen)
        _feedback(client, alice, "dismissed", cid, turn, top)
    prior = _learner(client).refresh()
    assert prior.impressions == 6 * len(first)
    cid, _ = _refund_chat(client)
    after = _suggestions(client, cid)
    ids = [s["id"] for s in after]
    assert ids[0] == chosen and after[0]["components"]["learned"] > 0
    # the dismissed one sank: below, or out of the two replies per request, making room
    # for one agents have not seen yet
    assert top not in ids[:1]
    assert all(s["components"]["learned"] < 0 for s in after if s["id"] == top)


def test_impressions_carry_the_intent_and_the_stage(client):
    cid, turn = _refund_chat(client)
    alice = agent_headers(client)
    _feedback(client, alice, "shown", cid, turn, "kb:x")
    _feedback(client, alice, "used", cid, turn, "kb:x")
    _feedback(client, alice, "shown", cid, turn, "kb:y")
    engine = client.app.state.services.engine
    now = datetime.now(UTC).replace(tzinfo=None)
    found = impressions(engine, now - timedelta(days=1), now + timedelta(minutes=1),
                        JourneyModel(client.app.state.journey.config))  # fmt: skip
    by_id = {i.suggestion_id: i for i in found}
    assert set(by_id) == {"kb:x", "kb:y"}  # one impression per conversation and reply
    assert by_id["kb:x"].used and not by_id["kb:y"].used
    assert by_id["kb:x"].intent == "get_refund"  # filled from the turn
    assert by_id["kb:x"].stage == "retain"  # C-1 asking for a refund
