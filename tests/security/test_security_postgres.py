"""Hostile text on the production backend: PostgreSQL refuses a NUL character (U+0000) in
any text column, where SQLite stores it. JSON carries one easily ("\\u0000", or %00 in a
URL), so every route must answer it with a 4xx, never with a 500 "unexpected database
error", whoever sends it (a log-in needs no credential at all)."""

from __future__ import annotations

import json
import uuid

import pytest
from security_helpers import (
    ADMIN_KEY,
    ASSIST_KEY,
    ApiServer,
    PostgresInstance,
    login,
    start_conversation,
)

pytestmark = pytest.mark.integration

NUL = "x\u0000y"


def test_a_nul_character_is_a_4xx_on_postgresql(
    api_on_postgres: tuple[ApiServer, PostgresInstance],
):
    server, _ = api_on_postgres
    alice = login(server)
    conversation_id, customer = start_conversation(server, None)
    event = {"customer_id": "C-0002", "channel": "web", "type": "page_view"}
    event |= {"ts": "2026-11-20T10:00:00Z", "attributes": {}}
    cases = [  # (method, path, JSON body, credential)
        ("POST", "/v1/auth/login", {"agent_id": NUL, "password": "whatever"}, None),
        ("GET", "/v1/conversations/x%00y", None, ASSIST_KEY),
        ("GET", "/v1/customers/x%00y/context", None, ASSIST_KEY),
        ("POST", "/v1/conversations", {"customer_id": NUL}, ASSIST_KEY),
        ("POST", "/v1/events", event | {"id": NUL}, ASSIST_KEY),
        ("POST", "/v1/events", event | {"id": uuid.uuid4().hex, "type": NUL}, ASSIST_KEY),
        ("POST", "/v1/api-keys", {"name": NUL, "scopes": ["assist"]}, ADMIN_KEY),
        (
            "POST",
            "/v1/agents",
            {"agent_id": "nul-probe", "password": "long enough", "display_name": NUL},
            ADMIN_KEY,
        ),
        (
            "POST",
            "/v1/feedback",
            {"kind": "suggestion", "action": "shown", "suggestion_id": NUL},
            alice,
        ),
        ("POST", f"/v1/conversations/{conversation_id}/handoff", {"reason": NUL}, customer),
    ]
    answers = {}
    for method, path, body, token in cases:
        with server.client(token) as c:
            r = c.request(method, path, json=body)
        answers[f"{method} {path} {json.dumps(body)}"] = (r.status_code, r.text[:120])
    server_errors = {k: v for k, v in answers.items() if v[0] >= 500}
    assert not server_errors, "\n".join(f"{k} -> {v}" for k, v in server_errors.items())
