"""The suppression watcher: fires `customer.suppressed` when a customer becomes suppressed
(an event was ingested: POST /v1/events, a batch, an import, a chat turn) and
`customer.released` when marketing may reach them again (time passed, a ticket closed).

A background task of each API worker runs `step` every `suppression_watch_s`. A step
re-evaluates (retrieval/suppression_batch.py):
- the customers with events past the high-water mark (`watch_cursors`, over `events.seq`);
- the suppressed customers whose `until` has passed;
- the suppressed customers not evaluated for `suppression_recheck_s` (what changes
  without an event: a ticket closed, a consent given back);
then, in ONE transaction, moves the mark, updates `suppression_state` and writes each
change's outbox event. Every write is conditional (the mark still where it was read, the
state row still at its version, no row inserted meanwhile): when another worker got there
first, the whole step rolls back and the next one starts again, so a change is announced
once. A chat turn is classified after it is stored: the mark waits (up to `settle_s`) for
a recent customer turn to get its intent and sentiment before it moves past it."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.background import every
from api.contract import SuppressionReason
from api.storage.tables import OutboxEventRow, SuppressionStateRow, WatchCursorRow
from api.suppression_schemas import CustomerSuppressionEvent
from retrieval.context import ContextBuilder
from retrieval.journey_rules import JourneyRules
from retrieval.models import EventRow
from retrieval.store import SqlHistoryStore
from retrieval.suppression import Suppression
from retrieval.suppression_batch import SuppressionBatch

log = logging.getLogger("api.suppression")
CURSOR = "suppression"
Kind = Literal["customer.suppressed", "customer.released"]
SUPPRESSED: Kind = "customer.suppressed"
RELEASED: Kind = "customer.released"


def batch_for(
    history: SqlHistoryStore, assistant: object | None, journey: JourneyRules | None = None
) -> SuppressionBatch:
    """Batch evaluation with the assistant's context rules (journey, suppression rules,
    sentiment), so the check, the watcher and the context agree; without an assistant,
    the rules of `journey` (the configured stage model; None: the active one)."""
    ctx = getattr(assistant, "context", None)
    if isinstance(ctx, ContextBuilder):
        builder = ctx
    else:
        builder = (journey or JourneyRules.load()).context(history)
    return SuppressionBatch(history, builder.suppression, builder.journey, builder.score)


class _Lost(Exception):
    """Another worker changed what this step read: roll it back."""


@dataclass(frozen=True, slots=True)
class StepResult:
    evaluated: int  # customers re-evaluated
    suppressed: int  # customer.suppressed written
    released: int  # customer.released written
    seq: int  # the high-water mark after the step
    more: bool = False  # a full batch: run again at once
    conflict: bool = False  # another worker won a race: nothing was written


def _naive(ts: datetime) -> datetime:
    return ts.astimezone(UTC).replace(tzinfo=None)


def _reasons(s: Suppression) -> list[SuppressionReason]:
    return [SuppressionReason.model_validate(r) for r in s.reasons]


class SuppressionWatcher:
    def __init__(
        self,
        engine: Engine,
        batch: SuppressionBatch,
        *,
        recheck_s: float = 300.0,
        settle_s: float = 30.0,
        events_per_step: int = 2000,
        customers_per_step: int = 500,
        on_outbox: Callable[[], None] | None = None,
    ) -> None:
        if recheck_s <= 0 or settle_s < 0 or events_per_step < 1 or customers_per_step < 1:
            raise ValueError("recheck_s > 0, settle_s >= 0, and batch sizes >= 1 are needed")
        self.engine = engine
        self.batch = batch
        self.recheck = timedelta(seconds=recheck_s)
        self.settle = timedelta(seconds=settle_s)
        self.events_per_step = events_per_step
        self.customers_per_step = customers_per_step
        self.on_outbox = on_outbox

    # ------------------------------------------------------------------ one step

    def step(self, now: datetime | None = None) -> StepResult:
        """Re-evaluate what may have changed by `now` and record (and announce) changes."""
        now = now or datetime.now(UTC)
        at = _naive(now)
        with Session(self.engine) as s:
            cursor = s.get(WatchCursorRow, CURSOR)
            mark = cursor.seq if cursor is not None else 0
            rows = s.execute(
                select(
                    EventRow.seq, EventRow.customer_id, EventRow.type, EventRow.intent, EventRow.ts
                )
                .where(EventRow.seq > mark)
                .order_by(EventRow.seq)
                .limit(self.events_per_step)
            ).all()
            due = s.scalars(
                select(SuppressionStateRow.customer_id)
                .where(
                    SuppressionStateRow.suppressed.is_(True),
                    SuppressionStateRow.until.is_not(None),
                    SuppressionStateRow.until <= at,
                )
                .limit(self.customers_per_step)
            ).all()
            stale = s.scalars(
                select(SuppressionStateRow.customer_id)
                .where(
                    SuppressionStateRow.suppressed.is_(True),
                    SuppressionStateRow.checked_at <= at - self.recheck,
                )
                .limit(self.customers_per_step)
            ).all()
        new_mark, held = mark, False
        ids: dict[str, None] = {}
        for seq, customer_id, type_, intent, ts in rows:
            ids[customer_id] = None
            if type_ == "chat_customer" and intent is None and ts > at - self.settle:
                held = True  # not classified yet: look at it again next step
            if not held:
                new_mark = seq
        ids |= dict.fromkeys(due) | dict.fromkeys(stale)
        backlog = len(rows) == self.events_per_step and new_mark > mark
        more = backlog or self.customers_per_step in (len(due), len(stale))
        if not ids and new_mark == mark:
            return StepResult(0, 0, 0, mark)
        states = self.batch.evaluate(list(ids), now)
        gone = [cid for cid in ids if cid not in states]  # no such customer any more
        try:
            written = self._record(states, gone, mark, new_mark, cursor is not None, at)
        except (_Lost, IntegrityError):
            log.info("suppression step lost a race with another worker; retrying next step")
            return StepResult(len(states), 0, 0, mark, conflict=True)
        if (written[0] or written[1]) and self.on_outbox is not None:
            self.on_outbox()
        return StepResult(len(states), written[0], written[1], new_mark, more)

    def _record(
        self,
        states: dict[str, Suppression],
        gone: list[str],
        mark: int,
        new_mark: int,
        has_cursor: bool,
        at: datetime,
    ) -> tuple[int, int]:
        """Write the step in one transaction; `_Lost` when another worker moved first."""
        counts = {SUPPRESSED: 0, RELEASED: 0}
        with Session(self.engine) as s, s.begin():
            if gone:
                s.execute(
                    delete(SuppressionStateRow).where(SuppressionStateRow.customer_id.in_(gone))
                )
            if not has_cursor:
                s.add(WatchCursorRow(name=CURSOR, seq=new_mark, updated_at=at))
                s.flush()  # IntegrityError when another worker created it
            elif new_mark != mark:
                won = s.execute(
                    update(WatchCursorRow)
                    .where(WatchCursorRow.name == CURSOR, WatchCursorRow.seq == mark)
                    .values(seq=new_mark, updated_at=at)
                    .returning(WatchCursorRow.name)
                ).first()
                if won is None:
                    raise _Lost
            rows = {
                r.customer_id: (r.suppressed, r.version)
                for r in s.scalars(
                    select(SuppressionStateRow).where(
                        SuppressionStateRow.customer_id.in_(list(states))
                    )
                )
            }
            for cid, sup in states.items():
                now_suppressed = not sup.allowed
                values: dict[str, Any] = {
                    "suppressed": now_suppressed,
                    "until": _naive(sup.until) if sup.until else None,
                    "reasons": [r.model_dump(mode="json") for r in _reasons(sup)],
                    "checked_at": at,
                }
                if cid not in rows:
                    if not now_suppressed:
                        continue  # never suppressed: no row, nothing to announce
                    s.add(SuppressionStateRow(customer_id=cid, version=1, changed_at=at, **values))
                    s.flush()  # IntegrityError when another worker inserted it
                    counts[SUPPRESSED] += self._announce(s, SUPPRESSED, cid, sup, at)
                    continue
                was, version = rows[cid]
                if not was and not now_suppressed:
                    continue
                if was != now_suppressed:
                    values |= {"version": version + 1, "changed_at": at}
                won = s.execute(
                    update(SuppressionStateRow)
                    .where(
                        SuppressionStateRow.customer_id == cid,
                        SuppressionStateRow.version == version,
                    )
                    .values(**values)
                    .returning(SuppressionStateRow.customer_id)
                ).first()
                if won is None:
                    raise _Lost
                if was != now_suppressed:
                    kind = SUPPRESSED if now_suppressed else RELEASED
                    counts[kind] += self._announce(s, kind, cid, sup, at)
        return counts[SUPPRESSED], counts[RELEASED]

    @staticmethod
    def _announce(s: Session, kind: Kind, customer_id: str, sup: Suppression, at: datetime) -> int:
        event_id = "evt_" + uuid.uuid4().hex
        payload = CustomerSuppressionEvent(
            id=event_id,
            type=kind,
            ts=at.replace(tzinfo=UTC),
            customer_id=customer_id,
            marketing_allowed=sup.allowed,
            until=sup.until,
            reasons=_reasons(sup),
        ).model_dump(mode="json")
        s.add(
            OutboxEventRow(id=event_id, type=kind, payload=payload, created_at=at, dispatched=False)
        )
        return 1

    # ------------------------------------------------------------------ the task

    async def run(self, interval_s: float, stop: asyncio.Event) -> None:
        """Step every `interval_s` until `stop` (at once again while there is a backlog)."""

        async def step() -> bool:
            return (await asyncio.to_thread(self.step)).more

        await every(interval_s, stop, step, "suppression watch step")
