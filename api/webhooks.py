"""Outbound webhooks for contact-center software, through a durable outbox.

Every ownership change writes its integration event (`conversation.queued`, `.claimed`,
`.handed_back`, `.closed`) to `outbox_events` in the same transaction as the change
(`ConversationStore.transition`), so a crash cannot lose it. The dispatcher, a background
task of each API worker, fans each event out to one `webhook_deliveries` row per URL and
sends the due ones: one delivery per event and URL, retried with exponential backoff
(the next attempt's time is stored), resumed after a restart. A worker takes a delivery
with a conditional UPDATE (a lease), so two workers never send the same one at once.

Receivers are the URLs configured in `AGENT_ASSIST_WEBHOOK_URLS` (every event, signed with
the service's secret) and the subscriptions an admin creates through the API (chosen event
types, each signed with its own secret, derived from the service's secret and the
subscription id and shown once). A subscription's URL must not point at this machine or a
private network (SSRF), checked when it is created and again before each delivery,
unless `webhook_allow_private` is set.

Event types: `conversation.queued`, `.claimed`, `.handed_back`, `.closed`,
`message.created` (every turn: customer, bot, agent, system; the text as stored, PII
redacted), and `customer.suppressed` / `customer.released` (marketing suppression, written
by api/suppression_watch.py).

Each delivery is POSTed as JSON, signed with HMAC-SHA256:
`X-Agent-Assist-Signature: sha256=<hex>` over `<timestamp>.<body>` with the shared
secret, `X-Agent-Assist-Timestamp: <unix seconds>`; receivers should refuse old
timestamps (replays) and de-duplicate on the body's `id` (`X-Agent-Assist-Event-Id`),
which stays the same across retries."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import hmac
import ipaddress
import json
import logging
import socket
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast
from urllib.parse import urlsplit

import httpx
from sqlalchemy import Connection, Engine, Table, bindparam, delete, insert, or_, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session

from api import metrics
from api.conversations.store import EVENT_TYPES, aware, utcnow
from api.storage.tables import OutboxEventRow, WebhookDeliveryRow, WebhookSubscriptionRow

log = logging.getLogger("api.webhooks")
WEBHOOK_EVENTS = frozenset(
    [
        *EVENT_TYPES.values(),
        "message.created",
        "customer.suppressed",
        "customer.released",
        "customer.proactive_offer",
    ]
)
PRUNE_EVERY_S = 600.0
FAN_OUT_BATCH = 200  # outbox events one tick fans out
RESOLVE_TIMEOUT_S = 5.0  # a webhook host's DNS lookup


class UnsafeUrl(ValueError):
    """A webhook URL that would make the service call itself or a private network."""


def check_url(url: str, allow_private: bool = False) -> None:
    """Raise UnsafeUrl unless `url` is http(s) with a host that resolves to public
    addresses only (loopback, private, link-local, reserved and multicast refused)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeUrl("a webhook URL must be http:// or https:// with a host")
    if parts.username or parts.password:
        raise UnsafeUrl("a webhook URL must not carry credentials; the signature authenticates")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeUrl(f"the host {parts.hostname!r} does not resolve") from exc
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global or address.is_multicast:
            raise UnsafeUrl(
                f"the host {parts.hostname!r} resolves to {address}, which is not a public "
                "address (set AGENT_ASSIST_WEBHOOK_ALLOW_PRIVATE=true to allow it)"
            )


def subscription_secret(service_secret: str, subscription_id: str) -> str:
    """A subscription's signing secret: derived, so it is never stored."""
    mac = hmac.new(
        service_secret.encode("utf-8"), f"webhook:{subscription_id}".encode(), hashlib.sha256
    )
    return "whsec_" + mac.hexdigest()


@dataclass(frozen=True, slots=True)
class Subscription:
    id: str
    url: str
    events: list[str]
    active: bool
    created_by: str
    created_at: datetime

    def wants(self, event_type: str) -> bool:
        return self.active and ("*" in self.events or event_type in self.events)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


@dataclass(frozen=True, slots=True)
class Delivery:
    id: str
    event_id: str | None
    subscription_id: str | None
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
    subscription_id: str | None


# The dispatcher's storage statements, built once (SQLAlchemy caches their compiled form):
# a tick runs on every write that adds an outbox event, so its reads and claims are on
# Core, not the ORM (an idle tick: two indexed reads).
_OUTBOX = cast(Table, OutboxEventRow.__table__)
_DELIVERIES = cast(Table, WebhookDeliveryRow.__table__)
_UNDISPATCHED = select(_OUTBOX.c.id).where(_OUTBOX.c.dispatched.is_(False))
_ANY_UNDISPATCHED = _UNDISPATCHED.limit(1)
# one statement claims a batch: two workers take disjoint batches (SKIP LOCKED, PostgreSQL;
# SQLite has one writer) and never wait on each other's rows
_CLAIM_EVENTS = (
    update(_OUTBOX)
    .where(
        _OUTBOX.c.id.in_(
            _UNDISPATCHED.order_by(_OUTBOX.c.created_at, _OUTBOX.c.id)
            .limit(FAN_OUT_BATCH)
            .with_for_update(skip_locked=True)
        ),
        _OUTBOX.c.dispatched.is_(False),
    )
    .values(dispatched=True)
    .returning(_OUTBOX.c.id, _OUTBOX.c.type, _OUTBOX.c.payload, _OUTBOX.c.created_at)
)
_LEASE_FREE = or_(_DELIVERIES.c.lease_until.is_(None), _DELIVERIES.c.lease_until < bindparam("now"))
_DUE = select(_DELIVERIES.c.id).where(
    _DELIVERIES.c.status == "pending",
    _DELIVERIES.c.next_attempt_at <= bindparam("now"),
    _LEASE_FREE,
)
_ANY_DUE = _DUE.limit(1)


