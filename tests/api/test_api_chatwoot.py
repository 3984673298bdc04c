"""The Chatwoot agent-bot adapter (api/integrations/chatwoot.py) against a fake Chatwoot
server (an httpx.MockTransport behind the real client) that records every request:
method, path, `api_access_token` header and JSON body, checked exactly.

Payloads are Chatwoot's documented `message_created` example
(tests/api/data/chatwoot_message_created.json, from
https://www.chatwoot.com/docs/product/others/webhook-events), signed the documented way
(https://developers.chatwoot.com/api-reference/webhook-verification). The example's
conversation is `open`; an agent bot's conversations start `pending`
(https://www.chatwoot.com/docs/product/others/agent-bots), which the bot tests set."""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import logging
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from api_helpers import ADMIN_KEY, ASSIST_KEY
from fastapi.testclient import TestClient

from api.config import Settings
from api.conversations.state import State
from api.conversations.store import ConversationStore
from api.conversations.wording import say
from api.integrations.chatwoot import PERSON_IN_CHATWOOT, ChatwootLinks, HttpChatwootApi
from api.routes.chatwoot import chatwoot_api
from api.storage.schema import upgrade
from retrieval.db import make_engine

EXAMPLE = json.loads((Path(__file__).parent / "data" / "chatwoot_message_created.json").read_text())
URL = "/v1/integrations/chatwoot/webhook"
CHATWOOT = "https://chatwoot.test"
TOKEN = "cw-bot-access-token"
SECRET = "cw-bot-webhook-secret"
MESSAGES = "/api/v1/accounts/1/conversations/10/messages"
TOGGLE = "/api/v1/accounts/1/conversations/10/toggle_status"
CARD = "4111 1111 1111 1111"


