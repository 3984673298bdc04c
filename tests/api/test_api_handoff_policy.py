"""The hand-off policy on its own: which turn hands off, and with which reason."""

from __future__ import annotations

import pytest

from api.conversations.policy import HandoffPolicy, PolicyConfigError, TurnSignals


@pytest.fixture(scope="module")
def policy() -> HandoffPolicy:
    return HandoffPolicy.load()  # the shipped data/handoff_policy.yml


def _turn(intent="track_order", conf=0.95, oos=False, frustration=0.0, **kw) -> TurnSignals:
    return TurnSignals(intent, conf, oos, frustration, **kw)


def test_explicit_request_and_frustration(policy):
    assert (
        policy.decide(_turn("contact_human_agent"), 0).reason == "the customer asked for a person"
    )
    d = policy.decide(_turn(frustration=0.9), 0)
    assert d.handoff and "frustration" in (d.reason or "")
    assert not policy.decide(_turn(frustration=0.3), 0).handoff


def test_frustrated_customer_with_an_open_ticket_goes_to_a_person(policy):
    # demo story 3: 0.74 frustration alone is below the general threshold ...
    assert not policy.decide(_turn("activation_problem", frustration=0.74), 0).handoff
    # ... but with the ticket still open from yesterday's call, a person takes over at once
    d = policy.decide(_turn("activation_problem", frustration=0.74, open_tickets=1), 0)
    assert d.handoff and "open ticket" in (d.reason or "")
    assert not policy.decide(
        _turn("activation_problem", frustration=0.2, open_tickets=1), 0
    ).handoff


def test_business_rules_use_customer_value_and_tier(policy):
    assert policy.decide(_turn("cancel_order", lifetime_value=2400.0), 0).handoff
    assert not policy.decide(_turn("cancel_order", lifetime_value=40.0), 0).handoff
    assert policy.decide(_turn("cancel_order", tier="VIP"), 0).handoff
    assert policy.decide(_turn("complaint"), 0).reason == "complaint: a person handles complaints"


def test_consecutive_out_of_scope_turns_hand_off_on_the_second(policy):
    first = policy.decide(_turn("out_of_scope", conf=0.1, oos=True), 0)
    assert not first.handoff and first.streak == 1
    second = policy.decide(_turn("out_of_scope", conf=0.1, oos=True), first.streak)
    assert second.handoff and second.streak == 2
    assert policy.decide(_turn(), first.streak).streak == 0  # an understood turn resets


def test_malformed_policy_is_rejected_with_where():
    with pytest.raises(PolicyConfigError, match="max_low_confidence_turns"):
        HandoffPolicy.from_dict({"max_low_confidence_turns": 0})
    with pytest.raises(PolicyConfigError, match="my.yml"):
        HandoffPolicy.from_dict({"business_rules": [{"intents": ["x"]}]}, "my.yml")


def test_an_answer_to_the_bots_question_is_not_judged_as_a_request(policy):
    # "ORD-20431" in answer to "which order?" may be classified cancel_order: no business
    # rule, no low-confidence count; an explicit request or frustration still hands off
    answer = _turn("cancel_order", conf=0.4, lifetime_value=2400.0, answering=True)
    d = policy.decide(answer, 1)
    assert not d.handoff and d.streak == 0
    assert policy.decide(_turn("contact_human_agent", answering=True), 0).handoff
    assert policy.decide(_turn(frustration=0.9, answering=True), 0).handoff
