"""Credentials: scoped API keys, agent log-in with expiring tokens, customer tokens that
open only their own conversation."""

from __future__ import annotations

from datetime import datetime

import pytest
from api_helpers import ADMIN_KEY, ASSIST_KEY, agent_headers, bearer, start
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api.security import hash_password, verify_password
from api.storage.tables import AgentRow, AgentTokenRow, ApiKeyRow


def test_password_hashing_round_trip():
    h = hash_password("s3cret-pass")
    assert h.startswith("scrypt$") and "s3cret" not in h
    assert verify_password("s3cret-pass", h)
    assert not verify_password("wrong", h)
    assert not verify_password("x", "garbage")


def test_secrets_are_stored_hashed(client, history):
    with Session(history.engine) as s:
        keys = s.scalars(select(ApiKeyRow.key_hash)).all()
        agents = s.scalars(select(AgentRow.password_hash)).all()
    assert ASSIST_KEY not in keys and all(len(k) == 64 for k in keys)
    assert all(p.startswith("scrypt$") for p in agents)


def test_customer_cannot_read_or_write_another_conversation(client):
    mine, me = start(client)
    other, _ = start(client)
    assert client.get(f"/v1/conversations/{mine}", headers=me).status_code == 200
    for method, path, body in [
        ("get", f"/v1/conversations/{other}", None),
        ("post", f"/v1/conversations/{other}/messages", {"text": "hi"}),
        ("post", f"/v1/conversations/{other}/close", {}),
        ("post", f"/v1/conversations/{other}/handoff", {}),
    ]:
        r = client.request(method, path, json=body, headers=me)
        assert r.status_code == 403, (path, r.text)
        assert r.json()["error"]["code"] == "forbidden"
    # nor the agent side
    assert client.get("/v1/handoff/queue", headers=me).status_code == 403
    assert client.get(f"/v1/conversations/{mine}/assist", headers=me).status_code == 403


def test_ingest_key_cannot_claim_or_assist(client):
    ingest_key = client.post(
        "/v1/api-keys", json={"name": "etl", "scopes": ["ingest"]}, headers=bearer(ADMIN_KEY)
    ).json()["key"]
    cid, me = start(client)
    client.post(f"/v1/conversations/{cid}/handoff", json={}, headers=me)
    r = client.post(f"/v1/conversations/{cid}/claim", headers=bearer(ingest_key))
    assert r.status_code == 403
    assert (
        client.post("/v1/assist", json={"turns": []}, headers=bearer(ingest_key)).status_code == 403
    )
    assert client.get(f"/v1/conversations/{cid}", headers=bearer(ingest_key)).status_code == 403


def test_assist_key_cannot_ingest_or_create_keys(client):
    key = client.post(
        "/v1/api-keys", json={"name": "crm", "scopes": ["assist"]}, headers=bearer(ADMIN_KEY)
    ).json()["key"]
    r = client.post("/v1/events:batch", json={"events": []}, headers=bearer(key))
    assert r.status_code == 403
    r = client.post("/v1/api-keys", json={"name": "x", "scopes": ["admin"]}, headers=bearer(key))
    assert r.status_code == 403


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nope"}, {"X-API-Key": "ak_x"}])
def test_missing_or_unknown_credentials_are_401(client, headers):
    r = client.get("/v1/handoff/queue", headers=headers)
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"
    assert r.json()["error"]["code"] == "not_authenticated"


def test_wrong_password_and_expired_token(client, history):
    r = client.post("/v1/auth/login", json={"agent_id": "alice", "password": "nope"})
    assert r.status_code == 401
    r = client.post("/v1/auth/login", json={"agent_id": "ghost", "password": "whatever1"})
    assert r.status_code == 401
    headers = agent_headers(client)
    assert client.get("/v1/handoff/queue", headers=headers).status_code == 200
    with Session(history.engine) as s, s.begin():
        s.execute(update(AgentTokenRow).values(expires_at=datetime(2000, 1, 1)))
    r = client.get("/v1/handoff/queue", headers=headers)
    assert r.status_code == 401 and "expired" in r.json()["error"]["message"]


def test_known_customer_needs_a_key_to_start(client):
    r = client.post("/v1/conversations", json={"customer_id": "C-1"})
    assert r.status_code == 401
    r = client.post("/v1/conversations", json={"customer_id": "C-404"}, headers=bearer(ASSIST_KEY))
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "customer_not_found"
    r = client.post("/v1/conversations", json={})
    assert r.status_code == 201 and r.json()["conversation"]["customer_id"] is None


def test_production_mode_seeds_nothing(make_client, history):
    from api.config import Settings

    make_client(settings=Settings(mode="production", secret_key="real", rasa_url=None))
    with Session(history.engine) as s:
        assert s.scalars(select(ApiKeyRow)).all() == []
