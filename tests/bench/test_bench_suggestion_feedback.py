"""The suggestion-feedback replay (bench/suggestion_feedback.py): it reads a feedback
export, learns from its first part, chooses the settings on the next and measures the last;
where agents keep choosing a reply the fixed ranker puts second, the learned rates put
it first and the replay says so, and where they follow the fixed order it keeps weight 0
and ships the fixed weights. Also: the preferences each click model reads in a turn, the
refit's fit and its assumption (the ranker's score is linear in the features), the guard,
and the bias of the used reply's MRR that the ideal reply's avoids. With randomised
impressions: the IPS estimate is unbiased under an item-position model (enumerated
exactly), leaves out turns without propensities, is read from the export's new fields
(and older exports without them), guards what ships, and the simulated log carries the
placements (rate 0: the log of before)."""

from __future__ import annotations

import itertools
import json
import math
import random
from dataclasses import asdict
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from bench.suggestion_feedback import (
    PAIR_FEATURES,
    Turn,
    configured,
    fit_weights,
    guard,
    ips,
    ips_guard,
    ips_term,
    item_scores,
    pair_accuracy,
    paired_gain,
    paired_sn_gain,
    preference_pairs,
    ranking_policy,
    read_log,
    replay,
    score,
    simulate,
    sn_value,
)
from intent.encoder import HashingEncoder
from retrieval.ranker import HybridRanker, Randomiser, RankerWeights
from retrieval.ranking_policy import load_policy
from retrieval.responses import BankItem
from retrieval.usage import Impression, UsagePrior, UsageSettings

TEXT = "I want a refund"


def _ranker() -> HybridRanker:
    items = [
        BankItem("r1", "template", "We will refund you within 5 days.", ("get_refund",),
                 questions=("I want a refund",)),
        BankItem("r2", "template", "Your refund is on its way.", ("get_refund",),
                 questions=("where is my refund",)),
        BankItem("t1", "template", "Your parcel ships today.", ("track_order",),
                 questions=("where is my parcel",)),
    ]  # fmt: skip
    return HybridRanker(items, HashingEncoder(64))


def _export(path: Path, picks: list[str]) -> Path:
    rows = []
    for k, pick in enumerate(picks):
        for sid in ("r1", "r2"):
            rows.append({"kind": "suggestion", "action": "shown", "conversation_id": f"c{k}",
                         "turn_id": f"t{k}", "suggestion_id": sid, "text": TEXT,
                         "predicted_intent": "get_refund"})  # fmt: skip
        rows.append({"kind": "suggestion", "action": "used", "conversation_id": f"c{k}",
                     "turn_id": f"t{k}", "suggestion_id": pick, "text": TEXT,
                     "predicted_intent": "get_refund"})  # fmt: skip
    rows.append({"kind": "intent_correction", "action": "corrected", "text": "x"})
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_a_log_is_read_turn_by_turn(tmp_path):
    turns = read_log(_export(tmp_path / "log.jsonl", ["r2", "r1"]))
    assert [(t.shown, t.used, t.intent) for t in turns] == [
        (["r1", "r2"], "r2", "get_refund"),
        (["r1", "r2"], "r1", "get_refund"),
    ]


def test_agents_who_prefer_the_second_reply_teach_the_ranker(tmp_path):
    ranker = _ranker()
    first = ranker.rank(TEXT, 2, "get_refund")[0].id
    other = "r2" if first == "r1" else "r1"
    result = replay(read_log(_export(tmp_path / "log.jsonl", [other] * 40)), ranker, False)
    assert result["weight"] > 0
    assert result["fixed"]["mrr_used"] == 0.5  # the fixed ranker puts it second
    assert result["learned"]["mrr_used"] == 1.0
    assert ranker.usage is None  # the replay leaves the ranker as it found it


def test_agents_who_follow_the_fixed_order_keep_the_weight_at_zero(tmp_path):
    ranker = _ranker()
    first = ranker.rank(TEXT, 2, "get_refund")[0].id
    result = replay(read_log(_export(tmp_path / "log.jsonl", [first] * 40)), ranker, False)
    assert result["weight"] == 0.0
    assert result["fixed"]["mrr_used"] == result["learned"]["mrr_used"] == 1.0


