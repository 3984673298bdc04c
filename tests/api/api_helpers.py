"""Helpers of the API tests (credentials, log-in, starting a conversation)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from retrieval.store import SqlHistoryStore

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


def seed(store: SqlHistoryStore) -> SqlHistoryStore:
    """The API tests' two customers and one shipped order."""
    now = datetime.now(UTC)
    store.upsert_customers(
        [
            {"id": "C-1", "name": "Emma Stone", "tier": "gold", "email": "emma@example.com"},
            {"id": "C-2", "name": "Noah Brown", "tier": "standard"},
        ]
    )
    store.upsert_orders(
        [
            {
                "id": "ORD-100234",
                "customer_id": "C-1",
                "status": "shipped",
                "items": [{"sku": "PH-1", "name": "Phone X", "price": 899.0}],
                "total": 899.0,
                "placed_at": now - timedelta(days=3),
                "eta": now + timedelta(days=1),
                "carrier": "DHL",
            }
        ]
    )
    return store


@contextmanager
def live(client: TestClient, path: str, token: str) -> Iterator[Any]:
    """A WebSocket on `path`, authenticated the way clients must: the token in the first
    message (never in the URL). Yields it after the `subscribed` answer."""
    with client.websocket_connect(path) as ws:
        ws.send_json({"type": "auth", "token": token})
        hello = ws.receive_json()
        assert hello["type"] == "subscribed", hello
        yield ws


def token_of(headers: dict[str, str]) -> str:
    return headers["Authorization"].split()[1]
