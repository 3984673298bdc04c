"""`RasaRestBotClient` against Rasa's REST channel wire format (httpx.MockTransport) and
a real closed port: answers parsed, every failure is BotUnavailable, a customer's text is
never sent as a Rasa command, and the customer id goes signed for its conversation."""

from __future__ import annotations

import asyncio
import json
import re

import httpx
import pytest

from api.conversations.bot import (
    COMMAND_GUARD,
    SIGNATURE_KEY,
    RasaRestBotClient,
    as_customer_text,
    sign_customer,
)
from api.conversations.errors import BotUnavailable
from rasa_bot.stack import free_port


def _run(coro):
    return asyncio.run(coro)


def test_posts_sender_and_parses_messages():
    seen = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen["url"] = str(request.url)
        seen["body"] = json.loads(request.content)
        return httpx.Response(
            200,
            json=[
                {"recipient_id": "c1", "text": "Your order ships tomorrow."},
                {
                    "recipient_id": "c1",
                    "text": "Anything else?",
                    "buttons": [{"title": "No", "payload": "/deny"}],
                },
                {"recipient_id": "c1", "custom": {"handoff": True}},
            ],
        )

    bot = RasaRestBotClient("http://rasa:5005/", transport=httpx.MockTransport(handler))
    out = _run(bot.reply("c1", "where is my order", {"intent": "track_order"}))
    assert seen["url"] == "http://rasa:5005/webhooks/rest/webhook"
    assert seen["body"]["sender"] == "c1" and seen["body"]["message"] == "where is my order"
    assert [m.text for m in out] == ["Your order ships tomorrow.", "Anything else?", ""]
    assert out[1].buttons[0]["payload"] == "/deny" and out[2].custom == {"handoff": True}


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(500, text="boom"),
        httpx.Response(200, text="not json"),
        # Rasa 3.6's REST channel when the turn failed inside it (lock store down, ...)
        httpx.Response(200, json=[]),
        httpx.Response(200, json=[{"recipient_id": "c1", "image": "https://x/y.png"}]),
        httpx.Response(200, json={"not": "a list"}),
    ],
)
def test_bad_answers_are_bot_unavailable(response):
    bot = RasaRestBotClient("http://rasa", transport=httpx.MockTransport(lambda r: response))
    with pytest.raises(BotUnavailable, match="bot unavailable"):
        _run(bot.reply("c1", "hi", {}))


def test_unreachable_bot_is_bot_unavailable_and_not_pingable():
    bot = RasaRestBotClient(f"http://127.0.0.1:{free_port()}", timeout_s=1.0)
    with pytest.raises(BotUnavailable):
        _run(bot.reply("c1", "hi", {}))
    assert _run(bot.ping()) is False


def test_timeout_must_be_positive():
    with pytest.raises(ValueError):
        RasaRestBotClient("http://rasa", timeout_s=0)


def test_pause_and_resume_post_tracker_events():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.path, dict(request.url.params), json.loads(request.content)))
        return httpx.Response(200, json={})

    bot = RasaRestBotClient("http://rasa", token="t0k", transport=httpx.MockTransport(handler))
    _run(bot.pause("c1"))
    _run(bot.resume("c1"))
    assert seen[0] == ("/conversations/c1/tracker/events", {"token": "t0k"}, [{"event": "pause"}])
    # resume closes any half-done form and ends listening (a pause needs action_listen)
    assert [e["event"] for e in seen[1][2]] == ["resume", "active_loop", "slot", "action"]
    assert seen[1][2][1]["name"] is None and seen[1][2][-1]["name"] == "action_listen"


def test_trigger_posts_the_intent_with_the_token_and_returns_the_collected_messages():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.path, dict(request.url.params), json.loads(request.content)))
        return httpx.Response(
            200,
            json={
                "tracker": {},
                "messages": [
                    {"recipient_id": "c1", "text": "Is your issue solved now?"},
                    {"recipient_id": "c1", "custom": {"awaiting": "issue_solved"}},
                ],
            },
        )

    bot = RasaRestBotClient("http://rasa", token="t0k", transport=httpx.MockTransport(handler))
    out = _run(bot.trigger("c1", "EXTERNAL_handed_back"))
    assert seen == [
        (
            "/conversations/c1/trigger_intent",
            {"token": "t0k"},
            {"name": "EXTERNAL_handed_back", "entities": {}},
        )
    ]
    assert [m.text for m in out] == ["Is your issue solved now?", ""]
    assert out[1].custom == {"awaiting": "issue_solved"}
    bad = RasaRestBotClient(
        "http://rasa", transport=httpx.MockTransport(lambda r: httpx.Response(409))
    )
    with pytest.raises(BotUnavailable):
        _run(bad.trigger("c1", "EXTERNAL_handed_back"))