# ---------------------------------------------------------------- pairs, fit, metrics, guard


def _turn(shown, used, dismissed=(), **kw):
    return Turn("k", TEXT, "get_refund", 1.0, list(shown), used, set(dismissed), **kw)


def test_skip_above_pairs_only_the_shown_replies_the_agent_passed_over():
    t = _turn(["a", "b", "c", "d", "e"], "c", dismissed=["e"])
    assert preference_pairs(t, "skip_above") == [("c", "a"), ("c", "b"), ("c", "e")]
    assert preference_pairs(t, "shown") == [("c", "a"), ("c", "b"), ("c", "d"), ("c", "e")]
    # never-shown items only with the explicit top10 assumption
    assert preference_pairs(t, "top10", below=["f", "c"])[-1] == ("c", "f")
    assert all(b != "f" for _, b in preference_pairs(t, "shown"))


def test_no_use_says_nothing_and_a_searched_reply_beats_every_shown_one():
    assert preference_pairs(_turn(["a", "b"], None, dismissed=["a"]), "shown") == []
    assert preference_pairs(_turn(["a", "b"], "z"), "skip_above") == [("z", "a"), ("z", "b")]
    with pytest.raises(ValueError):
        preference_pairs(_turn(["a"], "a"), "clicks")


def test_item_scores_are_the_rankers_own_scores():
    """The refit's assumption: rank's score is linear in `feature_rows` with the weights."""
    ranker = _ranker()
    prior = UsagePrior.learn(
        [Impression("r2", "get_refund", None, used=True)] * 5
        + [Impression("r1", "get_refund", None)] * 5,
        UsageSettings(weight=0.7),
    )
    for weights, usage in (
        (None, None),
        (RankerWeights(2.0, 0.3, 0.5, 0.2, 0.1), None),
        (None, prior),
    ):
        for turn in (
            _turn([], None),
            Turn("k", "my parcel?", None, 1.0),
            Turn("k", TEXT, "get_refund", 0.4),
        ):
            with configured(ranker, usage, weights):
                ranked = ranker.rank(turn.text, 3, turn.intent, turn.confidence)
                scores = item_scores(ranker, turn, [s.id for s in ranked])
            assert {s.id: s.score for s in ranked} == pytest.approx(scores, abs=1e-3)
    assert ranker.usage is None and ranker.weights == RankerWeights()


def _pairs(n=200, seed=0):
    """Preferences made by a ranker that weighs reply_dense 2 and case_dense 0.5."""
    rng = np.random.default_rng(seed)
    dx = rng.normal(0, [0.1, 0.1, 0.3, 0.3, 0.4], (n, 5))
    truth = np.array([2.0, 0.5, 0.0, 0.1, 0.3])
    flip = np.where(dx @ truth + rng.normal(0, 0.02, n) > 0, 1.0, -1.0)
    return dx * flip[:, None], np.zeros(n)


def test_the_refit_learns_the_preferences_and_a_strong_pull_keeps_the_fixed_weights():
    dx, do = _pairs()
    base = RankerWeights()
    fitted = fit_weights(dx, do, base, pull=0.0)
    assert fitted.reply_dense > fitted.case_dense  # the preference behind the pairs
    assert pair_accuracy(dx, do, fitted) > pair_accuracy(dx, do, base)
    assert min(asdict(fitted).values()) >= 0
    assert (fitted.stage, fitted.personal) == (base.stage, base.personal)
    spread = dx.std(axis=0)  # the fixed weights' scale is kept
    vec = [getattr(fitted, f) for f in PAIR_FEATURES]
    assert spread @ vec == pytest.approx(spread @ [getattr(base, f) for f in PAIR_FEATURES])
    pulled = fit_weights(dx, do, base, pull=1e6)
    assert asdict(pulled) == pytest.approx(asdict(base), abs=1e-3)
    assert fit_weights(dx[:5], do[:5], base, pull=0.0) == base  # too few pairs


