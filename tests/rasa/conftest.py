"""Fixtures of the Rasa tests. The real stack (`stack`, `bot_model`, `history_url`) comes
from tests/stack_fixtures.py, shared with the browser tests and started once per session."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from stack_fixtures import require_alive

from rasa_bot.stack import Stack


@pytest.fixture
def api(stack: Stack, stack_log: Path) -> Iterator[httpx.Client]:
    require_alive(stack, stack_log)
    with httpx.Client(base_url=stack.api_url, timeout=30.0) as client:
        yield client


@pytest.fixture
def kill_rasa(stack: Stack, bot_model: Path, stack_log: Path) -> Iterator[Callable[[], None]]:
    """Stops the shared stack's Rasa when called, and starts it again after the test, so
    the test may run in any order (Rasa's trackers are in memory: the restarted bot has
    forgotten earlier conversations, which the tests after it never continue)."""
    killed = False

    def kill() -> None:
        nonlocal killed
        killed = True
        stack.stop_one("rasa")

    yield kill
    if killed:
        stack.start_rasa(bot_model)
        stack.wait_ready(300, ["rasa"])
        require_alive(stack, stack_log)
