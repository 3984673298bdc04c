"""Fan-out of hub events (`api/hub_events.py`) to WebSocket subscribers. `Hub` delivers
in-process (one worker, the embedded default); `RedisHub` publishes through Redis pub/sub
so that a customer connected to one API worker sees what an agent sent through another.
`publish` takes a typed event only: its class decides its topics (`customer:<id>` for the
customer's socket, `conversation:<id>` and `queue` for agents, `auth` for revocations), so
no caller can put an agent event on a customer's topic.

`watched(topic)` says whether anyone, in any worker, is subscribed to a topic: the
customer turn builds the agents' assist push (retrieval, ranking: the turn's largest
cost after the classifier) only while a panel or a platform's socket has that
conversation open; a panel that opens it later asks for the payload itself."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from api.hub_events import HubEvent, conversation_topic

log = logging.getLogger("api.notify")
WATCH_TTL_S = 60.0  # RedisHub: a worker's mark that it has subscribers of a conversation
WATCHED = conversation_topic("")  # the topics whose watchers are marked: conversations


class Hub:
    def __init__(self, max_pending: int = 256) -> None:
        self._subs: dict[str, set[asyncio.Queue[dict[str, Any]]]] = defaultdict(set)
        self.max_pending = max_pending
        self.published = 0

    def subscribe(self, topic: str) -> asyncio.Queue[dict[str, Any]]:
        q: asyncio.Queue[dict[str, Any]] = asyncio.Queue(self.max_pending)
        self._subs[topic].add(q)
        return q

    def unsubscribe(self, topic: str, q: asyncio.Queue[dict[str, Any]]) -> None:
        self._subs[topic].discard(q)
        if not self._subs[topic]:
            self._subs.pop(topic, None)

    async def watched(self, topic: str) -> bool:
        """Whether `topic` has a subscriber (in-process: in this worker)."""
        return bool(self._subs.get(topic))

    async def start(self) -> None:
        """Nothing to connect in-process (RedisHub subscribes here)."""

    async def aclose(self) -> None:
        """Nothing to release in-process."""

    def deliver(self, topic: str, event: dict[str, Any]) -> None:
        """Hand `event` to this worker's subscribers of `topic`."""
        for q in list(self._subs.get(topic, ())):
            if q.full():  # a stalled subscriber loses its oldest event, never blocks others
                q.get_nowait()
            q.put_nowait(event)

    async def publish(self, *events: HubEvent | Iterable[HubEvent]) -> None:
        """Send each event to the topics of its audience (a customer's turn and state
        reach the customer's topic as `CustomerEvent`s only)."""
        for item in events:
            for event in [item] if isinstance(item, HubEvent) else item:
                self.published += 1
                data = event.model_dump(mode="json")
                for topic in event.topics():
                    await self._fan_out(topic, data)

    async def _fan_out(self, topic: str, event: dict[str, Any]) -> None:
        self.deliver(topic, event)


class RedisHub(Hub):
    """Cross-worker fan-out through Redis pub/sub (channel `<prefix>:<topic>`). Every worker
        subscribes to `<prefix>:*` and delivers what it reads to its own WebSocket subscribers.
        If Redis cannot be reached when publishing, the event still reaches this worker's
        subscribers (logged), so a customer's turn never fails because of the fan-out.

    Who watches a conversation: a worker with subscribers of `conversation:<id>` keeps the
    key `<prefix>-watch:conversation:<id>` alive (set at subscription, refreshed every
    WATCH_TTL_S / 3, expiring WATCH_TTL_S after its last socket left), so `watched` sees
    the other workers' sockets too; when Redis cannot say, it answers yes (push as before)."""

    def __init__(self, url: str, prefix: str = "agent-assist", max_pending: int = 256) -> None:
        super().__init__(max_pending)
        import redis.asyncio as aioredis  # only needed when Redis is configured

        self.url = url
        self.prefix = prefix
        self._redis = aioredis.from_url(url)
        self._pubsub = self._redis.pubsub()
        self._reader: asyncio.Task[None] | None = None
        self._refresher: asyncio.Task[None] | None = None
        self._marking: set[asyncio.Task[None]] = set()  # referenced until done

    async def start(self) -> None:
        await self._pubsub.psubscribe(f"{self.prefix}:*")
        self._reader = asyncio.create_task(self._read(), name="redis-hub-reader")
        self._refresher = asyncio.create_task(self._refresh(), name="redis-hub-watch")

    def _watch_key(self, topic: str) -> str:
        return f"{self.prefix}-watch:{topic}"

    def subscribe(self, topic: str) -> asyncio.Queue[dict[str, Any]]:
        q = super().subscribe(topic)
        if topic.startswith(WATCHED):
            with contextlib.suppress(RuntimeError):  # no running loop: the refresh marks it
                task = asyncio.get_running_loop().create_task(self._mark([topic]))
                self._marking.add(task)
                task.add_done_callback(self._marking.discard)
        return q

    async def _mark(self, topics: list[str]) -> None:
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for topic in topics:
                    pipe.set(self._watch_key(topic), "1", ex=int(WATCH_TTL_S))
                await pipe.execute()
        except Exception as exc:
            log.warning("redis watch mark failed (%s)", exc)

    async def _refresh(self) -> None:
        while True:
            await asyncio.sleep(WATCH_TTL_S / 3)
            mine = [t for t in list(self._subs) if t.startswith(WATCHED)]
            if mine:
                await self._mark(mine)

    async def watched(self, topic: str) -> bool:
        if await super().watched(topic):
            return True
        try:
            return bool(await self._redis.exists(self._watch_key(topic)))
        except Exception as exc:  # cannot tell: build and push, as without the check
            log.warning("redis watch check failed (%s)", exc)
            return True

    async def _fan_out(self, topic: str, event: dict[str, Any]) -> None:
        try:
            await self._redis.publish(f"{self.prefix}:{topic}", json.dumps(event, default=str))
        except Exception as exc:  # redis.ConnectionError and friends
            log.warning("redis publish failed (%s); delivering in this worker only", exc)
            self.deliver(topic, event)

    async def _read(self) -> None:
        start = len(self.prefix) + 1
        while True:
            try:
                msg = await self._pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # connection lost: redis-py reconnects on the next call
                log.warning("redis subscription interrupted: %s", exc)
                await asyncio.sleep(0.5)
                continue
            if msg is None or msg.get("type") != "pmessage":
                continue
            channel = (
                msg["channel"].decode() if isinstance(msg["channel"], bytes) else msg["channel"]
            )
            try:
                event = json.loads(msg["data"])
            except (TypeError, ValueError):
                log.warning("ignoring a malformed event on %s", channel)
                continue
            self.deliver(channel[start:], event)

    async def aclose(self) -> None:
        for task in (self._reader, self._refresher):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        with contextlib.suppress(Exception):
            await self._pubsub.aclose()
        await self._redis.aclose()


def make_hub(redis_url: str | None) -> Hub:
    return RedisHub(redis_url) if redis_url else Hub()
