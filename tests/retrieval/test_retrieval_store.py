from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect, text

from retrieval.db import upgrade
from retrieval.errors import BatchRejected, CustomerNotFound, ValidationError
from retrieval.store import SqlHistoryStore

NOW = datetime.now(UTC).replace(microsecond=0)


def ev(i: int, customer: str = "C1", channel: str = "web", days: float = 1, text: str = "", **kw):
    return {
        "id": f"e{i}",
        "customer_id": customer,
        "channel": channel,
        "type": kw.pop("type", "page_view"),
        "ts": (NOW - timedelta(days=days)).isoformat(),
        "text": text or f"event {i}",
        **kw,
    }


@pytest.fixture
def seeded(store: SqlHistoryStore) -> SqlHistoryStore:
    res = store.upsert_customers([{"id": "C1", "name": "Ann Lee"}, {"id": "C2", "name": "Bo Chen"}])
    assert res.created == 2
    return store


def test_migration_creates_the_schema_and_is_idempotent(store: SqlHistoryStore, store_url: str):
    upgrade(store_url)  # second run: nothing to do, no error
    tables = set(inspect(store.engine).get_table_names())
    assert {
        "customers",
        "orders",
        "tickets",
        "events",
        "alembic_version",
    } <= tables
    assert "conversations" not in tables  # the API's tables are the API's to create


def test_upsert_customer_creates_then_updates(seeded: SqlHistoryStore):
    res = seeded.upsert_customers(
        [{"id": "C1", "name": "Ann Lee-Smith", "marketing_opt_out": True}]
    )
    assert [i.status for i in res.items] == ["updated"]
    c = seeded.get_customer("C1")
    assert c.name == "Ann Lee-Smith" and c.marketing_opt_out is True and c.first_name == "Ann"
    with pytest.raises(CustomerNotFound) as exc:
        seeded.get_customer("nope")
    assert exc.value.customer_id == "nope"


def test_batch_reports_each_item_and_writes_only_valid_ones(seeded: SqlHistoryStore):
    batch = [
        ev(1),
        ev(2, channel="fax"),
        ev(3, customer="ghost"),
        {**ev(4), "ts": "not a date"},
        {**ev(5), "ts": (NOW + timedelta(days=3)).isoformat()},
        ev(6, channel="phone"),
    ]
    res = seeded.ingest_events(batch)
    statuses = [i.status for i in res.items]
    assert statuses == ["created", "error", "error", "error", "error", "created"]
    errors = {i.index: i.error for i in res.errors}
    assert "channel" in errors[1]
    assert "ghost" in errors[2]
    assert errors[3].startswith("ts")
    assert "future" in errors[4]
    assert seeded.count_events() == 2
    assert res.written_ids == ["e1", "e6"]


def test_resending_a_batch_changes_nothing(seeded: SqlHistoryStore):
    batch = [ev(i) for i in range(5)]
    assert seeded.ingest_events(batch).created == 5
    again = seeded.ingest_events(batch)
    assert [i.status for i in again.items] == ["duplicate"] * 5
    assert seeded.count_events() == 5


def test_same_id_with_other_content_is_a_conflict(seeded: SqlHistoryStore):
    seeded.ingest_events([ev(1, text="original")])
    res = seeded.ingest_events([ev(1, text="changed")])
    assert res.items[0].status == "error" and "different content" in (res.items[0].error or "")
    assert seeded.events("C1")[0].text == "original"


def test_duplicate_ids_inside_one_batch(seeded: SqlHistoryStore):
    res = seeded.ingest_events([ev(1), ev(1)])
    assert [i.status for i in res.items] == ["created", "duplicate"]
    assert seeded.count_events() == 1


def test_atomic_batch_with_an_error_writes_nothing(seeded: SqlHistoryStore):
    with pytest.raises(BatchRejected) as exc:
        seeded.ingest_events([ev(1), ev(2, channel="pigeon")], atomic=True)
    assert list(exc.value.errors) == [1]
    assert seeded.count_events() == 0


def test_single_ingest_raises_domain_errors(seeded: SqlHistoryStore):
    with pytest.raises(ValidationError) as exc:
        seeded.ingest_event(ev(1, channel="fax"))
    assert exc.value.field == "channel"
    with pytest.raises(CustomerNotFound):
        seeded.ingest_event(ev(2, customer="ghost"))
    assert seeded.ingest_event(ev(3)).status == "created"
    assert seeded.ingest_event(ev(3)).status == "duplicate"


def test_event_queries_filter_by_channel_and_window(seeded: SqlHistoryStore):
    seeded.ingest_events(
        [ev(1, days=10), ev(2, channel="phone", days=5), ev(3, days=1), ev(4, customer="C2")]
    )
    assert [e.id for e in seeded.events("C1")] == ["e3", "e2", "e1"]  # newest first
    assert [e.id for e in seeded.events("C1", channels=["phone"])] == ["e2"]
    window = seeded.events("C1", since=NOW - timedelta(days=6), until=NOW - timedelta(days=2))
    assert [e.id for e in window] == ["e2"]
    assert seeded.events("C1")[0].ts.tzinfo is not None
    seqs = [s for s, _ in seeded.iter_events()]
    assert [e.id for _, e in seeded.iter_events(after_seq=seqs[1])] == ["e3", "e4"]


