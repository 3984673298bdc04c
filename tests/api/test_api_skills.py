"""Skills as pure functions: data/queue.yml's `skills` read and checked (a clear error
naming the file), a conversation's queue from its intents (the latest topical one; else
general), unknown intents reported, and the expected wait's divisor."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import yaml

from api.conversations.priority import QueueConfigError, QueueWeights
from api.conversations.queue import expected_wait, queue_of
from api.conversations.skills import GENERAL, SkillMap
from api.conversations.state import State
from api.conversations.store import Conversation, Turn

SKILLS = SkillMap.from_dict(
    {"billing": ["get_refund", "payment_issue"], "tech": ["activation_problem"]}
)


def test_the_latest_topical_intent_picks_the_queue():
    assert SKILLS.queue_of(["contact_human_agent", "get_refund", "activation_problem"]) == "billing"
    assert SKILLS.queue_of([None, "activation_problem"]) == "tech"
    assert SKILLS.queue_of(["greet", "track_order", None]) == GENERAL
    assert SKILLS.queue_of([]) == GENERAL
    assert SKILLS.queues == ("billing", "tech", GENERAL)


def test_unknown_intents_are_reported_not_refused(caplog):
    labels = ["get_refund", "payment_issue"]
    assert SKILLS.unknown(labels) == ["activation_problem"]
    assert SKILLS.warn_unknown(labels) == ["activation_problem"]
    assert "activation_problem" in caplog.text


@pytest.mark.parametrize(
    "skills, says",
    [
        (["billing"], "must map each queue"),
        ({"Billing!": ["get_refund"]}, "queue name"),
        ({"billing": "get_refund"}, "list of intent names"),
        ({"billing": ["get_refund"], "orders": ["get_refund"]}, "in both"),
    ],
)
def test_a_bad_skills_map_stops_the_start_naming_the_file(tmp_path, skills, says):
    path = tmp_path / "queue.yml"
    path.write_text(yaml.safe_dump({"skills": skills}), encoding="utf-8")
    with pytest.raises(QueueConfigError) as err:
        QueueWeights.load(path)
    assert str(path) in str(err.value) and says in str(err.value)


def test_the_shipped_file_maps_known_labels_to_three_queues():
    skills = QueueWeights.load().skills
    assert skills.queues == ("billing", "tech", "orders", GENERAL)
    assert skills.queue_of(["payment_issue"]) == "billing"


def _conv(queue=None, packet=None):
    now = datetime.now(UTC)
    return Conversation(
        "conv_1", None, "chat", State.QUEUED, 1, None, "please", now, 0, now, now,
        packet or {}, queue=queue,
    )  # fmt: skip


def test_a_conversations_queue_explicit_then_last_turn_then_packet():
    turn = Turn("t", "conv_1", "customer", "hi", datetime.now(UTC), "activation_problem", {})
    packet = {"transcript": [{"role": "customer", "intent": "get_refund"}]}
    assert queue_of(_conv("orders", packet), turn, SKILLS) == "orders"
    assert queue_of(_conv(None, packet), turn, SKILLS) == "tech"
    assert queue_of(_conv(None, packet), None, SKILLS) == "billing"
    assert queue_of(_conv(), None, SKILLS) == GENERAL


def test_the_expected_wait_divides_by_agents_online_for_the_queue_else_by_claimers():
    waits = [(120.0, "agent:a"), (240.0, "agent:b")]
    assert expected_wait(waits, 2) == 180.0  # 180 x 2 / 2 claimers
    assert expected_wait(waits, 2, online=4) == 90.0
    assert expected_wait([], 1, online=3) is None
