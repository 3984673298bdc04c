"""Faults with real processes: the database unreachable for a few seconds under an API
on a real PostgreSQL (a server of this test's own, stopped and started again), and the API
process restarted while a customer (the demo shop's widget) and an agent (the agent
panel) are connected in a real Chromium. Nothing a client sent is lost or stored twice."""

from __future__ import annotations

import re
import signal
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from security_helpers import (
    ADMIN_KEY,
    ApiServer,
    PostgresInstance,
    require_model,
    seed_history,
    server_env,
    transcript,
)

from rasa_bot.stack import free_port

pytestmark = pytest.mark.integration

TIMEOUT_S = 60.0  # the client's: an answer that does not come within it is a hang


def _customer_texts(server: ApiServer, conversation_id: str) -> list[str]:
    return [t["text"] for t in transcript(server, conversation_id) if t["role"] == "customer"]


def test_the_database_down_for_a_few_seconds(
    api_on_postgres: tuple[ApiServer, PostgresInstance],
):
    server, pg = api_on_postgres
    with server.client(timeout_s=TIMEOUT_S) as c:
        r = c.post("/v1/conversations", json={})
        assert r.status_code == 201, r.text
        conversation_id, token = r.json()["conversation"]["id"], r.json()["token"]
    path = f"/v1/conversations/{conversation_id}/messages"

    def post(text: str, key: str) -> httpx.Response:
        with server.client(token, timeout_s=TIMEOUT_S) as c:
            try:
                return c.post(path, json={"text": text}, headers={"Idempotency-Key": key})
            except httpx.TimeoutException:
                pytest.fail(
                    f"no answer to {text!r} within the client's {TIMEOUT_S:.0f} s:\n"
                    + server.log_tail()
                )

    # 1. the first attempt of one message reaches the database and is stored, but its
    #    answer is lost on the way back (the client never sees it); 2. another message is
    #    sent while the database is down
    stored, stored_key = "where is my order?", f"m-{uuid.uuid4().hex}"
    lost, lost_key = "I want to talk to a person", f"m-{uuid.uuid4().hex}"
    assert post(stored, stored_key).status_code == 200

    pg.stop()  # pg_ctl stop -m fast, as the postgres user
    for text, key in ((stored, stored_key), (lost, lost_key)):
        r = post(text, key)
        assert r.status_code == 503, r.text
        assert r.json()["error"]["code"] == "store_unavailable"
        assert "database" in r.json()["error"]["message"]
        assert int(r.headers["Retry-After"]) > 0
    with server.client(ADMIN_KEY, timeout_s=TIMEOUT_S) as c:
        assert c.get("/readyz").status_code == 503
        assert c.get(f"/v1/conversations/{conversation_id}").status_code == 503
    assert server.alive()

    pg.start()
    retried = post(lost, lost_key)  # the client's retry, same key
    assert retried.status_code == 200, retried.text
    assert retried.json()["replayed"] is False
    again = post(lost, lost_key)  # and one more
    assert again.status_code == 200 and again.json()["replayed"] is True, again.text
    assert again.json()["turn"]["id"] == retried.json()["turn"]["id"]
    first = post(stored, stored_key)  # the retry of the message whose answer was lost
    assert first.status_code == 200 and first.json()["replayed"] is True, first.text

    assert _customer_texts(server, conversation_id) == [stored, lost]  # each exactly once
    with server.client(ADMIN_KEY) as c:
        assert c.get("/readyz").status_code == 200
    assert "Traceback" not in server.log_text(), server.log_tail()


# ---------------------------------------------------------------------- API restart


@pytest.fixture
def api_alone(tmp_path: Path) -> Iterator[ApiServer]:
    """The API without a bot (a customer asking for a person is queued), on SQLite."""
    require_model()
    env = server_env(seed_history(tmp_path / "history.db"))
    server = ApiServer(free_port(), env, tmp_path / "server.log").start()
    yield server
    server.stop()


def _turn_ids(page: Any, selector: str) -> list[str]:
    return page.locator(selector).evaluate_all("els => els.map(e => e.dataset.turnId)")


@pytest.mark.browser
def test_the_api_restarts_under_a_connected_customer_and_agent(api_alone: ApiServer, chromium):
    from browser_helpers import open_shop, say, sign_in, widget_state
    from playwright.sync_api import expect

    server, url = api_alone, api_alone.url
    context = chromium.new_context(viewport={"width": 1360, "height": 900})
    context.set_default_timeout(30_000)
    try:
        shop = context.new_page()
        open_shop(shop, url, "C-0002")
        say(shop, "I want to talk to a person")
        expect(shop.locator(".aaw-status-text")).to_contain_text("in the queue")
        conversation_id = widget_state(shop)["conversationId"]
        widget = shop.locator(".aaw-panel")
        expect(widget).to_have_attribute("data-connected", "true")

        agent = context.new_page()
        sign_in(agent, url)
        expect(agent.locator("body")).to_have_attribute("data-live", "true")
        item = agent.locator(f'.q-item[data-conversation-id="{conversation_id}"]')
        item.get_by_role("button", name=re.compile("^Claim")).click()
        expect(agent.locator("#conv-state")).to_have_text("with you")
        reply = agent.get_by_label("Reply to the customer")
        send = agent.get_by_role("button", name="Send", exact=True)
        reply.fill("Hello Tom, I have your order in front of me.")
        send.click()
        expect(shop.locator(".aaw-agent")).to_contain_text("I have your order in front of me")
        say(shop, "Thanks, it is ORD-20417.")
        expect(agent.locator(".t-customer").last).to_contain_text("ORD-20417")

        # the API goes down (SIGTERM) and comes back on the same port and database
        # (uvicorn shuts down gracefully, then re-raises SIGTERM: exit status -15)
        assert server.stop() in (0, -signal.SIGTERM), server.log_tail()  # not SIGKILLed
        assert "Application shutdown complete." in server.log_tail(500), server.log_tail()
        expect(widget).to_have_attribute("data-connected", "false")
        expect(agent.locator("body")).to_have_attribute("data-live", "false")
        server.start()
        # both pages reconnect by themselves (their backoff is at most about 18 s)
        expect(widget).to_have_attribute("data-connected", "true", timeout=90_000)
        expect(agent.locator("body")).to_have_attribute("data-live", "true", timeout=90_000)
        expect(agent.locator("#conn")).to_have_text("Live")

        say(shop, "Are you still there after the glitch?")
        expect(agent.locator(".t-customer").last).to_contain_text("still there after the glitch")
        expect(send).to_be_enabled()
        reply.fill("Still here: your parcel arrives tomorrow.")
        send.click()
        expect(shop.locator(".aaw-agent").last).to_contain_text("your parcel arrives tomorrow")

        # nothing was lost or doubled: in the store, in the widget, in the panel
        turns = transcript(server, conversation_id)
        said = [(t["role"], t["text"]) for t in turns if t["role"] in ("customer", "agent")]
        assert said == [
            ("customer", "I want to talk to a person"),
            ("agent", "Hello Tom, I have your order in front of me."),
            ("customer", "Thanks, it is ORD-20417."),
            ("customer", "Are you still there after the glitch?"),
            ("agent", "Still here: your parcel arrives tomorrow."),
        ]
        ids = [t["id"] for t in turns]
        expect(shop.locator(".aaw-msg[data-turn-id]")).to_have_count(len(ids))
        assert _turn_ids(shop, ".aaw-msg[data-turn-id]") == ids
        expect(agent.locator("#transcript [data-turn-id]")).to_have_count(len(ids))
        assert _turn_ids(agent, "#transcript [data-turn-id]") == ids
    finally:
        context.close()
