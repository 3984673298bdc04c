"""Use rates of suggested replies (retrieval/usage.py): replies agents use in a context
climb there and not elsewhere, replies they pass over or dismiss sink, thin evidence
is shrunk towards the wider context, and a reply never shown keeps a chance; the ranker
adds the bonus to its fixed score."""

from __future__ import annotations

import pytest

from intent.encoder import HashingEncoder
from retrieval.ranker import HybridRanker
from retrieval.responses import BankItem
from retrieval.usage import Impression, UsagePrior, UsageSettings


def _shown(sid, intent="get_refund", n=1, used=0, dismissed=0, stage=None):
    return (
        [Impression(sid, intent, stage, used=True) for _ in range(used)]
        + [Impression(sid, intent, stage, dismissed=True) for _ in range(dismissed)]
        + [Impression(sid, intent, stage) for _ in range(n - used - dismissed)]
    )


def test_used_replies_climb_and_passed_over_ones_sink():
    prior = UsagePrior.learn(
        _shown("a", n=20, used=15) + _shown("b", n=20) + _shown("c", n=20, dismissed=20)
    )
    a, b, c = (prior.bonus(s, "get_refund") for s in "abc")
    assert a > 0 > b > c  # dismissing says more than passing over


def test_thin_evidence_is_shrunk_towards_the_wider_context():
    prior = UsagePrior.learn(
        _shown("a", n=1, used=1) + _shown("b", n=30, used=30) + _shown("c", n=30)
    )
    rate_a, n_a = prior.rate("a", "get_refund")
    rate_b, _ = prior.rate("b", "get_refund")
    assert n_a == 1 and prior.base_rate < rate_a < rate_b


def test_a_reply_is_judged_in_the_context_it_was_used_in():
    prior = UsagePrior.learn(
        _shown("a", "get_refund", n=20, used=18) + _shown("a", "track_order", n=20)
        + _shown("b", "track_order", n=20, used=18) + _shown("b", "get_refund", n=20)
    )  # fmt: skip
    assert prior.bonus("a", "get_refund") > 0 > prior.bonus("a", "track_order")
    assert prior.bonus("b", "track_order") > 0 > prior.bonus("b", "get_refund")
    # a reply's record for one request does not carry over to another it was never shown for
    loved = UsagePrior.learn(
        _shown("a", "get_refund", n=40, used=40) + _shown("b", "track_order", n=40, used=4)
    )
    assert loved.bonus("a", "track_order") == pytest.approx(loved.bonus("never", "track_order"))
    # the stage refines the intent when it is known, and falls back to it when not
    staged = UsagePrior.learn(
        _shown("a", n=20, used=18, stage="retain") + _shown("a", n=20, stage="support")
    )
    assert staged.bonus("a", "get_refund", "retain") > staged.bonus("a", "get_refund", "support")
    assert staged.bonus("a", "get_refund", "aware") == pytest.approx(
        staged.bonus("a", "get_refund"), abs=0.05
    )


def test_a_new_reply_keeps_a_chance():
    prior = UsagePrior.learn(_shown("old", n=50, used=5) + _shown("skipped", n=50))
    new = prior.bonus("new", "get_refund")
    assert new > prior.bonus("skipped", "get_refund")
    assert new > 0  # never shown: the exploration bonus, no penalty
    shown_more = [
        UsagePrior.learn(_shown("old", n=50, used=5) + _shown("x", n=n, used=n // 10)).bonus(
            "x", "get_refund"
        )
        for n in (0, 10, 100)
    ]
    # the guard fades as the reply is shown at the overall rate
    assert shown_more[0] > shown_more[1] > shown_more[2]
    assert UsagePrior.learn([]).bonus("anything") == 0.0
    with pytest.raises(ValueError):
        UsageSettings(prior=0)


def test_the_ranker_adds_what_agents_did():
    items = [
        BankItem(
            "r1",
            "template",
            "We will refund you within 5 days.",
            ("get_refund",),
            questions=("I want a refund",),
        ),
        BankItem(
            "r2",
            "template",
            "Your refund is on its way.",
            ("get_refund",),
            questions=("where is my refund",),
        ),
    ]
    ranker = HybridRanker(items, HashingEncoder(64))  # fmt: skip
    before = {s.id: s.score for s in ranker.rank("I want a refund", 2, "get_refund")}
    top, other = before
    ranker.usage = UsagePrior.learn(
        _shown(other, n=30, used=28) + _shown(top, n=30, dismissed=10), UsageSettings(weight=3.0)
    )
    after = ranker.rank("I want a refund", 2, "get_refund")
    assert [s.id for s in after] == [other, top]
    assert after[0].components["learned"] > 0 > after[1].components["learned"]
    for s in after:  # the fixed score plus the learned bonus, nothing else
        assert s.score == pytest.approx(before[s.id] + s.components["learned"], abs=1e-3)
    assert ranker.rank("I want a refund", 2, "track_order")[0].components["learned"] != 0
