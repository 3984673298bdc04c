"""Fixtures of the browser tests: Debian's Chromium driven by Playwright (never
`playwright install`) against the session's real stack (tests/stack_fixtures.py, shared
with the Rasa tests): the API process with the demo intent model and retrieval, Rasa and
its action server, on a fresh history database with the demo customers. Nothing is faked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import CHROMIUM, CHROMIUM_ARGS, OUTPUT, LiveServer
from playwright.sync_api import expect
from stack_fixtures import require_alive

from rasa_bot.stack import Stack

# the real bot and model answer in a second or two, more on a busy machine
expect.set_options(timeout=20_000)


@pytest.fixture
def live_server(stack: Stack, stack_log: Path) -> LiveServer:
    require_alive(stack, stack_log)
    return LiveServer(stack.api_url)


@pytest.fixture(scope="module")  # Playwright's loop ends with the module
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found: `make test` installs Debian's chromium "
            "(apt-get install -y chromium); set CHROMIUM to use another binary"
        )
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1360, "height": 900})
    ctx.set_default_timeout(20_000)
    yield ctx
    ctx.close()


@pytest.fixture(scope="session")
def shots() -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    return OUTPUT
