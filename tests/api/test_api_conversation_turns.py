"""One customer turn through HTTP: stored first, classified, routed to the fake bot or to
a person by the hand-off policy; bot and classifier failures hand off with the reason."""

from __future__ import annotations

from api_helpers import ASSIST_KEY, agent_headers, bearer, start

CCAAS = bearer(ASSIST_KEY)  # contact-center software: the full outcome and transcript


def _say(client, cid, headers, text):
    """The customer's turn as contact-center software posts it (`headers`, the
    customer's own, get the customer's view: tests/api/test_api_live.py)."""
    r = client.post(f"/v1/conversations/{cid}/messages", json={"text": text}, headers=CCAAS)
    assert r.status_code == 200, r.text
    return r.json()


def test_bot_owned_turn_is_answered_by_the_bot(client, fake_bot):
    cid, me = start(client)
    out = _say(client, cid, me, "where is my order ORD-100234?")
    assert out["state"] == "bot"
    assert out["analysis"]["intent"]["name"] == "track_order"
    assert [r["text"] for r in out["replies"]] == ["bot: where is my order ORD-100234?"]
    assert fake_bot.calls[0][0] == cid  # sender = conversation id
    assert fake_bot.calls[0][2]["intent"] == "track_order"
    turns = client.get(f"/v1/conversations/{cid}", headers=CCAAS).json()["turns"]
    assert [t["role"] for t in turns] == ["customer", "bot"]
    assert turns[0]["intent"] == "track_order"


def test_explicit_request_hands_off_and_the_customer_is_told(client, fake_bot):
    cid, me = start(client)
    out = _say(client, cid, me, "let me talk to a human")
    assert out["state"] == "queued"
    assert out["handoff_reason"] == "the customer asked for a person"
    assert out["replies"][0]["role"] == "system"
    assert fake_bot.calls == []
    # while queued the bot never answers; the message goes to the agents
    out = _say(client, cid, me, "hello? anyone?")
    assert out["state"] == "queued" and out["replies"] == []
    assert fake_bot.calls == []


def test_consecutive_low_confidence_turns_hand_off(client):
    cid, me = start(client)
    assert _say(client, cid, me, "blah blah")["state"] == "bot"
    out = _say(client, cid, me, "what about the weather")
    assert out["state"] == "queued"
    assert "2 turns in a row" in out["handoff_reason"]


def test_a_good_turn_resets_the_low_confidence_streak(client):
    cid, me = start(client)
    _say(client, cid, me, "blah")
    _say(client, cid, me, "refund please")
    assert _say(client, cid, me, "blah again")["state"] == "bot"


def test_frustration_hands_off(client):
    cid, me = start(client)
    out = _say(client, cid, me, "WHERE IS MY ORDER?!! This is the THIRD time I ask, useless!!!")
    assert out["state"] == "queued"
    assert "frustration" in out["handoff_reason"]


def test_business_rule_high_value_cancellation(client):
    cid, me = start(client, "C-1")  # gold, 899 EUR of orders
    assert _say(client, cid, me, "please cancel it")["state"] == "queued"
    cid2, me2 = start(client, "C-2")  # standard, no orders: the bot handles it
    assert _say(client, cid2, me2, "please cancel it")["state"] == "bot"


def test_bot_failure_hands_off_and_keeps_the_message(client, fake_bot):
    fake_bot.fail = True
    cid, me = start(client)
    out = _say(client, cid, me, "where is my order?")
    assert out["state"] == "queued"
    assert out["handoff_reason"] == "bot unavailable"
    assert "team" in out["replies"][0]["text"]
    turns = client.get(f"/v1/conversations/{cid}", headers=CCAAS).json()["turns"]
    assert turns[0]["text"] == "where is my order?"


def test_bot_can_ask_for_a_person(client, fake_bot):
    fake_bot.handoff_on = "refund"
    cid, me = start(client)
    out = _say(client, cid, me, "refund please")
    assert out["state"] == "queued" and out["handoff_reason"] == "bot gave up"
    assert [r["role"] for r in out["replies"]] == ["bot", "system"]