def test_orders_and_tickets_need_a_customer_and_filter_open(seeded: SqlHistoryStore):
    item = {"sku": "A", "name": "Phone", "price": 100}
    res = seeded.upsert_orders(
        [
            {
                "id": "O1",
                "customer_id": "C1",
                "status": "in_transit",
                "items": [item],
                "total": 100,
                "placed_at": NOW,
            },
            {
                "id": "O2",
                "customer_id": "C1",
                "status": "delivered",
                "items": [item],
                "total": 100,
                "placed_at": NOW - timedelta(days=40),
            },
            {
                "id": "O3",
                "customer_id": "ghost",
                "status": "paid",
                "items": [item],
                "total": 1,
                "placed_at": NOW,
            },
            {
                "id": "O4",
                "customer_id": "C1",
                "status": "lost",
                "items": [item],
                "total": 1,
                "placed_at": NOW,
            },
        ]
    )
    assert [i.status for i in res.items] == ["created", "created", "error", "error"]
    assert [o.id for o in seeded.orders("C1")] == ["O1", "O2"]
    assert [o.id for o in seeded.orders("C1", open_only=True)] == ["O1"]
    t = seeded.upsert_tickets(
        [
            {
                "id": "T1",
                "customer_id": "C1",
                "topic": "activation_problem",
                "opened_at": NOW,
                "order_id": "O1",
            },
            {
                "id": "T2",
                "customer_id": "C1",
                "topic": "complaint",
                "status": "resolved",
                "opened_at": NOW,
            },
        ]
    )
    assert t.created == 2
    assert [x.id for x in seeded.tickets("C1", open_only=True)] == ["T1"]


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    s = SqlHistoryStore.open(f"sqlite:///{tmp_path / 'h.db'}")
    with s.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    s.close()


def test_a_ticket_with_an_empty_order_reference_has_no_order(seeded: SqlHistoryStore):
    """Found by the fuzzer: `"order_id": ""` (a blank CSV cell) reached the database as a
    reference to an order "" and failed its foreign key (500). Blank means none."""
    ticket = {"id": "T-blank", "customer_id": "C1", "topic": "refund", "opened_at": NOW}
    res = seeded.upsert_tickets(
        [ticket | {"order_id": ""}, ticket | {"id": "T-sp", "order_id": " "}]
    )
    assert [i.status for i in res.items] == ["created", "created"]
    assert {t.id: t.order_id for t in seeded.tickets("C1")} == {"T-blank": None, "T-sp": None}


def test_the_history_of_a_turn_reads_what_the_single_reads_read(seeded: SqlHistoryStore):
    """`history` (the context's one-connection read) returns the same records as
    `get_customer`, `orders`, `tickets` and `events`, only the customer's, newest first."""
    item = {"sku": "A", "name": "Kettle", "price": 30}
    orders = [
        {"id": f"O{i}", "customer_id": c, "status": s, "items": [item], "total": 30}
        | {"placed_at": NOW - timedelta(days=i)}
        for i, c, s in ((1, "C1", "paid"), (2, "C1", "delivered"), (3, "C2", "paid"))
    ]
    assert seeded.upsert_orders(orders).created == 3
    tickets = [
        {"id": "T1", "customer_id": "C1", "topic": "complaint", "opened_at": NOW},
        {"id": "T2", "customer_id": "C2", "topic": "complaint", "opened_at": NOW},
    ]
    assert seeded.upsert_tickets(tickets).created == 2
    seeded.ingest_events(
        [ev(1, days=400), ev(2, days=3, attributes={"sentiment": -0.5}), ev(3, days=1)]
        + [ev(4, customer="C2")]
    )
    since = NOW - timedelta(days=365)
    h = seeded.history("C1", since=since)
    assert h.customer == seeded.get_customer("C1")
    assert h.orders == seeded.orders("C1") and [o.id for o in h.orders] == ["O1", "O2"]
    assert h.tickets == seeded.tickets("C1") and [t.id for t in h.tickets] == ["T1"]
    assert h.events == seeded.events("C1", since=since)
    assert [e.id for e in h.events] == ["e3", "e2"]  # e1 is older than `since`
    assert h.events[1].attributes == {"sentiment": -0.5} and h.events[0].ts.tzinfo is not None
    assert [e.id for e in seeded.history("C1").events] == ["e3", "e2", "e1"]
    assert seeded.history("C2").orders[0].id == "O3"
    with pytest.raises(CustomerNotFound):
        seeded.history("nope")


def test_events_by_id_keep_the_order_asked_and_skip_unknown_ids(seeded: SqlHistoryStore):
    seeded.ingest_events([ev(1), ev(2), ev(3, customer="C2")])
    assert [e.id for e in seeded.get_events(["e3", "nope", "e1"])] == ["e3", "e1"]
    assert seeded.get_events([]) == []
