"""Helpers of the browser tests: the live server handle (the real stack's API) and page
helpers for the demo shop's chat widget and the agent panel. Playwright's CSS and role
locators pierce the widget's (open) shadow root."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Page, expect
from stack_fixtures import AGENT, AGENT_PASSWORD, ASSIST_KEY

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
REPO = Path(__file__).resolve().parents[2]
OUTPUT = REPO / "test-output" / "browser"
DOCS_IMG = REPO / "docs" / "img"


@dataclass
class LiveServer:
    """The API of the session's real stack (API + Rasa + action server)."""

    url: str

    def api(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=10)

    def agent_token(self, agent: str = AGENT, password: str = AGENT_PASSWORD) -> str:
        with self.api() as c:
            r = c.post("/v1/auth/login", json={"agent_id": agent, "password": password})
            r.raise_for_status()
            return str(r.json()["access_token"])

    def start_conversation(self, customer_id: str) -> tuple[str, str]:
        """(conversation id, customer token), the way a site's backend mints them."""
        with self.api(ASSIST_KEY) as c:
            r = c.post("/v1/conversations", json={"customer_id": customer_id})
            r.raise_for_status()
            body = r.json()
            return body["conversation"]["id"], body["token"]


def publish_screenshot(path: Path, name: str) -> None:
    """Copy a screenshot to docs/img (linked from the README) when it is missing there or
    when UPDATE_DOCS_IMG=1, so a plain test run leaves the working tree clean."""
    target = DOCS_IMG / name
    if os.environ.get("UPDATE_DOCS_IMG") == "1" or not target.exists():
        DOCS_IMG.mkdir(parents=True, exist_ok=True)
        from PIL import Image  # matplotlib's dependency: a 256-colour PNG is a third the size

        with Image.open(path) as img:
            img.convert("RGB").quantize(256).save(target, optimize=True)


def open_shop(page: Page, url: str, customer: str) -> None:
    page.goto(f"{url}/shop?customer={customer}")
    page.get_by_role("button", name="Chat with us").click()
    expect(page.locator(".aaw-status-text")).to_contain_text("automated assistant")


def say(page: Page, text: str, label: str = "Your message") -> None:
    """Send `text` from the widget's message box (`label`: its name in the widget's language)."""
    box = page.get_by_label(label)
    box.fill(text)
    box.press("Enter")
    expect(page.locator(".aaw-customer", has_text=text).last).to_be_visible()


def widget_state(page: Page) -> dict[str, Any]:
    return page.evaluate("window.AgentAssistWidget.state()")  # type: ignore[no-any-return]


def sign_in(page: Page, url: str, agent: str = AGENT, password: str = AGENT_PASSWORD) -> None:
    page.goto(f"{url}/agent")
    page.get_by_label("Agent name").fill(agent)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
