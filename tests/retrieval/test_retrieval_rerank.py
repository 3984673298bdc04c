"""The learned re-ranker (retrieval/ranker.py `Reranker`) and the policy file that ships it
(retrieval/ranking_policy.py): a re-ranker only re-orders the fixed ranking's top pool, so
a log randomised over that pool can always judge it again; the file is validated whole and
a bad one is refused with a message naming the file and the field."""

from __future__ import annotations

import json
import random
from dataclasses import asdict
from datetime import UTC, datetime

import pytest
from bank_helpers import one_intent_items

from intent.encoder import HashingEncoder
from retrieval.errors import ConfigError
from retrieval.ranker import HybridRanker, Randomiser, RankerWeights, Reranker
from retrieval.ranking_policy import RankingPolicy, load_policy
from retrieval.responses import SlotConfig

QUERY = "question 3 about delivery"


@pytest.fixture()
def ranker() -> HybridRanker:
    return HybridRanker(
        one_intent_items(14), HashingEncoder(64), slots=SlotConfig({}, {})
    ).warm_up()


# weights that order by the reply's own text more than by the past questions
REPLY_FIRST = RankerWeights(reply_dense=1.0, case_dense=0.0, reply_bm25=1.0, case_bm25=0.0)


def _ids(ranker: HybridRanker, k: int = 5, **kw: object) -> list[str]:
    return [s.id for s in ranker.rank(QUERY, k=k, **kw)]  # type: ignore[arg-type]


def test_a_reranker_with_the_fixed_weights_changes_nothing(ranker):
    fixed = ranker.rank(QUERY, k=5, intent="intent_3", intent_confidence=0.8)
    ranker.rerank = Reranker(ranker.weights, pool=8)
    same = ranker.rank(QUERY, k=5, intent="intent_3", intent_confidence=0.8)
    assert [s.id for s in same] == [s.id for s in fixed]
    assert [s.position for s in same] == [1, 2, 3, 4, 5]
    # its score is the fixed one's, shown beside the fixed score
    assert all(s.components["reranked"] == pytest.approx(s.score, abs=1e-3) for s in same)


def test_a_reranker_only_reorders_the_fixed_top_pool(ranker):
    pool = 6
    fixed_top = set(_ids(ranker, k=pool))
    ranker.rerank = Reranker(REPLY_FIRST, pool=pool)
    out = ranker.rank(QUERY, k=5)
    assert {s.id for s in out} <= fixed_top  # nothing brought in from outside the pool
    learned = [s.components["reranked"] for s in out]
    assert learned == sorted(learned, reverse=True)  # in the learned order
    # and the learned order differs from the fixed one here, so the test can tell
    ranker.rerank = None
    assert _ids(ranker) != [s.id for s in out]


def test_past_the_pool_the_list_keeps_the_fixed_order(ranker):
    fixed = _ids(ranker, k=8)
    ranker.rerank = Reranker(REPLY_FIRST, pool=3)
    out = _ids(ranker, k=8)
    assert set(out[:3]) == set(fixed[:3])
    assert out[3:] == fixed[3:]


def test_a_reranker_of_another_language_leaves_english_alone(ranker):
    fixed = _ids(ranker)
    ranker.rerank = Reranker(REPLY_FIRST, pool=6, language="zh")
    assert _ids(ranker) == fixed


def test_randomised_lists_over_the_same_pool_draw_from_the_fixed_top(ranker):
    pool = 6
    fixed_top = set(_ids(ranker, k=pool))
    ranker.rerank = Reranker(REPLY_FIRST, pool=pool)
    ranker.randomise = Randomiser(1.0, pool=pool, rng=random.Random(3))
    drawn: set[str] = set()
    for _ in range(200):
        out = ranker.rank(QUERY, k=5)
        assert all(s.propensity == pytest.approx(1 / pool, abs=1e-6) for s in out)
        drawn |= {s.id for s in out}
    assert drawn == fixed_top  # every reply of the pool is drawn, and only those


def test_a_pool_must_be_positive():
    with pytest.raises(ValueError, match="pool"):
        Reranker(RankerWeights(), pool=0)


# ---------------------------------------------------------------------- the policy file


def _policy(**over: object) -> dict[str, object]:
    raw: dict[str, object] = {
        "version": 1,
        "ship": "rerank",
        "weights": asdict(REPLY_FIRST),
        "pool": 6,
        "evidence": {
            "log": "export.jsonl",
            "select_by": "ips",
            "validation_turns": 600,
            "candidate": "re-ranker (shown/0.03)",
            "gain": {"gain": 0.02, "low": 0.004, "high": 0.04},
            "created": datetime(2026, 12, 1, tzinfo=UTC).isoformat(),
        },
    }
    raw.update(over)
    return raw


def test_a_written_policy_reads_back_and_serves_its_reranker(tmp_path, ranker):
    path = RankingPolicy.model_validate(_policy()).write(tmp_path / "p" / "policy.json")
    policy = load_policy(path)
    assert policy.ship == "rerank" and policy.pool == 6
    policy.apply(ranker)
    assert ranker.rerank == Reranker(REPLY_FIRST, 6, "en")
    assert ranker.weights == RankerWeights()  # the fixed weights stay


def test_a_reweight_policy_replaces_the_fixed_weights(tmp_path, ranker):
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(_policy(ship="reweight")), encoding="utf-8")
    load_policy(path).apply(ranker)
    assert ranker.weights == REPLY_FIRST and ranker.rerank is None


def test_a_fixed_policy_restores_the_fixed_ranking(tmp_path, ranker):
    ranker.rerank, ranker.weights = Reranker(REPLY_FIRST, pool=6), REPLY_FIRST
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(_policy(ship="fixed", weights=None)), encoding="utf-8")
    load_policy(path).apply(ranker)
    assert ranker.rerank is None and ranker.weights == RankerWeights()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("{not json", "not JSON"),
        (_policy(ship="rerank", weights=None), "needs weights"),
        (_policy(ship="use_rates"), "needs usage_weight"),
        (_policy(ship="bandit"), "ship"),
        (_policy(version=2), "version"),
        (_policy(pool=0), "pool"),
        (_policy(weights={**asdict(REPLY_FIRST), "intent": -1.0}), "weights.intent"),
        (_policy(extra=1), "extra"),
        (_policy(language="zh"), "language"),
    ],
)
def test_a_bad_policy_names_the_file_and_the_field(tmp_path, raw, message):
    path = tmp_path / "policy.json"
    path.write_text(raw if isinstance(raw, str) else json.dumps(raw), encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as err:
        load_policy(path)
    assert str(path) in str(err.value)


def test_a_missing_policy_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_policy(tmp_path / "absent.json")


def test_the_benchmarks_policy_file_is_one_the_service_can_serve():
    """docs/retrieval.md tells a person to start the demo with the replay's own file."""
    from pathlib import Path

    from api.config import Settings

    path = Path(__file__).resolve().parents[2] / "bench" / "results" / "suggestion_policy.json"
    policy = load_policy(path)
    # with randomised impressions at their default pool, the start would accept it
    assert policy.pool == Settings.model_fields["suggestion_random_pool"].default
    assert policy.evidence.validation_turns > 0
