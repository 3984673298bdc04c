"""Cross-worker fan-out through a real Redis: what one API worker publishes reaches the
WebSocket subscribers of another, on the topics of the event's audience only; with Redis
gone, a worker still serves its own subscribers."""

from __future__ import annotations

import asyncio
import threading

from api_helpers import ADMIN_KEY, ASSIST_KEY, agent_headers, live, start, token_of

from api.config import Settings
from api.hub_events import QUEUE, Queued, StateChange, conversation_topic, customer_topic
from api.notify import WATCH_TTL_S, RedisHub
from rasa_bot.stack import free_port


def _settings(redis_url: str) -> Settings:
    return Settings(
        demo_api_key=ASSIST_KEY, demo_admin_key=ADMIN_KEY, rasa_url=None, redis_url=redis_url
    )


def test_two_hubs_share_events_by_audience(redis_url):
    async def scenario() -> None:
        a, b = RedisHub(redis_url, prefix="t1"), RedisHub(redis_url, prefix="t1")
        await a.start()
        await b.start()
        try:
            on_a = a.subscribe(conversation_topic("c1"))
            on_b = b.subscribe(conversation_topic("c1"))
            customer_b = b.subscribe(customer_topic("c1"))
            other = b.subscribe(conversation_topic("c2"))
            await asyncio.sleep(0.1)  # the PSUBSCRIBEs are in place
            event = StateChange(
                conversation_id="c1",
                state="human",
                action="claim",
                actor="agent:a",
                agent_id="a",
                version=2,
            )
            await a.publish(event)
            got_b = await asyncio.wait_for(on_b.get(), 5)
            got_a = await asyncio.wait_for(on_a.get(), 5)
            assert got_a == got_b == event.model_dump(mode="json")
            assert other.empty() and customer_b.empty()  # agent events never reach customers
        finally:
            await a.aclose()
            await b.aclose()

    asyncio.run(scenario())


def test_a_conversation_watched_on_one_worker_is_watched_for_all(redis_url):
    async def scenario() -> None:
        a, b = RedisHub(redis_url, prefix="t-watch"), RedisHub(redis_url, prefix="t-watch")
        await a.start()
        await b.start()
        topic = conversation_topic("c-watched")
        try:
            assert not await a.watched(topic) and not await b.watched(topic)
            a.subscribe(topic)  # a panel on worker a opens the conversation
            assert await a.watched(topic)  # its own subscriber: no Redis needed
            for _ in range(100):  # worker b learns of it through Redis (the mark's write)
                if await b.watched(topic):
                    break
                await asyncio.sleep(0.05)
            assert await b.watched(topic)
            assert 0 < await b._redis.ttl(b._watch_key(topic)) <= WATCH_TTL_S  # it expires
            assert not await b.watched(conversation_topic("c-other"))
        finally:
            await a.aclose()
            await b.aclose()
        gone = RedisHub(f"redis://127.0.0.1:{free_port()}/0", prefix="t-watch")
        try:  # Redis unreachable: cannot tell, so the push is built as before
            assert await gone.watched(topic)
        finally:
            await gone.aclose()

    asyncio.run(scenario())


def test_an_agent_on_one_worker_reaches_a_customer_on_another(make_client, redis_url):
    worker_a = make_client(settings=_settings(redis_url))
    worker_b = make_client(settings=_settings(redis_url))  # same database, its own hub
    cid, me = start(worker_a)
    worker_a.post(f"/v1/conversations/{cid}/handoff", json={"reason": "please"}, headers=me)
    with live(worker_b, f"/v1/ws/conversations/{cid}", token_of(me)) as customer:
        alice = agent_headers(worker_a)
        assert worker_a.post(f"/v1/conversations/{cid}/claim", headers=alice).status_code == 200
        r = worker_a.post(
            f"/v1/conversations/{cid}/agent-messages",
            json={"text": "Hi, Alice here"},
            headers=alice,
        )
        assert r.status_code == 201
        seen = _receive_until(customer, lambda e: e.get("turn", {}).get("role") == "agent")
        assert seen[-1]["turn"]["text"] == "Hi, Alice here"
        assert any(e["type"] == "state" and e["state"] == "human" for e in seen)


def _receive_until(ws, done, timeout_s: float = 10.0) -> list[dict]:
    """Events up to and including the first one `done` accepts; fails instead of hanging."""
    seen: list[dict] = []

    def pump() -> None:
        while not seen or not done(seen[-1]):
            seen.append(ws.receive_json())

    t = threading.Thread(target=pump, daemon=True)
    t.start()
    t.join(timeout_s)
    assert not t.is_alive(), f"the awaited event never arrived; got {seen}"
    return seen


def test_without_redis_a_worker_still_serves_its_own_subscribers():
    dead = f"redis://127.0.0.1:{free_port()}/0"  # a port nobody listens on

    async def scenario() -> None:
        hub = RedisHub(dead, prefix="t2")
        q = hub.subscribe(QUEUE)
        event = Queued(conversation_id="c1", reason="r")
        await hub.publish(event)  # must not raise
        assert q.get_nowait() == event.model_dump(mode="json")
        await hub.aclose()

    asyncio.run(scenario())
