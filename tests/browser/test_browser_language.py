"""The pages in Chinese, in a real browser against the real stack (the demo intent model with
its Chinese model in var/models/intent/zh, Rasa with its Chinese responses). A customer whose
browser speaks English switches the demo shop to 中文: the widget restarts in Chinese and
starts the conversation in it. They write Chinese and ask for a person ("转人工"); the agent,
whose panel is switched to 中文 (and remembered), sees the conversation with the customer's
language and the Chinese transcript, replies, sees a turn in another language marked, and
hands back; the bot speaks Chinese again. Without a choice, the browser's language decides.

The assertions read text, so the machine needs no CJK font (Debian's fonts-noto-cjk): the
glyphs would only matter to a screenshot, and this test takes none."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from browser_helpers import LiveServer, say, sign_in, widget_state
from playwright.sync_api import expect
from stack_fixtures import ASSIST_KEY

pytestmark = pytest.mark.browser

CJK = re.compile(r"[\u3400-\u9fff]")


def _context(browser: Any, locale: str) -> Any:
    ctx = browser.new_context(viewport={"width": 1360, "height": 900}, locale=locale)
    ctx.set_default_timeout(20_000)
    return ctx


@pytest.fixture
def english_browser(browser: Any) -> Iterator[Any]:
    ctx = _context(browser, "en-US")
    yield ctx
    ctx.close()


def _conversation(server: LiveServer, conversation_id: str) -> dict[str, Any]:
    with server.api(ASSIST_KEY) as c:
        r = c.get(f"/v1/conversations/{conversation_id}")
    r.raise_for_status()
    return r.json()  # type: ignore[no-any-return]


def test_a_chinese_speaking_customer_asks_for_a_person(
    live_server: LiveServer, english_browser: Any
) -> None:
    url = live_server.url
    agent = english_browser.new_page()
    sign_in(agent, url)
    expect(agent.locator("#conn")).to_have_text("Live")  # the browser's language first
    agent.locator(".lang-switch").get_by_role("button", name="中文").click()
    expect(agent.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(agent.locator(".lang-switch [aria-pressed=true]")).to_have_text("中文")
    expect(agent.locator("#conn")).to_have_text("实时")
    expect(agent.locator("#queue-title")).to_contain_text("等待人工")
    expect(agent.get_by_role("button", name="退出登录")).to_be_visible()

    # the customer opens the chat in English, then switches the shop to 中文: nothing was
    # written yet, so the widget restarts with a conversation in Chinese
    shop = english_browser.new_page()
    shop.goto(f"{url}/shop?customer=C-0002")
    shop.get_by_role("button", name="Chat with us").click()
    status = shop.locator(".aaw-status-text")
    expect(status).to_contain_text("automated assistant")
    first = widget_state(shop)["conversationId"]
    shop.locator(".shop-lang").get_by_role("link", name="中文").click()
    expect(shop).to_have_url(re.compile(r"lang=zh"))
    expect(status).to_have_text("您正在与我们的智能助手对话。")
    expect(shop.locator(".aaw-launcher")).to_have_text("收起聊天")
    expect(shop.locator("#agent-assist-widget")).to_have_attribute("lang", "zh-CN")
    expect(shop.locator(".aaw-title")).to_have_text("Northwind Store 客服")
    expect(shop.get_by_label("您的消息")).to_have_attribute("placeholder", "请输入消息…")
    expect(shop.get_by_role("button", name="转人工客服")).to_be_visible()
    expect(shop.get_by_role("button", name="发送")).to_be_visible()
    state = widget_state(shop)
    conversation_id = state["conversationId"]
    assert state["language"] == "zh" and conversation_id not in (None, first)
    assert _conversation(live_server, conversation_id)["conversation"]["language"] == "zh"

    # Chinese turns: the bot answers in Chinese from the customer's real order
    say(shop, "我的订单到哪了？", label="您的消息")
    expect(shop.locator(".aaw-customer .aaw-who").last).to_have_text("您")
    expect(shop.locator(".aaw-bot", has_text="ORD-20417")).to_contain_text("正在配送途中")
    say(shop, "转人工", label="您的消息")
    expect(status).to_contain_text(re.compile(r"您排在第 \d+ 位"))
    expect(shop.locator(".aaw-system").last).to_contain_text("转接人工客服")  # the service's

    # the agent panel: the customer's language in the queue and in the header
    item = agent.locator(f'.q-item[data-conversation-id="{conversation_id}"]')
    expect(item).to_be_visible()
    expect(item).to_contain_text("Tom Becker")
    expect(item.locator(".badge.lang")).to_have_text("中文")
    expect(item.locator(".badge.lang")).to_have_attribute("lang", "zh-CN")
    expect(item.locator(".q-wait")).to_contain_text("已等待")
    expect(item).to_contain_text("阶段：")
    item.get_by_role("button", name=re.compile("^认领")).click()
    expect(agent.locator("#conv-state")).to_have_text("由您接待")
    expect(agent.locator("#conv-lang")).to_have_text("中文")
    expect(agent.locator("#conv-lang")).to_have_attribute("title", "客户使用中文")
    customer_text = agent.locator("#transcript .t-customer .t-text")
    expect(customer_text).to_have_text(["我的订单到哪了？", "转人工"])
    expect(customer_text.first).to_have_attribute("lang", "zh-CN")
    expect(agent.locator("#transcript .t-customer strong").first).to_have_text("客户")
    expect(agent.locator("#transcript .t-bot").first).to_contain_text("正在配送途中")
    # every turn is in the conversation's language: no turn is marked
    turn_badges = agent.locator("#transcript .t-customer .badge.lang:visible")
    expect(turn_badges).to_have_count(0)
    expect(shop.locator(".aaw-event")).to_have_text("客服 Alice 已加入对话。")
    expect(status).to_have_text("客服 Alice 正在为您服务。")

    # the agent writes in the customer's language (typed, nothing is translated)
    reply = agent.get_by_label("回复客户")
    reply.fill("您好，我是 Alice。您的订单 ORD-20417 正在配送途中，我会帮您留意。")
    agent.get_by_role("button", name="发送", exact=True).click()
    expect(reply).to_have_value("")
    expect(shop.locator(".aaw-agent").last).to_contain_text("我会帮您留意")
    expect(shop.locator(".aaw-agent .aaw-who").last).to_have_text("Alice（客服）")

    # the customer switches to English: the widget follows, the panel marks the turns in
    # the other language; back to Chinese, and only the English turn is marked
    say(shop, "Can you send me the tracking link again?", label="您的消息")
    expect(status).to_have_text("You are talking with Alice from our team.")
    expect(agent.locator("#conv-lang")).to_have_text("EN")
    expect(turn_badges).to_have_text(["中文", "中文"])
    say(shop, "好的，谢谢", label="Your message")
    expect(status).to_have_text("客服 Alice 正在为您服务。")
    expect(agent.locator("#conv-lang")).to_have_text("中文")
    expect(turn_badges).to_have_text(["EN"])
    expect(turn_badges).to_have_attribute("title", "此消息为英文")

    # hand back: the service's notice and the bot's next message are Chinese
    bot = shop.locator(".aaw-bot")
    before = bot.count()
    agent.get_by_role("button", name="交还给机器人").click()
    expect(agent.locator("#conv-state")).to_have_text("由机器人接待")
    expect(status).to_have_text("您正在与我们的智能助手对话。")
    expect(shop.locator(".aaw-system .aaw-text").last).to_have_text("您已回到智能助手。")
    expect(bot.last).to_contain_text("请问您的问题现在解决了吗")
    said = shop.locator(".aaw-bot .aaw-text").all_inner_texts()[before:]
    assert said and all(CJK.search(text) for text in said), said

    # the agent's choice is remembered in this browser
    agent.reload()
    expect(agent.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(agent.locator("#conn")).to_have_text("实时")


def test_without_a_choice_the_browsers_language_decides(live_server: LiveServer, browser) -> None:
    ctx = _context(browser, "zh-CN")
    try:
        shop = ctx.new_page()
        shop.goto(f"{live_server.url}/shop?customer=C-0001")
        launcher = shop.locator(".aaw-launcher")
        expect(launcher).to_have_text("在线咨询")
        expect(shop.locator("#agent-assist-widget")).to_have_attribute("lang", "zh-CN")
        # the site's choice wins over the browser's
        shop.locator(".shop-lang").get_by_role("link", name="EN").click()
        expect(launcher).to_have_text("Chat with us")
        expect(shop.locator("#agent-assist-widget")).to_have_attribute("lang", "en")

        agent = ctx.new_page()
        agent.goto(f"{live_server.url}/agent")
        expect(agent.locator("html")).to_have_attribute("lang", "zh-CN")
        expect(agent.locator("#signin-title")).to_have_text("登录")
        expect(agent.get_by_label("坐席账号")).to_be_visible()
    finally:
        ctx.close()


def test_the_widget_says_why_the_api_refused_a_message_in_chinese(
    live_server: LiveServer, english_browser: Any
) -> None:
    """The API refuses a text over its max_text_chars (413 payload_too_large, with its
    `limit`): the widget in Chinese says so in Chinese, from the error's code, never with
    the API's English message inside a Chinese sentence. The box stops typing at 2,000
    characters (the API's default limit), so the test puts the longer text into it the way
    a script can; a service set up with a lower limit meets this with any typed text."""
    shop = english_browser.new_page()  # the site's choice (?lang=zh) over the browser's
    shop.goto(f"{live_server.url}/shop?customer=C-0005&lang=zh")
    shop.get_by_role("button", name="在线咨询").click()
    status = shop.locator(".aaw-status-text")
    expect(status).to_have_text("您正在与我们的智能助手对话。")
    box = shop.get_by_label("您的消息")
    expect(box).to_have_attribute("maxlength", "2000")
    text = "请帮我查一下订单" * 251  # 2,008 characters
    box.evaluate("(b, text) => { b.value = text; }", text)
    box.press("Enter")
    alert = shop.locator(".aaw-alert")
    expect(alert).to_have_text("您的消息未能发送：消息过长（最多 2,000 个字符）。")
    assert not re.search(r"[A-Za-z]", alert.inner_text()), alert.inner_text()
    expect(box).to_have_value(text)  # kept, to be shortened
    expect(shop.locator(".aaw-customer")).to_have_count(0)  # nothing was stored
    conversation_id = widget_state(shop)["conversationId"]
    turns = _conversation(live_server, conversation_id)["turns"]
    assert [t for t in turns if t["role"] == "customer"] == []

    # the same refusal, worded again when the site switches the widget to English
    shop.evaluate("window.AgentAssistWidget.setLanguage('en')")
    expect(alert).to_have_text(
        "Your message was not sent: your message is too long (2,000 characters at most)."
    )
    # a shorter message goes through and clears the alert
    shop.evaluate("window.AgentAssistWidget.setLanguage('zh')")
    say(shop, "我的订单到哪了？", label="您的消息")
    expect(alert).to_be_hidden()