def test_the_guard_ships_a_learned_ranking_only_when_it_beats_the_fixed_one():
    fixed = {"mrr_ideal": 0.5}
    assert guard(fixed, {"a": {"mrr_ideal": 0.6}, "b": {"mrr_ideal": 0.55}}, "mrr_ideal") == "a"
    assert guard(fixed, {"a": {"mrr_ideal": 0.5}}, "mrr_ideal") == "fixed"
    assert guard(fixed, {"a": {"mrr_ideal": 0.4}}, "mrr_ideal") == "fixed"
    assert guard(fixed, {}, "mrr_ideal") == "fixed"


def test_the_used_reply_penalises_a_ranking_that_moves_a_better_reply_up():
    """Only r1 was shown and used; r2, never shown, was closer to what the agent should have
    sent. A ranking that puts r2 first loses on the used reply, gains on the ideal one."""
    ranker = _ranker()
    first = ranker.rank(TEXT, 2, "get_refund")[0].id
    other = "r2" if first == "r1" else "r1"
    turn = _turn([first], first, usable={first: 0.7, other: 0.9}, ideal=other)
    fixed = score([turn], ranker)
    assert (fixed["mrr_used"], fixed["mrr_ideal"], fixed["used_miss_as_good"]) == (1.0, 0.5, 0.0)
    prior = UsagePrior.learn(  # agents keep using the other one, passing this one over
        [Impression(other, "get_refund", None, used=True)] * 20
        + [Impression(first, "get_refund", None)] * 20,
        UsageSettings(weight=2.0),
    )
    moved = score([turn], ranker, prior)
    assert (moved["mrr_used"], moved["mrr_ideal"], moved["used_miss_as_good"]) == (0.5, 1.0, 1.0)
    assert moved["mrr_used_shown"] == 1.0  # among what was shown, nothing moved


def test_the_replay_reports_what_the_guard_shipped(tmp_path):
    ranker = _ranker()
    first = ranker.rank(TEXT, 2, "get_refund")[0].id
    other = "r2" if first == "r1" else "r1"
    same = replay(read_log(_export(tmp_path / "a.jsonl", [first] * 40)), ranker, False)
    assert same["shipped"] == "fixed" and same["shipped_as"] == "fixed"
    assert same["select_by"] == "mrr_used_shown"  # a real log has no ideal reply
    moved = replay(read_log(_export(tmp_path / "b.jsonl", [other] * 40)), ranker, False)
    assert moved["shipped"] != "fixed"
    shipped = moved[moved["shipped_as"]]
    assert shipped["mrr_used_shown"] > moved["fixed"]["mrr_used_shown"]
    assert ranker.usage is None and ranker.weights == RankerWeights()


# ---------------------------------------------------------------- randomised impressions, IPS


def _placed_turn(order, used, mu, key="k"):
    """A turn served `order` (position = index + 1), each reply with propensity mu[sid]."""
    placed = {sid: (p, mu[sid]) for p, sid in enumerate(order, start=1)}
    return Turn(key, TEXT, "get_refund", 1.0, list(order), used, set(),
                placed=placed, used_at=placed[used] if used else None)  # fmt: skip


def test_the_ips_estimate_is_unbiased_under_an_item_position_model():
    """A logging policy that serves the fixed order [a, b] and, on a share `rate` of the
    lists, a uniformly random ordered pair of the pool {a, b, c, d}; an agent who examines
    position k with probability theta[k] and then uses the reply there with probability
    q[reply] (the item-position model). Enumerating every logged list and outcome, the
    estimator's expectation is each target's true value sum_k theta[k] q[target_k] / k."""
    pool, fixed, rate = ("a", "b", "c", "d"), ("a", "b"), 0.3
    theta, q = {1: 0.6, 2: 0.3}, {"a": 0.2, "b": 0.5, "c": 0.9, "d": 0.4}
    lists = [(fixed, 1 - rate)] + [
        (order, rate / 12) for order in itertools.permutations(pool, 2)
    ]  # fmt: skip

    def mu(sid: str, position: int) -> float:  # the Randomiser's propensity
        return (1 - rate) * (fixed[position - 1] == sid) + rate / len(pool)

    for sid in pool:  # the propensity is the chance of that reply at that position
        for k in (1, 2):
            assert mu(sid, k) == pytest.approx(
                sum(pr for order, pr in lists if order[k - 1] == sid)
            )
    randomiser = Randomiser(rate, len(pool), random.Random(1))  # the service's agrees
    for _ in range(50):
        for c in randomiser.place(len(pool), 2):
            assert c.propensity == pytest.approx(mu(pool[c.rank], c.position))

    for target in [fixed, ("c", "a"), ("d", "c"), ("b", "a")]:
        truth = sum(theta[k] * q[target[k - 1]] / k for k in (1, 2))
        expected = 0.0
        for order, pr in lists:
            outcomes = [(order[k - 1], theta[k] * q[order[k - 1]]) for k in (1, 2)]
            outcomes.append((None, 1 - sum(p for _, p in outcomes)))
            for used, p in outcomes:
                turn = _placed_turn(order, used, {s: mu(s, order.index(s) + 1) for s in order})
                expected += pr * p * ips([turn], [target]).value
        assert expected == pytest.approx(truth, abs=1e-12)


