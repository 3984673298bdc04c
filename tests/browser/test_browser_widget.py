"""The chat widget and the agent panel on their own, against the session's real stack:
reconnecting loses nothing, a customer token opens its own conversation only, agent
sign-in errors are shown, the bot's answer buttons can be clicked, and the widget works on
a phone-sized screen with the keyboard (the real bot's answer, then the widget's own "Talk
to a person" button)."""

from __future__ import annotations

import json
import re

import pytest
from browser_helpers import LiveServer, open_shop, publish_screenshot, say, sign_in, widget_state
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_customer_picks_an_order_with_the_bots_buttons(live_server: LiveServer, context):
    page = context.new_page()
    open_shop(page, live_server.url, "C-0003")  # two open orders
    say(page, "where is my order?")
    choices = page.locator(".aaw-bot .aaw-choice")
    expect(choices).to_have_count(2)
    assert sorted(choices.all_text_contents()) == ["ORD-20388", "ORD-20431"]
    choices.filter(has_text="ORD-20431").click()
    expect(page.locator(".aaw-customer").last).to_have_text(re.compile("ORD-20431"))
    expect(page.locator(".aaw-bot").last).to_contain_text("Your order ORD-20431")


def test_reconnect_after_a_dropped_websocket_loses_nothing(live_server: LiveServer, context):
    page = context.new_page()
    open_shop(page, live_server.url, "C-0004")
    say(page, "my new phone STILL won't activate, I already called you yesterday!!")
    # frustrated, with an open ticket: a person takes over at once
    expect(page.locator(".aaw-status-text")).to_contain_text("in the queue")
    conversation_id = widget_state(page)["conversationId"]
    panel = page.locator(".aaw-panel")
    expect(panel).to_have_attribute("data-connected", "true")

    agent = live_server.agent_token()
    with live_server.api(agent) as c:
        assert c.post(f"/v1/conversations/{conversation_id}/claim").status_code == 200
        expect(page.locator(".aaw-event")).to_contain_text("Alice from our team has joined")

        # the connection drops (and stays down 3 s); the agent writes meanwhile
        page.evaluate("window.AgentAssistWidget.dropConnection(3000)")
        expect(panel).to_have_attribute("data-connected", "false")
        expect(page.locator(".aaw-conn")).to_contain_text("reconnecting")
        r = c.post(
            f"/v1/conversations/{conversation_id}/agent-messages",
            json={"text": "Hello Marco, I have ticket T-9004 in front of me."},
        )
        assert r.status_code == 201, r.text
        turn_id = r.json()["id"]
        expect(page.locator(".aaw-agent")).to_have_count(0)  # nothing arrives while down

        # back online: the transcript is reloaded, the missed message appears once
        expect(panel).to_have_attribute("data-connected", "true", timeout=15_000)
        expect(page.locator(f'[data-turn-id="{turn_id}"]')).to_have_count(1)
        expect(page.locator(".aaw-agent")).to_contain_text("ticket T-9004")
        expect(page.locator(".aaw-conn")).to_have_text("")

        # and live again: a new message arrives without a reload
        c.post(
            f"/v1/conversations/{conversation_id}/agent-messages",
            json={"text": "I'm escalating it now."},
        )
        expect(page.locator(".aaw-agent")).to_have_count(2)
        turns = c.get(f"/v1/conversations/{conversation_id}").json()["turns"]

    # a reload resumes the same conversation with every turn, each shown once
    page.reload()
    expect(page.locator(".aaw-msg[data-turn-id]")).to_have_count(len(turns))
    assert widget_state(page)["conversationId"] == conversation_id
    ids = page.locator(".aaw-msg[data-turn-id]").evaluate_all(
        "els => els.map(e => e.dataset.turnId)"
    )
    assert ids == [t["id"] for t in turns]  # in order, no duplicates


def test_a_customer_token_opens_its_own_conversation_only(live_server: LiveServer, context):
    theirs, _ = live_server.start_conversation("C-0001")
    _, mine = live_server.start_conversation("C-0003")
    with live_server.api(mine) as c:  # the API refuses
        assert c.get(f"/v1/conversations/{theirs}").status_code == 403
        r = c.post(f"/v1/conversations/{theirs}/messages", json={"text": "hello"})
        assert r.status_code == 403
    with live_server.api("ct_not-a-real-token") as c:
        assert c.get(f"/v1/conversations/{theirs}").status_code == 401

    # a page whose stored session points at someone else's conversation
    stored = json.dumps({"id": theirs, "token": mine, "open": True})
    context.add_init_script(
        f"sessionStorage.setItem('agent-assist-chat:C-0003', {json.dumps(stored)});"
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/shop?customer=C-0003")
    status = page.locator(".aaw-status-text")
    expect(status).to_contain_text("cannot be opened with your access")
    expect(page.get_by_label("Your message")).to_be_disabled()
    expect(page.locator(".aaw-msg")).to_have_count(0)
    page.get_by_role("button", name="Start a new chat").click()
    expect(status).to_contain_text("automated assistant")
    assert widget_state(page)["conversationId"] not in (None, theirs)


def test_agent_sign_in_failure_is_shown(live_server: LiveServer, context):
    page = context.new_page()
    sign_in(page, live_server.url, password="wrong-password")
    expect(page.get_by_role("alert")).to_have_text("Sign-in failed: wrong agent name or password.")
    expect(page.locator("#desk")).to_be_hidden()
    sign_in(page, live_server.url)
    expect(page.locator("#desk")).to_be_visible()
    expect(page.locator("#signin-error")).to_be_hidden()


def test_widget_on_a_phone_with_the_keyboard(live_server: LiveServer, browser, shots):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    context.set_default_timeout(20_000)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/shop?customer=C-0006")
        launcher = page.locator(".aaw-launcher")
        launcher.focus()
        page.keyboard.press("Enter")
        panel = page.locator(".aaw-panel")
        expect(panel).to_be_visible()
        box = panel.bounding_box()
        assert box is not None and abs(box["width"] - 390) < 1 and abs(box["height"] - 844) < 1
        expect(page.get_by_label("Your message")).to_be_focused()
        expect(page.get_by_role("log", name="Conversation")).to_have_attribute(
            "aria-live", "polite"
        )

        page.keyboard.type("what's the weather in Paris?")
        page.keyboard.press("Enter")
        expect(page.locator(".aaw-customer .aaw-text").last).to_have_text(
            "what's the weather in Paris?"
        )
        # the real bot says what it can help with, and that a person is an option
        answer = page.locator(".aaw-bot").last
        expect(answer).to_contain_text("I can track your orders")
        expect(page.locator(".aaw-status-text")).to_contain_text("automated assistant")
        page.screenshot(path=str(shots / "widget-phone.png"))
        publish_screenshot(shots / "widget-phone.png", "widget-phone.png")

        # from the message box, one Shift+Tab back: the widget's "Talk to a person"
        expect(page.get_by_label("Your message")).to_be_focused()
        page.keyboard.press("Shift+Tab")
        expect(page.get_by_role("button", name="Talk to a person")).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.locator(".aaw-status-text")).to_contain_text("in the queue")
        # the button is gone now; the keyboard focus went to the message box, not lost
        expect(page.get_by_role("button", name="Talk to a person")).to_be_hidden()
        expect(page.get_by_label("Your message")).to_be_focused()

        page.keyboard.press("Escape")
        expect(panel).to_be_hidden()
        expect(launcher).to_be_focused()
    finally:
        context.close()
