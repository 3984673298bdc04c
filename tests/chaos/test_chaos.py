"""Chaos and soak test (#14 item 5): the scaled deployment (`make run-scaled`: PostgreSQL,
Redis, two API workers behind one port, Rasa with its trackers in PostgreSQL, the action
server) as real processes on 127.0.0.1, with simulated customers and agents chatting
while one API worker is SIGKILLed, Rasa is restarted with forms half-way, and Redis is
restarted. Afterwards, in PostgreSQL: every customer message stored exactly once, every
conversation in a legal state that its audit trail replays to, no bot turn stored while a
person owned the conversation, the forms continued after the Rasa restart, and every
webhook event delivered (one delivery row per event, each event id received).

The short form runs in `make test`; `make test-chaos` runs the long form
(CHAOS_SCALE=long, a few minutes). Both print a table of what was injected and what was
checked, also written to var/chaos/report-<scale>.txt (the processes' log beside it).
Nothing here asserts on timing: every wait is a bounded poll on a condition."""

from __future__ import annotations

from pathlib import Path

import pytest
from chaos_plan import Scale
from chaos_receiver import WebhookReceiver
from chaos_report import render, write
from chaos_run import ChaosRun
from stack_fixtures import ADMIN_KEY, ASSIST_KEY

from rasa_bot.scaled import Scaled

pytestmark = pytest.mark.integration


def test_chaos_faults_under_traffic(
    chaos_stack: Scaled, bot_model: Path, receiver: WebhookReceiver, scale: Scale
) -> None:
    out = ChaosRun(chaos_stack, bot_model, receiver, scale, ASSIST_KEY, ADMIN_KEY).run()
    text = render(scale.name, out.faults, out.checks, out.figures)
    path = write(text, scale.name)
    print(f"\n{text}(written to {path})", flush=True)
    failed = [c.name for c in out.checks if not c.passed]
    assert not failed, f"failed checks: {failed}\n{text}"
