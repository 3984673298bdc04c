"""The OpenAPI document covers the new endpoints, and request bodies carry examples."""

from __future__ import annotations


def test_openapi_lists_the_endpoints_with_examples(client):
    doc = client.get("/openapi.json").json()
    paths = doc["paths"]
    for p in [
        "/v1/conversations",
        "/v1/conversations/{conversation_id}/messages",
        "/v1/conversations/{conversation_id}/claim",
        "/v1/conversations/{conversation_id}/hand-back",
        "/v1/conversations/{conversation_id}/close",
        "/v1/conversations/{conversation_id}/assist",
        "/v1/handoff/queue",
        "/v1/assist",
        "/v1/events",
        "/v1/events:batch",
        "/v1/auth/login",
        "/metrics",
    ]:
        assert p in paths, p
    schemas = doc["components"]["schemas"]
    for name in ["AssistRequest", "MessageCreate", "ConversationCreate", "LoginRequest"]:
        assert schemas[name].get("examples"), name


def test_the_contract_is_typed_in_the_openapi_document(client):
    """An integrator reading /openapi.json sees every field of the assist payload and the
    hand-off packet, the error body of every route, and how to authenticate."""
    doc = client.get("/openapi.json").json()
    schemas = doc["components"]["schemas"]
    assist = schemas["AssistPayload"]["properties"]
    for field in [
        "intent",
        "entities",
        "sentiment",
        "journey_stage",
        "customer_context",
        "suggestions",
        "knowledge_articles",
        "next_best_action",
        "related_history",
        "handoff",
    ]:
        assert field in assist, field
    assert set(schemas["JourneyStage"]["properties"]) >= {"stage", "confidence", "evidence"}
    assert "marketing_reasons" in schemas["NextBestAction"]["properties"]
    assert set(schemas["HandoffPacket"]["properties"]) >= {
        "reason",
        "bot_summary",
        "transcript",
        "customer_context",
        "journey_stage",
        "suggested_first_reply",
    }
    assert set(schemas["ErrorDetail"]["properties"]) >= {"code", "message", "details"}
    for path, item in doc["paths"].items():
        for method, op in item.items():
            for status in ("401", "422", "429"):
                ref = op["responses"][status]["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ErrorBody"), (method, path, status)
    assert {"HTTPBearer", "APIKeyHeader"} <= set(doc["components"]["securitySchemes"])
    secured = doc["paths"]["/v1/conversations/{conversation_id}/assist"]["get"]["security"]
    assert {"HTTPBearer": []} in secured


def test_the_assist_payload_validates_against_its_model(client):
    from api_helpers import ASSIST_KEY, bearer, start

    from api.contract import AssistPayload

    cid, me = start(client)
    client.post(f"/v1/conversations/{cid}/messages", json={"text": "refund please"}, headers=me)
    body = client.get(f"/v1/conversations/{cid}/assist", headers=bearer(ASSIST_KEY)).json()
    payload = AssistPayload.model_validate(body)
    assert payload.intent.name == "get_refund" and payload.customer_context is not None
    assert payload.customer_context.name == "Emma Stone"
