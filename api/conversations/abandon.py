"""Abandonment: a customer who left the queue stops waiting for a person.

Two ways in, both ending in the same audited close from `queued` (through `Desk.close`,
so the audit trail, the `conversation.closed` webhook, the agents' queue and the
analytics' `abandoned_in_queue` all see it), its reason starting "abandoned":

- the customer says so (`POST /v1/conversations/{id}/leave`): `ended` (they ended the
  chat) closes at once, actor the customer; `page_left` (their page closed or navigated
  away) is only recorded, because a reload or the next page of the same site resumes the
  chat within seconds: the sweep closes it when no sign of life follows within
  `leave_grace_s`;
- the sweep (`sweep(now)`, every `queue_sweep_s` from the lifespan) closes, actor
  `system`, a waiting conversation whose customer gave no sign of life (a message, a poll
  of the transcript: `ConversationStore.mark_seen`) for `silence_s`. Only a customer
  whose client polls with their conversation token (the widget does, every 10 s while
  waiting) is judged by their silence: a conversation an integration drives with an API
  key (Chatwoot, where a person of the desk may own it meanwhile) never polled, and its
  silence says nothing.

Only a conversation that still waits is closed (`only_from=queued`): one an agent claimed
meanwhile is left alone."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Literal

from api.background import every
from api.conversations.desk import Desk
from api.conversations.errors import ConversationClosed, IllegalTransition
from api.conversations.state import Action, State
from api.conversations.store import Conversation, ConversationStore, Transition

log = logging.getLogger("api.queue")

Departure = Literal["ended", "page_left"]
ABANDONED = "abandoned"  # every abandonment's reason starts with this
LEFT = f"{ABANDONED}: the customer left the queue"


def _span(seconds: float) -> str:
    return f"{seconds / 60:g} min" if seconds >= 60 else f"{seconds:g} s"


def abandon_reason(
    conv: Conversation,
    last_customer_turn: datetime | None,
    now: datetime,
    silence_s: float,
    leave_grace_s: float,
) -> str | None:
    """Why a waiting conversation counts as abandoned at `now`, or None. Its customer's
    last sign of life is the latest of: queued, their last poll, their last message.
    Silence counts only for a customer who polled while waiting (`customer_seen_at`)."""
    if conv.state is not State.QUEUED:
        return None
    signs = [t for t in (conv.queued_at, conv.customer_seen_at, last_customer_turn) if t]
    alive = max(signs) if signs else conv.created_at
    left = conv.left_at
    if left is not None and left >= alive and (now - left).total_seconds() >= leave_grace_s:
        return f"{ABANDONED}: the customer's page closed and they did not come back within " + (
            _span(leave_grace_s)
        )
    polled = conv.customer_seen_at is not None
    if polled and (now - alive).total_seconds() >= silence_s:
        return f"{ABANDONED}: no sign of the customer for {_span(silence_s)}"
    return None


def was_abandoned(trail: list[Transition]) -> bool:
    """The conversation's last move was an abandonment (a repeated leave is no error)."""
    last = trail[-1] if trail else None
    return (
        last is not None
        and last.action == Action.CLOSE.value
        and last.from_state is State.QUEUED
        and last.reason.startswith(ABANDONED)
    )


class Abandonment:
    def __init__(
        self, store: ConversationStore, desk: Desk, silence_s: float, leave_grace_s: float
    ) -> None:
        self.store = store
        self.desk = desk
        self.silence_s = silence_s
        self.leave_grace_s = leave_grace_s

    async def leave(
        self, conversation_id: str, actor: str, departure: Departure = "ended"
    ) -> Conversation:
        """The customer left (`actor`: them, or an agent saying so). Idempotent: leaving
        a conversation already abandoned returns it unchanged."""
        conv = await asyncio.to_thread(self.store.get, conversation_id)  # 404 if unknown
        if conv.state is State.CLOSED:
            trail = await asyncio.to_thread(self.store.transitions, conversation_id)
            if was_abandoned(trail):
                return conv
            raise ConversationClosed(conversation_id)
        if conv.state is not State.QUEUED:
            raise IllegalTransition(
                conversation_id,
                "leave_the_queue_of",
                conv.state.value,
                "only a conversation waiting for a person can leave the queue (close it instead)",
            )
        if departure == "page_left":
            if await asyncio.to_thread(self.store.mark_left, conversation_id):
                return await asyncio.to_thread(self.store.get, conversation_id)
            return await self.leave(conversation_id, actor, departure)  # it moved: say how
        return await self.desk.close(conversation_id, actor, LEFT, None, only_from=State.QUEUED)

    async def sweep(self, now: datetime | None = None) -> list[str]:
        """Close every waiting conversation abandoned at `now`; their ids."""
        now = now or datetime.now(UTC)
        convs = await asyncio.to_thread(self.store.list_by_state, State.QUEUED, 1000)
        last = await asyncio.to_thread(self.store.last_customer_turns, [c.id for c in convs])
        closed = []
        for c in convs:
            turn = last.get(c.id)
            reason = abandon_reason(
                c, turn.ts if turn else None, now, self.silence_s, self.leave_grace_s
            )
            if reason is None:
                continue
            try:
                conv = await self.desk.close(c.id, "system", reason, None, only_from=State.QUEUED)
            except IllegalTransition:  # an agent claimed it meanwhile
                continue
            log.info("closed %s: %s", c.id, reason)
            closed.append(conv.id)
        return closed

    async def run(self, every_s: float, stop: asyncio.Event) -> None:
        """Sweep every `every_s` until `stop`."""
        await every(every_s, stop, self.sweep, "queue sweep", wait_first=True)
