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