def test_an_ips_term_credits_the_used_reply_only_where_the_target_puts_it():
    assert ips_term(["a", "b"], "b", (2, 0.25)) == 2.0  # (1/2) / 0.25
    assert ips_term(["b", "a"], "b", (2, 0.25)) == 0.0  # the target has it elsewhere
    assert ips_term(["a"], "b", (2, 0.25)) == 0.0  # a shorter list
    assert ips_term(["a", "b"], None, None) == 0.0  # no use
    assert ips_term(["a", "b"], "b", None) == 0.0  # used, but not from the list
    with pytest.raises(ValueError):
        ips_term(["a", "b"], "b", (2, 0.0))


def test_turns_without_propensities_are_left_out():
    served = _placed_turn(["a", "b"], "b", {"a": 0.5, "b": 0.5})
    unused = _placed_turn(["a", "b"], None, {"a": 0.5, "b": 0.5})
    old = _turn(["a", "b"], "b")  # an export from before randomised impressions
    searched = _placed_turn(["a", "b"], None, {"a": 0.5, "b": 0.5})
    searched.used = "z"  # found by search: no placement
    assert not old.has_propensities and searched.has_propensities
    est = ips([served, old, unused, searched], [["a", "b"]] * 4)
    assert est.excluded == 1
    assert est.terms == [1.0, 0.0, 0.0]  # (1/2) / 0.5; no use; a use not from the list
    assert est.value == pytest.approx(1 / 3)
    # self-normalised: position 2's weights sum to 3 / 0.5, its credited uses to 1 / 0.5
    assert est.self_normalised == pytest.approx(0.5 * (2.0 / 6.0))
    nothing = ips([old], [["a", "b"]])
    assert nothing.excluded == 1 and nothing.terms == [] and math.isnan(nothing.value)


def test_a_log_with_positions_and_propensities_is_read(tmp_path):
    def row(turn, sid, action, **kw):
        return {"kind": "suggestion", "action": action, "conversation_id": "c",
                "turn_id": turn, "suggestion_id": sid, "text": TEXT,
                "predicted_intent": "get_refund", **kw}  # fmt: skip

    rows = [
        row("t1", "r2", "shown", position=1, propensity=0.05),
        row("t1", "r1", "shown", position=2, propensity=0.05),
        row("t1", "r1", "used", position=2, propensity=0.05),
        # the used row without its own: the shown row's
        row("t2", "r1", "shown", position=1, propensity=0.95),
        row("t2", "r2", "shown", position=2, propensity=0.95),
        row("t2", "r2", "edited", position=None, propensity=None),
        # an older export: no such fields
        row("t3", "r1", "shown"),
        row("t3", "r2", "shown"),
        row("t3", "r2", "used"),
    ]
    path = tmp_path / "log.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    t1, t2, t3 = read_log(path)
    assert (t1.shown, t1.used, t1.used_at) == (["r2", "r1"], "r1", (2, 0.05))
    assert t1.placed == {"r2": (1, 0.05), "r1": (2, 0.05)}
    assert (t2.used, t2.used_at) == ("r2", (2, 0.95))
    assert (t3.shown, t3.used, t3.placed, t3.used_at) == (["r1", "r2"], "r2", {}, None)
    assert t1.has_propensities and t2.has_propensities and not t3.has_propensities
    assert ips([t1, t2, t3], [["r1", "r2"]] * 3).excluded == 1


