"""Customers, orders and tickets are upserted on their id, on SQLite and PostgreSQL alike:
`created`, then `unchanged` when the same record comes again (every field type compared
as stored), `updated` when a field differs; references and free text checked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from retrieval.store import SqlHistoryStore

PLACED = datetime(2026, 11, 20, 10, 0, 0, 123456, tzinfo=UTC)


def _customer(**kw):
    return {
        "id": "C1",
        "name": "Ann Lee",
        "email": "ann@example.com",
        "tier": "gold",
        "customer_since": "2023-04-02T08:30:00.5+02:00",
        "marketing_opt_out": True,
        "attributes": {"segment": "b2b", "tags": ["a", "b"], "score": 0.1},
    } | kw


def _order(**kw):
    return {
        "id": "O1",
        "customer_id": "C1",
        "status": "shipped",
        "items": [{"sku": "A", "name": "Phone", "qty": 2, "price": 0.1 + 0.2}],
        "total": 0.1 + 0.2,
        "placed_at": PLACED,
        "eta": PLACED + timedelta(days=400),
    } | kw


def test_the_same_records_again_are_unchanged_and_a_change_is_an_update(store: SqlHistoryStore):
    assert [i.status for i in store.upsert_customers([_customer()]).items] == ["created"]
    assert [i.status for i in store.upsert_orders([_order()]).items] == ["created"]
    ticket = {"id": "T1", "customer_id": "C1", "topic": "x", "opened_at": PLACED, "order_id": "O1"}
    assert [i.status for i in store.upsert_tickets([ticket]).items] == ["created"]

    assert [i.status for i in store.upsert_customers([_customer()]).items] == ["unchanged"]
    assert [i.status for i in store.upsert_orders([_order()]).items] == ["unchanged"]
    assert [i.status for i in store.upsert_tickets([ticket]).items] == ["unchanged"]

    res = store.upsert_customers([_customer(attributes={"segment": "b2c"}), _customer(id="C2")])
    assert [i.status for i in res.items] == ["updated", "created"]
    assert store.get_customer("C1").attributes == {"segment": "b2c"}
    res = store.upsert_orders([_order(status="delivered"), _order(status="delivered")])
    assert [i.status for i in res.items] == ["updated", "unchanged"]  # the same id twice
    assert store.get_order("O1").status == "delivered"
    assert store.get_order("O1").placed_at == PLACED


def test_references_and_limits_are_checked_item_by_item(store: SqlHistoryStore):
    store.upsert_customers([_customer()])
    res = store.upsert_orders([_order(customer_id="C9"), _order(id="O2", carrier="x" * 65)])
    assert [i.status for i in res.items] == ["error", "error"]
    assert "unknown customer 'C9'" in (res.items[0].error or "")
    assert "carrier" in (res.items[1].error or "")
    bad_ref = {"id": "T1", "customer_id": "C1", "topic": "x", "opened_at": PLACED, "order_id": "O7"}
    (item,) = store.upsert_tickets([bad_ref]).items
    assert item.status == "error" and "unknown order 'O7'" in (item.error or "")


def test_a_ticket_summary_goes_through_the_redactor(store: SqlHistoryStore):
    store.redact = lambda text: text.replace("4111 1111 1111 1111", "[CARD]")
    store.upsert_customers([_customer()])
    ticket = {
        "id": "T1",
        "customer_id": "C1",
        "topic": "refund",
        "summary": "paid with 4111 1111 1111 1111",
        "opened_at": PLACED,
    }
    assert store.upsert_tickets([ticket]).items[0].status == "created"
    assert store.get_ticket("T1").summary == "paid with [CARD]"
    assert store.upsert_tickets([ticket]).items[0].status == "unchanged"
