"""Live memory in a real browser against the real stack (demo story 5 in docs/demo.md):
C-0004 chats about the phone that will not activate; the agent claims it, answers and
closes with the proposed wrap-up, edited; the chat is on C-0004's timeline with its
wrap-up; a new chat from C-0004 opens with it, and the agent who takes the new one sees
the earlier conversation in related history."""

from __future__ import annotations

import re

import pytest
from browser_helpers import LiveServer, open_shop, say, sign_in, widget_state
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

ANGRY = "my new phone STILL won't activate, I already called you yesterday!!"


def _claim(agent: Page, conversation_id: str) -> None:
    item = agent.locator(f'.q-item[data-conversation-id="{conversation_id}"]')
    expect(item).to_be_visible()
    item.get_by_role("button", name=re.compile("^Claim")).click()
    expect(agent.locator("#conv-state")).to_have_text("with you")


def test_a_closed_chat_with_its_wrapup_comes_back_next_time(
    live_server: LiveServer, browser, context, shots
) -> None:
    url = live_server.url
    agent = context.new_page()
    sign_in(agent, url)
    expect(agent.locator("#conn")).to_have_text("Live")

    # the first chat: frustrated, with an open ticket: queued at once
    shop = context.new_page()
    open_shop(shop, url, "C-0004")
    say(shop, ANGRY)
    expect(shop.locator(".aaw-status-text")).to_contain_text("in the queue")
    first = widget_state(shop)["conversationId"]
    _claim(agent, first)
    reply = agent.get_by_label("Reply to the customer")
    reply.fill("I have reset the SIM profile of your Nova X5. I will call you tomorrow at 10.")
    agent.get_by_role("button", name="Send", exact=True).click()
    expect(shop.locator(".aaw-agent").last).to_contain_text("reset the SIM profile")

    # close: the wrap-up is proposed from the transcript; the agent edits the next step
    agent.get_by_role("button", name="Close conversation").click()
    form = agent.locator("#wrapup")
    expect(form).to_be_visible()
    wanted = form.locator('[data-section="wanted"] input').first
    expect(wanted).to_have_value(re.compile("device that does not activate"))
    expect(form.locator('[data-section="wanted"] .cites').first).to_contain_text("#")
    promised = form.locator('[data-section="promised"] input').first
    expect(promised).to_have_value(re.compile("I will call you tomorrow at 10"))
    expect(agent.get_by_label("Disposition")).to_have_value("TECH-ACTIVATION")
    next_step = form.locator('[data-section="next_step"] input').first
    next_step.fill("Call Marco tomorrow at 10; escalate T-9004 if the SIM reset did not help")
    form.screenshot(path=str(shots / "agent-wrapup.png"))
    agent.get_by_role("button", name="Save wrap-up and close").click()
    expect(agent.locator("#conv-state")).to_have_text("closed")
    expect(form).to_be_hidden()

    with live_server.api(live_server.agent_token()) as c:
        saved = c.get(f"/v1/conversations/{first}/wrapup").json()
        events = c.get("/v1/customers/C-0004/timeline").json()["events"]
    assert saved["edited"] and saved["disposition"] == "TECH-ACTIVATION"
    assert saved["next_step"][0]["text"].startswith("Call Marco tomorrow at 10")
    mine = [e for e in events if (e["attributes"] or {}).get("conversation_id") == first]
    assert {"chat_customer", "chat_agent", "chat_close", "chat_wrapup"} <= {e["type"] for e in mine}

    # the next chat (a new visit) opens with the last one
    again = browser.new_context(viewport={"width": 1000, "height": 800})
    try:
        shop2 = again.new_page()
        open_shop(shop2, url, "C-0004")
        opening = shop2.locator(".aaw-bot").first
        expect(opening).to_contain_text("Welcome back, Marco!")
        expect(opening).to_contain_text("you contacted us about a device that does not activate")
        expect(opening).to_contain_text("I will call you tomorrow at 10")
        assert "TECH-ACTIVATION" not in (opening.text_content() or "")  # internal code
        say(shop2, ANGRY)
        expect(shop2.locator(".aaw-status-text")).to_contain_text("in the queue")
        second = widget_state(shop2)["conversationId"]
        assert second != first

        # the agent who takes it sees the earlier conversation in related history
        _claim(agent, second)
        related = agent.locator(f'#card-related .rel-own:has-text("{ANGRY[:20]}")')
        expect(related.first).to_be_visible()
        expect(related.first).to_contain_text("earlier chat")
        agent.locator("#card-related").screenshot(path=str(shots / "agent-related.png"))
    finally:
        again.close()