def _randomised_export(path: Path, first: str, other: str, pick: str, n: int) -> Path:
    """`n` turns served [first, other], one in 4 swapped (a random list: rate 0.5 over
    a pool of 2, propensities 0.75 as ranked and 0.25 swapped), the agent using `pick`."""
    rows = []
    for k in range(n):
        swapped = k % 4 == 3
        order, mu = ([other, first], 0.25) if swapped else ([first, other], 0.75)
        base = {"kind": "suggestion", "conversation_id": f"c{k}", "turn_id": f"t{k}",
                "text": TEXT, "predicted_intent": "get_refund", "propensity": mu}  # fmt: skip
        for p, sid in enumerate(order, start=1):
            rows.append({**base, "action": "shown", "suggestion_id": sid, "position": p})
        rows.append({**base, "action": "used", "suggestion_id": pick,
                     "position": order.index(pick) + 1})  # fmt: skip
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_with_randomised_impressions_the_guard_goes_by_the_ips_interval(tmp_path):
    ranker = _ranker()
    first = ranker.rank(TEXT, 2, "get_refund")[0].id
    other = "r2" if first == "r1" else "r1"
    log = read_log(_randomised_export(tmp_path / "a.jsonl", first, other, other, 400))
    moved = replay(log, ranker, False)
    assert moved["select_by"] == "ips" and moved["main"] == "ips"
    op = moved["off_policy"]
    assert op["turns_with_propensity"] == 80 and op["turns_without_propensity"] == 0
    # the fixed ranking puts the used reply second: (1/2) on 3 turns in 4
    assert op["rankings"]["fixed"]["ips"] == pytest.approx(0.5)
    assert moved["guard_gain"]["low"] > 0 and moved["shipped"] != "fixed"
    assert moved[moved["shipped_as"]]["ips"] == pytest.approx(1.0)  # the reply first
    assert ranker.randomise is None and ranker.usage is None
    same = replay(
        read_log(_randomised_export(tmp_path / "b.jsonl", first, other, first, 400)), ranker, False
    )
    assert same["select_by"] == "ips" and same["shipped"] == "fixed"
    assert same["off_policy"]["rankings"]["fixed"]["ips"] == pytest.approx(1.0)


def test_the_simulated_log_carries_the_placements_and_rate_0_changes_nothing():
    ranker = _ranker()
    rows = [(TEXT, "get_refund", "We will refund you within 5 days."),
            ("where is my parcel", "track_order", "Your parcel ships today.")] * 10  # fmt: skip
    prediction = SimpleNamespace(out_of_scope=False, intent="get_refund", confidence=0.9)
    analyzer = SimpleNamespace(
        analyze=lambda texts: [SimpleNamespace(prediction=prediction)] * len(texts)
    )

    def log(randomiser):
        return [(t.shown, t.used, t.placed, t.used_at)
                for t in simulate(rows, analyzer, ranker, randomiser)]  # fmt: skip

    plain = log(None)
    assert log(Randomiser(0.0, 10, random.Random(0))) == plain
    assert all(mu == 1.0 for _, _, placed, _ in plain for _, mu in placed.values())
    served = simulate(rows, analyzer, ranker, Randomiser(1.0, 10, random.Random(0)))
    assert ranker.randomise is None  # only serving the log is randomised
    assert len({tuple(t.shown) for t in served}) > 2  # some lists are shuffled
    for t in served:
        assert sorted(p for p, _ in t.placed.values()) == list(range(1, len(t.shown) + 1))
        assert all(mu == pytest.approx(1 / 3) for _, mu in t.placed.values())  # a pool of 3
        assert t.used_at == (t.placed[t.used] if t.used else None)


