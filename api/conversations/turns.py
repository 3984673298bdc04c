"""One customer turn, in the order architecture.md fixes: persist the message FIRST (once
per client message id, PII redacted), then classify, then (bot-owned) apply the hand-off
policy and ask the bot, or (queued / human-owned) push the turn to the agent stream.

Once the message is stored the caller never gets an error for it: any failure after that
point sends the conversation to a person (or, if even that fails, is logged) and the
outcome says where the conversation stands. The raw text is used in memory by the
classifier only; everything stored, published, forwarded to the bot or built into the
hand-off packet uses the redacted text and redacted entities."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from api import metrics
from api.assist_payload import (
    CONVERSATIONAL_INTENTS,
    AssistBuilder,
    handoff_state,
    issue_text,
    turn_analysis,
)
from api.contract import TurnAnalysisOut
from api.conversations.bot import BotClient
from api.conversations.errors import BotUnavailable, ConversationClosed, IllegalTransition
from api.conversations.handoff import Handoff
from api.conversations.policy import HandoffPolicy, TurnSignals
from api.conversations.state import State
from api.conversations.store import Conversation, ConversationStore, Turn
from api.conversations.transcript import Transcript
from api.conversations.wording import language_of
from api.hub_events import AssistEvent, CustomerWrote, conversation_topic, turn_events
from api.notify import Hub
from intent.entities import Entity
from intent.language import Language, detect
from intent.pipeline import TurnAnalysis

log = logging.getLogger("api.turns")
# customer -> (tier, lifetime value, open tickets)
ProfileFn = Callable[[str | None], tuple[str | None, float, int]]
EntityRedactor = Callable[[Sequence[Entity]], list[Entity]]


@dataclass(frozen=True, slots=True)
class TurnOutcome:
    turn: Turn
    conversation: Conversation
    analysis: TurnAnalysisOut | None  # None if the classifier failed
    replies: list[Turn] = field(default_factory=list)  # what the customer is sent back
    handoff_reason: str | None = None  # set when this turn handed the conversation off
    replayed: bool = False  # a retry of a stored message: nothing was done again


def stored_analysis(turn: Turn) -> TurnAnalysisOut | None:
    """The analysis kept on a stored customer turn (a retried message's answer)."""
    a = turn.attributes
    if turn.intent is None:
        return None
    return TurnAnalysisOut.model_validate(
        {
            "intent": {
                "name": turn.intent,
                "confidence": a.get("confidence", 0.0),
                "out_of_scope": a.get("out_of_scope", False),
                "ranking": a.get("ranking", []),
            },
            "entities": a.get("entities", []),
            "sentiment": a.get("sentiment"),
            "language": a.get("language", "en"),
        }
    )


class CustomerTurns:
    """The customer side of a conversation. Its collaborators are given to it: the
    transcript (store + publish), the hand-off, the bot, the policy, assist."""

    def __init__(
        self,
        store: ConversationStore,
        assist: AssistBuilder,
        policy: HandoffPolicy,
        bot: BotClient | None,
        hub: Hub,
        profile: ProfileFn,
        transcript: Transcript,
        handoff: Handoff,
        redact_entities: EntityRedactor | None = None,
    ) -> None:
        self.store = store
        self.assist = assist
        self.policy = policy
        self.bot = bot
        self.hub = hub
        self.profile = profile
        self.transcript = transcript
        self.handoff = handoff
        self.redact_entities = redact_entities or list

    async def handle(
        self, conversation_id: str, text: str, client_message_id: str | None = None
    ) -> TurnOutcome:
        conv = await asyncio.to_thread(self.store.get, conversation_id)
        if conv.state is State.CLOSED:
            raise ConversationClosed(conversation_id)
        turn, created = await asyncio.to_thread(
            self.store.add_customer_turn, conv, text, client_message_id
        )  # FIRST
        if not created:  # the client's retry: the same answer, nothing done twice
            replies = await asyncio.to_thread(self.store.replies_to, turn)
            now = await asyncio.to_thread(self.store.get, conversation_id)
            return TurnOutcome(turn, now, stored_analysis(turn), replies, replayed=True)
        try:
            await self.hub.publish(turn_events(turn))
            return await self._route(conv, turn, text)
        except Exception:  # the message is stored: never an error for it
            log.exception("routing of stored turn %s failed", turn.id)
            try:
                conv = await asyncio.to_thread(self.store.get, conversation_id)
            except Exception:
                log.exception("conversation %s unreadable after its turn", conversation_id)
            return TurnOutcome(turn, conv, None)

    def _safe(self, analysis: TurnAnalysis, stored_text: str, language: Language) -> TurnAnalysis:
        """The analysis with the stored (redacted) text and redacted entities: what may
        leave this function (stored, published, forwarded)."""
        return TurnAnalysis(
            dataclasses.replace(analysis.prediction, text=stored_text, language=language),
            self.redact_entities(analysis.entities),
            analysis.sentiment,
        )

    async def _route(self, conv: Conversation, turn: Turn, raw_text: str) -> TurnOutcome:
        analysis: TurnAnalysis | None = None
        failure: str | None = None
        own_language = detect(raw_text)  # None: no letters, the conversation's stands
        try:
            raw = (await asyncio.to_thread(self.assist.analyzer.analyze, [raw_text]))[0]
            analysis = self._safe(raw, turn.text, own_language or language_of(conv))
        except Exception as exc:  # the message is stored; a person takes over
            log.exception("classifier failed on %s", turn.id)
            failure = f"the classifier failed ({type(exc).__name__}); a person must read this"
        info = turn_analysis(analysis) if analysis else None
        if info is not None:
            stored = info.model_dump(mode="json")
            attrs = {k: stored[k] for k in ("entities", "sentiment", "language")} | {
                "confidence": info.intent.confidence,
                "out_of_scope": info.intent.out_of_scope,
                "ranking": stored["intent"]["ranking"],
            }
            await asyncio.to_thread(self.store.annotate_turn, turn.id, info.intent.name, attrs)
        if own_language:  # a turn with letters sets the language the service answers in
            await asyncio.to_thread(self.store.set_language, conv.id, own_language)
        conv = await asyncio.to_thread(self.store.get, conv.id)  # state may have moved
        if conv.state is not State.BOT:
            metrics.TURNS.labels(route="agent").inc()
            await self.hub.publish(CustomerWrote(conversation_id=conv.id))
            if await self.hub.watched(conversation_topic(conv.id)):  # else: built on request
                await self._push_assist(conv, turn.text, analysis)
            return TurnOutcome(turn, conv, info)
        metrics.TURNS.labels(route="bot").inc()
        if failure is not None or analysis is None:
            return await self._handoff(conv, turn, info, failure or "classifier failed", "system")
        tier, value, open_tickets = await asyncio.to_thread(self.profile, conv.customer_id)
        p = analysis.prediction
        decision = self.policy.decide(
            TurnSignals(
                p.intent,
                p.confidence,
                p.out_of_scope,
                analysis.sentiment.frustration,
                tier,
                value,
                open_tickets,
                answering=await asyncio.to_thread(self._bot_awaits, conv.id),
            ),
            conv.low_confidence_streak,
        )
        await asyncio.to_thread(self.store.set_streak, conv.id, decision.streak)
        if decision.handoff:
            return await self._handoff(
                conv, turn, info, decision.reason or "policy", "policy", analysis
            )
        if self.bot is None:
            return await self._handoff(
                conv, turn, info, "bot unavailable: none configured", "system", analysis
            )
        try:
            messages = await self.bot.reply(conv.id, turn.text, bot_metadata(conv, analysis))
        except BotUnavailable as exc:
            log.warning("bot unavailable for %s: %s", conv.id, exc)
            return await self._handoff(conv, turn, info, "bot unavailable", "system", analysis)
        answer = await self.transcript.bot_messages(conv, messages)
        if answer.handoff is not None:
            reason, summary = answer.handoff
            out = await self._handoff(conv, turn, info, reason, "bot", analysis, summary)
            return TurnOutcome(turn, out.conversation, info, answer.replies + out.replies, reason)
        if answer.dropped:  # a person took over meanwhile
            conv = await asyncio.to_thread(self.store.get, conv.id)
        return TurnOutcome(turn, conv, info, answer.replies)

    async def _push_assist(
        self, conv: Conversation, text: str, analysis: TurnAnalysis | None
    ) -> None:
        """The agent panel gets the assist payload of each turn while a person owns it
        (agent audience only: the customer's topic never carries it)."""
        handoff = handoff_state(conv)
        language = analysis.prediction.language if analysis else language_of(conv)
        if analysis is None or analysis.prediction.intent in CONVERSATIONAL_INTENTS:
            turns = await asyncio.to_thread(self.store.turns, conv.id)
            issue = issue_text([(t.role, t.text, t.intent) for t in turns]) or text
            if issue != text:
                text, analysis = issue, None  # the issue turn is analysed afresh (cached)
        try:
            payload = await asyncio.to_thread(
                self.assist.build, conv.customer_id, text, analysis, handoff, conv.id, language
            )
        except Exception:  # the turn is stored and routed; assist is a bonus
            log.exception("assist payload for %s failed", conv.id)
            return
        await self.hub.publish(AssistEvent(conversation_id=conv.id, payload=payload))

    def _bot_awaits(self, conversation_id: str) -> bool:
        """Whether the bot's last words before this customer turn were a question it is
        waiting on (`awaiting` on the bot turn)."""
        for t in reversed(self.store.turns(conversation_id, limit=4)):
            if t.role in ("bot", "agent", "system"):
                return t.role == "bot" and bool(t.attributes.get("awaiting"))
        return False

    async def _handoff(
        self,
        conv: Conversation,
        turn: Turn,
        info: TurnAnalysisOut | None,
        reason: str,
        actor: str,
        analysis: TurnAnalysis | None = None,
        bot_summary: str | None = None,
    ) -> TurnOutcome:
        """Hand off after the customer's stored turn. A conversation that left the bot
        meanwhile (a person claimed it) is not an error: the outcome says where it is."""
        try:
            conv, notice = await self.handoff.request(conv.id, reason, actor, analysis, bot_summary)
        except IllegalTransition:
            now = await asyncio.to_thread(self.store.get, conv.id)
            return TurnOutcome(turn, now, info)
        return TurnOutcome(turn, conv, info, [notice] if notice else [], reason)


def bot_metadata(conv: Conversation, analysis: TurnAnalysis) -> dict[str, Any]:
    """What the bot gets with the customer's text: who the customer is, and this turn's
    analysis (redacted entities), so the bot's NLU (rasa_bot/components/product_intent.py)
    reuses it instead of classifying the text a second time."""
    p = analysis.prediction
    return {
        "customer_id": conv.customer_id,
        "intent": p.intent,
        "confidence": p.confidence,
        "out_of_scope": p.out_of_scope,
        "intent_ranking": [{"name": r.name, "confidence": r.confidence} for r in p.ranking],
        "entities": [e.to_dict() for e in analysis.entities if e.type != "card_number"],
        "language": language_of(conv),
    }
