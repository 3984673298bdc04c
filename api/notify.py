"""Fan-out of hub events (`api/hub_events.py`) to WebSocket subscribers. `Hub` delivers
in-process (one worker, the embedded default); `RedisHub` publishes through Redis pub/sub
so that a customer connected to one API worker sees what an agent sent through another.
`publish` takes a typed event only: its class decides its topics (`customer:<id>` for the
customer's socket, `conversation:<id>` and `queue` for agents, `auth` for revocations), so
no caller can put an agent event on a customer's topic."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from api.hub_events import HubEvent

log = logging.getLogger("api.notify")


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
    subscribers (logged), so a customer's turn never fails because of the fan-out."""

    def __init__(self, url: str, prefix: str = "agent-assist", max_pending: int = 256) -> None:
        super().__init__(max_pending)
        import redis.asyncio as aioredis  # only needed when Redis is configured

        self.url = url
        self.prefix = prefix
        self._redis = aioredis.from_url(url)
        self._pubsub = self._redis.pubsub()
        self._reader: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self._pubsub.psubscribe(f"{self.prefix}:*")
        self._reader = asyncio.create_task(self._read(), name="redis-hub-reader")

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
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        with contextlib.suppress(Exception):
            await self._pubsub.aclose()
        await self._redis.aclose()


def make_hub(redis_url: str | None) -> Hub:
    return RedisHub(redis_url) if redis_url else Hub()
