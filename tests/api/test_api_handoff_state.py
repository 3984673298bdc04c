"""The ownership state machine at the store level, on a real SQLite file and a real
PostgreSQL server: legal and illegal transitions, idempotent repeats, the audit trail, and
a real claim race between separate connections."""

from __future__ import annotations

import threading

import pytest

from api.conversations.errors import ConversationNotFound, IllegalTransition
from api.conversations.state import Action, State
from api.conversations.store import ConversationStore
from api.storage.schema import upgrade
from retrieval.db import make_engine


@pytest.fixture
def store(store_url):
    engine = make_engine(store_url)
    upgrade(engine)
    yield ConversationStore(engine)
    engine.dispose()


def test_full_cycle_is_audited(store):
    conv, token = store.create("C-1")
    assert conv.state is State.BOT and token.startswith("ct_")
    store.transition(conv.id, Action.REQUEST_HANDOFF, "policy", "frustration 0.9")
    store.transition(conv.id, Action.CLAIM, "agent:alice", "claimed", agent_id="alice")
    store.transition(conv.id, Action.HAND_BACK, "agent:alice", "for a rating")
    store.transition(conv.id, Action.CLOSE, "customer", "done")
    trail = store.transitions(conv.id)
    assert [(t.from_state, t.to_state) for t in trail] == [
        (State.BOT, State.QUEUED),
        (State.QUEUED, State.HUMAN),
        (State.HUMAN, State.BOT),
        (State.BOT, State.CLOSED),
    ]
    assert trail[0].actor == "policy" and trail[0].reason == "frustration 0.9"
    assert all(t.ts is not None for t in trail)
    assert store.get(conv.id).version == 4


def test_repeating_a_transition_is_idempotent_without_a_new_audit_row(store):
    conv, _ = store.create(None)
    first = store.transition(conv.id, Action.REQUEST_HANDOFF, "customer", "asked")
    again = store.transition(conv.id, Action.REQUEST_HANDOFF, "customer", "asked")
    assert first.changed and not again.changed
    assert again.conversation.state is State.QUEUED
    assert again.conversation.version == first.conversation.version
    store.transition(conv.id, Action.CLAIM, "agent:alice", agent_id="alice")
    assert not store.transition(conv.id, Action.CLAIM, "agent:alice", agent_id="alice").changed
    assert len(store.transitions(conv.id)) == 2


@pytest.mark.parametrize(
    ("setup", "action", "state"),
    [
        ([], Action.CLAIM, "bot"),
        ([], Action.HAND_BACK, None),  # bot already: an idempotent no-op, not an error
        ([Action.REQUEST_HANDOFF], Action.HAND_BACK, "queued"),
        ([Action.CLOSE], Action.REQUEST_HANDOFF, "closed"),
        ([Action.CLOSE], Action.CLAIM, "closed"),
        ([Action.REQUEST_HANDOFF, Action.CLAIM], Action.REQUEST_HANDOFF, "human"),
    ],
)
def test_illegal_transitions_are_refused(store, setup, action, state):
    conv, _ = store.create(None)
    for a in setup:
        store.transition(conv.id, a, "test", agent_id="alice")
    if state is None:
        assert not store.transition(conv.id, action, "test").changed
        return
    with pytest.raises(IllegalTransition) as err:
        store.transition(conv.id, action, "test", agent_id="bob")
    assert err.value.state == state
    assert state in err.value.message


def test_second_agent_cannot_claim(store):
    conv, _ = store.create(None)
    store.transition(conv.id, Action.REQUEST_HANDOFF, "policy")
    store.transition(conv.id, Action.CLAIM, "agent:alice", agent_id="alice")
    with pytest.raises(IllegalTransition, match="alice"):
        store.transition(conv.id, Action.CLAIM, "agent:bob", agent_id="bob")


def test_unknown_conversation(store):
    with pytest.raises(ConversationNotFound):
        store.transition("nope", Action.CLOSE, "test")


@pytest.mark.parametrize("round_", range(5))
def test_claim_race_has_exactly_one_winner(store_url, round_):
    url = store_url
    engine = make_engine(url)
    upgrade(engine)
    setup = ConversationStore(engine)
    conv, _ = setup.create(None)
    setup.transition(conv.id, Action.REQUEST_HANDOFF, "policy")
    agents = [f"agent{i}" for i in range(6)]
    stores = [ConversationStore(make_engine(url)) for _ in agents]  # separate connections
    barrier = threading.Barrier(len(agents))
    results: dict[str, str] = {}

    def claim(i: int) -> None:
        barrier.wait()
        try:
            stores[i].transition(conv.id, Action.CLAIM, f"agent:{agents[i]}", agent_id=agents[i])
            results[agents[i]] = "won"
        except IllegalTransition:
            results[agents[i]] = "409"

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(len(agents))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [a for a, r in results.items() if r == "won"]
    assert len(winners) == 1 and len(results) == len(agents)
    final = setup.get(conv.id)
    assert final.state is State.HUMAN and final.agent_id == winners[0]
    claims = [t for t in setup.transitions(conv.id) if t.action == "claim"]
    assert len(claims) == 1 and claims[0].actor == f"agent:{winners[0]}"
    for s in stores:
        s.engine.dispose()
    engine.dispose()
