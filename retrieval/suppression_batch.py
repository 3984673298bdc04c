"""Marketing suppression of many customers at once (`POST /v1/suppression:check`, the
suppression watcher): a few queries per 500 customers (consent, open tickets, recent
events, and orders when a stage suppresses), then `SuppressionRules.evaluate` for each,
with the same inputs the customer context uses, so both always agree."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from retrieval.journey import JourneyModel
from retrieval.models import CustomerRow, EventRow, OrderRow, TicketRow
from retrieval.schemas import OPEN_TICKET_STATUSES, Event, Order, Ticket
from retrieval.store import SqlHistoryStore, _event, _naive, _order, _ticket
from retrieval.suppression import SentimentFn, Suppression, SuppressionRules

CHUNK = 500  # customer ids per IN (...) query


class SuppressionBatch:
    def __init__(
        self,
        store: SqlHistoryStore,
        rules: SuppressionRules,
        journey: JourneyModel | None = None,
        score: SentimentFn | None = None,
    ) -> None:
        self.store = store
        self.rules = rules
        self.journey = journey or JourneyModel()
        self.score = score

    def evaluate(
        self, customer_ids: Sequence[str], now: datetime | None = None
    ) -> dict[str, Suppression]:
        """customer id -> suppression at `now`; unknown ids are left out."""
        now = now or datetime.now(UTC)
        ids = list(dict.fromkeys(customer_ids))
        out: dict[str, Suppression] = {}
        for k in range(0, len(ids), CHUNK):
            out |= self._chunk(ids[k : k + CHUNK], now)
        return out

    def _chunk(self, ids: list[str], now: datetime) -> dict[str, Suppression]:
        with_stage = bool(self.rules.stages)
        horizon = self.rules.horizon
        if with_stage:  # the stage reads the journey model's whole horizon
            horizon = max(horizon, timedelta(days=self.journey.config.horizon_days))
        since = _naive(now - horizon)
        events: dict[str, list[Event]] = defaultdict(list)
        tickets: dict[str, list[Ticket]] = defaultdict(list)
        orders: dict[str, list[Order]] = defaultdict(list)
        with Session(self.store.engine) as s:
            opt_out = {
                cid: bool(flag)
                for cid, flag in s.execute(
                    select(CustomerRow.id, CustomerRow.marketing_opt_out).where(
                        CustomerRow.id.in_(ids)
                    )
                )
            }
            known = list(opt_out)
            if not known:
                return {}
            for t in s.scalars(
                select(TicketRow).where(
                    TicketRow.customer_id.in_(known),
                    TicketRow.status.in_(sorted(OPEN_TICKET_STATUSES)),
                )
            ):
                tickets[t.customer_id].append(_ticket(t))
            for e in s.scalars(
                select(EventRow)
                .where(EventRow.customer_id.in_(known), EventRow.ts >= since)
                .order_by(EventRow.ts.desc(), EventRow.seq.desc())
            ):
                events[e.customer_id].append(_event(e))
            if with_stage:
                for o in s.scalars(select(OrderRow).where(OrderRow.customer_id.in_(known))):
                    orders[o.customer_id].append(_order(o))
        out = {}
        for cid in known:
            stage = None
            if with_stage:
                stage = self.journey.infer(None, events[cid], orders[cid], tickets[cid], now).stage
            out[cid] = self.rules.evaluate(
                now,
                opt_out=opt_out[cid],
                events=events[cid],
                tickets=tickets[cid],
                stage=stage,
                score=self.score,
            )
        return out
