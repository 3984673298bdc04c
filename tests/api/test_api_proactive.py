"""Proactive help (data/proactive.yml, api/proactive.py; demo story 8): a journey event
the customer's app logs makes the bot speak first in the customer's next chat, once per
trigger, not after the customer has been in touch, marketing only where marketing may
reach them; every offer on the timeline; the rules file checked at start."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from api_helpers import ADMIN_KEY, ASSIST_KEY, bearer
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.proactive import OFFER_EVENT, ProactiveConfig
from api.proactive_watch import OFFER_WEBHOOK, ProactiveWatcher
from api.storage.tables import OutboxEventRow
from retrieval.errors import ConfigError
from retrieval.responses import load_bank

ADMIN = bearer(ADMIN_KEY)


def _event(client, i, type_, customer="C-1", ago=timedelta(hours=1), **kw):
    body = {
        "id": i, "customer_id": customer, "channel": "app", "type": type_,
        "ts": (datetime.now(UTC) - ago).isoformat(),
    } | kw  # fmt: skip
    r = client.post("/v1/events", json=body, headers=ADMIN)
    assert r.status_code == 200, r.text


def _open_chat(client, customer="C-1", language="en"):
    """The widget opens for a known customer: the conversation and what the bot said."""
    r = client.post(
        "/v1/conversations",
        json={"customer_id": customer, "language": language},
        headers=bearer(ASSIST_KEY),
    )
    assert r.status_code == 201, r.text
    me = bearer(r.json()["token"])
    seen = client.get(f"/v1/conversations/{r.json()['conversation']['id']}", headers=me)
    assert seen.status_code == 200, seen.text
    return r.json()["conversation"]["id"], seen.json()["turns"]


def _activation_failed(client, i="app-act-1", **kw):
    _event(
        client, i, "activation_failed", order_id="ORD-100234",
        text="Device activation failed: error ACT-301", attributes={"error_code": "ACT-301"}, **kw,
    )  # fmt: skip


def test_an_activation_failure_makes_the_bot_offer_help_before_the_customer_writes(client):
    _activation_failed(client)
    cid, turns = _open_chat(client)
    assert [t["role"] for t in turns] == ["bot"]
    said = turns[0]["text"]
    assert "Phone X" in said and "ACT-301" in said  # the order's product, the error
    assert "re-insert the SIM" in said  # the troubleshooting article
    assert "Talk to a person" in said
    assert set(turns[0]) == {"id", "role", "text", "ts", "buttons"}  # no rule names for them
    # the agent's view has the audit: the rule and the trigger
    agent_view = client.get(f"/v1/conversations/{cid}", headers=ADMIN).json()["turns"][0]
    assert agent_view["attributes"]["proactive"] == "activation_help"
    assert agent_view["attributes"]["trigger"] == "app-act-1"
    assert agent_view["attributes"]["article"] == "activation-troubleshooting"
    timeline = client.get("/v1/customers/C-1/timeline", headers=ADMIN).json()
    offers = [e for e in timeline["events"] if e["type"] == OFFER_EVENT]
    assert len(offers) == 1 and offers[0]["attributes"]["conversation_id"] == cid
    # once per trigger: the next chat is not offered the same again
    _, again = _open_chat(client)
    assert not any("ACT-301" in t["text"] for t in again)


def test_no_offer_once_the_customer_has_been_in_touch(client):
    _activation_failed(client, ago=timedelta(hours=3))
    _event(client, "call-1", "call", ago=timedelta(hours=1), text="called about activation")
    _, turns = _open_chat(client)
    assert not any("ACT-301" in t["text"] for t in turns)


def test_an_old_failure_is_not_brought_up(client):
    _activation_failed(client, ago=timedelta(days=3))  # the rule looks 48 hours back
    _, turns = _open_chat(client)
    assert not any("ACT-301" in t["text"] for t in turns)


def test_the_offer_speaks_the_conversation_language(client):
    _activation_failed(client)
    _, turns = _open_chat(client, language="zh")
    assert "激活未成功" in turns[0]["text"] and "ACT-301" in turns[0]["text"]
    assert "Phone X" in turns[0]["text"]


def test_marketing_offers_respect_consent(client):
    for k in range(3):
        _event(client, f"view-{k}", "product_view", customer="C-2", ago=timedelta(hours=k + 1))
    history = client.app.state.services.history
    history.upsert_customers([{"id": "C-2", "name": "Noah Brown", "marketing_opt_out": True}])
    _, turns = _open_chat(client, "C-2")
    assert turns == []  # opted out: nothing
    history.upsert_customers([{"id": "C-2", "name": "Noah Brown", "marketing_opt_out": False}])
    _, turns = _open_chat(client, "C-2")
    assert len(turns) == 1 and "help you choose" in turns[0]["text"]


def test_three_views_are_needed_and_a_purchase_cancels(client):
    for k in range(2):
        _event(client, f"view-{k}", "product_view", customer="C-2", ago=timedelta(hours=k + 1))
    assert _open_chat(client, "C-2")[1] == []  # two views: not yet
    _event(client, "view-2", "product_view", customer="C-2", ago=timedelta(hours=3))
    _event(client, "bought", "order_placed", customer="C-2", ago=timedelta(minutes=30))
    assert _open_chat(client, "C-2")[1] == []  # bought since: nothing to help with


def test_a_payment_that_fails_at_checkout_is_an_ordered_pattern(client):
    """`after: [checkout_started]`: the failure is offered help only when the checkout
    came first (an ordered pattern); a failure with no checkout before it (a renewal), or
    a checkout only after it, is not."""
    _event(client, "renewal-failed", "payment_failed", customer="C-2", ago=timedelta(minutes=50))
    _event(client, "late-checkout", "checkout_started", customer="C-2", ago=timedelta(minutes=40))
    assert _open_chat(client, "C-2")[1] == []  # the checkout came after the failure
    _event(client, "checkout", "checkout_started", customer="C-1", ago=timedelta(minutes=30))
    _event(client, "viewed", "product_view", customer="C-1", ago=timedelta(minutes=20))
    _event(client, "declined", "payment_failed", customer="C-1", ago=timedelta(minutes=10))
    _, turns = _open_chat(client)
    assert len(turns) == 1 and "did not go through at checkout" in turns[0]["text"]
    assert "PayPal" in turns[0]["text"]  # the payment-methods article
    offers = client.get("/v1/customers/C-1/timeline", headers=ADMIN).json()["events"]
    made = [e for e in offers if e["type"] == OFFER_EVENT]
    assert [(e["attributes"]["rule"], e["attributes"]["trigger"]) for e in made] == [
        ("checkout_payment_help", "declined")
    ]


def test_the_steps_of_a_pattern_count_only_inside_the_window(client):
    _event(client, "old-checkout", "checkout_started", customer="C-2", ago=timedelta(hours=5))
    _event(client, "declined", "payment_failed", customer="C-2", ago=timedelta(minutes=5))
    assert _open_chat(client, "C-2")[1] == []  # the rule looks 2 hours back
    _event(client, "checkout", "checkout_started", customer="C-2", ago=timedelta(minutes=30))
    _event(client, "bought", "order_placed", customer="C-2", ago=timedelta(minutes=1))
    assert _open_chat(client, "C-2")[1] == []  # paid another way since: nothing to help with


@pytest.mark.parametrize(
    ("seen", "fires"),
    [
        (["a", "b", "t"], True),
        (["a", "x", "b", "x", "t"], True),  # others may come between
        (["b", "a", "t"], False),  # wrong order
        (["a", "t", "b"], False),  # a step after the trigger does not count
        (["a", "b", "a", "t"], True),
        (["old-a", "b", "t"], False),  # before the window
        (["t"], False),
    ],
)
def test_an_ordered_pattern_is_matched_in_time_order(seen: list[str], fires: bool):
    from api.proactive import _in_order
    from retrieval.schemas import Event

    now = datetime.now(UTC)
    start = now - timedelta(hours=2)
    events = []
    for i, kind in enumerate(seen):  # ten minutes apart, oldest first; old-: 3 hours earlier
        ts = now - timedelta(minutes=10 * (len(seen) - i))
        ts -= timedelta(hours=3) if kind.startswith("old-") else timedelta(0)
        events.insert(
            0, Event(f"e{i}", "C-1", "app", kind.removeprefix("old-"), ts, "", None, None, None)
        )
    trigger = next(e for e in events if e.type == "t")
    assert _in_order(events, ["a", "b"], start, trigger) is fires


# ---------------------------------------------------------------------- as it happens


def _watcher(client):
    services = client.app.state.services
    return ProactiveWatcher(
        services.engine,
        services.opening.proactive,
        services.conversations,
        services.opening.transcript,
    )


def _step(client, watcher):
    return client.portal.call(watcher.step)


def _webhooks(client):
    with Session(client.app.state.services.engine) as s:
        return [r.payload for r in s.scalars(select(OutboxEventRow)) if r.type == OFFER_WEBHOOK]


def test_a_customer_on_the_site_gets_the_offer_in_the_open_chat_at_once(client):
    watcher = _watcher(client)
    assert _step(client, watcher).events == 0  # a first start: from now on
    cid, turns = _open_chat(client)  # on the site, nothing to offer yet
    assert turns == []
    _activation_failed(client)
    result = _step(client, watcher)
    assert (result.events, result.said, result.announced) == (1, 1, 0)
    seen = client.get(f"/v1/conversations/{cid}", headers=ADMIN).json()["turns"]
    assert [t["role"] for t in seen] == ["bot"] and "ACT-301" in seen[0]["text"]
    assert seen[0]["attributes"]["proactive"] == "activation_help"
    again = _step(client, _watcher(client))  # another worker, the same events: nothing twice
    assert (again.said, again.announced) == (0, 0)
    _, later = _open_chat(client)  # offered once: the next chat does not repeat it
    assert not any("ACT-301" in t["text"] for t in later)
    assert _webhooks(client) == []


def test_a_customer_away_is_announced_by_webhook_and_offered_in_their_next_chat(client):
    watcher = _watcher(client)
    _step(client, watcher)
    _activation_failed(client)
    result = _step(client, watcher)
    assert (result.said, result.announced) == (0, 1)
    [hook] = _webhooks(client)
    assert hook["type"] == OFFER_WEBHOOK and hook["customer_id"] == "C-1"
    assert hook["rule"] == "activation_help" and hook["trigger_event_id"] == "app-act-1"
    assert "ACT-301" in hook["text"] and hook["language"] == "en"
    assert _step(client, _watcher(client)).announced == 0  # once, also for another worker
    assert len(_webhooks(client)) == 1
    _, turns = _open_chat(client)  # the offer waits for their next chat
    assert "ACT-301" in turns[0]["text"]


def test_events_from_before_the_first_start_are_not_offered(client):
    _activation_failed(client)
    assert _step(client, _watcher(client)).events == 0
    assert _webhooks(client) == []


# ---------------------------------------------------------------------- the rules file


def test_the_shipped_rules_load_against_the_knowledge_base():
    articles = [a for a in load_bank(templates=None) if a.kind == "article"]
    config = ProactiveConfig.load(articles=articles)
    assert {r.name for r in config.rules} >= {"activation_help", "late_delivery_apology"}


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("{name: a, event: x, kind: service, text: {en: 'hi {nope}'}}", "nope"),
        ("{name: a, event: x, kind: spam, text: {en: hi}}", "kind"),
        ("{name: a, event: x, kind: service, article: no-such, text: {en: hi}}", "no-such"),
        ("{name: a, event: x, kind: service, text: {en: hi}, colour: red}", "colour"),
        ("{name: a, event: x, kind: service, text: {en: hi}, after: checkout}", "after"),
    ],
)
def test_a_bad_rule_is_an_error_naming_the_file(tmp_path: Path, rule: str, message: str):
    path = tmp_path / "proactive.yml"
    path.write_text(f"rules:\n  - {rule}\n", encoding="utf-8")
    articles = [a for a in load_bank(templates=None) if a.kind == "article"]
    with pytest.raises(ConfigError) as err:
        ProactiveConfig.load(path, articles)
    assert str(path) in str(err.value) and message in str(err.value)


def test_the_site_can_show_the_pending_offer_before_the_chat_opens(client):
    url = "/v1/customers/C-1/proactive-offer"
    site = bearer(ASSIST_KEY)
    assert client.get(url, headers=site).status_code == 204  # nothing has happened yet
    _activation_failed(client)

    for _ in range(3):  # every page view may ask: reading spends nothing
        r = client.get(url, headers=site)
        assert r.status_code == 200, r.text
        assert set(r.json()) == {"text", "language"}  # the words only, no rule or trigger
        assert "ACT-301" in r.json()["text"] and r.json()["language"] == "en"
    timeline = client.get("/v1/customers/C-1/timeline", headers=ADMIN).json()
    assert not [e for e in timeline["events"] if e["type"] == OFFER_EVENT]

    _, turns = _open_chat(client)  # the chat opens with those very words, and spends them
    assert turns[0]["text"] == r.json()["text"]
    assert client.get(url, headers=site).status_code == 204


def test_the_pending_offer_is_for_the_sites_backend_only(client):
    _activation_failed(client)
    url = "/v1/customers/C-1/proactive-offer"
    assert client.get(url).status_code == 401
    customer = client.post(
        "/v1/conversations", json={"customer_id": "C-2"}, headers=bearer(ASSIST_KEY)
    ).json()["token"]
    assert client.get(url, headers=bearer(customer)).status_code == 403  # another's token
    assert client.get("/v1/customers/C-404/proactive-offer", headers=ADMIN).status_code == 404
    bad = client.get(url, params={"language": "fr"}, headers=bearer(ASSIST_KEY))
    assert bad.status_code == 422
