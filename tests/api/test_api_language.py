"""Each conversation has a language: the widget's locale at the start, then each customer
turn's script; the bot is told it, and what the service itself says comes in it."""

from __future__ import annotations

from api_helpers import ASSIST_KEY, agent_headers, bearer, start

from api.conversations.wording import WORDING

CCAAS = bearer(ASSIST_KEY)


def _say(client, cid, text):
    r = client.post(f"/v1/conversations/{cid}/messages", json={"text": text}, headers=CCAAS)
    assert r.status_code == 200, r.text
    return r.json()


def _conversation(client, cid):
    return client.get(f"/v1/conversations/{cid}", headers=CCAAS).json()["conversation"]


def test_a_chinese_turn_makes_the_conversation_chinese_and_the_bot_is_told(client, fake_bot):
    cid, _ = start(client)
    assert _conversation(client, cid)["language"] == "en"
    out = _say(client, cid, "我的订单到哪了")
    assert out["analysis"]["language"] == "zh"
    assert out["analysis"]["intent"]["name"] == "track_order"
    assert fake_bot.calls[-1][2]["language"] == "zh"
    assert _conversation(client, cid)["language"] == "zh"
    _say(client, cid, "12345")  # no letters: the conversation stays Chinese
    assert fake_bot.calls[-1][2]["language"] == "zh"
    _say(client, cid, "where is my order now")  # the customer switched
    assert fake_bot.calls[-1][2]["language"] == "en"
    assert _conversation(client, cid)["language"] == "en"
    turns = client.get(f"/v1/conversations/{cid}", headers=CCAAS).json()["turns"]
    assert [t["attributes"]["language"] for t in turns if t["role"] == "customer"] == [
        "zh", "zh", "en",
    ]  # fmt: skip


def test_the_hand_off_hand_back_and_close_notices_come_in_chinese(client, fake_bot):
    cid, me = start(client)
    out = _say(client, cid, "转人工！")
    assert out["state"] == "queued"
    assert [r["text"] for r in out["replies"]] == [WORDING["handoff"]["zh"]]
    alice = agent_headers(client)
    assert client.post(f"/v1/conversations/{cid}/claim", headers=alice).status_code == 200
    r = client.post(f"/v1/conversations/{cid}/hand-back", json={}, headers=alice)
    assert r.status_code == 200
    r = client.post(f"/v1/conversations/{cid}/close", json={}, headers=alice)
    assert r.status_code == 200
    texts = [t["text"] for t in client.get(f"/v1/conversations/{cid}", headers=me).json()["turns"]]
    assert WORDING["hand_back"]["zh"] in texts and WORDING["close"]["zh"] in texts
    assert WORDING["handoff"]["en"] not in texts


def test_the_widgets_locale_starts_the_conversation_and_bad_ones_are_refused(client):
    r = client.post("/v1/conversations", json={"language": "zh"})
    assert r.status_code == 201
    assert r.json()["conversation"]["language"] == "zh"
    r = client.post("/v1/conversations", json={"language": "fr"})
    assert r.status_code == 422
    assert "language" in r.text


def test_intent_answers_carry_the_turns_language(client):
    r = client.post("/v1/intent", json={"text": "我要退款"})
    assert r.status_code == 200
    assert r.json()["language"] == "zh" and r.json()["intent"] == "get_refund"
    assert client.post("/v1/intent", json={"text": "refund please"}).json()["language"] == "en"
