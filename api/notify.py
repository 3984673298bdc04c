"""In-process fan-out of conversation events to WebSocket subscribers (one worker; a
Redis-backed hub with the same two methods is the multi-worker version). Topics:
`queue` (agent panels) and `conversation:<id>` (one conversation's panel and customer)."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger("api.notify")
Listener = Callable[[str, dict[str, Any]], Awaitable[None]]  # e.g. the webhook dispatcher

QUEUE = "queue"


def conversation_topic(conversation_id: str) -> str:
    return f"conversation:{conversation_id}"


class Hub:
    def __init__(self, max_pending: int = 256) -> None:
        self._subs: dict[str, set[asyncio.Queue[dict[str, Any]]]] = defaultdict(set)
        self.max_pending = max_pending
        self.published = 0
        self.listeners: list[Listener] = []

    def subscribe(self, topic: str) -> asyncio.Queue[dict[str, Any]]:
        q: asyncio.Queue[dict[str, Any]] = asyncio.Queue(self.max_pending)
        self._subs[topic].add(q)
        return q

    def unsubscribe(self, topic: str, q: asyncio.Queue[dict[str, Any]]) -> None:
        self._subs[topic].discard(q)
        if not self._subs[topic]:
            self._subs.pop(topic, None)

    async def publish(self, topic: str, event: dict[str, Any]) -> None:
        self.published += 1
        for q in list(self._subs.get(topic, ())):
            if q.full():  # a stalled subscriber loses its oldest event, never blocks others
                q.get_nowait()
            q.put_nowait(event)
        for listener in self.listeners:
            try:
                await listener(topic, event)
            except Exception:  # a broken listener must not break the customer's turn
                log.exception("hub listener failed on %s", event.get("type"))
