"""Outbound webhooks for contact-center software: every ownership change (queued, claimed,
handed back, closed) is POSTed as JSON to each configured URL, signed with HMAC-SHA256,
retried with exponential backoff, and logged per delivery (`webhook_deliveries`).

Signature: `X-Agent-Assist-Signature: sha256=<hex>` over `<timestamp>.<body>` with the
shared secret, `X-Agent-Assist-Timestamp: <unix seconds>`; receivers should refuse old
timestamps (replays)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from api.conversations.store import aware, utcnow
from api.conversations.tables import WebhookDeliveryRow

log = logging.getLogger("api.webhooks")
EVENT_TYPES = frozenset({"queued", "state"})


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


@dataclass(frozen=True, slots=True)
class Delivery:
    id: str
    url: str
    event_type: str
    status: str  # pending / delivered / failed
    attempts: int
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None


class WebhookDispatcher:
    def __init__(
        self,
        engine: Engine,
        urls: Sequence[str],
        secret: str,
        max_attempts: int = 5,
        backoff_s: float = 1.0,
        timeout_s: float = 5.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if max_attempts < 1 or backoff_s < 0:
            raise ValueError("max_attempts must be >= 1 and backoff_s >= 0")
        self.engine = engine
        self.urls = list(urls)
        self.secret = secret
        self.max_attempts = max_attempts
        self.backoff_s = backoff_s
        self._client = httpx.AsyncClient(timeout=timeout_s, transport=transport)
        self._tasks: set[asyncio.Task[None]] = set()

    async def __call__(self, topic: str, event: dict[str, Any]) -> None:
        """A hub listener: queue one delivery per URL for ownership events."""
        if event.get("type") not in EVENT_TYPES or not self.urls:
            return
        body = json.dumps({"id": uuid.uuid4().hex, "ts": time.time(), **event}).encode()
        for url in self.urls:
            delivery_id = await asyncio.to_thread(self._record, url, event["type"], body)
            task = asyncio.create_task(self._deliver(delivery_id, url, body))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def _record(self, url: str, event_type: str, body: bytes) -> str:
        did = "wh_" + uuid.uuid4().hex[:20]
        with Session(self.engine) as s, s.begin():
            s.add(
                WebhookDeliveryRow(
                    id=did,
                    url=url,
                    event_type=event_type,
                    payload=json.loads(body),
                    status="pending",
                    attempts=0,
                    created_at=utcnow(),
                )
            )
        return did

    def _update(self, delivery_id: str, **values: Any) -> None:
        with Session(self.engine) as s, s.begin():
            s.execute(
                update(WebhookDeliveryRow)
                .where(WebhookDeliveryRow.id == delivery_id)
                .values(**values)
            )

    async def _deliver(self, delivery_id: str, url: str, body: bytes) -> None:
        for attempt in range(1, self.max_attempts + 1):
            ts = str(int(time.time()))
            headers = {
                "Content-Type": "application/json",
                "X-Agent-Assist-Timestamp": ts,
                "X-Agent-Assist-Signature": sign(self.secret, ts, body),
                "X-Agent-Assist-Delivery": delivery_id,
            }
            try:
                r = await self._client.post(url, content=body, headers=headers)
                error = None if r.is_success else f"HTTP {r.status_code}"
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"
            if error is None:
                await asyncio.to_thread(
                    self._update,
                    delivery_id,
                    status="delivered",
                    attempts=attempt,
                    last_error=None,
                    delivered_at=utcnow(),
                )
                return
            last = attempt == self.max_attempts
            await asyncio.to_thread(
                self._update,
                delivery_id,
                status="failed" if last else "pending",
                attempts=attempt,
                last_error=error,
            )
            if not last:
                await asyncio.sleep(self.backoff_s * 2 ** (attempt - 1))
        log.warning(
            "webhook %s to %s failed after %d attempts", delivery_id, url, self.max_attempts
        )

    def deliveries(self, limit: int = 100) -> list[Delivery]:
        with Session(self.engine) as s:
            rows = s.scalars(
                select(WebhookDeliveryRow)
                .order_by(WebhookDeliveryRow.created_at.desc(), WebhookDeliveryRow.id)
                .limit(limit)
            )
            return [
                Delivery(
                    r.id,
                    r.url,
                    r.event_type,
                    r.status,
                    r.attempts,
                    r.last_error,
                    aware(r.created_at) or r.created_at,
                    aware(r.delivered_at),
                )
                for r in rows
            ]

    async def drain(self, timeout_s: float = 5.0) -> None:
        """Wait for in-flight deliveries (tests, shutdown)."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout_s)

    async def aclose(self) -> None:
        for t in list(self._tasks):
            t.cancel()
        await self._client.aclose()
