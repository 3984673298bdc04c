"""Helpers of the API tests (credentials, log-in, starting a conversation)."""

from __future__ import annotations

from fastapi.testclient import TestClient

ASSIST_KEY = "test-assist-key"
ADMIN_KEY = "test-admin-key"
AGENTS = {"alice": "alice-password", "bob": "bob-password"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def agent_headers(client: TestClient, name: str = "alice") -> dict[str, str]:
    r = client.post("/v1/auth/login", json={"agent_id": name, "password": AGENTS[name]})
    assert r.status_code == 200, r.text
    return bearer(r.json()["access_token"])


def start(client: TestClient, customer_id: str | None = "C-1") -> tuple[str, dict[str, str]]:
    """A new conversation: (id, the customer's headers)."""
    headers = bearer(ASSIST_KEY) if customer_id else {}
    r = client.post("/v1/conversations", json={"customer_id": customer_id}, headers=headers)
    assert r.status_code == 201, r.text
    body = r.json()
    return body["conversation"]["id"], bearer(body["token"])
