"""The webhook outbox under several dispatchers at once (API workers): every event is
fanned out to one delivery per receiver exactly once, and every due delivery is leased by
one dispatcher at a time, whichever dispatcher gets there first. Collected again on
PostgreSQL by test_api_postgres.py (row locks, SKIP LOCKED)."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.conversations.store import utcnow
from api.storage.tables import OutboxEventRow, WebhookDeliveryRow
from api.webhooks import WebhookDispatcher

EVENTS = 450  # more than two batches of the fan-out's 200
URLS = ["https://a.example/hook", "https://b.example/hook"]


def _race(workers: list[WebhookDispatcher], step) -> list:
    """Run `step(dispatcher)` in one thread per dispatcher until each gets nothing."""
    results: list = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(len(workers))

    def run(d: WebhookDispatcher) -> None:
        try:
            start.wait()
            while True:
                got = step(d)
                if not got:
                    return
                with lock:
                    results.extend(got)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(d,)) for d in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    return results


def test_dispatchers_racing_fan_out_and_lease_each_event_once(history) -> None:
    engine = history.engine
    now = utcnow()
    with Session(engine) as s, s.begin():
        s.add_all(
            OutboxEventRow(
                id=f"evt_race_{k:04d}",
                type="conversation.handoff",
                payload={"k": k},
                created_at=now - timedelta(seconds=EVENTS - k),
                dispatched=False,
            )
            for k in range(EVENTS)
        )
    workers = [WebhookDispatcher(engine, URLS, "secret", allow_private=True) for _ in range(3)]

    def fan_out(d: WebhookDispatcher) -> list[int]:
        d._fan_out()
        with Session(engine) as s:
            pending = s.scalar(
                select(func.count())
                .select_from(OutboxEventRow)
                .where(OutboxEventRow.dispatched.is_(False))
            )
        return [pending] if pending else []  # go on while any event waits

    _race(workers, fan_out)
    with Session(engine) as s:
        rows = s.execute(select(WebhookDeliveryRow.event_id, WebhookDeliveryRow.url)).all()
        assert not s.scalar(
            select(func.count())
            .select_from(OutboxEventRow)
            .where(OutboxEventRow.dispatched.is_(False))
        )
    pairs = Counter((r.event_id, r.url) for r in rows)
    assert len(pairs) == EVENTS * len(URLS) and set(pairs.values()) == {1}  # once each

    leased = _race(workers, lambda d: d._claim_due(limit=40))
    ids = Counter(due.id for due in leased)
    assert len(ids) == EVENTS * len(URLS) and set(ids.values()) == {1}  # one lease each
    first = sorted(leased, key=lambda due: due.event_id)[0]
    assert first.body == b'{"k":0}' and first.attempts == 0
    assert not workers[0]._claim_due()  # all leased: nothing is due until a lease runs out


def test_a_batch_is_leased_in_the_order_its_events_were_written(history) -> None:
    engine = history.engine
    now = utcnow()
    with Session(engine) as s, s.begin():
        s.add_all(  # written in this order, the same instant: only the id tells them apart
            OutboxEventRow(
                id=f"evt_order_{k:02d}",
                type="message.created",
                payload={"k": k},
                created_at=now,
                dispatched=False,
            )
            for k in range(30)
        )
    dispatcher = WebhookDispatcher(engine, URLS[:1], "secret", allow_private=True)
    dispatcher._fan_out()
    due = dispatcher._claim_due(limit=100)
    assert [d.event_id for d in due] == [f"evt_order_{k:02d}" for k in range(30)]
