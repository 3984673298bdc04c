"""The journey-stage model the API runs (api/routes/journey.py, Settings.journey_model):
`GET /v1/journey/model` names it with its stages' display names, and the assist payload,
the customer context and the timeline carry its stages, with or without retrieval."""

from __future__ import annotations

import pytest
from api_helpers import ADMIN_KEY, ASSIST_KEY, agent_headers, bearer
from fastapi.testclient import TestClient

from api.config import Settings
from api.main import create_app
from intent.encoder import HashingEncoder
from retrieval.assist import AgentAssist
from retrieval.errors import ConfigError
from retrieval.journey_rules import JourneyRules
from retrieval.ranker import HybridRanker
from retrieval.responses import load_bank

FIVE_A = ["aware", "appeal", "ask", "act", "advocate"]


def settings(**kw) -> Settings:
    return Settings(demo_api_key=ASSIST_KEY, demo_admin_key=ADMIN_KEY, rasa_url=None, **kw)


@pytest.fixture
def five_a_client(make_client, history) -> TestClient:
    """The app as AGENT_ASSIST_JOURNEY_MODEL=5a builds it, with the tests' cheap ranker."""
    ranker = HybridRanker(load_bank(templates=None), HashingEncoder(64))
    assistant = AgentAssist(history, ranker, journey=JourneyRules.load("5a")).warm_up()
    return make_client(settings=settings(journey_model="5a"), assistant=assistant)


def test_the_default_model_is_the_seven_stage_lifecycle(client):
    r = client.get("/v1/journey/model", headers=agent_headers(client))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["model"] == "lifecycle" and len(body["stages"]) == 7
    assert body["stages"][3] == {"name": "onboard", "en": "Onboard", "zh": "上手", "label": "Onboard · 上手"}  # fmt: skip
    assert client.get("/v1/journey/model").status_code == 401  # a credential is needed


def test_the_5a_model_names_its_stages_in_english_and_chinese(five_a_client):
    body = five_a_client.get("/v1/journey/model", headers=bearer(ASSIST_KEY)).json()
    assert body["model"] == "5a" and "5A" in body["title"]
    assert [s["name"] for s in body["stages"]] == FIVE_A
    assert [s["label"] for s in body["stages"]] == [
        "Aware · 了解",
        "Appeal · 吸引",
        "Ask · 问询",
        "Act · 行动",
        "Advocate · 拥护",
    ]


def test_assist_context_and_timeline_carry_5a_stages(five_a_client):
    r = five_a_client.post(
        "/v1/assist",
        json={"customer_id": "C-1", "turns": [{"role": "customer", "text": "where is my order?"}]},
        headers=bearer(ASSIST_KEY),
    )
    assert r.status_code == 200, r.text
    stage = r.json()["journey_stage"]
    # C-1's order is on its way: asking about it is Act, with the order as evidence
    assert stage["stage"] == "act" and list(stage["scores"]) == FIVE_A
    assert {e["name"] for e in stage["evidence"]} >= {"track_order", "open_order"}
    assert {e["stage"] for e in stage["evidence"]} == {"act"}
    assert r.json()["next_best_action"]["action"].startswith("share the order status")
    h = agent_headers(five_a_client)
    ctx = five_a_client.get("/v1/customers/C-2/context", headers=h).json()
    assert ctx["stage"]["stage"] == "aware" and list(ctx["stage"]["scores"]) == FIVE_A
    assert "stage aware" in ctx["summary"]
    tl = five_a_client.get("/v1/customers/C-1/timeline", headers=h).json()
    assert tl["journey_stage"]["stage"] == "act"


def test_the_setting_chooses_the_model_without_retrieval_too(make_client):
    client = make_client(settings=settings(journey_model="5a"), assistant=None)
    h = agent_headers(client)
    assert client.get("/v1/journey/model", headers=h).json()["model"] == "5a"
    ctx = client.get("/v1/customers/C-1/context", headers=h).json()
    assert ctx["stage"]["stage"] == "act" and list(ctx["stage"]["scores"]) == FIVE_A
    check = client.post(
        "/v1/suppression:check", json={"customer_ids": ["C-1"]}, headers=bearer(ASSIST_KEY)
    )
    assert check.status_code == 200 and check.json()["items"][0]["status"] == "allowed"


def test_an_assistant_with_another_model_than_the_settings_is_what_is_shown(make_client, caplog):
    client = make_client(settings=settings(journey_model="5a"))  # the fixture's: lifecycle
    model = client.get("/v1/journey/model", headers=agent_headers(client)).json()
    assert model["model"] == "lifecycle" and "the settings '5a'" in caplog.text


def test_an_unknown_model_stops_the_start_with_what_to_do(analyzer, history):
    app = create_app(settings(journey_model="6b"), analyzer, history=history)
    with pytest.raises(ConfigError) as e, TestClient(app):
        pass
    assert e.value.path == "AGENT_ASSIST_JOURNEY_MODEL"
    assert "unknown journey model '6b'" in str(e.value) and "['5a', 'lifecycle']" in str(e.value)


def test_the_setting_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("AGENT_ASSIST_JOURNEY_MODEL", "5a")
    assert Settings().journey_model == "5a"
