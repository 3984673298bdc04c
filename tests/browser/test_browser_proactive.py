"""Demo story 8 in a real browser against the real stack: C-0004's app logs an activation
failure; when Marco opens the shop's chat, before he writes, the bot offers the
troubleshooting steps and a person, and "Talk to a person" puts him in the queue. His
marketing stays suppressed meanwhile (the offer is service, not marketing)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from browser_helpers import LiveServer, open_shop
from playwright.sync_api import expect
from stack_fixtures import ADMIN_KEY, ASSIST_KEY

pytestmark = pytest.mark.browser


def _log_event(live_server: LiveServer, **event: object) -> None:
    """A journey event as the customer's app or the shop logs it (POST /v1/events), now."""
    with live_server.api(ADMIN_KEY) as c:
        r = c.post("/v1/events", json={"ts": datetime.now(UTC).isoformat()} | event)
        assert r.status_code == 200, r.text


def test_the_app_logs_a_failure_and_the_widget_offers_help_first(
    live_server: LiveServer, context, shots
) -> None:
    trigger = f"app-act-{uuid.uuid4().hex[:8]}"
    _log_event(
        live_server,
        id=trigger,
        customer_id="C-0004",
        channel="app",
        type="activation_failed",
        text="Device activation failed for Nova X5: error ACT-301",
        order_id="ORD-20402",
        attributes={"error_code": "ACT-301"},
    )
    page = context.new_page()
    open_shop(page, live_server.url, "C-0004")
    first = page.locator(".aaw-bot").first
    expect(first).to_contain_text("activating your Nova X5")
    expect(first).to_contain_text("ACT-301")
    expect(first).to_contain_text("re-insert the SIM")
    expect(page.locator(".aaw-customer")).to_have_count(0)  # before he wrote a word
    page.screenshot(path=str(shots / "proactive-offer.png"))
    page.get_by_role("button", name="Talk to a person").click()
    expect(page.locator(".aaw-status-text")).to_contain_text("in the queue")
    with live_server.api(ADMIN_KEY) as c:
        timeline = c.get("/v1/customers/C-0004/timeline").json()
        context_now = c.post("/v1/suppression:check", json={"customer_ids": ["C-0004"]})
    offers = [
        e for e in timeline["events"]
        if e["type"] == "proactive_offer" and e["attributes"]["trigger"] == trigger
    ]  # fmt: skip
    assert len(offers) == 1
    assert context_now.status_code == 200, context_now.text
    assert context_now.json()["items"][0]["marketing_allowed"] is False


def test_the_shop_shows_a_waiting_offer_by_the_launcher_before_the_chat_is_opened(
    live_server: LiveServer, context, shots
) -> None:
    """Tom's parcel is late: on the shop's next page, before he opens the chat, the
    widget shows the apology with the new date by the launcher (the shop's backend asked
    the API: data-offer-url); opening the chat, the bot says it first."""
    trigger = f"late-{uuid.uuid4().hex[:8]}"
    eta = datetime.now(UTC) + timedelta(days=2)
    # Tom has no chat open (other tests chatted as him): else the proactive watcher says
    # the offer in that chat, spending it before this page asks
    with live_server.api(ASSIST_KEY) as c:
        for conv in c.get("/v1/conversations", params={"state": "bot", "limit": 1000}).json():
            if conv["customer_id"] == "C-0002":
                closed = c.post(f"/v1/conversations/{conv['id']}/close", json={})
                assert closed.status_code == 200, closed.text
    _log_event(
        live_server,
        id=trigger,
        customer_id="C-0002",
        channel="email",
        type="delivery_late",
        text="Your parcel is delayed",
        order_id="ORD-20417",
        attributes={"eta": eta.isoformat()},
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/shop?customer=C-0002")
    teaser = page.locator(".aaw-teaser")
    expect(teaser).to_be_visible()
    expect(teaser).to_contain_text("ORD-20417")
    expect(teaser).to_contain_text("running late")
    expect(page.locator(".aaw-panel")).to_be_hidden()  # nothing opened by itself
    page.screenshot(path=str(shots / "proactive-teaser.png"))
    page.get_by_role("button", name="Open the chat").click()
    first = page.locator(".aaw-bot").first
    expect(first).to_contain_text("ORD-20417")
    expect(first).to_contain_text("running late")
    expect(teaser).to_be_hidden()


def test_an_offer_said_while_the_chat_is_minimised_shows_by_the_launcher(
    live_server: LiveServer, context
) -> None:
    """Aisha has the chat open but minimised when her app logs an activation failure: the
    bot says the offer in her chat (the proactive watcher), and the widget shows it by the
    launcher until she opens the chat."""
    page = context.new_page()
    open_shop(page, live_server.url, "C-0003")
    page.get_by_role("button", name="Minimise the chat").click()
    expect(page.locator(".aaw-panel")).to_be_hidden()
    code = f"ACT-{uuid.uuid4().hex[:4].upper()}"
    _log_event(
        live_server,
        id=f"app-{code}",
        customer_id="C-0003",
        channel="app",
        type="activation_failed",
        text=f"Device activation failed: error {code}",
        attributes={"error_code": code, "product": "Pulse 2 smartwatch"},
    )
    teaser = page.locator(".aaw-teaser")
    expect(teaser).to_contain_text(code)
    page.get_by_role("button", name="Open the chat").click()
    expect(page.locator(".aaw-bot", has_text=code)).to_be_visible()
    expect(teaser).to_be_hidden()