@functools.cache
def _lease_due(limit: int) -> Any:
    """UPDATE ... RETURNING that leases up to `limit` due deliveries (see _CLAIM_EVENTS)."""
    batch = (
        _DUE.order_by(_DELIVERIES.c.next_attempt_at, _DELIVERIES.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return (
        update(_DELIVERIES)
        .where(_DELIVERIES.c.id.in_(batch), _DELIVERIES.c.status == "pending", _LEASE_FREE)
        .values(lease_until=bindparam("until"))
        .returning(
            _DELIVERIES.c.id,
            _DELIVERIES.c.url,
            _DELIVERIES.c.payload,
            _DELIVERIES.c.event_id,
            _DELIVERIES.c.attempts,
            _DELIVERIES.c.subscription_id,
            _DELIVERIES.c.next_attempt_at,
        )
    )


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
        allow_private: bool = False,
        keep_days: float = 30.0,
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
        self.allow_private = allow_private
        self.keep = timedelta(days=keep_days)
        self._pruned_at = 0.0
        self._client = httpx.AsyncClient(timeout=timeout_s, transport=transport)
        self._tasks: set[asyncio.Task[None]] = set()
        self._runner: asyncio.Task[None] | None = None
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping = False

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
        """Poll until `aclose`. It stops on a flag, not on cancellation alone: on Python
        3.11 `asyncio.wait_for` can swallow a cancellation that races its timeout, which
        would leave shutdown waiting for this loop forever."""
        assert self._wake is not None
        while not self._stopping:
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except (OperationalError, PoolTimeout) as exc:  # the database is down a while
                log.warning("webhook dispatcher waits for the database (%s)", type(exc).__name__)
            except Exception:  # anything else: logged in full, and keep polling
                log.exception("webhook dispatcher tick failed")
            if self._stopping:
                break
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.poll_s):
                    await self._wake.wait()
            self._wake.clear()

    async def tick(self) -> int:
        """Fan new events out and start the due deliveries; returns how many started."""
        if time.monotonic() - self._pruned_at > PRUNE_EVERY_S:
            self._pruned_at = time.monotonic()
            await asyncio.to_thread(self._prune)
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
        self._stopping = True
        if self._runner is not None:
            self.wake()
            done, _ = await asyncio.wait({self._runner}, timeout=self.poll_s + 10)
            if not done:  # a tick stuck on the database: stop it
                self._runner.cancel()
                await asyncio.wait({self._runner}, timeout=5)
        for t in list(self._tasks):  # their leases expire: another start sends them again
            t.cancel()
        await self._client.aclose()

    # ------------------------------------------------------------------ storage

    def _fan_out(self) -> None:
        """One delivery row per receiver (configured URL or subscription that wants the
        event type) for each new outbox event, each event fanned out once by one worker
        (`_CLAIM_EVENTS`); with nobody to deliver to, that statement is all a batch costs."""
        with self.engine.connect() as conn:  # a read first: most ticks find nothing to do
            if conn.execute(_ANY_UNDISPATCHED).first() is None:
                return
        with self.engine.begin() as conn:
            won = conn.execute(_CLAIM_EVENTS).all()
            if not won:
                return
            subscriptions = self.subscriptions(conn)
            now = utcnow()
            rows = [
                {
                    "id": "wh_" + uuid.uuid4().hex[:20],
                    "event_id": event.id,
                    "subscription_id": subscription_id,
                    "url": url,
                    "event_type": event.type,
                    "payload": event.payload,
                    "status": "pending",
                    "attempts": 0,
                    "created_at": now,
                    "next_attempt_at": now,
                }
                for event in sorted(won, key=lambda r: (r.created_at, r.id))
                for url, subscription_id in self._targets(event.type, subscriptions).items()
            ]
            for k, row in enumerate(rows):  # due in the events' order (ids are random)
                row["next_attempt_at"] = now + timedelta(microseconds=k)
            if rows:
                conn.execute(insert(_DELIVERIES), rows)

    def _targets(self, event_type: str, subscriptions: list[Subscription]) -> dict[str, str | None]:
        """url -> the subscription it is for (None: a configured URL), for one event type."""
        targets: dict[str, str | None] = dict.fromkeys(self.urls)
        for sub in subscriptions:
            if sub.wants(event_type):
                targets.setdefault(sub.url, sub.id)
        return targets

    def _prune(self) -> None:
        """Dispatched outbox events and finished deliveries older than `keep_days`."""
        cutoff = utcnow() - self.keep
        with Session(self.engine) as s, s.begin():
            s.execute(
                delete(OutboxEventRow).where(
                    OutboxEventRow.dispatched.is_(True), OutboxEventRow.created_at < cutoff
                )
            )
            s.execute(
                delete(WebhookDeliveryRow).where(
                    WebhookDeliveryRow.status != "pending", WebhookDeliveryRow.created_at < cutoff
                )
            )

    def _claim_due(self, limit: int = 50) -> list[_Due]:
        """Lease the due deliveries (pending, due, not leased by a live worker) in one
        statement (`_lease_due`): a delivery is in one worker's hands at a time, until its
        lease runs out."""
        now = utcnow()
        with self.engine.connect() as conn:  # a read first: most ticks find nothing due
            if conn.execute(_ANY_DUE, {"now": now}).first() is None:
                return []
        with self.engine.begin() as conn:
            rows = conn.execute(_lease_due(limit), {"now": now, "until": now + self.lease}).all()
        return [
            _Due(
                r.id,
                r.url,
                json.dumps(r.payload, separators=(",", ":")).encode(),
                r.event_id,
                r.attempts,
                r.subscription_id,
            )
            for r in sorted(rows, key=lambda r: (r.next_attempt_at, r.id))
        ]

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
        secret = self.secret
        if d.subscription_id is not None:
            secret = subscription_secret(self.secret, d.subscription_id)
        headers = {
            "Content-Type": "application/json",
            "X-Agent-Assist-Timestamp": ts,
            "X-Agent-Assist-Signature": sign(secret, ts, d.body),
            "X-Agent-Assist-Delivery": d.id,
            "X-Agent-Assist-Event-Id": d.event_id or "",
        }
        try:
            if d.subscription_id is not None:  # DNS may have changed since it was created
                await asyncio.wait_for(
                    asyncio.to_thread(check_url, d.url, self.allow_private), RESOLVE_TIMEOUT_S
                )
            r = await self._client.post(d.url, content=d.body, headers=headers)
            error = None if r.is_success else f"HTTP {r.status_code}"
        except UnsafeUrl as exc:
            error = f"refused: {exc}"
            attempt = self.max_attempts  # never retried
        except TimeoutError:
            error = "the host did not resolve in time"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
        now = utcnow()
        if error is None:
            metrics.WEBHOOK_DELIVERIES.labels("delivered").inc()
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
        metrics.WEBHOOK_DELIVERIES.labels("failed" if last else "retry").inc()
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

    # ------------------------------------------------------------------ subscriptions

    def subscribe(
        self, url: str, events: Sequence[str], created_by: str
    ) -> tuple[Subscription, str]:
        """A new subscription and its signing secret (shown once). Raises UnsafeUrl or
        ValueError (an unknown event type)."""
        unknown = sorted(set(events) - WEBHOOK_EVENTS - {"*"})
        if unknown or not events:
            raise ValueError(
                f"unknown event types {unknown}: choose among {sorted(WEBHOOK_EVENTS)} or '*'"
                if unknown
                else "events is empty: name the event types, or '*' for all"
            )
        check_url(url, self.allow_private)
        row = WebhookSubscriptionRow(
            id="whsub_" + uuid.uuid4().hex[:16],
            url=url,
            events=sorted(set(events)),
            active=True,
            created_by=created_by,
            created_at=utcnow(),
        )
        with Session(self.engine) as s, s.begin():
            s.add(row)
            s.flush()
            sub = _subscription(row)
        return sub, subscription_secret(self.secret, sub.id)

    def subscriptions(self, conn: Connection | None = None) -> list[Subscription]:
        """Every subscription, oldest first (read on `conn` when given)."""
        q = select(WebhookSubscriptionRow.__table__).order_by(
            WebhookSubscriptionRow.created_at, WebhookSubscriptionRow.id
        )
        if conn is not None:
            return [_subscription(r) for r in conn.execute(q)]
        with self.engine.connect() as c:
            return [_subscription(r) for r in c.execute(q)]

    def unsubscribe(self, subscription_id: str) -> bool:
        """Deactivate (its deliveries stay in the log); True if it existed."""
        with Session(self.engine) as s, s.begin():
            row = s.get(WebhookSubscriptionRow, subscription_id)
            if row is None:
                return False
            row.active = False
            s.execute(
                update(WebhookDeliveryRow)
                .where(
                    WebhookDeliveryRow.subscription_id == subscription_id,
                    WebhookDeliveryRow.status == "pending",
                )
                .values(status="failed", last_error="the subscription was deleted")
            )
            return True

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
                    r.subscription_id,
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


def _subscription(r: Any) -> Subscription:
    """From a subscriptions row (ORM object or Core row: the same attribute names)."""
    return Subscription(
        r.id, r.url, list(r.events), r.active, r.created_by, aware(r.created_at) or r.created_at
    )
