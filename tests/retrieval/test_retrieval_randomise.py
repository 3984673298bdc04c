"""Randomised impressions (retrieval/ranker.py `Randomiser`): a share of the suggestion
lists is a random ordered sample of the ranking's top, and every suggestion says where it
went and how likely the serving policy was to put it there. The replay of the feedback log
(bench/suggestion_feedback.py) divides by that propensity, so it must be the true
probability: checked exactly (the propensities of each position sum to one over the pool)
and against the frequencies of many seeded draws."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from bank_helpers import one_intent_items

from intent.encoder import HashingEncoder
from retrieval.ranker import HybridRanker, Randomiser
from retrieval.responses import SlotConfig


@pytest.fixture(scope="module")
def ranker() -> HybridRanker:
    return HybridRanker(
        one_intent_items(12), HashingEncoder(64), slots=SlotConfig({}, {})
    ).warm_up()


def test_without_randomising_each_suggestion_is_at_its_rank_with_propensity_one(ranker):
    ranker.randomise = None
    out = ranker.rank("question 3 about delivery", k=5)
    assert [s.position for s in out] == [1, 2, 3, 4, 5]
    assert [s.propensity for s in out] == [1.0] * 5
    assert out[0].id == "t3"


def test_a_rate_of_zero_serves_the_ranking_unchanged(ranker):
    ranker.randomise = None
    plain = [s.id for s in ranker.rank("question 3 about delivery", k=5)]
    ranker.randomise = Randomiser(0.0, pool=10, rng=random.Random(1))
    try:
        for _ in range(20):
            out = ranker.rank("question 3 about delivery", k=5)
            assert [s.id for s in out] == plain
            assert [s.propensity for s in out] == [1.0] * 5
    finally:
        ranker.randomise = None


def test_propensities_of_a_position_sum_to_one_over_the_pool():
    r = Randomiser(0.3, pool=6, rng=random.Random(0))
    prob: Counter[tuple[int, int]] = Counter()
    for _ in range(3000):  # every (rank, position) pair is drawn
        for c in r.place(ranked=9, k=4):
            prob[(c.rank, c.position)] = c.propensity
    for position in range(1, 5):
        ranks = [rank for rank in range(6)]  # the pool: the top 6 of 9
        assert sum(prob[(rank, position)] for rank in ranks) == pytest.approx(1.0)
    assert prob[(0, 1)] == pytest.approx(0.7 + 0.3 / 6)  # ranked there, or drawn there
    assert prob[(5, 1)] == pytest.approx(0.3 / 6)  # only ever drawn there


def test_propensities_match_the_frequencies_of_the_draws():
    rate, pool, k, draws = 0.4, 5, 3, 20000
    r = Randomiser(rate, pool=pool, rng=random.Random(7))
    seen: Counter[tuple[int, int]] = Counter()
    claimed: dict[tuple[int, int], float] = {}
    for _ in range(draws):
        placed = r.place(ranked=8, k=k)
        assert sorted(c.position for c in placed) == [1, 2, 3]
        assert len({c.rank for c in placed}) == 3 and all(c.rank < pool for c in placed)
        for c in placed:
            seen[(c.rank, c.position)] += 1
            claimed[(c.rank, c.position)] = c.propensity
    assert len(seen) == pool * k  # every pool item reaches every position
    for key, count in seen.items():
        # binomial standard error at these counts is <= 0.0035; 5 of them is no accident
        assert count / draws == pytest.approx(claimed[key], abs=0.018), key


def test_a_small_ranking_or_a_small_pool_still_places_validly():
    r = Randomiser(1.0, pool=3, rng=random.Random(2))
    placed = r.place(ranked=2, k=5)  # fewer items than asked: a random order of both
    assert sorted(c.rank for c in placed) == [0, 1]
    assert all(c.propensity == pytest.approx(0.5) for c in placed)
    assert r.place(ranked=0, k=5) == []
    with pytest.raises(ValueError):
        Randomiser(1.5)
    with pytest.raises(ValueError):
        Randomiser(0.1, pool=0)


def test_the_ranker_serves_random_lists_from_the_top_of_its_ranking(ranker):
    ranker.randomise = None
    top = [s.id for s in ranker.rank("question 3 about delivery", k=4)]
    pool = [s.id for s in ranker.rank("question 3 about delivery", k=8)]
    ranker.randomise = Randomiser(1.0, pool=8, rng=random.Random(3))
    try:
        lists = [ranker.rank("question 3 about delivery", k=4) for _ in range(30)]
    finally:
        ranker.randomise = None
    assert any([s.id for s in out] != top for out in lists)
    for out in lists:
        assert [s.position for s in out] == [1, 2, 3, 4]
        assert {s.id for s in out} <= set(pool)
        assert all(s.propensity == pytest.approx(1 / 8) for s in out)
        assert all(s.text and s.source for s in out)  # filled, as any suggestion
