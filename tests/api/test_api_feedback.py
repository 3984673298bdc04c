"""Feedback on suggestions and intent corrections, exported as training data."""

from __future__ import annotations

import csv
import io
import json
import random

import pytest
from api_helpers import ADMIN_KEY, agent_headers, bearer, start


def test_feedback_round_trip_and_export(client):
    cid, me = start(client)
    turn = client.post(
        f"/v1/conversations/{cid}/messages", json={"text": "my sim is dead"}, headers=me
    ).json()["turn"]
    h = agent_headers(client)
    for body in [
        {"kind": "suggestion", "action": "shown", "conversation_id": cid, "suggestion_id": "s1"},
        {
            "kind": "suggestion",
            "action": "edited",
            "conversation_id": cid,
            "suggestion_id": "s1",
            "suggestion_text": "Restart it.",
            "edited_text": "Hi Emma, restart it.",
        },
        {
            "kind": "intent_correction",
            "action": "corrected",
            "conversation_id": cid,
            "turn_id": turn["id"],
            "corrected_intent": "get_refund",
        },
    ]:
        r = client.post("/v1/feedback", json=body, headers=h)
        assert r.status_code == 201, r.text
    r = client.get("/v1/feedback/export", headers=bearer(ADMIN_KEY))
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows == [["text", "label"], ["my sim is dead", "get_refund"]]
    lines = client.get("/v1/feedback/export?format=jsonl", headers=bearer(ADMIN_KEY)).text
    items = [json.loads(x) for x in lines.splitlines()]
    assert [i["action"] for i in items] == ["shown", "edited", "corrected"]
    assert items[1]["edited_text"] == "Hi Emma, restart it." and items[1]["actor"] == "agent:alice"
    assert items[2]["predicted_intent"] == "out_of_scope"
    assert client.get("/v1/feedback/export", headers=h).status_code == 403


def test_bad_feedback_is_422(client):
    h = agent_headers(client)
    for body in [
        {"kind": "suggestion", "action": "edited", "suggestion_id": "s1"},
        {"kind": "suggestion", "action": "corrected"},
        {"kind": "intent_correction", "action": "corrected", "corrected_intent": "x"},
        {"kind": "nope", "action": "used"},
    ]:
        r = client.post("/v1/feedback", json=body, headers=h)
        assert r.status_code == 422, body
        assert r.json()["error"]["message"]


def test_the_bots_rating_is_stored_validated_and_exported(client):
    from api_helpers import ASSIST_KEY

    cid, _ = start(client)
    bot = bearer(ASSIST_KEY)  # the bot's actions use an API key with scope assist
    body = {"kind": "rating", "action": "rated", "conversation_id": cid, "rating": 4}
    r = client.post("/v1/feedback", json=body | {"resolved": True}, headers=bot)
    assert r.status_code == 201, r.text
    for bad, status in [
        (body | {"rating": 6}, 422),
        (body | {"rating": None}, 422),
        ({k: v for k, v in body.items() if k != "conversation_id"}, 422),
        (body | {"kind": "suggestion", "action": "shown"}, 422),
    ]:
        r = client.post("/v1/feedback", json=bad, headers=bot)
        assert r.status_code == status, (bad, r.text)
        assert r.json()["error"]["message"]
    r = client.get("/v1/feedback/export?format=jsonl", headers=bearer(ADMIN_KEY))
    rows = [json.loads(line) for line in r.text.splitlines()]
    assert [(x["kind"], x["rating"], x["resolved"], x["conversation_id"]) for x in rows] == [
        ("rating", 4, True, cid)
    ]


