"""Proactive help as the trigger happens (api/proactive.py says what fires): a background
task of each API worker reads the events past its high-water mark (`watch_cursors`,
name `proactive`) every `proactive_watch_s` and, for each customer one of them could
trigger a rule for:

- when the customer has a chat with the bot open right now (state `bot`, active within
  `proactive_open_chat_s`: they are on the site), the bot says the offer into it at once
  (the widget shows it live) and the offer is recorded as made, as when the widget opens;
- otherwise the webhook `customer.proactive_offer` tells the contact-center software what
  the bot would offer, in the customer's language, so it may reach the customer on their
  preferred channel; the offer stays for the customer's next chat.

Both are exactly once per trigger across workers: the offer's timeline record and the
webhook's outbox row have ids made of the rule and the trigger, so a second worker's
write is refused and it does nothing."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, Field
from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.background import every
from api.conversations.state import State
from api.conversations.store import Conversation, ConversationStore
from api.conversations.transcript import Transcript
from api.conversations.wording import language_of
from api.proactive import Offer, ProactiveHelp, offer_key
from api.storage.tables import ConversationRow, OutboxEventRow, WatchCursorRow
from retrieval.models import CustomerRow, EventRow

log = logging.getLogger("api.proactive")
CURSOR = "proactive"
OFFER_WEBHOOK = "customer.proactive_offer"


class ProactiveOfferEvent(BaseModel):
    """Webhook payload of `customer.proactive_offer`: what the bot would offer a customer
    who has no chat open (for the contact-center software to reach them elsewhere)."""

    id: str
    type: str = OFFER_WEBHOOK
    ts: datetime
    customer_id: str
    rule: str = Field(description="the rule of data/proactive.yml that fired")
    kind: str = Field(description="service, or marketing (made only with consent)")
    trigger_event_id: str
    language: str = Field(description="en / zh: the customer's last chat's, else en")
    text: str = Field(description="the offer in that language")
    article: str | None = Field(description="the knowledge article it cites")


@dataclass(frozen=True, slots=True)
class StepResult:
    events: int  # events read
    said: int  # offers said into open chats
    announced: int  # customer.proactive_offer webhooks written
    seq: int  # the high-water mark after the step


def _naive(ts: datetime) -> datetime:
    return ts.astimezone(UTC).replace(tzinfo=None)


class ProactiveWatcher:
    def __init__(
        self,
        engine: Engine,
        help_: ProactiveHelp,
        conversations: ConversationStore,
        transcript: Transcript,
        *,
        open_chat_s: float = 1800.0,
        events_per_step: int = 2000,
        on_outbox: Callable[[], None] | None = None,
    ) -> None:
        self.engine = engine
        self.help = help_
        self.conversations = conversations
        self.transcript = transcript
        self.open_chat = timedelta(seconds=open_chat_s)
        self.events_per_step = events_per_step
        self.on_outbox = on_outbox
        self.triggers = {r.event for r in help_.config.rules}

    def _read(self) -> tuple[int, bool, list[tuple[int, str]]]:
        with Session(self.engine) as s:
            cursor = s.get(WatchCursorRow, CURSOR)
            if cursor is None:  # a first start: only what comes from now on
                mark = int(s.scalar(select(EventRow.seq).order_by(EventRow.seq.desc())) or 0)
                return mark, False, []
            rows = s.execute(
                select(EventRow.seq, EventRow.customer_id)
                .where(EventRow.seq > cursor.seq, EventRow.type.in_(sorted(self.triggers)))
                .order_by(EventRow.seq)
                .limit(self.events_per_step)
            ).all()
            last = rows[-1][0] if rows else cursor.seq
            return int(last), True, [(int(seq), str(cid)) for seq, cid in rows]

    def _move(self, mark: int, exists: bool, at: datetime) -> None:
        with Session(self.engine) as s, s.begin():
            if not exists:
                s.add(WatchCursorRow(name=CURSOR, seq=mark, updated_at=at))
                with contextlib.suppress(IntegrityError):
                    s.flush()
                return
            s.execute(
                update(WatchCursorRow)
                .where(WatchCursorRow.name == CURSOR, WatchCursorRow.seq < mark)
                .values(seq=mark, updated_at=at)
            )

    def _open_chat(self, customer_id: str, now: datetime) -> Conversation | None:
        with Session(self.engine) as s:
            cid = s.scalar(
                select(ConversationRow.id)
                .where(
                    ConversationRow.customer_id == customer_id,
                    ConversationRow.state == State.BOT.value,
                    ConversationRow.updated_at >= _naive(now - self.open_chat),
                )
                .order_by(ConversationRow.updated_at.desc())
                .limit(1)
            )
        return self.conversations.get(cid) if cid else None

    def _language(self, customer_id: str) -> str:
        with Session(self.engine) as s:
            found = s.scalar(
                select(ConversationRow.language)
                .where(ConversationRow.customer_id == customer_id)
                .order_by(ConversationRow.updated_at.desc())
                .limit(1)
            )
            known = s.get(CustomerRow, customer_id) is not None
        return (found or "en") if known else ""

    def _announce(self, customer_id: str, offer: Offer, language: str, at: datetime) -> bool:
        event_id = "evt_proactive_" + offer_key(offer.rule, offer.trigger)
        payload = ProactiveOfferEvent(
            id=event_id,
            ts=at,
            customer_id=customer_id,
            rule=offer.rule,
            kind=offer.kind,
            trigger_event_id=offer.trigger,
            language=language,
            text=offer.text,
            article=offer.article,
        ).model_dump(mode="json")
        try:
            with Session(self.engine) as s, s.begin():
                s.add(
                    OutboxEventRow(
                        id=event_id,
                        type=OFFER_WEBHOOK,
                        payload=payload,
                        created_at=_naive(at),
                        dispatched=False,
                    )
                )
        except IntegrityError:
            return False  # another worker announced it
        return True

    async def step(self, now: datetime | None = None) -> StepResult:
        now = now or datetime.now(UTC)
        mark, exists, rows = await asyncio.to_thread(self._read)
        said = announced = 0
        for customer_id in dict.fromkeys(cid for _, cid in rows):
            try:
                chat = await asyncio.to_thread(self._open_chat, customer_id, now)
                language = (
                    language_of(chat)
                    if chat
                    else await asyncio.to_thread(self._language, customer_id)
                )
                if not language:
                    continue  # no such customer (any more)
                offer = await asyncio.to_thread(self.help.offer, customer_id, language, now)
                if offer is None:
                    continue
                if chat is None:
                    announced += await asyncio.to_thread(
                        self._announce, customer_id, offer, language, now
                    )
                    continue
                if not await asyncio.to_thread(self.help.record, customer_id, offer, chat.id, now):
                    continue  # another worker said it
                attrs = {"proactive": offer.rule, "trigger": offer.trigger}
                if offer.article:
                    attrs["article"] = offer.article
                turn = await self.transcript.say(chat, "bot", offer.text, attrs, state=State.BOT)
                said += turn is not None
            except Exception:  # one customer's failure does not stop the others
                log.exception("proactive offer for %s failed", customer_id)
        await asyncio.to_thread(self._move, mark, exists, now.replace(tzinfo=None))
        if announced and self.on_outbox is not None:
            self.on_outbox()
        return StepResult(len(rows), said, announced, mark)

    async def run(self, interval_s: float, stop: asyncio.Event) -> None:
        await every(interval_s, stop, self.step, "proactive watch step")
