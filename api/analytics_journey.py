"""The journey part of the supervisors' analytics (api/analytics.py): the customer's
journey stage when they wrote, and where customers go between stages.

- A conversation's stage is the one the agent panel would have shown at the customer's
  first request: the active stage model (data/journey/model.yml) run on that request and
  on the customer's history AS IT STOOD when the conversation started.
- Each customer who wrote in the period is followed from the stage of their first
  conversation in it to their stage at the end of the period (history up to then, no
  current request): the stage-to-stage flows; a customer who ends where they started
  stayed (stalled, if it is a middle stage).

History as it stood at a moment `t` is rebuilt from what the store keeps: events before
`t`; orders placed before `t` (one delivered after `t` was still on its way then);
tickets opened before `t` (one resolved or closed since, last updated after `t`, was still
open then). A ticket reopened and closed again, or an order returned, is read as it is
now: the store keeps no older states. Reads only, like the rest of the analytics: a few
queries per 500 customers."""

from __future__ import annotations

import bisect
import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from retrieval.journey import JourneyModel
from retrieval.models import EventRow, OrderRow, TicketRow
from retrieval.schemas import Event, Order, Ticket
from retrieval.store import _event, _order, _ticket

CHUNK = 500  # customer ids per IN (...) query


def _aware(ts: datetime) -> datetime:
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts.astimezone(UTC)


def order_then(order: Order, at: datetime) -> Order | None:
    """`order` as it stood at `at` (aware); None: not placed yet."""
    if order.placed_at > at:
        return None
    if order.delivered_at is not None and order.delivered_at > at:
        shipped = order.shipped_at is not None and order.shipped_at <= at
        return dataclasses.replace(
            order, status="in_transit" if shipped else "placed", delivered_at=None
        )
    return order


def ticket_then(ticket: Ticket, at: datetime) -> Ticket | None:
    """`ticket` as it stood at `at` (aware); None: not opened yet."""
    if ticket.opened_at > at:
        return None
    if not ticket.is_open and ticket.updated_at is not None and ticket.updated_at > at:
        return dataclasses.replace(ticket, status="open")
    return ticket


class StageClock:
    """The journey stage of the given customers at any moment in [`since`, `until`) (naive
    UTC, the storage convention), from one read of their history (the model's horizon
    before `since` onwards)."""

    def __init__(
        self,
        engine: Engine,
        journey: JourneyModel,
        customer_ids: Iterable[str],
        since: datetime,
        until: datetime,
    ) -> None:
        self.journey = journey
        self.events: dict[str, list[Event]] = defaultdict(list)
        self.orders: dict[str, list[Order]] = defaultdict(list)
        self.tickets: dict[str, list[Ticket]] = defaultdict(list)
        first = since - timedelta(days=journey.config.horizon_days)
        ids = sorted(set(customer_ids))
        with Session(engine) as s:
            for k in range(0, len(ids), CHUNK):
                chunk = ids[k : k + CHUNK]
                for e in s.scalars(
                    select(EventRow)
                    .where(
                        EventRow.customer_id.in_(chunk),
                        EventRow.ts >= first,
                        EventRow.ts < until,
                    )
                    .order_by(EventRow.ts, EventRow.seq)
                ):
                    self.events[e.customer_id].append(_event(e))
                for o in s.scalars(select(OrderRow).where(OrderRow.customer_id.in_(chunk))):
                    self.orders[o.customer_id].append(_order(o))
                for t in s.scalars(select(TicketRow).where(TicketRow.customer_id.in_(chunk))):
                    self.tickets[t.customer_id].append(_ticket(t))
        self._times = {cid: [e.ts for e in evs] for cid, evs in self.events.items()}

    def at(self, customer_id: str | None, when: datetime, intent: str | None = None) -> str:
        """The stage at `when` (naive UTC or aware) with `intent` as the current request;
        an anonymous visitor (no customer id) has no history: the request alone decides."""
        now = _aware(when)
        if customer_id is None:
            return self.journey.infer(intent, now=now).stage
        before = bisect.bisect_left(self._times.get(customer_id, []), now)
        orders = [o for o in (order_then(o, now) for o in self.orders[customer_id]) if o]
        tickets = [t for t in (ticket_then(t, now) for t in self.tickets[customer_id]) if t]
        events = self.events[customer_id][:before]
        return self.journey.infer(intent, events, orders, tickets, now).stage
