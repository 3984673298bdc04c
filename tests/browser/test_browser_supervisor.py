"""The supervisor page in a real browser against the real stack: a supervisor signs in,
reads the period's figures (the same counts as the API), the charts, and downloads the
CSV; an agent who is not a supervisor is told the figures are not for them. The page in
Chinese: switched with EN / 中文 (and back), and chosen by a Chinese browser.

The assertions read text, so the machine needs no CJK font."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

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

    # the journey: stages when customers wrote, where they went, and the stage filter
    page.get_by_label("Channel", exact=True).select_option("")
    page.get_by_role("button", name="Refresh").click()
    expect(tile).to_have_text(str(figures["conversations"]))
    journey = figures["journey"]
    staged = [s for s in journey["stages"] if s["conversations"]]
    expect(page.locator("#chart-stages svg rect.bar")).to_have_count(len(staged))
    links = page.locator("#flows svg path.link")
    expect(links).to_have_count(len(journey["flows"]))
    drawn = {
        (p.get_attribute("data-from"), p.get_attribute("data-to")): int(
            p.get_attribute("data-customers") or 0
        )
        for p in links.all()
    }
    assert drawn == {(f["from_stage"], f["to_stage"]): f["customers"] for f in journey["flows"]}
    stage = page.get_by_label("Journey stage", exact=True)
    expect(stage.locator("option")).to_have_count(len(journey["stages"]) + 1)
    busiest = max(staged, key=lambda s: s["conversations"])
    stage.select_option(busiest["stage"])
    page.get_by_role("button", name="Refresh").click()
    expect(tile).to_have_text(str(busiest["conversations"]))
    page.screenshot(path=str(shots / "supervisor-journey.png"), full_page=True)


def test_an_agent_is_told_the_figures_are_for_supervisors(live_server: LiveServer, context):
    page = context.new_page()
    _sign_in(page, live_server.url, "alice")
    expect(page.locator("#board-error")).to_contain_text("for supervisors")
    expect(page.locator("#tiles .tile")).to_have_count(0)
    expect(page.locator("#unanswered li[data-size]")).to_have_count(0)


# ---------------------------------------------------------------------- the page in Chinese


def _browser_context(browser: Any, locale: str) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1360, "height": 900}, locale=locale)
    ctx.set_default_timeout(20_000)
    yield ctx
    ctx.close()


@pytest.fixture
def english_browser(browser: Any) -> Iterator[Any]:
    yield from _browser_context(browser, "en-US")


@pytest.fixture
def chinese_browser(browser: Any) -> Iterator[Any]:
    yield from _browser_context(browser, "zh-CN")


def _handed_off(server: LiveServer, customer: str) -> str:
    """A conversation of the period handed off with a reason of its own (the API's data,
    shown as it comes in both languages): the reasons chart has its bar. Its reason."""
    reason = f"language test {uuid.uuid4().hex[:8]}"  # short: a label keeps 33 characters
    conversation_id, token = server.start_conversation(customer)
    with server.api(token) as c:
        r = c.post(f"/v1/conversations/{conversation_id}/handoff", json={"reason": reason})
    assert r.status_code == 200, r.text
    return reason


def test_the_supervisor_switches_the_page_to_chinese_and_back(
    live_server: LiveServer, english_browser: Any
) -> None:
    reason = _handed_off(live_server, "C-0005")
    page = english_browser.new_page()
    _sign_in(page, live_server.url, SUPERVISOR)  # the browser's language: English labels
    expect(page.locator("html")).to_have_attribute("lang", "en")
    bar = page.locator(f'#chart-reasons rect.bar[data-name="{reason}"]')
    expect(bar).to_have_count(1)
    chart = page.locator("#chart-reasons svg")
    expect(chart).to_have_attribute("aria-label", re.compile(r"^Bar chart: "))

    page.locator(".lang-switch").get_by_role("button", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page).to_have_title("主管看板：智能坐席辅助")
    expect(page.locator(".lang-switch [aria-pressed=true]")).to_have_text("中文")
    expect(page.get_by_role("heading", level=1)).to_have_text("主管看板")
    expect(page.get_by_role("link", name="坐席面板")).to_be_visible()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()
    # the filters: labels, options, placeholders, buttons
    expect(page.get_by_label("对话开始于最近")).to_be_visible()
    expect(page.locator("#period option:checked")).to_have_text("7 天")
    expect(page.get_by_label("渠道", exact=True)).to_be_visible()
    expect(page.locator("#channel option:checked")).to_have_text("全部")
    expect(page.get_by_label("坐席", exact=True)).to_have_attribute("placeholder", "不限")
    expect(page.get_by_label("首个诉求", exact=True)).to_have_attribute("placeholder", "不限意图")
    expect(page.get_by_role("button", name="刷新")).to_be_visible()
    expect(page.get_by_role("button", name="下载 CSV")).to_be_visible()
    expect(page.locator("#period-shown")).to_have_text(re.compile(r"^统计时间段：.*\d"))
    # the key figures: Chinese labels, numbers and units written for zh-CN
    expect(page.get_by_role("region", name="关键指标")).to_be_visible()
    expect(page.locator('[data-metric="conversations"] .k')).to_have_text("已开始的对话")
    expect(page.locator('[data-metric="conversations"] .v')).to_have_text(re.compile(r"^[\d,]+$"))
    expect(page.locator('[data-metric="handed_off"] .k')).to_have_text("转人工")
    expect(page.locator('[data-metric="handed_off"] .v')).to_have_text(
        re.compile(r"^\d+%（[\d,]+ 个）$")
    )
    expect(page.locator('[data-metric="queue_wait"] .k')).to_have_text("排队等待（中位数 / P90）")
    expect(page.locator('[data-metric="csat"] .k')).to_have_text(
        re.compile(r"^客户评分（\d+ 条）$")
    )
    # the charts: headings, and the figure built again in Chinese (the reason as it came)
    expect(page.locator("#h-reasons")).to_have_text("机器人转人工的原因")
    expect(page.locator("#h-unanswered")).to_contain_text("机器人未能回答的问题")
    expect(chart).to_have_attribute("aria-label", re.compile(r"^条形图："))
    expect(chart).to_have_attribute("aria-label", re.compile(re.escape(f"{reason}：1 个对话")))
    expect(bar).to_have_count(1)
    expect(bar.locator("title")).to_have_text(f"{reason}：1 个对话")
    expect(page.locator("#chart-reasons svg text.label", has_text=reason)).to_have_count(1)

    # the choice is kept in this browser: a reload shows the page in Chinese again
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator('[data-metric="conversations"] .k')).to_have_text("已开始的对话")
    expect(bar).to_have_count(1)

    page.locator(".lang-switch").get_by_role("button", name="EN").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_title("Supervisor: agent assist")
    expect(page.get_by_role("heading", level=1)).to_have_text("Supervisor")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.locator("#channel option:checked")).to_have_text("all")
    expect(page.get_by_label("Agent", exact=True)).to_have_attribute("placeholder", "any")
    expect(page.locator('[data-metric="conversations"] .k')).to_have_text("conversations started")
    expect(page.locator("#h-reasons")).to_have_text("Why the bot handed off")
    expect(chart).to_have_attribute("aria-label", re.compile(r"^Bar chart: "))
    expect(bar.locator("title")).to_have_text(f"{reason}: 1 conversation(s)")
    expect(page.locator("#period-shown")).to_have_text(re.compile(r"^Period: "))


def test_a_chinese_browser_gets_the_supervisor_page_in_chinese(
    live_server: LiveServer, chinese_browser: Any
) -> None:
    reason = _handed_off(live_server, "C-0006")
    page = chinese_browser.new_page()
    page.goto(f"{live_server.url}/supervisor")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("#signin-title")).to_have_text("登录")
    expect(page.locator(".lang-switch [aria-pressed=true]")).to_have_text("中文")
    # a refused sign-in is said in Chinese (an unknown name: no account is locked)
    page.get_by_label("主管账号").fill("nobody")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.locator("#signin-error")).to_have_text("登录失败：账号或密码错误。")

    page.get_by_label("主管账号").fill(SUPERVISOR)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.locator("#me-name")).to_have_text(SUPERVISOR)
    expect(page.locator("#signin-error")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_have_text("主管看板")
    expect(page.locator('[data-metric="conversations"] .k')).to_have_text("已开始的对话")
    expect(page.locator("#h-reasons")).to_have_text("机器人转人工的原因")
    bar = page.locator(f'#chart-reasons rect.bar[data-name="{reason}"]')
    expect(bar).to_have_count(1)
    expect(bar.locator("title")).to_have_text(f"{reason}：1 个对话")
    expect(page.locator("#chart-reasons svg")).to_have_attribute(
        "aria-label", re.compile(r"^条形图：")
    )
