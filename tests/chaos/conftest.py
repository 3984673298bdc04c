"""Fixtures of the chaos test (tests/chaos/test_chaos.py). `bot_model` is the session
fixture of tests/stack_fixtures.py, which tests/conftest.py provides to every test (the
Rasa tests get it the same way). Here: the run's size (`scale`, env CHAOS_SCALE), the
webhook receiver, and the scaled stack under test with throw-away PostgreSQL and Redis
(the pattern of tests/rasa/test_rasa_scaled.py)."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from chaos_plan import Scale, scale_from_env
from chaos_receiver import WebhookReceiver
from chaos_report import REPORT_DIR
from stack_fixtures import throwaway_scaled

from rasa_bot.scaled import Scaled

WEBHOOK_SECRET = "chaos-" + secrets.token_urlsafe(24)  # AGENT_ASSIST_SECRET_KEY of the run


@pytest.fixture(scope="module")
def scale() -> Scale:
    return scale_from_env()


@pytest.fixture(scope="module")
def receiver() -> Iterator[WebhookReceiver]:
    r = WebhookReceiver(WEBHOOK_SECRET).start()
    try:
        yield r
    finally:
        r.stop()


@pytest.fixture(scope="module")
def chaos_stack(bot_model: Path, scale: Scale, receiver: WebhookReceiver) -> Iterator[Scaled]:
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    logfile = REPORT_DIR / f"stack-{scale.name}.log"  # kept: what the processes said
    with throwaway_scaled(
        bot_model,
        logfile,
        "chaos-stack-",
        scale.workers,
        webhook_urls=json.dumps([receiver.url]),
        secret_key=WEBHOOK_SECRET,
    ) as s:
        yield s