def test_corrections_name_known_intents_and_the_export_is_spreadsheet_safe(client):
    """A label the model does not have is refused; a cell that starts like a formula is
    exported as text; a card number in the feedback text never reaches the table."""
    h = agent_headers(client)
    base = {"kind": "intent_correction", "action": "corrected"}
    r = client.post(
        "/v1/feedback", json=base | {"text": "hi", "corrected_intent": "no_such"}, headers=h
    )
    assert r.status_code == 422 and "not one of the model's intents" in r.json()["error"]["message"]
    for text in ['=HYPERLINK("http://evil.test","x")', "+1+1", "-2", "@SUM(A1)"]:
        r = client.post(
            "/v1/feedback", json=base | {"text": text, "corrected_intent": "get_refund"}, headers=h
        )
        assert r.status_code == 201, r.text
    r = client.post(
        "/v1/feedback",
        json=base | {"text": "refund to 4111 1111 1111 1111", "corrected_intent": "get_refund"},
        headers=h,
    )
    assert r.status_code == 201
    export = client.get("/v1/feedback/export", headers=bearer(ADMIN_KEY)).text
    rows = list(csv.reader(io.StringIO(export)))[1:]
    assert [row[0] for row in rows[:4]] == [
        '\'=HYPERLINK("http://evil.test","x")',
        "'+1+1",
        "'-2",
        "'@SUM(A1)",
    ]
    assert rows[4][0] == "refund to [CARD visa ****1111]"
    assert "4111" not in client.get(
        "/v1/feedback/export?format=jsonl", headers=bearer(ADMIN_KEY)
    ).text.replace("****1111", "")


def test_a_suggestions_position_and_propensity_are_stored_and_exported(client):
    cid, _ = start(client)
    h = agent_headers(client)
    placed = {"position": 3, "propensity": 0.05}
    for action in ("shown", "used"):
        body = {"kind": "suggestion", "action": action, "conversation_id": cid}
        r = client.post("/v1/feedback", json=body | {"suggestion_id": "s1"} | placed, headers=h)
        assert r.status_code == 201, r.text
    old = {"kind": "suggestion", "action": "shown", "conversation_id": cid, "suggestion_id": "s2"}
    assert client.post("/v1/feedback", json=old, headers=h).status_code == 201  # optional
    lines = client.get("/v1/feedback/export?format=jsonl", headers=bearer(ADMIN_KEY)).text
    rows = [json.loads(x) for x in lines.splitlines()]
    assert [(r["position"], r["propensity"]) for r in rows] == [(3, 0.05), (3, 0.05), (None, None)]


def test_a_bad_position_or_propensity_is_422_with_a_reason(client):
    cid, _ = start(client)
    h = agent_headers(client)
    base = {"kind": "suggestion", "action": "shown", "conversation_id": cid, "suggestion_id": "s"}
    for extra, words in [
        ({"position": 2}, "together"),
        ({"propensity": 0.5}, "together"),
        ({"position": 2, "propensity": 0}, "propensity"),
        ({"position": 2, "propensity": 1.5}, "propensity"),
        ({"position": 0, "propensity": 0.5}, "position"),
    ]:
        r = client.post("/v1/feedback", json=base | extra, headers=h)
        assert r.status_code == 422, extra
        assert words in r.json()["error"]["message"], r.text
    rating = {"kind": "rating", "action": "rated", "conversation_id": cid, "rating": 4}
    r = client.post("/v1/feedback", json=rating | {"position": 1, "propensity": 1}, headers=h)
    assert r.status_code == 422 and "only for kind" in r.json()["error"]["message"]


def _assist(client, text: str) -> list[dict]:
    body = {"turns": [{"role": "customer", "text": text}]}
    r = client.post("/v1/assist", json=body, headers=bearer(ADMIN_KEY))
    assert r.status_code == 200, r.text
    out = r.json()
    return out["suggestions"] + out["knowledge_articles"]