def test_tracker_failure_does_not_raise():
    bot = RasaRestBotClient(
        "http://rasa", transport=httpx.MockTransport(lambda r: httpx.Response(404))
    )
    _run(bot.pause("c1"))  # logged, not raised


def _sent(bot: RasaRestBotClient, seen: list, conversation_id: str, text: str, meta=None):
    _run(bot.reply(conversation_id, text, meta or {}))
    return seen[-1]


def _recording() -> tuple[list, httpx.MockTransport]:
    seen: list = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        return httpx.Response(200, json=[{"recipient_id": "c1", "text": "ok"}])

    return seen, httpx.MockTransport(handler)


@pytest.mark.parametrize(
    "text",
    [
        "/EXTERNAL_handed_back",
        " /greet",
        "/restart",
        '/track_order{"order_number": "ORD-20431"}@1.0',
        "\t\n/session_start",
        "\u00a0\u3000/restart",  # Unicode spaces: Rasa's str.strip() removes them too
        "\u200b/restart",  # zero-width space: Rasa keeps it, guarded all the same
    ],
)
def test_a_customer_text_is_never_sent_as_a_rasa_command(text):
    seen, transport = _recording()
    bot = RasaRestBotClient("http://rasa", transport=transport)
    sent = _sent(bot, seen, "c1", text)["message"]
    # what Rasa 3.6 does (UserMessage, then YAMLStoryReader.unpack_regex_message): strip,
    # then a leading "/" makes it a command
    assert not sent.strip().startswith("/")
    assert sent == COMMAND_GUARD + text  # otherwise intact
    assert not COMMAND_GUARD.isspace()


@pytest.mark.parametrize("text", ["where is ORD-20431?", "ORD-20431", "4", "yes", "a/b", "1/2"])
def test_ordinary_texts_go_unchanged(text):
    seen, transport = _recording()
    bot = RasaRestBotClient("http://rasa", transport=transport)
    assert _sent(bot, seen, "c1", text)["message"] == text
    assert as_customer_text(text) == text


def test_the_guard_keeps_order_numbers_findable():
    # the actions' pattern (rasa_bot/actions/common.py ORDER_RE)
    order_re = re.compile(r"\bORD-?(\d{3,})\b", re.IGNORECASE)
    assert order_re.search(COMMAND_GUARD + "ORD-20431").group(1) == "20431"
    assert order_re.search(as_customer_text("/ORD-20431")).group(1) == "20431"


def test_the_customer_id_goes_signed_for_its_conversation():
    seen, transport = _recording()
    bot = RasaRestBotClient("http://rasa", transport=transport, bot_secret="s3cret")
    meta = {"customer_id": "C-0003", "intent": "track_order", SIGNATURE_KEY: "v1=forged"}
    sent = _sent(bot, seen, "conv_1", "where is my order?", meta)["metadata"]
    assert sent[SIGNATURE_KEY] == sign_customer("s3cret", "conv_1", "C-0003")
    assert sent[SIGNATURE_KEY].startswith("v1=") and sent["intent"] == "track_order"
    assert meta[SIGNATURE_KEY] == "v1=forged"  # the caller's mapping is left alone
    other = _sent(bot, seen, "conv_2", "hi", {"customer_id": "C-0003"})["metadata"]
    assert other[SIGNATURE_KEY] != sent[SIGNATURE_KEY]  # bound to the conversation


def test_without_a_secret_or_a_customer_nothing_is_signed():
    seen, transport = _recording()
    unsigned = RasaRestBotClient("http://rasa", transport=transport)
    sent = _sent(unsigned, seen, "c1", "hi", {"customer_id": "C-0003", SIGNATURE_KEY: "x"})
    assert SIGNATURE_KEY not in sent["metadata"]  # nor passed through from the caller
    signed = RasaRestBotClient("http://rasa", transport=transport, bot_secret="s3cret")
    assert SIGNATURE_KEY not in _sent(signed, seen, "c1", "hi", {"customer_id": None})["metadata"]
