"""Auto-assignment in a real browser: an API started with AGENT_ASSIST_AUTO_ASSIGN (and no
bot, so a customer's first message waits for a person) gives the waiting conversation to
the signed-in agent without a click: the panel says so and opens it, the customer's
message in its transcript. Its own API process and database (never the session stack's:
its dispatcher would assign the other tests' queue)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from browser_helpers import LiveServer, sign_in
from playwright.sync_api import expect
from stack_fixtures import demo_env, generate_history, start_or_fail

from rasa_bot.stack import Stack, free_port

pytestmark = pytest.mark.browser


@contextmanager
def _routing_server(folder: Path, **extra: str) -> Iterator[LiveServer]:
    """An API of its own with auto-assignment every 0.5 s (`extra`: more settings)."""
    url = generate_history(folder / "history.db", customers=6)
    logfile: Path = folder / "api.log"
    with logfile.open("w", encoding="utf-8") as log:
        s = Stack(
            api_port=free_port(),
            bot=False,
            env=demo_env(
                history_url=url,
                index_dir=str(folder / "index"),
                multilingual_index_dir=str(folder / "index-multilingual"),
                load_retrieval="false",
                auto_assign="true",
                auto_assign_s="0.5",
                **extra,
            ),
            log=log,
        )
        start_or_fail(lambda: s.start(timeout_s=300), log, logfile)
        try:
            yield LiveServer(s.api_url)
        finally:
            s.stop()


@pytest.fixture(scope="module")
def routed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with _routing_server(tmp_path_factory.mktemp("routed")) as server:
        yield server


def test_a_waiting_customer_is_given_to_the_signed_in_agent_without_a_click(
    routed: LiveServer, context, shots
) -> None:
    page = context.new_page()
    sign_in(page, routed.url)
    expect(page.locator("#desk")).to_be_visible()
    expect(page.locator("body[data-live='true']")).to_be_attached()  # the stream is up
    expect(page.locator("#conv")).to_be_hidden()

    cid, token = routed.start_conversation("C-0001")
    with routed.api(token) as c:
        r = c.post(f"/v1/conversations/{cid}/messages", json={"text": "my order never came"})
        assert r.status_code == 200, r.text

    expect(page.locator("#assigned")).to_contain_text("Routing assigned you a conversation")
    expect(page.locator("#conv")).to_be_visible()
    expect(page.locator("#transcript")).to_contain_text("my order never came")
    expect(page.locator(f"#mine [data-conversation-id='{cid}']")).to_be_visible()
    page.screenshot(path=str(shots / "auto-assigned.png"))
    with routed.api(routed.agent_token()) as c:
        trail = c.get(f"/v1/conversations/{cid}/transitions").json()
    claims = [t for t in trail if t["action"] == "claim"]
    assert [t["actor"] for t in claims] == ["agent:alice via routing"]


@pytest.fixture(scope="module")
def unanswered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Auto-assignment that takes a chat back after 5 s without a word from the agent."""
    folder = tmp_path_factory.mktemp("unanswered")
    with _routing_server(folder, auto_assign_answer_s="5") as server:
        yield server


def test_a_chat_left_unanswered_goes_back_and_the_agent_is_told_they_are_away(
    unanswered: LiveServer, context, shots
) -> None:
    page = context.new_page()
    sign_in(page, unanswered.url)
    expect(page.locator("body[data-live='true']")).to_be_attached()
    expect(page.locator("#presence")).to_contain_text("Online")

    cid, token = unanswered.start_conversation("C-0002")
    with unanswered.api(token) as c:
        r = c.post(f"/v1/conversations/{cid}/messages", json={"text": "is anyone there"})
        assert r.status_code == 200, r.text
    expect(page.locator("#assigned")).to_contain_text("Routing assigned you a conversation")

    # Alice writes nothing: 5 s later routing takes it back and sets her away
    expect(page.locator("#assigned")).to_contain_text("went unanswered", timeout=60_000)
    expect(page.locator("#presence")).to_contain_text("Away")
    page.screenshot(path=str(shots / "unanswered.png"))

    page.get_by_role("button", name="Go online").click()
    expect(page.locator("#presence")).to_contain_text("Online")
    with unanswered.api(unanswered.agent_token()) as c:
        trail = c.get(f"/v1/conversations/{cid}/transitions").json()
    moves = [(t["action"], t["actor"]) for t in trail][1:3]
    assert moves == [("claim", "agent:alice via routing"), ("transfer_to_queue", "routing")]