def test_assist_says_where_each_suggestion_was_and_how_likely(make_client):
    from api_helpers import ASSIST_KEY

    from api.config import Settings

    plain = _assist(make_client(), "where is my refund")
    assert sorted(s["position"] for s in plain) == list(range(1, len(plain) + 1))
    assert {s["propensity"] for s in plain} == {1.0}
    settings = Settings(
        demo_api_key=ASSIST_KEY,
        demo_admin_key=ADMIN_KEY,
        rasa_url=None,
        suggestion_random_rate=0.5,
        suggestion_random_pool=10,
    )
    randomised = make_client(settings=settings)
    ranker = randomised.app.state.services.assist.assistant.ranker  # type: ignore[attr-defined]
    ranker.randomise.rng = random.Random(5)  # the service's own draws, replayable
    orders, seen = set(), []
    for _ in range(12):
        out = _assist(randomised, "where is my refund")
        assert sorted(s["position"] for s in out) == list(range(1, len(out) + 1))
        seen += [s["propensity"] for s in out]
        orders.add(tuple(s["id"] for s in sorted(out, key=lambda s: s["position"])))
    # at its rank (0.5 + 0.5 / m) or drawn there from the top m of the ranking (0.5 / m)
    m = round(0.5 / min(seen))
    assert m >= len(plain) and min(seen) == pytest.approx(0.5 / m)
    assert all(p in (pytest.approx(0.5 / m), pytest.approx(0.5 + 0.5 / m)) for p in seen)
    assert max(seen) == pytest.approx(0.5 + 0.5 / m) and len(orders) > 1


def _policy_file(tmp_path, **over):
    from datetime import UTC, datetime

    raw = {
        "ship": "rerank",
        # order by the reply's own text only: not the fixed order
        "weights": {
            "reply_dense": 1.0,
            "case_dense": 0.0,
            "reply_bm25": 1.0,
            "case_bm25": 0.0,
            "intent": 0.0,
            "stage": 0.0,
            "personal": 0.0,
        },
        "pool": 10,
        "evidence": {
            "log": "export.jsonl",
            "select_by": "ips",
            "validation_turns": 600,
            "created": datetime.now(UTC).isoformat(),
        },
    } | over
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    return path


def _settings(**over):
    from api_helpers import ASSIST_KEY

    from api.config import Settings

    return Settings(demo_api_key=ASSIST_KEY, demo_admin_key=ADMIN_KEY, rasa_url=None, **over)


def test_the_service_serves_the_ranking_a_replay_shipped(make_client, tmp_path):
    text = "where is my refund"
    fixed = _assist(make_client(), text)
    served = _assist(
        make_client(settings=_settings(suggestion_policy=_policy_file(tmp_path))), text
    )
    order = [s["id"] for s in sorted(served, key=lambda s: s["position"])]
    assert order != [s["id"] for s in sorted(fixed, key=lambda s: s["position"])]
    # a re-ranker: only the fixed ranking's top 10, in its own order, each score shown
    learned = [s["components"]["reranked"] for s in sorted(served, key=lambda s: s["position"])]
    assert learned == sorted(learned, reverse=True)
    assert {s["propensity"] for s in served} == {1.0}
    # a service started without the file serves the fixed ranking again
    again = _assist(make_client(), text)
    assert [s["id"] for s in again] == [s["id"] for s in fixed]


def test_a_use_rates_policy_sets_the_learners_weight(make_client, tmp_path):
    path = _policy_file(tmp_path, ship="use_rates", usage_weight=0.5, weights=None)
    client = make_client(settings=_settings(suggestion_policy=path))
    ranker = client.app.state.services.assist.assistant.ranker  # type: ignore[attr-defined]
    assert ranker.rerank is None
    from api.suggestion_learning import serve_policy

    assert serve_policy(_settings(suggestion_policy=path), ranker) == 0.5


def test_a_bad_policy_or_a_pool_mismatch_stops_the_start(make_client, tmp_path):
    from retrieval.errors import ConfigError

    bad = _policy_file(tmp_path, pool=0)
    with pytest.raises(ConfigError, match="pool"):
        make_client(settings=_settings(suggestion_policy=bad))
    good = _policy_file(tmp_path)
    mismatch = _settings(
        suggestion_policy=good, suggestion_random_rate=0.1, suggestion_random_pool=12
    )
    with pytest.raises(ConfigError, match="AGENT_ASSIST_SUGGESTION_RANDOM_POOL"):
        make_client(settings=mismatch)
