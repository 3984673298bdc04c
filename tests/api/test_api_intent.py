"""The intent endpoints through the app factory, with a fake classifier."""

from __future__ import annotations

import os

import pytest
from api_helpers import bearer
from fastapi.testclient import TestClient

from api.config import Settings
from api.main import create_app
from intent.entities import EntityExtractor
from intent.pipeline import TurnAnalyzer
from intent.sentiment import SentimentAnalyzer


@pytest.fixture
def client(keyword_classifier):
    analyzer = TurnAnalyzer(keyword_classifier, EntityExtractor.default(), SentimentAnalyzer())
    app = create_app(Settings(max_text_chars=200, max_batch=3), analyzer)
    with TestClient(app) as c:
        yield c


def test_classifies_one_text_with_entities_and_sentiment(client):
    r = client.post("/v1/intent", json={"text": "Where is my order ORD-100234?? I'm furious!!"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["intent"] == "track_order"
    assert body["out_of_scope"] is False
    assert body["ranking"][0]["name"] == "track_order"
    assert any(e["type"] == "order_number" and "100234" in e["value"] for e in body["entities"])
    assert body["sentiment"]["frustration"] > 0.3


def test_out_of_scope_is_flagged(client):
    body = client.post("/v1/intent", json={"text": "what's the weather in Paris?"}).json()
    assert body["out_of_scope"] is True
    assert body["intent"] == "out_of_scope"


def test_batch_keeps_order(client, keyword_classifier):
    texts = {"texts": ["refund please", "cancel it", "hello"]}
    assert client.post("/v1/intent:batch", json=texts).status_code == 401  # needs a credential
    r = client.post("/v1/intent:batch", json=texts, headers=bearer(Settings().demo_api_key))
    assert r.status_code == 200
    assert [x["intent"] for x in r.json()["results"]] == [
        "get_refund",
        "cancel_order",
        "out_of_scope",
    ]
    assert keyword_classifier.calls[-1] == ["refund please", "cancel it", "hello"]


@pytest.mark.parametrize(
    ("payload", "status", "needle"),
    [
        ({"text": ""}, 422, "empty"),
        ({"text": "   \n\t "}, 422, "empty"),
        ({"text": "x" * 201}, 413, "limit is 200"),
        ({"text": 42}, 422, "text"),
        ({"text": None}, 422, "text"),
        ({}, 422, "text"),
        ({"text": "hi", "extra": 1}, 422, "extra"),
    ],
)
def test_bad_single_input_gets_a_clear_4xx(client, payload, status, needle):
    r = client.post("/v1/intent", json=payload)
    assert r.status_code == status
    err = r.json()["error"]
    assert needle in err["message"].lower()
    assert err["code"]


@pytest.mark.parametrize(
    ("payload", "status", "needle"),
    [
        ({"texts": []}, 422, "empty"),
        ({"texts": ["a", "b", "c", "d"]}, 413, "limit is 3"),
        ({"texts": ["ok", ""]}, 422, "texts[1]"),
        ({"texts": "not a list"}, 422, "texts"),
        ({"texts": ["ok", 3]}, 422, "texts"),
    ],
)
def test_bad_batch_gets_a_clear_4xx(client, payload, status, needle):
    r = client.post("/v1/intent:batch", json=payload, headers=bearer(Settings().demo_api_key))
    assert r.status_code == status
    assert needle in r.json()["error"]["message"]


def test_invalid_utf8_and_invalid_json_are_400(client):
    r = client.post(
        "/v1/intent",
        content=b'{"text": "caf\xe9 \xff"}',
        headers={"Content-Type": "application/json"},
    )
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "invalid_json"
    r = client.post(
        "/v1/intent", content=b'{"text": ', headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 400


def test_unknown_route_is_json_404(client):
    r = client.get("/v1/nothing-here")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"


def test_health_ready_and_model_info(client):
    assert client.get("/healthz").json() == {"status": "ok", "pid": str(os.getpid())}
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready" and ready["checks"]["labels"] == 4
    info = client.get("/v1/intent/model").json()
    assert "track_order" in info["labels"]


def test_openapi_documents_the_intent_endpoints(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert "/v1/intent" in paths and "/v1/intent:batch" in paths


def test_production_refuses_the_demo_secret():
    with pytest.raises(ValueError, match="SECRET_KEY"):
        Settings(mode="production")
    assert Settings(mode="production", secret_key="s3cr3t-from-vault").mode == "production"
