"""Demo story 8 in a real browser against the real stack: C-0004's app logs an activation
failure; when Marco opens the shop's chat, before he writes, the bot offers the
troubleshooting steps and a person, and "Talk to a person" puts him in the queue. His
marketing stays suppressed meanwhile (the offer is service, not marketing)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from browser_helpers import LiveServer, open_shop
from playwright.sync_api import expect
from stack_fixtures import ADMIN_KEY

pytestmark = pytest.mark.browser


def test_the_app_logs_a_failure_and_the_widget_offers_help_first(
    live_server: LiveServer, context, shots
) -> None:
    trigger = f"app-act-{uuid.uuid4().hex[:8]}"
    with live_server.api(ADMIN_KEY) as c:
        r = c.post(
            "/v1/events",
            json={
                "id": trigger,
                "customer_id": "C-0004",
                "channel": "app",
                "type": "activation_failed",
                "ts": datetime.now(UTC).isoformat(),
                "text": "Device activation failed for Nova X5: error ACT-301",
                "order_id": "ORD-20402",
                "attributes": {"error_code": "ACT-301"},
            },
        )
        assert r.status_code == 200, r.text
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
