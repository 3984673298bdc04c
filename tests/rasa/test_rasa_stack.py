"""The real thing: API + Rasa + action server as processes on 127.0.0.1 (rasa_bot.stack), the
demo customers in a fresh history database. A customer gets their real order's status;
the bot asks which order when two are open and checks the answer; a request for a person
queues the conversation with a hand-off packet and the bot stays silent; an agent hands
back and the bot asks for a rating, stored as feedback; Rasa killed mid-conversation
hands off with "bot unavailable" (Rasa is started again after that test); a customer who
types a Rasa command (`/EXTERNAL_handed_back`, `/restart`) does not drive the bot; a
customer whose turns carry the language `zh` gets the answers, the hand-back and the rating
in Chinese. The stack is the session's one (tests/stack_fixtures.py), shared with the
browser tests."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import httpx
import pytest

from api.conversations.bot import SIGNATURE_KEY, sign_customer
from rasa_bot.stack import Stack

pytestmark = pytest.mark.integration
DEMO_KEY = {"Authorization": "Bearer demo-assist-key"}
ADMIN_KEY = {"Authorization": "Bearer demo-admin-key"}


class Chat:
    def __init__(self, api: httpx.Client, customer_id: str) -> None:
        r = api.post("/v1/conversations", json={"customer_id": customer_id}, headers=DEMO_KEY)
        assert r.status_code == 201, r.text
        self.api = api
        self.id = r.json()["conversation"]["id"]
        self.headers = {"Authorization": f"Bearer {r.json()['token']}"}

    def say(self, text: str) -> dict[str, Any]:
        r = self.api.post(
            f"/v1/conversations/{self.id}/messages", json={"text": text}, headers=self.headers
        )
        assert r.status_code == 200, r.text
        return r.json()

    def turns(self) -> list[dict[str, Any]]:
        r = self.api.get(f"/v1/conversations/{self.id}", headers=self.headers)
        return r.json()["turns"]


def bot_text(out: dict[str, Any]) -> str:
    return " ".join(r["text"] for r in out["replies"] if r["role"] == "bot")


def order(api: httpx.Client, customer_id: str, order_id: str) -> dict[str, Any]:
    orders = api.get(f"/v1/customers/{customer_id}/orders", headers=DEMO_KEY).json()["orders"]
    return next(o for o in orders if o["id"] == order_id)


def tracker(stack: Stack, conversation_id: str) -> dict[str, Any]:
    r = httpx.get(
        f"{stack.rasa_url}/conversations/{conversation_id}/tracker", params={"token": stack.token}
    )
    assert r.status_code == 200, r.text
    return r.json()


def user_events(stack: Stack, conversation_id: str) -> list[dict[str, Any]]:
    return [e for e in tracker(stack, conversation_id)["events"] if e["event"] == "user"]


def agent(api: httpx.Client) -> dict[str, str]:
    r = api.post("/v1/auth/login", json={"agent_id": "alice", "password": "demo-password"})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def handoff_packet(api: httpx.Client, conversation_id: str) -> dict[str, Any]:
    """The hand-off as the agents see it (the customer's own answers need not say why)."""
    r = api.get(f"/v1/conversations/{conversation_id}/handoff", headers=agent(api))
    assert r.status_code == 200, r.text
    return r.json()["packet"]


def test_where_is_my_order_gets_the_real_order(api):
    chat = Chat(api, "C-0002")
    out = chat.say("where is my order?")
    assert out["state"] == "bot", out
    real = order(api, "C-0002", "ORD-20417")
    text = bot_text(out)
    assert "ORD-20417" in text and real["tracking_url"] in text
    assert "on its way" in text and real["carrier"] in text


def test_two_open_orders_the_bot_asks_which_and_checks_the_answer(api):
    chat = Chat(api, "C-0003")
    asked = bot_text(chat.say("where is my order?"))
    assert "ORD-20388" in asked and "ORD-20431" in asked and "Which one" in asked
    wrong = chat.say("it's ORD-12345")
    assert wrong["state"] == "bot"
    assert "can't find ORD-12345" in bot_text(wrong)
    # a bare order number is often classified cancel_order; as an answer to the bot's
    # question it goes to the bot, not to the cancellation business rule
    right = chat.say("ORD-20431")
    assert right["state"] == "bot", right
    assert "Your order ORD-20431" in bot_text(right) and "not shipped yet" in bot_text(right)


def test_the_bot_hands_off_after_two_wrong_order_numbers_and_then_stays_silent(api, stack: Stack):
    chat = Chat(api, "C-0003")
    chat.say("where is my order?")
    chat.say("it's ORD-12345")
    out = chat.say("it's ORD-99999")
    assert out["state"] == "queued"
    packet = handoff_packet(api, chat.id)
    assert packet["reason"] == "the customer's order number was not recognised"
    # the answers' own intents vary with the model; what the bot did does not
    assert packet["bot_summary"].startswith("The bot saw track_order")
    assert "ran order_form" in packet["bot_summary"]
    assert packet["transcript"][0]["text"] == "where is my order?"
    assert tracker(stack, chat.id)["paused"] is True  # the bot paused its own tracker
    before = len(chat.turns())
    later = chat.say("hello? is anyone there?")
    assert later["state"] == "queued" and later["replies"] == []
    assert [t["role"] for t in chat.turns()[before:]] == ["customer"]


def test_asking_for_a_person_queues_with_a_packet_and_the_bot_stays_silent(api):
    chat = Chat(api, "C-0002")
    chat.say("where is my order?")
    out = chat.say("I want to talk to a person")
    assert out["state"] == "queued"
    queue = api.get("/v1/handoff/queue", headers=agent(api)).json()
    assert chat.id in [q["conversation"]["id"] for q in queue]
    packet = handoff_packet(api, chat.id)
    assert packet["reason"] == "the customer asked for a person"
    assert "track_order" in packet["bot_summary"] and "ORD-20417" in packet["bot_summary"]
    before = len(chat.turns())
    later = chat.say("hello?")
    assert later["replies"] == [] and later["state"] == "queued"
    assert [t["role"] for t in chat.turns()[before:]] == ["customer"]


def test_agent_hands_back_and_the_bot_asks_for_a_rating(api):
    chat = Chat(api, "C-0005")
    assert chat.say("I want to talk to a person")["state"] == "queued"
    alice = agent(api)
    assert api.post(f"/v1/conversations/{chat.id}/claim", headers=alice).json()["state"] == "human"
    r = api.post(
        f"/v1/conversations/{chat.id}/agent-messages", json={"text": "Done!"}, headers=alice
    )
    assert r.status_code == 201
    r = api.post(f"/v1/conversations/{chat.id}/hand-back", json={}, headers=alice)
    assert r.status_code == 200 and r.json()["state"] == "bot"
    bot = [t["text"] for t in chat.turns() if t["role"] == "bot"]
    assert bot[-1] == "Is your issue solved now? (yes / no)"
    assert not any("Sorry" in t or "Please" in t for t in bot)  # no stray validation
    assert "rate" in bot_text(chat.say("yes"))
    wrong = chat.say("it was ok I guess")
    assert "from 1 (poor) to 5" in bot_text(wrong) and wrong["state"] == "bot"
    thanks = chat.say("4")
    assert "Thank you for your rating" in bot_text(thanks)
    export = api.get("/v1/feedback/export", params={"format": "jsonl"}, headers=ADMIN_KEY)
    rows = [json.loads(line) for line in export.text.splitlines()]
    ratings = [x for x in rows if x["conversation_id"] == chat.id]
    assert [(x["kind"], x["rating"], x["resolved"]) for x in ratings] == [("rating", 4, True)]


def test_rasa_killed_mid_conversation_hands_off_with_bot_unavailable(api, kill_rasa):
    chat = Chat(api, "C-0006")
    assert chat.say("hello")["state"] == "bot"
    kill_rasa()
    out = chat.say("where is my order?")
    assert out["state"] == "queued"
    assert handoff_packet(api, chat.id)["reason"] == "bot unavailable"
    turns = chat.turns()
    assert [t["text"] for t in turns if t["role"] == "customer"] == ["hello", "where is my order?"]
    assert turns[-1]["role"] == "system" and "team" in turns[-1]["text"]


def test_a_customer_typing_the_hand_back_command_does_not_get_the_hand_back_flow(api, stack):
    chat = Chat(api, "C-0002")
    assert chat.say("hello")["state"] == "bot"
    out = chat.say("/EXTERNAL_handed_back")
    assert "Is your issue solved" not in bot_text(out), out
    said = user_events(stack, chat.id)[-1]
    # the bot got the text, as text: the product's analysis, not Rasa's command parser
    assert said["text"].endswith("/EXTERNAL_handed_back") and not said["text"].startswith("/")
    assert said["parse_data"]["intent"]["name"] != "EXTERNAL_handed_back"
    events = tracker(stack, chat.id)["events"]
    assert not any(e.get("name") in ("action_handed_back", "feedback_form") for e in events)


def test_a_customer_typing_restart_does_not_restart_the_bot(api, stack):
    chat = Chat(api, "C-0003")
    assert "Which one" in bot_text(chat.say("where is my order?"))
    before = len(tracker(stack, chat.id)["events"])
    out = chat.say("/restart")
    assert out["state"] == "bot", out
    events = tracker(stack, chat.id)["events"]
    assert len(events) > before  # nothing forgotten
    assert not any(e["event"] == "restart" or e.get("name") == "action_restart" for e in events)
    assert user_events(stack, chat.id)[-1]["text"].endswith("/restart")
    # the bot still waits for the order number it asked for
    right = chat.say("ORD-20431")
    assert "Your order ORD-20431" in bot_text(right), right


def test_the_bot_repeats_what_an_agent_told_the_customer_last_time(api):
    """The bot's own flow uses the history search: an activation problem raised again gets
    what the agent said the first time (the customer's own wrap-up, the agent's words)."""
    first = Chat(api, "C-0001")
    out = first.say("my new phone won't activate")
    assert "re-insert the SIM" in bot_text(out)
    assert "You told us about this before" not in bot_text(out)
    first.say("I want to talk to a person")
    alice = agent(api)
    assert api.post(f"/v1/conversations/{first.id}/claim", headers=alice).status_code == 200
    said = "I have re-sent the activation code to your phone."
    r = api.post(
        f"/v1/conversations/{first.id}/agent-messages",
        json={"text": f"Hello Léa. {said} Anything else?"},
        headers=alice,
    )
    assert r.status_code == 201, r.text
    assert api.post(f"/v1/conversations/{first.id}/close", json={}, headers=alice).is_success
    search = {"text": "my phone still does not activate"}
    for _ in range(200):  # the live index takes the wrap-up within a sync or two
        hits = api.post(
            "/v1/customers/C-0001/history:search", json=search, headers=DEMO_KEY
        ).json()["hits"]
        if any(h["said_to_customer"] for h in hits):
            break
        time.sleep(0.1)
    case = next(h for h in hits if h["said_to_customer"])
    assert case["said_to_customer"] == [said] and case["type"] == "chat_wrapup"

    second = Chat(api, "C-0001")
    text = bot_text(second.say("my phone still does not activate"))
    assert f"our colleague said “{said}”" in text
    assert "re-insert the SIM" in text  # and the steps, as before


CJK = re.compile(r"[\u3400-\u9fff]")


def rasa_turn(stack: Stack, sender: str, text: str, intent: str, language: str | None) -> str:
    """One customer turn straight to Rasa's REST channel, with the metadata the API sends
    (api/conversations/turns.py bot_metadata), so the analysis is the test's own."""
    meta: dict[str, Any] = {
        "customer_id": "C-0002",
        SIGNATURE_KEY: sign_customer(stack.bot_secret, sender, "C-0002"),
        "intent": intent,
        "confidence": 0.9,
        "out_of_scope": False,
        "intent_ranking": [{"name": intent, "confidence": 0.9}],
        "entities": [],
    }
    if language is not None:
        meta["language"] = language
    r = httpx.post(
        f"{stack.rasa_url}/webhooks/rest/webhook",
        json={"sender": sender, "message": text, "metadata": meta},
        timeout=60,
    )
    assert r.status_code == 200, r.text
    return " ".join(str(m.get("text") or "") for m in r.json())


def test_a_customer_writing_chinese_gets_the_answers_and_the_rating_in_chinese(api, stack: Stack):
    sender = f"conv_zh_{time.time_ns()}"
    greeting = rasa_turn(stack, sender, "你好", "greet", "zh")
    assert greeting.startswith("您好，我是 Northwind Store 智能助手"), greeting
    assert tracker(stack, sender)["slots"]["language"] == "zh"
    real = order(api, "C-0002", "ORD-20417")
    status = rasa_turn(stack, sender, "我的订单到哪了？", "track_order", "zh")
    assert status.startswith("您的订单 ORD-20417") and "正在配送途中" in status, status
    assert real["tracking_url"] in status and real["carrier"] in status
    # an agent hands back (no text, no language of its own): still in Chinese
    r = httpx.post(
        f"{stack.rasa_url}/conversations/{sender}/trigger_intent",
        params={"token": stack.token},
        json={"name": "EXTERNAL_handed_back", "entities": {}},
        timeout=60,
    )
    assert r.status_code == 200, r.text
    asked = [m["text"] for m in r.json()["messages"] if m.get("text")]
    assert asked[-1] == "请问您的问题现在解决了吗？（是 / 否）", asked
    assert all(CJK.search(t) for t in asked), asked
    rating = rasa_turn(stack, sender, "解决了，谢谢", "affirm", "zh")
    assert "1分（很差）到5分（非常满意）" in rating, rating
    thanks = rasa_turn(stack, sender, "给4分", "review", "zh")
    assert thanks.startswith("感谢您的评分！"), thanks
    # the customer switches to English (or the analysis names no language): English again
    bye = rasa_turn(stack, sender, "bye", "goodbye", None)
    assert bye == "Goodbye, and thank you for shopping with Northwind Store.", bye


def test_a_turns_request_id_reaches_the_action_server_log(api, stack_log):
    """X-Request-ID: answered by the API, sent to Rasa in the message's metadata, and
    logged by the action server (actions/turn_log.py) in a JSON line with the action."""
    chat = Chat(api, "C-0002")
    rid = f"stack-test-{time.time_ns()}"
    r = api.post(
        f"/v1/conversations/{chat.id}/messages",
        json={"text": "where is my order?"},
        headers={**chat.headers, "X-Request-ID": rid},
    )
    assert r.status_code == 200, r.text
    assert r.headers["X-Request-ID"] == rid
    assert "ORD-20417" in bot_text(r.json())  # an action answered this turn
    # the stack copies each process's lines into the log on a thread: wait for it, bounded
    lines: list[dict[str, Any]] = []
    deadline = time.monotonic() + 30
    while not lines and time.monotonic() < deadline:
        lines = [
            json.loads(line.removeprefix("[actions] "))
            for line in stack_log.read_text(encoding="utf-8").splitlines()
            if line.startswith("[actions] {") and rid in line
        ]
        time.sleep(0.2)
    assert lines, "no action server line with the turn's request id"
    assert all(x["request_id"] == rid and x["conversation_id"] == chat.id for x in lines)
    assert any(x["logger"] == "actions.turns" and x["action"].startswith("action_") for x in lines)
