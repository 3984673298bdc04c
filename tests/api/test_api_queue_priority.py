"""The queue's priority score (api/conversations/priority.py), its weights file, the
expected-wait arithmetic and the abandonment rule: pure functions, no app."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from api.conversations.abandon import abandon_reason
from api.conversations.priority import (
    DEFAULT_WEIGHTS,
    QueueConfigError,
    QueueSignals,
    QueueWeights,
    order_key,
    score,
    wait_points,
)
from api.conversations.queue import expected_wait
from api.conversations.state import State
from api.conversations.store import Conversation

W = QueueWeights()  # the defaults, the same as data/queue.yml's
TARGET = 120.0


def _names(p):
    return {r.name: (r.points, r.detail) for r in p.reasons}


def test_the_shipped_weights_file_loads_and_matches_the_defaults():
    assert QueueWeights.load(DEFAULT_WEIGHTS) == W


def test_an_anonymous_visitor_scores_only_the_wait():
    p = score(QueueSignals(wait_s=30), W, TARGET)
    assert _names(p) == {"wait": (2.5, "waited 30 s, target 2 min")}
    assert p.score == 2.5
    assert score(QueueSignals(wait_s=0), W, TARGET).reasons == ()


def test_each_reason_adds_its_points_and_says_why():
    p = score(
        QueueSignals(wait_s=0, frustration=0.82, tier="Gold", lifetime_value=899, open_tickets=1),
        W,
        TARGET,
    )
    reasons = _names(p)
    assert reasons["frustration"] == (32.8, "frustrated (0.82)")
    assert reasons["tier"] == (20.0, "gold tier")
    assert reasons["value"] == (4.5, "lifetime value 899")
    assert reasons["open_tickets"] == (10.0, "1 open ticket")
    assert "wait" not in reasons  # nothing waited yet
    assert p.score == pytest.approx(sum(r.points for r in p.reasons), abs=0.11)


def test_caps_and_unknown_tiers():
    p = score(QueueSignals(wait_s=0, tier="bronze", lifetime_value=1e6, open_tickets=5), W, TARGET)
    reasons = _names(p)
    assert "tier" not in reasons  # not listed: no points
    assert reasons["value"][0] == W.value_max
    assert reasons["open_tickets"] == (20.0, "5 open tickets")  # at most max_tickets count
    assert score(QueueSignals(wait_s=0, frustration=0.2), W, TARGET).reasons[0].detail == (
        "frustration 0.20"
    )


def test_waiting_past_the_target_climbs_faster():
    assert wait_points(0, TARGET, W) == 0
    assert wait_points(TARGET, TARGET, W) == W.wait_points_per_target
    assert wait_points(2 * TARGET, TARGET, W) == (
        W.wait_points_per_target + W.overdue_points_per_target
    )
    p = score(QueueSignals(wait_s=180), W, TARGET)
    assert _names(p)["wait"] == (30.0, "waited 3 min, target 2 min")


def test_nobody_starves_a_long_wait_overtakes_every_other_reason():
    best_fresh = score(
        QueueSignals(
            wait_s=0, frustration=1.0, tier="platinum", lifetime_value=1e6, open_tickets=9
        ),
        W,
        TARGET,
    )
    assert best_fresh.score == 105.0
    assert score(QueueSignals(wait_s=7 * 60), W, TARGET).score > best_fresh.score


def test_ordering_highest_priority_first_then_longest_wait():
    rows = [(10.0, 30.0, "a"), (50.0, 5.0, "b"), (10.0, 90.0, "c")]
    assert [r[2] for r in sorted(rows, key=lambda r: order_key(*r))] == ["b", "c", "a"]


@pytest.mark.parametrize(
    ("doc", "words"),
    [
        ({"frustration": -1}, "frustration must be within"),
        ({"tiers": {"gold": "lots"}}, "could not convert"),
        ({"value": {"per": 0}}, "value.per must be above 0"),
        ({"wait": {"overdue_points_per_target": 0}}, "wait for ever"),
        ({"frustraton": 40}, "unknown keys ['frustraton']"),
        ([1, 2], "expected a mapping"),
    ],
)
def test_bad_weights_are_refused_naming_the_file(tmp_path, doc, words):
    import yaml

    path = tmp_path / "queue.yml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(QueueConfigError) as err:
        QueueWeights.load(path)
    assert str(path) in str(err.value) and words in str(err.value)


def test_a_missing_weights_file_names_itself(tmp_path):
    with pytest.raises(QueueConfigError, match="nope.yml"):
        QueueWeights.load(tmp_path / "nope.yml")


def test_expected_wait_is_the_median_claim_wait_times_position_over_agents():
    assert expected_wait([], 1) is None
    waits = [(60.0, "agent:alice"), (120.0, "agent:bob"), (300.0, "agent:alice")]
    assert expected_wait(waits, 1) == 60.0  # median 120 s, two agents
    assert expected_wait(waits, 3) == 180.0


T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def _queued(**kw) -> Conversation:
    base = dict(
        id="conv_1",
        customer_id=None,
        channel="web",
        state=State.QUEUED,
        version=1,
        agent_id=None,
        handoff_reason="x",
        queued_at=T0,
        low_confidence_streak=0,
        created_at=T0,
        updated_at=T0,
    )
    return Conversation(**(base | kw))


def test_abandonment_counts_silence_from_the_last_sign_of_life():
    conv = _queued(customer_seen_at=T0 + timedelta(minutes=10))
    at = T0 + timedelta(minutes=24)
    assert abandon_reason(conv, None, at, 900, 60) is None  # 14 min since the last poll
    reason = abandon_reason(conv, None, at + timedelta(minutes=1), 900, 60)
    assert reason == "abandoned: no sign of the customer for 15 min"
    later = T0 + timedelta(minutes=20)  # they wrote at 20 min
    assert abandon_reason(conv, later, at + timedelta(minutes=1), 900, 60) is None
    assert abandon_reason(_queued(state=State.HUMAN), None, at, 1, 0) is None
    # a conversation no client of the customer ever polled (an integration drives it)
    assert abandon_reason(_queued(), None, T0 + timedelta(hours=5), 900, 60) is None


def test_a_page_that_left_is_abandoned_after_the_grace_unless_the_customer_came_back():
    left = _queued(left_at=T0 + timedelta(seconds=30))
    assert abandon_reason(left, None, T0 + timedelta(seconds=60), 900, 60) is None
    reason = abandon_reason(left, None, T0 + timedelta(seconds=90), 900, 60)
    assert reason is not None and reason.startswith("abandoned: the customer's page closed")
    back = _queued(left_at=T0 + timedelta(seconds=30), customer_seen_at=T0 + timedelta(seconds=35))
    assert abandon_reason(back, None, T0 + timedelta(seconds=90), 900, 60) is None
