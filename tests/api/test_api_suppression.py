"""Marketing suppression through the API: the context's fields, the assist action agreeing
with them, `POST /v1/suppression:check` (mixed known / unknown ids, the limit, who may),
and the watcher's `customer.suppressed` / `customer.released` outbox events, driven step by
step with a controlled clock (no sleeping)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import httpx
from api_helpers import ADMIN_KEY, ASSIST_KEY, bearer, start
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from api.config import Settings
from api.storage.schema import downgrade, upgrade
from api.storage.tables import OutboxEventRow, SuppressionStateRow
from api.suppression_watch import SuppressionWatcher, batch_for
from api.webhooks import WEBHOOK_EVENTS, WebhookDispatcher
from retrieval.db import make_engine
from retrieval.store import SqlHistoryStore

T0 = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)  # the failure's time
ACTIVATION = {
    "id": "EV-ACT-1",
    "customer_id": "C-1",
    "channel": "app",
    "type": "activation_failed",
    "ts": T0.isoformat(),
    "text": "Device activation failed: error ACT-301",
}


def _ingest(client, event=ACTIVATION) -> None:
    r = client.post("/v1/events", json=event, headers=bearer(ASSIST_KEY))
    assert r.status_code == 200 and r.json()["status"] == "created", r.text


def _key(client, *scopes: str) -> dict[str, str]:
    r = client.post(
        "/v1/api-keys", json={"name": "tool", "scopes": list(scopes)}, headers=bearer(ADMIN_KEY)
    )
    assert r.status_code in (200, 201), r.text
    return bearer(r.json()["key"])


def _watcher(client, history: SqlHistoryStore) -> SuppressionWatcher:
    return SuppressionWatcher(
        history.engine, batch_for(history, client.app.state.services.assist.assistant)
    )


def _outbox(history: SqlHistoryStore) -> list[dict]:
    with Session(history.engine) as s:
        rows = s.scalars(
            select(OutboxEventRow)
            .where(OutboxEventRow.type.like("customer.%"))
            .order_by(OutboxEventRow.created_at)
        )
        return [r.payload for r in rows]


# ---------------------------------------------------------------- context and assist


def test_context_says_whether_marketing_is_allowed_why_and_until(client):
    h = bearer(ASSIST_KEY)
    calm = client.get("/v1/customers/C-2/context", headers=h).json()
    assert calm["marketing_allowed"] is True
    assert calm["suppression_reasons"] == [] and calm["marketing_until"] is None
    _ingest(client)
    body = client.get("/v1/customers/C-1/context", headers=h).json()
    assert body["marketing_allowed"] is False
    [reason] = body["suppression_reasons"]
    assert reason["reason"] == "activation_failed" and reason["event_id"] == "EV-ACT-1"
    until = T0 + timedelta(days=14)
    assert datetime.fromisoformat(reason["since"]) == T0
    assert datetime.fromisoformat(reason["until"]) == until
    assert datetime.fromisoformat(body["marketing_until"]) == until
    # the assist payload's action agrees with the context (plus the turn's own signals)
    r = client.post(
        "/v1/assist",
        json={"customer_id": "C-1", "turns": [{"role": "customer", "text": "hello there"}]},
        headers=h,
    )
    nba = r.json()["next_best_action"]
    assert nba["marketing_allowed"] is False
    assert nba["suppression_reasons"] == body["suppression_reasons"]
    assert datetime.fromisoformat(nba["marketing_until"]) == until
    assert nba["marketing_reasons"] == [reason["detail"]]


# ---------------------------------------------------------------- the batch check


def test_check_answers_each_id_known_or_not(client):
    _ingest(client)
    ids = ["C-1", "C-404", "C-2", "C-1"]
    r = client.post(
        "/v1/suppression:check", json={"customer_ids": ids}, headers=_key(client, "marketing")
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert [i["customer_id"] for i in body["items"]] == ids
    assert [i["status"] for i in body["items"]] == [
        "suppressed",
        "unknown",
        "allowed",
        "suppressed",
    ]
    assert (body["allowed"], body["suppressed"], body["unknown"]) == (1, 2, 1)
    first, unknown, allowed = body["items"][:3]
    assert (
        first["marketing_allowed"] is False and first["reasons"][0]["reason"] == "activation_failed"
    )
    assert datetime.fromisoformat(first["until"]) == T0 + timedelta(days=14)
    assert unknown["marketing_allowed"] is None and unknown["reasons"] == []
    assert allowed["marketing_allowed"] is True and allowed["until"] is None


def test_check_limits_and_scopes(client):
    marketing = _key(client, "marketing")
    too_many = {"customer_ids": [f"C-{i}" for i in range(1001)]}
    r = client.post("/v1/suppression:check", json=too_many, headers=marketing)
    assert r.status_code == 413 and r.json()["error"]["limit"] == 1000
    assert (
        client.post(
            "/v1/suppression:check", json={"customer_ids": []}, headers=marketing
        ).status_code
        == 422
    )
    ok = {"customer_ids": ["C-1"]}
    assert (
        client.post("/v1/suppression:check", json=ok, headers=bearer(ASSIST_KEY)).status_code == 200
    )
    assert (
        client.post("/v1/suppression:check", json=ok, headers=_key(client, "ingest")).status_code
        == 403
    )
    _, customer = start(client)
    assert client.post("/v1/suppression:check", json=ok, headers=customer).status_code == 403
    # the marketing scope reads suppression only, not the customer's context
    assert client.get("/v1/customers/C-1/context", headers=marketing).status_code == 403


# ---------------------------------------------------------------- the watcher


def test_watcher_announces_suppression_once_and_release_when_it_ends(client, history):
    watcher = _watcher(client, history)
    assert watcher.step(T0 + timedelta(minutes=1)).suppressed == 0  # nothing to say yet
    _ingest(client)
    first = watcher.step(T0 + timedelta(minutes=2))
    assert (first.suppressed, first.released, first.conflict) == (1, 0, False)
    [event] = _outbox(history)
    assert event["type"] == "customer.suppressed" and event["customer_id"] == "C-1"
    assert event["marketing_allowed"] is False and event["id"].startswith("evt_")
    until = T0 + timedelta(days=14)
    assert datetime.fromisoformat(event["until"]) == until
    assert [r["reason"] for r in event["reasons"]] == ["activation_failed"]
    assert event["reasons"][0]["event_id"] == "EV-ACT-1"
    # nothing changed: nothing announced again, however often it looks
    assert watcher.step(T0 + timedelta(minutes=3)).suppressed == 0
    assert watcher.step(T0 + timedelta(days=13)).released == 0
    released = watcher.step(until + timedelta(seconds=1))
    assert (released.suppressed, released.released) == (0, 1)
    events = _outbox(history)
    assert [e["type"] for e in events] == ["customer.suppressed", "customer.released"]
    assert events[1]["marketing_allowed"] is True and events[1]["reasons"] == []
    assert events[1]["until"] is None
    assert watcher.step(until + timedelta(days=1)).released == 0
    with Session(history.engine) as s:
        row = s.get(SuppressionStateRow, "C-1")
        assert row is not None and row.suppressed is False and row.version == 2


def test_two_workers_racing_announce_once(client, history):
    a, b = _watcher(client, history), _watcher(client, history)
    _ingest(client)
    now = T0 + timedelta(minutes=1)
    evaluate = b.batch.evaluate

    def a_wins_meanwhile(ids, at):
        out = evaluate(ids, at)
        assert a.step(now).suppressed == 1  # another worker commits between b's read and write
        return out

    b.batch.evaluate = a_wins_meanwhile  # type: ignore[method-assign]
    lost = b.step(now)
    assert lost.conflict and lost.suppressed == 0
    b.batch.evaluate = evaluate  # type: ignore[method-assign]
    assert b.step(now).suppressed == 0  # b starts again from what a recorded
    assert [e["type"] for e in _outbox(history)] == ["customer.suppressed"]


def test_a_recent_chat_turn_waits_for_its_classification(client, history):
    watcher = _watcher(client, history)
    turn = {
        "id": "conv_x:turn_1",
        "customer_id": "C-2",
        "channel": "chat",
        "type": "chat_customer",
        "ts": T0.isoformat(),
        "text": "hello",
    }
    _ingest(client, turn)
    held = watcher.step(T0 + timedelta(seconds=5))
    assert held.seq < history.max_seq()  # the mark waits before the unclassified turn
    assert watcher.step(T0 + timedelta(minutes=5)).seq == history.max_seq()


def test_a_backlog_is_worked_through_in_bounded_steps_and_gone_customers_forgotten(client, history):
    small = SuppressionWatcher(
        history.engine,
        batch_for(history, client.app.state.services.assist.assistant),
        events_per_step=1,
    )
    _ingest(client)
    _ingest(client, {**ACTIVATION, "id": "EV-ACT-2", "customer_id": "C-2"})
    first = small.step(T0 + timedelta(minutes=1))
    assert first.more and first.suppressed == 1 and first.seq < history.max_seq()
    second = small.step(T0 + timedelta(minutes=1))
    assert second.suppressed == 1 and second.seq == history.max_seq()
    with Session(history.engine) as s, s.begin():
        s.add(
            SuppressionStateRow(
                customer_id="C-GONE",
                suppressed=True,
                until=T0.replace(tzinfo=None),
                reasons=[],
                version=1,
                changed_at=T0.replace(tzinfo=None),
                checked_at=T0.replace(tzinfo=None),
            )
        )
    assert small.step(T0 + timedelta(minutes=2)).released == 0
    with Session(history.engine) as s:
        assert s.get(SuppressionStateRow, "C-GONE") is None


def test_a_negative_chat_turn_suppresses_through_the_watcher(client, history):
    watcher = _watcher(client, history)
    cid, me = start(client, "C-2")
    r = client.post(
        f"/v1/conversations/{cid}/messages",
        json={"text": "this is terrible, awful service, I hate it and I am furious!!!"},
        headers=me,
    )
    assert r.status_code in (200, 201), r.text
    [turn] = [e for e in history.events("C-2") if e.type == "chat_customer"]
    assert turn.attributes["sentiment"] <= -0.3  # the conversation annotated its timeline copy
    step = watcher.step(datetime.now(UTC) + timedelta(minutes=1))
    assert step.suppressed == 1
    [event] = _outbox(history)
    assert "negative_sentiment" in {r["reason"] for r in event["reasons"]}


def test_suppression_events_reach_subscribed_receivers(client, history):
    assert {"customer.suppressed", "customer.released"} <= WEBHOOK_EVENTS
    received: list[dict] = []

    def handler(request: httpx.Request) -> httpx.Response:
        received.append(json.loads(request.content))
        return httpx.Response(200)

    hooks = WebhookDispatcher(
        history.engine, [], "secret", transport=httpx.MockTransport(handler), poll_s=0.05
    )
    hooks.subscribe("https://93.184.216.34/marketing", ["customer.suppressed"], "admin")
    _ingest(client)
    _watcher(client, history).step(T0 + timedelta(minutes=1))

    async def deliver() -> None:
        await hooks.drain(5.0)
        await hooks.aclose()

    asyncio.run(deliver())
    assert [e["type"] for e in received] == ["customer.suppressed"]
    assert received[0]["customer_id"] == "C-1"


def test_the_watcher_runs_in_the_lifespan(make_client):
    settings = Settings(
        demo_api_key=ASSIST_KEY,
        demo_admin_key=ADMIN_KEY,
        rasa_url=None,
        suppression_watch=True,
        suppression_watch_s=60,
    )
    client = make_client(settings=settings)  # starts, and stops at teardown, cleanly
    assert client.get("/healthz").status_code == 200


# ---------------------------------------------------------------- the migration


def test_migration_api_0008_upgrades_and_downgrades(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/m.db")
    upgrade(engine, "api_0007")
    assert "suppression_state" not in inspect(engine).get_table_names()
    upgrade(engine, "api_0008")
    assert {"suppression_state", "watch_cursors"} <= set(inspect(engine).get_table_names())
    downgrade(engine, "api_0007")
    assert not {"suppression_state", "watch_cursors"} & set(inspect(engine).get_table_names())
    engine.dispose()