class FakeChatwoot:
    """Chatwoot's application API, as far as the adapter uses it."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, str | None, dict[str, Any]]] = []
        self.down = False
        self.attempts = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.attempts += 1
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        body = json.loads(request.content)
        self.requests.append(
            (request.method, request.url.path, request.headers.get("api_access_token"), body)
        )
        if request.url.path.endswith("/toggle_status"):
            payload = {"success": True, "current_status": body["status"], "conversation_id": 10}
            return httpx.Response(200, json={"meta": {}, "payload": payload})
        return httpx.Response(200, json={"id": len(self.requests), **body})

    def outgoing(self, content: str) -> tuple[str, str, str, dict[str, Any]]:
        body = {"content": content, "message_type": "outgoing", "private": False}
        return ("POST", MESSAGES, TOKEN, body | {"content_type": "text"})

    def bodies(self) -> str:
        return json.dumps([r[3] for r in self.requests])


def chatwoot_settings(**extra: Any) -> Settings:
    values: dict[str, Any] = {
        "demo_api_key": ASSIST_KEY,
        "demo_admin_key": ADMIN_KEY,
        "rasa_url": None,
        "chatwoot_url": CHATWOOT,
        "chatwoot_bot_token": TOKEN,
        "chatwoot_webhook_secret": SECRET,
        "chatwoot_account_id": 1,
        "chatwoot_inbox_ids": [1],
    }
    return Settings(**(values | extra))


@pytest.fixture
def chatwoot() -> FakeChatwoot:
    return FakeChatwoot()


@pytest.fixture
def cw(make_client, chatwoot) -> TestClient:
    return connect(make_client(settings=chatwoot_settings()), chatwoot)


def connect(client: TestClient, fake: FakeChatwoot) -> TestClient:
    api = HttpChatwootApi(CHATWOOT, TOKEN, transport=httpx.MockTransport(fake), backoff_s=0)
    client.app.dependency_overrides[chatwoot_api] = lambda: api  # type: ignore[attr-defined]
    return client


def event(content: str = "hi", message_id: int = 118, **changes: Any) -> dict[str, Any]:
    """The documented example for a bot-owned (pending) conversation, with `changes`."""
    e = copy.deepcopy(EXAMPLE)
    e.update({"id": message_id, "content": content})
    e["conversation"]["status"] = "pending"
    return e | changes


def post(client: TestClient, payload: Any, secret: str = SECRET, ts: int | None = None):
    body = json.dumps(payload).encode()
    stamp = str(int(time.time()) if ts is None else ts)
    digest = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": "application/json",
        "X-Chatwoot-Timestamp": stamp,
        "X-Chatwoot-Signature": f"sha256={digest}",
        "X-Chatwoot-Delivery": str(uuid.uuid4()),
    }
    return client.post(URL, content=body, headers=headers)


def turns(client: TestClient, conversation_id: str) -> list[Any]:
    return client.app.state.services.conversations.turns(conversation_id)  # type: ignore[attr-defined]


def conversation(client: TestClient, conversation_id: str) -> Any:
    return client.app.state.services.conversations.get(conversation_id)  # type: ignore[attr-defined]


def test_an_incoming_message_is_answered_by_the_bot(cw, chatwoot, fake_bot):
    r = post(cw, event("where is my order?"))
    assert r.status_code == 200, r.text
    ack = r.json()
    assert ack["status"] == "processed" and ack["state"] == "bot" and not ack["replayed"]
    assert chatwoot.requests == [chatwoot.outgoing("bot: where is my order?")]
    assert [t[1] for t in fake_bot.calls] == ["where is my order?"]
    conv = conversation(cw, ack["conversation_id"])
    assert conv.channel == "chat" and conv.customer_id is None  # an unverified contact
    assert [(t.role, t.text) for t in turns(cw, conv.id)] == [
        ("customer", "where is my order?"),
        ("bot", "bot: where is my order?"),
    ]
    # the next message of the same Chatwoot conversation goes to the same product one
    r2 = post(cw, event("and my refund?", message_id=119))
    assert r2.json()["conversation_id"] == conv.id
    assert chatwoot.requests[1:] == [chatwoot.outgoing("bot: and my refund?")]


def test_the_numeric_message_type_of_some_versions_is_read(cw, chatwoot):
    assert post(cw, event("where is my order?", message_type=0)).json()["status"] == "processed"
    assert post(cw, event("ignored", message_id=119, message_type=1)).json()["status"] == "ignored"
    assert chatwoot.requests == [chatwoot.outgoing("bot: where is my order?")]


def test_asking_for_a_person_opens_the_conversation_with_one_private_note(cw, chatwoot):
    e = event("I want a human please")
    e["conversation"]["contact_inbox"]["hmac_verified"] = True  # Chatwoot verified the contact
    e["conversation"]["meta"]["sender"]["identifier"] = "C-1"
    r = post(cw, e)
    assert r.status_code == 200, r.text
    ack = r.json()
    assert ack["state"] == "queued"
    conv = conversation(cw, ack["conversation_id"])
    assert conv.customer_id == "C-1" and conv.state is State.QUEUED
    packet = conv.packet
    assert packet["reason"] and packet["suggested_first_reply"]

    assert len(chatwoot.requests) == 3
    assert chatwoot.requests[0] == chatwoot.outgoing(say("handoff", "en"))
    method, path, token, note = chatwoot.requests[1]
    assert (method, path, token) == ("POST", MESSAGES, TOKEN)
    assert set(note) == {"content", "message_type", "private", "content_type"}
    assert note["private"] is True and note["message_type"] == "outgoing"
    text = note["content"]
    assert packet["reason"] in text and packet["suggested_first_reply"] in text
    assert "Emma Stone" in text and "Journey stage" in text and "Marketing" in text
    assert chatwoot.requests[2] == ("POST", TOGGLE, TOKEN, {"status": "open"})

    # open in Chatwoot now: later messages are recorded, nothing reaches the customer
    later = event("hello? anyone there?", message_id=119)
    later["conversation"]["status"] = "open"
    r2 = post(cw, later)
    assert r2.json()["state"] == "queued" and len(chatwoot.requests) == 3
    assert turns(cw, conv.id)[-1].text == "hello? anyone there?"


def test_a_redelivered_event_is_stored_once_and_answered_once(cw, chatwoot, fake_bot):
    first = post(cw, event("where is my order?"))
    again = post(cw, event("where is my order?"))
    assert first.json()["conversation_id"] == again.json()["conversation_id"]
    assert again.json()["replayed"] is True
    assert chatwoot.requests == [chatwoot.outgoing("bot: where is my order?")]
    assert len(fake_bot.calls) == 1
    stored = turns(cw, first.json()["conversation_id"])
    assert [t.role for t in stored] == ["customer", "bot"]


@pytest.mark.parametrize(
    "changes",
    [
        {"message_type": "outgoing", "sender": {"id": 1, "name": "John", "type": "user"}},
        {"message_type": "outgoing", "sender": {"id": 2, "name": "Bot", "type": "agent_bot"}},
        {"message_type": "outgoing", "private": True, "sender": {"id": 1, "type": "user"}},
        {"private": True},
        {"sender": {"id": 1, "name": "John", "type": "user"}},
        {"message_type": "activity"},
        {"message_type": 2},
        {"message_type": "template"},
        {"content": None},
        {"content": "   "},
        {"event": "message_updated"},
        {"event": "conversation_opened"},
    ],
)
def test_what_is_not_the_contacts_message_is_ignored(cw, chatwoot, fake_bot, changes):
    r = post(cw, event("where is my order?") | changes)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "ignored" and r.json()["reason"]
    assert chatwoot.requests == [] and fake_bot.calls == []
    assert cw.app.state.services.conversations.list_by_state() == []  # type: ignore[attr-defined]


def test_our_own_reply_coming_back_is_not_answered(cw, chatwoot):
    post(cw, event("where is my order?"))
    ours = event("bot: where is my order?", message_id=119, message_type="outgoing")
    ours["sender"] = {"id": 3, "name": "Agent assist", "avatar": "", "type": "agent_bot"}
    assert post(cw, ours).json()["status"] == "ignored"
    assert len(chatwoot.requests) == 1


def test_a_wrong_secret_or_a_foreign_account_is_refused(cw, chatwoot, fake_bot):
    assert post(cw, event(), secret="not-the-secret").status_code == 401
    assert post(cw, event(), ts=int(time.time()) - 600).status_code == 401  # a replay
    unsigned = cw.post(
        URL, content=json.dumps(event()), headers={"Content-Type": "application/json"}
    )
    assert unsigned.status_code == 401
    assert unsigned.json()["error"]["code"] == "not_authenticated"
    other_account = event(account={"id": 2, "name": "Other"})
    assert post(cw, other_account).status_code == 403
    other_inbox = event(inbox={"id": 7, "name": "Other"})
    assert post(cw, other_inbox).status_code == 403
    assert chatwoot.requests == [] and fake_bot.calls == []
    assert cw.app.state.services.conversations.list_by_state() == []  # type: ignore[attr-defined]


def test_not_configured_answers_404(client, make_client):
    r = post(client, event())
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    half = make_client(settings=chatwoot_settings(chatwoot_webhook_secret=None))
    assert post(half, event()).status_code == 404


def test_a_bad_payload_gets_a_clear_4xx(cw, chatwoot):
    r = post(cw, {"event": "message_created", "id": 5, "message_type": "incoming"})
    assert r.status_code == 422
    assert "conversation" in r.json()["error"]["message"]
    assert "account" in r.json()["error"]["message"]
    assert post(cw, ["not", "an", "object"]).status_code == 422
    bad = b"{not json"
    stamp = str(int(time.time()))
    sig = hmac.new(SECRET.encode(), stamp.encode() + b"." + bad, hashlib.sha256).hexdigest()
    r = cw.post(
        URL,
        content=bad,
        headers={"X-Chatwoot-Timestamp": stamp, "X-Chatwoot-Signature": f"sha256={sig}"},
    )
    assert r.status_code == 400
    assert chatwoot.requests == []


def test_a_card_number_typed_in_chatwoot_is_never_posted_back(cw, chatwoot, caplog):
    caplog.set_level(logging.INFO)
    post(cw, event(f"refund to my card {CARD} please"))
    post(cw, event(f"a human please, the card is {CARD.replace(' ', '')}", message_id=119))
    assert len(chatwoot.requests) == 4  # bot reply, hand-off notice, note, toggle
    sent = chatwoot.bodies()
    assert "****1111" in sent  # what the customer said, redacted
    for raw in (CARD, CARD.replace(" ", ""), "4111"):
        assert raw not in sent
    assert "refund to my card" not in caplog.text and "4111" not in caplog.text  # no text logged


def test_a_conversation_a_person_owns_in_chatwoot_gets_no_bot_answer(cw, chatwoot, fake_bot):
    """The documented example as it is: the conversation is `open` (a person's)."""
    r = post(cw, copy.deepcopy(EXAMPLE))
    assert r.status_code == 200, r.text
    conv = conversation(cw, r.json()["conversation_id"])
    assert conv.state is State.QUEUED and conv.handoff_reason == PERSON_IN_CHATWOOT
    assert fake_bot.calls == []
    assert len(chatwoot.requests) == 1  # the note only: no reply, no toggle
    method, path, token, note = chatwoot.requests[0]
    assert (method, path, token, note["private"]) == ("POST", MESSAGES, TOKEN, True)
    assert PERSON_IN_CHATWOOT in note["content"]


def test_chatwoot_unreachable_the_turn_is_stored_anyway(cw, chatwoot, fake_bot):
    chatwoot.down = True
    r = post(cw, event("where is my order?"))
    assert r.status_code == 200 and r.json()["status"] == "processed"
    assert [t.role for t in turns(cw, r.json()["conversation_id"])] == ["customer", "bot"]
    assert chatwoot.attempts == 3  # bounded retries, then logged
    chatwoot.down = False
    post(cw, event("and my refund?", message_id=119))
    assert chatwoot.requests == [chatwoot.outgoing("bot: and my refund?")]


def test_a_hand_off_is_retried_in_chatwoot_until_it_is_open(cw, chatwoot):
    chatwoot.down = True
    post(cw, event("a human please"))
    chatwoot.down = False
    # Chatwoot never got the toggle: the conversation is still pending there
    post(cw, event("hello?", message_id=119))
    assert chatwoot.requests == [("POST", TOGGLE, TOKEN, {"status": "open"})]


@pytest.mark.parametrize(
    ("verified", "trust", "who", "expected"),
    [
        (True, False, {"identifier": "C-1"}, "C-1"),
        (True, False, {"email": "EMMA@example.com"}, "C-1"),
        (True, False, {"identifier": "C-404"}, None),
        (False, False, {"identifier": "C-1"}, None),  # anyone can claim an identifier
        (False, True, {"identifier": "C-1"}, "C-1"),
    ],
)
def test_the_contact_is_matched_to_a_product_customer(
    make_client, chatwoot, verified, trust, who, expected
):
    client = connect(
        make_client(settings=chatwoot_settings(chatwoot_trust_contacts=trust)), chatwoot
    )
    e = event("where is my order?")
    e["conversation"]["contact_inbox"]["hmac_verified"] = verified
    e["conversation"]["meta"]["sender"].update(who)
    r = post(client, e)
    assert conversation(client, r.json()["conversation_id"]).customer_id == expected


def test_events_are_throttled_per_chatwoot_account(make_client, chatwoot):
    client = connect(make_client(settings=chatwoot_settings(rate_limit_per_minute=2)), chatwoot)
    codes = [post(client, event("hi there", message_id=200 + i)).status_code for i in range(3)]
    assert codes == [200, 200, 429]


def test_the_conversation_links_on_sqlite_and_postgresql(store_url):
    """One link per Chatwoot conversation (a concurrent first message gets the same one),
    and the hand-off flag flips once."""
    engine = make_engine(store_url)
    upgrade(engine)
    conversations = ConversationStore(engine)
    links = ChatwootLinks(engine)
    first, _ = conversations.create(None, "chat")
    second, _ = conversations.create(None, "chat")
    link = links.add(1, 10, first.id, 14)
    assert links.add(1, 10, second.id, 14) == link  # the unique index decides
    assert links.get(1, 10) == link and links.get(2, 10) is None
    assert links.set_handed_off(link.id, True) and not links.set_handed_off(link.id, True)
    assert links.get(1, 10).handed_off  # type: ignore[union-attr]
    moved = links.relink(link, second.id)
    assert links.get(1, 10) == moved and not moved.handed_off
    engine.dispose()


def test_the_note_names_the_customers_language_and_the_stage_for_people():
    from api.contract import HandoffPacket, JourneyStage
    from api.integrations.chatwoot import handoff_note

    stage = JourneyStage(
        stage="ask", confidence=0.6, scores={"ask": 0.6}, model="5a", label="Ask · 问询"
    )
    packet = HandoffPacket(reason="customer asked for a person", journey_stage=stage)
    note = handoff_note(packet, None, None, "zh")
    assert "- **Customer's language:** Chinese (中文): reply in Chinese" in note
    assert "- **Journey stage:** Ask · 问询 (60%)" in note
    english = handoff_note(packet.model_copy(update={"journey_stage": None}), None, None, "en")
    assert "reply in English" in english and "Journey stage" not in english
