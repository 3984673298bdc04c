"""Outbound webhooks for contact-center software, through a durable outbox.

Every ownership change writes its integration event (`conversation.queued`, `.claimed`,
`.handed_back`, `.closed`) to `outbox_events` in the same transaction as the change
(`ConversationStore.transition`), so a crash cannot lose it. The dispatcher, a background
task of each API worker, fans each event out to one `webhook_deliveries` row per URL and
sends the due ones: one delivery per event and URL, retried with exponential backoff
(the next attempt's time is stored), resumed after a restart. A worker takes a delivery
with a conditional UPDATE (a lease), so two workers never send the same one at once.

Each delivery is POSTed as JSON, signed with HMAC-SHA256:
`X-Agent-Assist-Signature: sha256=<hex>` over `<timestamp>.<body>` with the shared
secret, `X-Agent-Assist-Timestamp: <unix seconds>`; receivers should refuse old
timestamps (replays) and de-duplicate on the body's `id` (`X-Agent-Assist-Event-Id`),
which stays the same across retries."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import Engine, or_, select, update
from sqlalchemy.orm import Session

from api.conversations.store import aware, utcnow
from api.conversations.tables import OutboxEventRow, WebhookDeliveryRow

log = logging.getLogger("api.webhooks")


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


@dataclass(frozen=True, slots=True)
class Delivery:
    id: str
    event_id: str | None
    url: str
    event_type: str
    status: str  # pending / delivered / failed
    attempts: int
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None
    next_attempt_at: datetime | None


@dataclass(frozen=True, slots=True)
class _Due:
    id: str
    url: str
    body: bytes
    event_id: str | None
    attempts: int


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
        poll_s: float = 1.0,
        lease_s: float = 60.0,
    ) -> None:
        if max_attempts < 1 or backoff_s < 0 or poll_s <= 0 or lease_s <= timeout_s:
            raise ValueError(
                "max_attempts must be >= 1, backoff_s >= 0, poll_s > 0, lease_s > timeout_s"
            )
        self.engine = engine
        self.urls = list(dict.fromkeys(urls))
        self.secret = secret
        self.max_attempts = max_attempts
        self.backoff_s = backoff_s
        self.poll_s = poll_s
        self.lease = timedelta(seconds=lease_s)
        self._client = httpx.AsyncClient(timeout=timeout_s, transport=transport)
        self._tasks: set[asyncio.Task[None]] = set()
        self._runner: asyncio.Task[None] | None = None
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self._runner = asyncio.create_task(self._run(), name="webhook-dispatcher")

    def wake(self) -> None:
        """A new outbox event was committed (any thread): look at once, not at the next poll."""
        if self._loop is not None and self._wake is not None:
            with contextlib.suppress(RuntimeError):  # the loop is closing
                self._loop.call_soon_threadsafe(self._wake.set)

    async def _run(self) -> None:
        assert self._wake is not None
        while True:
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:  # the database may be down for a while: keep polling
                log.exception("webhook dispatcher tick failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll_s)
            self._wake.clear()

    async def tick(self) -> int:
        """Fan new events out and start the due deliveries; returns how many started."""
        await asyncio.to_thread(self._fan_out)
        due = await asyncio.to_thread(self._claim_due)
        for d in due:
            task = asyncio.create_task(self._deliver(d))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return len(due)

    async def drain(self, timeout_s: float = 5.0) -> None:
        """Deliver what is due now and wait for in-flight deliveries (tests, shutdown).
        What is still pending stays in the outbox for the next start."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            started = await self.tick()
            if self._tasks:
                await asyncio.wait(set(self._tasks), timeout=max(0.0, deadline - time.monotonic()))
            elif not started:
                return

    async def aclose(self) -> None:
        if self._runner is not None:
            self._runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._runner
        for t in list(self._tasks):  # their leases expire: another start sends them again
            t.cancel()
        await self._client.aclose()

    # ------------------------------------------------------------------ storage

    def _fan_out(self) -> None:
        """One delivery row per URL for each new outbox event; the conditional UPDATE
        makes sure one worker only fans an event out."""
        with Session(self.engine) as s:
            ids = list(
                s.scalars(
                    select(OutboxEventRow.id)
                    .where(OutboxEventRow.dispatched.is_(False))
                    .order_by(OutboxEventRow.created_at, OutboxEventRow.id)
                    .limit(200)
                )
            )
        for event_id in ids:
            with Session(self.engine) as s, s.begin():
                won = s.execute(
                    update(OutboxEventRow)
                    .where(OutboxEventRow.id == event_id, OutboxEventRow.dispatched.is_(False))
                    .values(dispatched=True)
                    .returning(OutboxEventRow.id)
                ).first()
                if won is None:
                    continue
                event = s.get(OutboxEventRow, event_id)
                assert event is not None
                now = utcnow()
                for url in self.urls:
                    s.add(
                        WebhookDeliveryRow(
                            id="wh_" + uuid.uuid4().hex[:20],
                            event_id=event.id,
                            url=url,
                            event_type=event.type,
                            payload=event.payload,
                            status="pending",
                            attempts=0,
                            created_at=now,
                            next_attempt_at=now,
                        )
                    )

    def _claim_due(self, limit: int = 50) -> list[_Due]:
        now = utcnow()
        free = or_(WebhookDeliveryRow.lease_until.is_(None), WebhookDeliveryRow.lease_until < now)
        with Session(self.engine) as s:
            ids = list(
                s.scalars(
                    select(WebhookDeliveryRow.id)
                    .where(
                        WebhookDeliveryRow.status == "pending",
                        WebhookDeliveryRow.next_attempt_at <= now,
                        free,
                    )
                    .order_by(WebhookDeliveryRow.next_attempt_at, WebhookDeliveryRow.id)
                    .limit(limit)
                )
            )
        out = []
        for did in ids:
            with Session(self.engine) as s, s.begin():
                won = s.execute(
                    update(WebhookDeliveryRow)
                    .where(
                        WebhookDeliveryRow.id == did,
                        WebhookDeliveryRow.status == "pending",
                        free,
                    )
                    .values(lease_until=now + self.lease)
                    .returning(WebhookDeliveryRow.id)
                ).first()
                if won is None:
                    continue
                row = s.get(WebhookDeliveryRow, did)
                assert row is not None
                body = json.dumps(row.payload, separators=(",", ":")).encode()
                out.append(_Due(row.id, row.url, body, row.event_id, row.attempts))
        return out

    def _update(self, delivery_id: str, **values: Any) -> None:
        with Session(self.engine) as s, s.begin():
            s.execute(
                update(WebhookDeliveryRow)
                .where(WebhookDeliveryRow.id == delivery_id)
                .values(**values)
            )

    # ------------------------------------------------------------------ sending

    async def _deliver(self, d: _Due) -> None:
        attempt = d.attempts + 1
        ts = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "X-Agent-Assist-Timestamp": ts,
            "X-Agent-Assist-Signature": sign(self.secret, ts, d.body),
            "X-Agent-Assist-Delivery": d.id,
            "X-Agent-Assist-Event-Id": d.event_id or "",
        }
        try:
            r = await self._client.post(d.url, content=d.body, headers=headers)
            error = None if r.is_success else f"HTTP {r.status_code}"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
        now = utcnow()
        if error is None:
            await asyncio.to_thread(
                self._update,
                d.id,
                status="delivered",
                attempts=attempt,
                last_error=None,
                delivered_at=now,
                lease_until=None,
            )
            return
        last = attempt >= self.max_attempts
        await asyncio.to_thread(
            self._update,
            d.id,
            status="failed" if last else "pending",
            attempts=attempt,
            last_error=error[:500],
            next_attempt_at=None
            if last
            else now + timedelta(seconds=self.backoff_s * 2 ** (attempt - 1)),
            lease_until=None,
        )
        if last:
            log.warning("webhook %s to %s failed after %d attempts", d.id, d.url, attempt)
        else:
            self.wake_after(self.backoff_s * 2 ** (attempt - 1))

    def wake_after(self, seconds: float) -> None:
        if self._loop is not None and seconds < self.poll_s:
            self._loop.call_later(max(seconds, 0.0), self.wake)

    # ------------------------------------------------------------------ the log

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
                    r.event_id,
                    r.url,
                    r.event_type,
                    r.status,
                    r.attempts,
                    r.last_error,
                    aware(r.created_at) or r.created_at,
                    aware(r.delivered_at),
                    aware(r.next_attempt_at),
                )
                for r in rows
            ]
