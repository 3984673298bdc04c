"""A shop loads its customers, orders and tickets: `PUT /v1/<kind>/{id}` (idempotent on
the id) and `POST /v1/<kind>:batch` (a result per item), with scope `ingest`."""

from __future__ import annotations

from typing import Any

from api_helpers import ASSIST_KEY, agent_headers, bearer

INGEST = bearer(ASSIST_KEY)  # the demo key: scopes assist and ingest


def _order(order_id: str = "ORD-7", customer_id: str = "C-1", **kw: Any) -> dict[str, Any]:
    return {
        "id": order_id,
        "customer_id": customer_id,
        "status": "paid",
        "items": [{"sku": "EB-2", "name": "Earbuds 2", "price": 129.0}],
        "total": 129.0,
        "placed_at": "2026-11-20T10:00:00Z",
    } | kw


def _ticket(ticket_id: str = "T-7", customer_id: str = "C-1", **kw: Any) -> dict[str, Any]:
    return {
        "id": ticket_id,
        "customer_id": customer_id,
        "topic": "delivery_problem",
        "opened_at": "2026-11-21T15:00:00Z",
    } | kw


def test_putting_the_same_customer_twice_creates_it_once(client, history):
    body = {"name": "Ada Lovelace", "city": "London", "tier": "silver"}
    first = client.put("/v1/customers/C-7", json=body, headers=INGEST)
    assert first.status_code == 201, first.text
    assert first.json()["status"] == "created"
    assert first.json()["customer"] | body == first.json()["customer"]
    again = client.put("/v1/customers/C-7", json=body | {"id": "C-7"}, headers=INGEST)
    assert again.status_code == 200 and again.json()["status"] == "unchanged"
    assert again.json()["customer"] == first.json()["customer"]
    assert history.customer_ids().count("C-7") == 1


def test_a_changed_customer_is_updated_and_seen_in_its_context(client):
    r = client.put("/v1/customers/C-1", json={"name": "Emma Stone", "tier": "vip"}, headers=INGEST)
    assert r.status_code == 200 and r.json()["status"] == "updated"
    ctx = client.get("/v1/customers/C-1/context", headers=agent_headers(client)).json()
    assert ctx["tier"] == "vip" and ctx["name"] == "Emma Stone"


def test_a_body_naming_another_id_is_refused(client):
    r = client.put("/v1/customers/C-7", json={"id": "C-8", "name": "Ada"}, headers=INGEST)
    assert r.status_code == 422
    message = r.json()["error"]["message"]
    assert "C-8" in message and "C-7" in message
    bad = client.put("/v1/customers/C-7", json={"name": ""}, headers=INGEST)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_input"
    spaced = client.put("/v1/customers/C-1%20", json={"name": "Ada"}, headers=INGEST)
    assert spaced.status_code == 422  # never C-1 under another name


def test_orders_and_tickets_need_their_customer_first(client):
    r = client.put("/v1/orders/ORD-7", json=_order(customer_id="C-404"), headers=INGEST)
    assert r.status_code == 422
    assert "C-404" in r.json()["error"]["message"]
    r = client.put("/v1/tickets/T-7", json=_ticket(order_id="ORD-404"), headers=INGEST)
    assert r.status_code == 422 and "ORD-404" in r.json()["error"]["message"]

    r = client.put("/v1/orders/ORD-7", json=_order(), headers=INGEST)
    assert r.status_code == 201 and r.json()["order"]["items"][0]["sku"] == "EB-2"
    orders = client.get("/v1/customers/C-1/orders", headers=agent_headers(client)).json()
    assert "ORD-7" in [o["id"] for o in orders["orders"]]
    shipped = _order(status="shipped", carrier="UPS")
    r = client.put("/v1/orders/ORD-7", json=shipped, headers=INGEST)
    assert r.status_code == 200 and r.json()["status"] == "updated"
    assert r.json()["order"]["carrier"] == "UPS"