def test_classifier_failure_still_stores_the_message_and_hands_off(make_client, analyzer):
    class Broken:
        labels = ["x"]

        def predict(self, texts):
            raise RuntimeError("model exploded")

    analyzer.classifier = Broken()
    client = make_client()
    cid, me = start(client)
    out = _say(client, cid, me, "hello there")
    assert out["state"] == "queued"
    assert out["analysis"] is None
    assert "classifier failed" in out["handoff_reason"]
    turns = client.get(f"/v1/conversations/{cid}", headers=CCAAS).json()["turns"]
    assert turns[0]["text"] == "hello there"


def test_handoff_packet_has_transcript_summary_context_and_first_reply(client):
    cid, me = start(client)
    _say(client, cid, me, "where is my order ORD-100234?")
    _say(client, cid, me, "I want a human")
    r = client.get(f"/v1/conversations/{cid}/handoff", headers=agent_headers(client))
    assert r.status_code == 200, r.text
    p = r.json()["packet"]
    assert p["reason"] == "the customer asked for a person"
    assert [t["role"] for t in p["transcript"]][:3] == ["customer", "bot", "customer"]
    assert "1 reply" in p["bot_summary"] and "track_order" in p["bot_summary"]
    assert p["customer_context"]["name"] == "Emma Stone"
    assert p["journey_stage"]["stage"]
    assert p["suggested_first_reply"]


def test_closed_conversation_refuses_messages(client):
    cid, me = start(client)
    assert client.post(f"/v1/conversations/{cid}/close", json={}, headers=me).status_code == 200
    r = client.post(f"/v1/conversations/{cid}/messages", json={"text": "hi"}, headers=me)
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "conversation_closed"


def test_bad_message_input(client):
    cid, me = start(client)
    for body, status in [({"text": ""}, 422), ({"text": "x" * 5000}, 413), ({}, 422)]:
        r = client.post(f"/v1/conversations/{cid}/messages", json=body, headers=me)
        assert r.status_code == status
        assert r.json()["error"]["message"]


def test_a_handed_off_turn_is_classified_once(client, keyword_classifier):
    cid, me = start(client)
    before = len(keyword_classifier.calls)
    out = _say(client, cid, me, "let me talk to a human")
    assert out["state"] == "queued"
    # the hand-off packet reuses the turn's analysis instead of classifying it again
    assert keyword_classifier.calls[before:] == [["let me talk to a human"]]
    packet = client.get(f"/v1/conversations/{cid}/handoff", headers=agent_headers(client)).json()
    assert packet["packet"]["reason"] == "the customer asked for a person"


def test_the_bot_gets_the_turns_analysis_and_the_customer(client, fake_bot):
    cid, me = start(client)
    _say(client, cid, me, "where is my order ORD-100234?")
    meta = fake_bot.calls[0][2]
    assert meta["customer_id"] == "C-1" and meta["intent"] == "track_order"
    assert meta["intent_ranking"][0] == {"name": "track_order", "confidence": 0.9}
    assert meta["out_of_scope"] is False
    assert [(e["type"], e["normalized"]) for e in meta["entities"]] == [
        ("order_number", "ORD-100234")
    ]


def test_the_bots_own_summary_goes_into_the_packet(client, fake_bot):
    fake_bot.handoff_on = "refund"
    cid, me = start(client)
    _say(client, cid, me, "refund please")
    p = client.get(f"/v1/conversations/{cid}/handoff", headers=agent_headers(client)).json()
    assert p["packet"]["reason"] == "bot gave up"
    assert p["packet"]["bot_summary"].startswith("Bot tried. The bot handled 1 customer message")


def test_an_answer_to_the_bots_question_goes_to_the_bot(client, fake_bot):
    # C-1 is gold with 899 EUR of orders: "cancel" would hand off at once, but here it
    # answers the bot's question (the bot marked it `awaiting`), so the bot gets it
    fake_bot.ask_on = "order"
    cid, me = start(client, "C-1")
    out = _say(client, cid, me, "where is my order?")
    assert [r["text"] for r in out["replies"]] == ["Which order?"]
    turns = client.get(f"/v1/conversations/{cid}", headers=CCAAS).json()["turns"]
    assert turns[-1]["attributes"]["awaiting"] == "order_number"
    out = _say(client, cid, me, "the one I want to cancel")
    assert out["state"] == "bot" and out["replies"][0]["text"] == "bot: the one I want to cancel"
    # the next turn is no answer any more: the business rule applies again
    assert _say(client, cid, me, "please cancel it")["state"] == "queued"
