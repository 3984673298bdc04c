"""The whole journey in a real browser against the real stack (the demo intent model, Rasa
and its action server, the API with retrieval, the demo customers): a customer chats in
the widget on the demo shop, the bot answers from their history, the customer asks for a
person; the agent panel shows it in the queue live; the agent claims it, uses and edits a
suggested reply; the customer sees it; the agent corrects the intent and hands back; the
customer is told the bot is back, the bot asks whether the issue is solved and for a
rating, and the rating is stored as feedback."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from browser_helpers import (
    LiveServer,
    open_shop,
    publish_screenshot,
    say,
    sign_in,
    widget_state,
)
from playwright.sync_api import expect
from stack_fixtures import ADMIN_KEY

pytestmark = pytest.mark.browser


def _feedback(
    server: LiveServer, conversation_id: str, until: Callable[[list[dict[str, Any]]], bool]
) -> list[dict[str, Any]]:
    """The feedback rows of a conversation, through the admin export (waits for `until`)."""
    rows: list[dict[str, Any]] = []
    for _ in range(100):
        with server.api(ADMIN_KEY) as c:
            r = c.get("/v1/feedback/export", params={"format": "jsonl"})
        r.raise_for_status()
        rows = [json.loads(line) for line in r.text.splitlines() if line.strip()]
        rows = [x for x in rows if x["conversation_id"] == conversation_id]
        if until(rows):
            break
        time.sleep(0.1)
    return rows


def test_customer_bot_agent_and_back(live_server: LiveServer, context, shots) -> None:
    url = live_server.url
    agent = context.new_page()
    sign_in(agent, url)
    expect(agent.locator("#me-name")).to_have_text("alice")
    expect(agent.locator("#conn")).to_have_text("Live")

    shop = context.new_page()
    open_shop(shop, url, "C-0002")
    expect(shop.locator("#signed-in")).to_have_text("Tom Becker")

    # the bot answers from the customer's history: their one open order, with tracking
    say(shop, "where is my order?")
    expect(shop.locator(".aaw-bot", has_text="ORD-20417")).to_contain_text("on its way")
    conversation_id = widget_state(shop)["conversationId"]

    # the customer asks for a person and is told where they stand
    say(shop, "I'd like to talk to a person")
    status = shop.locator(".aaw-status-text")
    expect(status).to_contain_text(re.compile(r"you are number \d+ in the queue"))
    expect(shop.locator(".aaw-system").last).to_be_visible()

    # the agent panel shows it without a reload: wait, reason, stage, sentiment (the
    # queue is the session's: found by conversation id, not by customer)
    item = agent.locator(f'.q-item[data-conversation-id="{conversation_id}"]')
    expect(item).to_be_visible()
    expect(item).to_contain_text("Tom Becker")
    expect(item).to_contain_text("the customer asked for a person")
    # the stage by its display name (GET /v1/journey/model), e.g. "stage: Onboard · 上手"
    expect(item).to_contain_text(re.compile(r"stage: (Consider|Purchase|Onboard|Support) · \S+"))
    expect(item).to_contain_text("sentiment:")
    expect(item.locator(".q-wait")).to_contain_text("waiting")
    item.get_by_role("button", name=re.compile("^Claim")).click()

    expect(agent.locator("#conv-state")).to_have_text("with you")
    expect(agent.locator("#conv-title")).to_contain_text("Tom Becker")
    expect(agent.locator("#packet-reason")).to_have_text("the customer asked for a person")
    expect(agent.locator("#packet-summary")).to_contain_text("The bot handled")
    expect(agent.locator("#packet-summary")).to_contain_text("track_order")
    expect(agent.locator(".t-bot").first).to_contain_text("ORD-20417")  # bot turns included
    expect(shop.locator(".aaw-event")).to_contain_text("Alice from our team has joined")
    expect(status).to_contain_text("talking with Alice")

    # assist cards: context, timeline chart, stage, intent, sentiment trend, NBA
    expect(agent.locator("#card-customer")).to_contain_text("ORD-20417")
    with live_server.api(live_server.agent_token()) as c:
        events = c.get("/v1/customers/C-0002/timeline").json()["events"]
    dots = agent.locator("svg.timeline circle.dot")
    expect(dots).to_have_count(len(events) + 2)  # the history + this chat's two messages
    assert "web" in (agent.locator("svg.timeline").text_content() or "")  # a lane label
    assert re.search(r"· (web|app|email|phone) ·", dots.first.locator("title").text_content() or "")
    # the configured model's display name, e.g. "Onboard · 上手"
    expect(agent.locator("#stage-name")).to_have_text(re.compile(r"^\w+ · \S+$"))
    # assist works on the customer's issue, not on "a person, please"
    expect(agent.locator("#intent-name")).to_have_text("track_order")
    expect(agent.locator("svg.spark circle")).to_have_count(2)
    expect(agent.locator("#marketing")).to_have_text(re.compile("^(yes|no)$"))

    # a suggested reply (the real retrieval's): into the composer, edited, sent
    card = agent.locator(".sugg").first
    expect(card).to_be_visible()
    agent.locator("#card-suggestions").screenshot(path=str(shots / "agent-suggestions.png"))
    suggestion_id = card.get_attribute("data-suggestion-id")
    suggestion = card.locator(".sugg-text").inner_text()
    card.get_by_role("button", name=re.compile("^Use")).click()
    reply = agent.get_by_label("Reply to the customer")
    expect(reply).to_have_value(suggestion)
    expect(reply).to_be_focused()
    reply.press("Control+End")
    agent.keyboard.type(" I'm keeping an eye on ORD-20417 for you.")
    sent = suggestion + " I'm keeping an eye on ORD-20417 for you."
    agent.get_by_role("button", name="Send", exact=True).click()
    expect(reply).to_have_value("")

    expect(shop.locator(".aaw-agent").last).to_contain_text("keeping an eye on ORD-20417")
    expect(shop.locator(".aaw-agent .aaw-who").last).to_have_text("Alice (agent)")
    shop.screenshot(path=str(shots / "shop-widget.png"))
    publish_screenshot(shots / "shop-widget.png", "shop-widget.png")

    # feedback was recorded: shown, then edited with the edit
    rows = _feedback(
        live_server, conversation_id, lambda rows: any(r["action"] == "edited" for r in rows)
    )
    actions = {(r["action"], r["suggestion_id"]) for r in rows if r["kind"] == "suggestion"}
    assert ("shown", suggestion_id) in actions
    (edited,) = [r for r in rows if r["action"] == "edited"]
    assert edited["suggestion_id"] == suggestion_id
    assert edited["suggestion_text"] == suggestion
    assert edited["edited_text"] == sent
    assert edited["text"] == "I'd like to talk to a person"  # the turn it answered
    # where the list had it and how likely (1: served as ranked), for replays of the log
    (shown_row,) = [
        r for r in rows if r["action"] == "shown" and r["suggestion_id"] == suggestion_id
    ]
    assert shown_row["position"] == edited["position"] >= 1
    assert shown_row["propensity"] == edited["propensity"] == 1.0

    agent.locator(".assist-col").evaluate("e => e.scrollTo(0, 0)")
    agent.screenshot(path=str(shots / "agent-panel.png"))
    publish_screenshot(shots / "agent-panel.png", "agent-panel.png")

    # the agent corrects the intent of the last customer turn
    agent.get_by_label("Correct intent").select_option("complaint")
    agent.get_by_role("button", name="Save correction").click()
    expect(agent.locator("#correct-msg")).to_contain_text("Saved")
    with live_server.api(ADMIN_KEY) as c:
        csv = c.get("/v1/feedback/export", params={"format": "csv"}).text
    assert "I'd like to talk to a person,complaint" in csv

    # hand back: the customer is told, and the real bot speaks first: solved? a rating?
    agent.get_by_role("button", name="Hand back to the bot").click()
    expect(agent.locator("#conv-state")).to_have_text("with the bot")
    expect(status).to_contain_text("automated assistant")
    expect(shop.locator(".aaw-system").last).to_contain_text("back with our assistant")
    bot = shop.locator(".aaw-bot")
    expect(bot.last).to_contain_text("Is your issue solved now?")
    say(shop, "yes")
    expect(bot.last).to_contain_text("from 1 (poor) to 5 (excellent)")
    expect(agent.locator(".t-customer .t-text").last).to_have_text("yes")
    say(shop, "5")
    expect(bot.last).to_contain_text("Thank you for your rating")
    expect(status).to_contain_text("automated assistant")  # no hand-off on the way

    # the rating is stored as feedback on this conversation
    rows = _feedback(
        live_server, conversation_id, lambda rows: any(r["kind"] == "rating" for r in rows)
    )
    ratings = [(r["rating"], r["resolved"]) for r in rows if r["kind"] == "rating"]
    assert ratings == [(5, True)]