def test_a_ticket_summary_is_stored_without_personal_data(client):
    summary = "call back on +44 7700 900123 or ada@example.com"
    r = client.put("/v1/tickets/T-7", json=_ticket(summary=summary), headers=INGEST)
    assert r.status_code == 201, r.text
    stored = r.json()["ticket"]["summary"]
    assert "900123" not in stored and "ada@example.com" not in stored
    again = client.put("/v1/tickets/T-7", json=_ticket(summary=summary), headers=INGEST)
    assert again.json()["status"] == "unchanged"
    ctx = client.get("/v1/customers/C-1/context", headers=agent_headers(client)).json()
    (ticket,) = [t for t in ctx["open_tickets"] if t["id"] == "T-7"]
    assert ticket["summary"] == stored


def test_a_batch_reports_each_item_and_stores_the_good_ones(client, history):
    batch = {
        "customers": [
            {"id": "C-10", "name": "Ann Lee"},
            {"id": "C-11"},  # no name
            {"id": "C-1", "name": "Emma Stone", "tier": "gold", "email": "emma@example.com"},
            {"id": "C-2", "name": "Noah Brown", "tier": "silver"},
            {"id": "C-12", "name": "Bo Chen", "customer_since": "yesterday"},
        ]
    }
    r = client.post("/v1/customers:batch", json=batch, headers=INGEST)
    assert r.status_code == 200, r.text
    body = r.json()
    statuses = [i["status"] for i in body["items"]]
    assert statuses == ["created", "error", "unchanged", "updated", "error"]
    assert (body["created"], body["updated"], body["unchanged"], body["errors"]) == (1, 1, 1, 2)
    assert "name" in body["items"][1]["error"] and body["items"][1]["id"] == "C-11"
    assert history.get_customer("C-10").name == "Ann Lee"
    assert history.get_customer("C-2").tier == "silver"

    orders = {"orders": [_order("ORD-8"), _order("ORD-9", customer_id="C-404")]}
    body = client.post("/v1/orders:batch", json=orders, headers=INGEST).json()
    assert [i["status"] for i in body["items"]] == ["created", "error"]
    assert "C-404" in body["items"][1]["error"]
    tickets = {"tickets": [_ticket("T-8", order_id="ORD-8"), _ticket("T-9", status="lost")]}
    body = client.post("/v1/tickets:batch", json=tickets, headers=INGEST).json()
    assert [i["status"] for i in body["items"]] == ["created", "error"]


def test_a_batch_over_the_limit_is_refused(client):
    customers = [{"id": f"C-{k}", "name": "X"} for k in range(1001)]
    r = client.post("/v1/customers:batch", json={"customers": customers}, headers=INGEST)
    assert r.status_code == 413 and r.json()["error"]["limit"] == 1000


def test_loading_records_needs_the_ingest_scope(client):
    agent = agent_headers(client)  # an agent may read context, not load records
    assert client.put("/v1/customers/C-7", json={"name": "Ada"}, headers=agent).status_code == 403
    r = client.post("/v1/orders:batch", json={"orders": [_order()]}, headers=agent)
    assert r.status_code == 403 and "ingest" in r.json()["error"]["message"]
    assert client.put("/v1/tickets/T-7", json=_ticket()).status_code == 401


def test_the_openapi_document_declares_the_record_routes(client):
    doc = client.get("/openapi.json").json()
    for kind in ("customers", "orders", "tickets"):
        put = doc["paths"][f"/v1/{kind}/{{{kind[:-1]}_id}}"]["put"]
        assert {"200", "201", "403", "422"} <= set(put["responses"])
        assert "examples" in doc["components"]["schemas"][f"{kind[:-1].title()}Upsert"]
        batch = doc["paths"][f"/v1/{kind}:batch"]["post"]
        assert batch["responses"]["413"]["content"]["application/json"]["schema"]["$ref"]
    assert "unchanged" in doc["components"]["schemas"]["BatchResultPublic"]["properties"]