def test_the_shipped_ranking_is_written_as_the_services_policy(tmp_path):
    ranker = _ranker()
    first = ranker.rank(TEXT, 2, "get_refund")[0].id
    other = "r2" if first == "r1" else "r1"
    log = read_log(_randomised_export(tmp_path / "a.jsonl", first, other, other, 400))
    moved = replay(log, ranker, False, rerank_pool=2)
    # the refit as a re-ranker of the top 2 (the randomised pool) is judged as well
    assert moved["rerank_choice"] is not None and moved["rerank_pool"] == 2
    assert moved["reranked"]["ips"] == pytest.approx(1.0)  # it puts the used reply first
    assert moved["guard_candidate"] in moved["shipped"] or moved["shipped"] == "fixed"
    result = {"replay": moved, "log": "a.jsonl", "generated": "2026-12-01T00:00:00+00:00"}
    path = ranking_policy(result).write(tmp_path / "policy.json")
    policy = load_policy(path)
    assert policy.ship == moved["policy"]["ship"] != "fixed"
    assert policy.evidence.select_by == "ips" and policy.evidence.gain is not None
    assert policy.evidence.gain.low > 0 and policy.evidence.validation_turns == 80
    served = _ranker()
    policy.apply(served)
    if policy.ship == "use_rates":
        assert policy.usage_weight and policy.usage_weight > 0
    else:  # a re-ranker or new weights: the service now serves the used reply first
        assert served.rank(TEXT, 2, "get_refund")[0].id == other
    same = replay(
        read_log(_randomised_export(tmp_path / "b.jsonl", first, other, first, 400)),
        ranker,
        False,
        rerank_pool=2,
    )
    kept = ranking_policy({**result, "replay": same})
    assert kept.ship == "fixed" and kept.weights is None and kept.reranker() is None
    assert ranker.rerank is None and ranker.weights == RankerWeights()


def _random_log(n: int, seed: int) -> list[Turn]:
    """`n` turns served as ranked ([a, b]) or, one in 4, a random ordered pair of the pool
    {a, b, c} (the Randomiser's propensities), the agent using c where shown, else b."""
    rng, pool, rate = random.Random(seed), ("a", "b", "c"), 0.25

    def mu(sid: str, k: int) -> float:
        return (1 - rate) * (("a", "b")[k - 1] == sid) + rate / len(pool)

    turns = []
    for i in range(n):
        order = rng.sample(pool, 2) if rng.random() < rate else ["a", "b"]
        used = "c" if "c" in order else "b"
        turns.append(
            _placed_turn(order, used, {s: mu(s, order.index(s) + 1) for s in order}, f"k{i}")
        )
    return turns


def test_the_self_normalised_estimate_is_rebuilt_from_its_per_turn_parts():
    turns = _random_log(200, 3)
    targets = [["c", "b"]] * len(turns)
    est = ips(turns, targets)
    assert est.num.shape == est.den.shape == (200, 2)
    assert sn_value(est.num, est.den) == pytest.approx(est.self_normalised)
    head = est.head(50)  # the estimate on the first 50 turns, parts and all
    alone = ips(turns[:50], targets[:50])
    assert head.value == pytest.approx(alone.value)
    assert head.self_normalised == pytest.approx(alone.self_normalised)


def test_the_guard_judges_a_reranker_by_the_self_normalised_estimate():
    turns = _random_log(400, 5)
    fixed = ips(turns, [["a", "b"]] * len(turns))
    better = ips(turns, [["c", "b"]] * len(turns))  # c first: every c shown was used
    sn, plain = paired_sn_gain(better, fixed), paired_gain(better.terms, fixed.terms)
    assert sn["gain"] == pytest.approx(better.self_normalised - fixed.self_normalised, abs=1e-4)
    assert sn["low"] <= sn["gain"] <= sn["high"]
    assert sn["high"] - sn["low"] < plain["high"] - plain["low"]  # less noise
    ship, judged, gain = ips_guard(fixed, {"re-ranker": (better, True)})
    assert gain == sn and judged == "re-ranker"
    assert ship == ("re-ranker" if sn["low"] > 0 else "fixed") == "re-ranker"
    ship, judged, gain = ips_guard(fixed, {"refit": (better, False)})
    assert gain == plain
    worse = ips(turns, [["b", "a"]] * len(turns))
    assert ips_guard(fixed, {"re-ranker": (worse, True)})[0] == "fixed"
    # two candidates: each judged at 97.5 %, the larger gain whose interval is above 0 ships
    ship, judged, gain = ips_guard(fixed, {"worse": (worse, True), "better": (better, True)})
    assert ship == judged == "better"
    assert gain == paired_sn_gain(better, fixed, level=0.975)
