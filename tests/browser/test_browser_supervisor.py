"""The supervisor page in a real browser against the real stack: a supervisor signs in,
reads the period's figures (the same counts as the API), the charts, and downloads the
CSV; an agent who is not a supervisor is told the figures are not for them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from browser_helpers import LiveServer, open_shop, say
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser
SUPERVISOR, PASSWORD = "sofia", "demo-password"


def _sign_in(page: Page, url: str, name: str) -> None:
    page.goto(f"{url}/supervisor")
    page.get_by_label("Supervisor name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_supervisor_reads_the_figures_and_downloads_them(
    live_server: LiveServer, context, shots
) -> None:
    url = live_server.url
    for question in ("what's the weather in Paris?", "will it rain in Paris tomorrow?"):
        shop = context.new_page()  # what the bot cannot answer, twice
        open_shop(shop, url, "C-0006")
        say(shop, question)
        expect(shop.locator(".aaw-bot").last).to_contain_text("I can")
        shop.close()
    shop = context.new_page()  # at least one conversation with a hand-off in the period
    open_shop(shop, url, "C-0001")
    say(shop, "I'd like to talk to a person")
    expect(shop.locator(".aaw-status-text")).to_contain_text("in the queue")

    page = context.new_page()
    _sign_in(page, url, SUPERVISOR)
    expect(page.locator("#me-name")).to_have_text(SUPERVISOR)
    tile = page.locator('[data-metric="conversations"] .v')
    expect(tile).to_have_text(re.compile(r"^\d+$"))
    token = live_server.agent_token(SUPERVISOR, PASSWORD)
    now = datetime.now(UTC)
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as c:
        params = {"since": (now - timedelta(days=7)).isoformat(), "until": now.isoformat()}
        figures = c.get("/v1/analytics/summary", params=params).json()
    assert int(tile.inner_text()) == figures["conversations"]  # nothing started meanwhile
    reasons = page.locator("#chart-reasons svg rect.bar")
    expect(reasons).to_have_count(len(figures["handoff_reasons"]))
    assert "the customer asked for a person" in [
        r.get_attribute("data-name") for r in reasons.all()
    ]
    expect(page.locator("#chart-intents svg rect.bar")).to_have_count(len(figures["intents"]))
    repeat = page.locator('[data-metric="repeat_contacts"] .v')
    expect(repeat).to_contain_text(f"({figures['repeat_contacts']})")
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as c:
        clusters = c.get("/v1/analytics/unanswered", params=params).json()["clusters"]
    items = page.locator("#unanswered li[data-size]")
    expect(items).to_have_count(len(clusters))
    page.screenshot(path=str(shots / "supervisor.png"), full_page=True)

    with page.expect_download() as got:
        page.get_by_role("button", name="Download CSV").click()
    text = Path(got.value.path()).read_text("utf-8")
    assert text.startswith("metric,value") and f"conversations,{figures['conversations']}" in text

    # the app channel only: the tiles follow the filter
    page.get_by_label("Channel", exact=True).select_option("app")
    page.get_by_role("button", name="Refresh").click()
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as c:
        app = c.get("/v1/analytics/summary", params=params | {"channel": "app"}).json()
    expect(tile).to_have_text(str(app["conversations"]))


def test_an_agent_is_told_the_figures_are_for_supervisors(live_server: LiveServer, context):
    page = context.new_page()
    _sign_in(page, live_server.url, "alice")
    expect(page.locator("#board-error")).to_contain_text("for supervisors")
    expect(page.locator("#tiles .tile")).to_have_count(0)
    expect(page.locator("#unanswered li[data-size]")).to_have_count(0)
