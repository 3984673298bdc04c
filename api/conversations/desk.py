"""The agent side of hand-off: claim, agent message, hand back to the bot, close. Each
goes through the store's atomic, audited, idempotent transition, then notifies the
conversation's customer (customer-safe state) and the agents.

Ownership: while a person owns a conversation, only that agent may write in it, hand it
back or close it; a supervisor may do all three on anyone's conversation. `owner` below is
the identity the acting principal must own the conversation as (`None`: no check; see
`api.security.acting_owner`), checked inside the same conditional UPDATE / INSERT that
does the work, so an ownership change between a read and the write cannot slip through."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from sqlalchemy.orm import Session

from api import metrics
from api.contract import WrapUp, WrapUpDraft
from api.conversations.bot import BotClient
from api.conversations.errors import BotUnavailable, Forbidden, IllegalTransition
from api.conversations.handoff import Handoff
from api.conversations.state import Action, State
from api.conversations.store import (
    ROUTED,
    ClosingNote,
    Conversation,
    ConversationStore,
    Guard,
    Turn,
)
from api.conversations.transcript import Transcript
from api.conversations.wording import Notice, language_of, say
from api.conversations.wrapup import WrapUpWriter, is_promise, render, told
from api.hub_events import state_events
from api.notify import Hub

HANDED_BACK_INTENT = "EXTERNAL_handed_back"  # declared in rasa_bot/domain.yml
log = logging.getLogger("api.desk")


def _check_owner(conv: Conversation, owner: str | None, what: str) -> None:
    if conv.state is not State.HUMAN:
        raise IllegalTransition(conv.id, what, conv.state.value, "claim it first")
    if owner is not None and conv.agent_id != owner:
        raise Forbidden(
            f"conversation {conv.id!r} belongs to agent {conv.agent_id!r}: only its owner "
            "or a supervisor may do this"
        )


class Desk:
    def __init__(
        self,
        store: ConversationStore,
        transcript: Transcript,
        handoff: Handoff,
        hub: Hub,
        bot: BotClient | None,
        wrapups: WrapUpWriter,
    ) -> None:
        self.store = store
        self.transcript = transcript
        self.handoff = handoff
        self.hub = hub
        self.bot = bot
        self.wrapups = wrapups

    async def _transition(
        self,
        conversation_id: str,
        action: Action,
        actor: str,
        reason: str = "",
        agent_id: str | None = None,
        notice: Notice | None = None,
        owner: str | None = None,
        note: ClosingNote | None = None,
        only_from: State | None = None,
        guard: Guard | None = None,
        queue: str | None = None,
        keep_wait: bool = False,
    ) -> Conversation:
        res = await asyncio.to_thread(
            self.store.transition,
            conversation_id,
            action,
            actor,
            reason,
            agent_id,
            owner,
            note,
            only_from,
            guard,
            queue,
            keep_wait,
        )
        conv = res.conversation
        if res.changed:
            metrics.TRANSITIONS.labels(action=action.value).inc()
            if notice:  # in the conversation's language
                await self.transcript.say(conv, "system", say(notice, language_of(conv)))
            await self.hub.publish(state_events(conv, action.value, actor))
        return conv

    async def claim(
        self,
        conversation_id: str,
        agent_id: str,
        actor: str | None = None,
        guard: Guard | None = None,
    ) -> Conversation:
        """`guard`: routing's check of the agent (presence, limit, skills), in the claim's
        own transaction (api/conversations/routing.py)."""
        return await self._transition(
            conversation_id,
            Action.CLAIM,
            actor or f"agent:{agent_id}",
            "claimed",
            agent_id,
            guard=guard,
        )

    async def assign(self, conversation_id: str, agent_id: str, guard: Guard) -> Conversation:
        """Auto-assignment's claim (api/conversations/dispatch.py): the same transition as
        the agent's own, recorded as `agent:<id> via routing`."""
        return await self._transition(
            conversation_id,
            Action.CLAIM,
            f"agent:{agent_id}{ROUTED}",
            "assigned by routing",
            agent_id,
            guard=guard,
        )

    async def return_unanswered(
        self,
        conversation_id: str,
        agent_id: str,
        assigned_at: datetime,
        after_s: float,
        also: Guard | None = None,
    ) -> bool:
        """Auto-assignment's no-answer rule: `agent_id` was given the conversation at
        `assigned_at` and has not written since; it goes back to its queue, keeping its
        place in time. Checked in the move's own transaction (still theirs from that same
        assignment, still no word from them), so a reply stored before the move keeps it
        with the agent; `also` runs in that transaction too (routing sets the agent away:
        both happen or neither). True when moved."""

        def unanswered(s: Session) -> None:
            if also is not None:  # a write first: on SQLite it takes the lock for the check
                also(s)
            if self.store.answered_since(s, conversation_id, assigned_at):
                raise IllegalTransition(conversation_id, "return", "answered", "kept")
            if self.store.assigned_at(s, conversation_id) != assigned_at:
                raise IllegalTransition(conversation_id, "return", "moved on", "kept")

        try:
            conv = await self._transition(
                conversation_id,
                Action.TRANSFER_TO_QUEUE,
                "routing",
                f"no answer from agent:{agent_id} within {after_s:g} s of the assignment",
                owner=agent_id,
                only_from=State.HUMAN,
                guard=unanswered,
                keep_wait=True,  # its queue, place in time and hand-off reason stay
            )
        except (IllegalTransition, Forbidden):
            return False  # answered, or moved on by someone meanwhile
        return conv.state is State.QUEUED

    async def transfer(
        self,
        conversation_id: str,
        owner: str,
        actor: str,
        note: str,
        *,
        to_agent: str | None = None,
        to_queue: str | None = None,
        guard: Guard | None = None,
    ) -> Conversation:
        """The owning agent passes the conversation on: to `to_agent` (who must pass
        `guard`) or back to the queue `to_queue`. The note, PII-redacted, is the audited
        reason (agents only); the customer is told neutrally (wording `transfer`)."""
        conv = await asyncio.to_thread(self.store.get, conversation_id)
        _check_owner(conv, owner, "transfer")  # and again in the conditional UPDATE
        said = self.store.redact(note.strip())
        reason = said or "transferred"
        if to_agent is not None:
            return await self._transition(
                conversation_id,
                Action.TRANSFER,
                actor,
                reason,
                to_agent,
                notice="transfer",
                owner=owner,
                guard=guard,
            )
        return await self._transition(
            conversation_id,
            Action.TRANSFER_TO_QUEUE,
            actor,
            f"{said} (transferred to {to_queue} by {owner})"
            if said
            else f"transferred to {to_queue} by {owner}",
            notice="transfer_queue",
            owner=owner,
            queue=to_queue,
        )

    async def reassign(
        self, conversation_id: str, to_agent: str, actor: str, note: str, guard: Guard | None
    ) -> Conversation:
        """A supervisor gives a waiting or owned conversation to `to_agent`."""
        reason = self.store.redact(note.strip()) or "reassigned by a supervisor"
        return await self._transition(
            conversation_id,
            Action.REASSIGN,
            actor,
            reason,
            to_agent,
            notice="transfer",
            guard=guard,
        )

    async def agent_message(
        self,
        conversation_id: str,
        agent_id: str,
        text: str,
        suggestion_id: str | None,
        owner: str | None,
    ) -> Turn:
        """`agent_id` writes; `owner` is who must own the conversation (None: a supervisor)."""
        conv = await asyncio.to_thread(self.store.get, conversation_id)
        what = "send an agent message to"
        _check_owner(conv, owner, what)
        attrs = {"agent_id": agent_id} | ({"suggestion_id": suggestion_id} if suggestion_id else {})
        only_if = {"state": State.HUMAN} | ({"agent_id": owner} if owner is not None else {})
        turn = await self.transcript.say(conv, "agent", text, attrs, **only_if)
        if turn is None:  # the conversation changed hands between the read and the write
            _check_owner(await asyncio.to_thread(self.store.get, conversation_id), owner, what)
            raise IllegalTransition(conversation_id, what, "changed", "reload it")
        return turn

    async def hand_back(
        self,
        conversation_id: str,
        agent_id: str,
        reason: str,
        owner: str | None,
        actor: str | None = None,
    ) -> Conversation:
        """human -> bot. The bot's tracker is resumed before the customer can speak again;
        then the bot is told (intent `HANDED_BACK_INTENT`) and speaks first, e.g. asks
        whether the issue is solved and for a rating. A bot that cannot be reached is
        logged: the customer's next message then finds it unavailable and goes back to a
        person."""
        conv = await asyncio.to_thread(self.store.get, conversation_id)
        if conv.state is State.HUMAN:
            _check_owner(conv, owner, "hand back")
        resumed = self.bot is not None and conv.state is State.HUMAN
        if self.bot is not None and resumed:
            await self.bot.resume(conversation_id)
        conv = await self._transition(
            conversation_id,
            Action.HAND_BACK,
            actor or f"agent:{agent_id}",
            reason or "handed back to the bot",
            notice="hand_back",
            owner=owner,
        )
        if self.bot is None or not resumed or conv.state is not State.BOT:
            return conv
        try:
            messages = await self.bot.trigger(conversation_id, HANDED_BACK_INTENT)
        except BotUnavailable as exc:
            log.warning("bot not told of the hand-back of %s: %s", conversation_id, exc)
            return conv
        answer = await self.transcript.bot_messages(conv, messages)
        if answer.handoff is not None:
            try:
                reason_, summary = answer.handoff
                conv, _ = await self.handoff.request(conv.id, reason_, "bot", None, summary)
            except IllegalTransition:  # a person took it meanwhile
                conv = await asyncio.to_thread(self.store.get, conversation_id)
        return conv

    def _propose(self, conv: Conversation, author: str) -> WrapUp:
        turns = self.store.turns(conv.id)
        return self.wrapups.propose(conv, turns, self.store.transitions(conv.id), author)

    async def wrapup(self, conversation_id: str) -> WrapUp:
        """The saved wrap-up of a closed conversation, else the one proposed now."""
        conv = await asyncio.to_thread(self.store.get, conversation_id)
        if conv.wrapup:
            return WrapUp.model_validate(conv.wrapup)
        return await asyncio.to_thread(self._propose, conv, "system")

    def _closing_note(
        self, conv: Conversation, actor: str, draft: WrapUpDraft | None
    ) -> ClosingNote:
        turns = self.store.turns(conv.id)
        proposal = self.wrapups.propose(conv, turns, self.store.transitions(conv.id), actor)
        if draft is not None:
            proposal = self.wrapups.accept(proposal, draft, turns, actor)
        said = told(proposal, turns)
        return ClosingNote(
            proposal.model_dump(mode="json"),
            render(proposal),
            said,
            [s for s in said if is_promise(s)],
        )

    async def close(
        self,
        conversation_id: str,
        actor: str,
        reason: str,
        owner: str | None,
        draft: WrapUpDraft | None = None,
        only_from: State | None = None,
    ) -> Conversation:
        """Close with a wrap-up: the agent's edited `draft`, or the one proposed from the
        transcript (a customer's or the system's close, an agent who sent none).
        `only_from`: close only from this state (else IllegalTransition, nothing written)."""
        conv = await asyncio.to_thread(self.store.get, conversation_id)
        if only_from is not None and conv.state not in (only_from, State.CLOSED):
            raise IllegalTransition(
                conversation_id,
                "close",
                conv.state.value,
                f"only a conversation still {only_from.value} can be closed this way",
            )
        if conv.state is State.HUMAN:
            _check_owner(conv, owner, "close")
        note = None
        if conv.state is not State.CLOSED:
            note = await asyncio.to_thread(self._closing_note, conv, actor, draft)
        return await self._transition(
            conversation_id,
            Action.CLOSE,
            actor,
            reason or "closed",
            notice="close",
            owner=owner,
            note=note,
            only_from=only_from,
        )
