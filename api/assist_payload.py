"""The agent-assist payload (architecture.md): intent (+ ranking, calibrated confidence,
out-of-scope), entities, sentiment, journey stage with evidence, customer context,
suggested replies, knowledge articles, next best action, hand-off state. Retrieval is
optional: without it (or when it fails) the payload still carries the turn's analysis and
says what is missing in `warnings`."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

from api.contract import (
    AssistPayload,
    CustomerContext,
    EntityOut,
    HandoffState,
    IntentInfo,
    JourneyStage,
    NextBestAction,
    RankedIntent,
    RelatedEvent,
    SentimentOut,
    Suggestion,
    TurnAnalysisOut,
)
from api.conversations.store import Conversation
from api.conversations.wording import as_language
from intent.language import Language
from intent.pipeline import TurnAnalysis, TurnAnalyzer
from retrieval.assist import AssistResult, Related
from retrieval.errors import CustomerNotFound
from retrieval.journey import DialogueTurn

log = logging.getLogger("api.assist")


class Assistant(Protocol):
    """The retrieval seam (`retrieval.assist.AgentAssist` implements it)."""

    def assist(
        self,
        customer_id: str | None,
        text: str,
        intent: str | None = None,
        intent_confidence: float = 1.0,
        frustration: float | None = None,
        *,
        conversation_id: str | None = None,
        dialogue: Sequence[DialogueTurn] = (),
        language: str | None = None,
    ) -> AssistResult: ...

    def search(self, customer_id: str | None, text: str, k: int = 5) -> list[Related]: ...

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


# a conversation's earlier customer turns (oldest first), for the journey stage
DialogueFn = Callable[[str], list[DialogueTurn]]


def turn_analysis(a: TurnAnalysis) -> TurnAnalysisOut:
    """One turn's analysis in the contract's types."""
    p = a.prediction
    return TurnAnalysisOut(
        intent=IntentInfo(
            name=p.intent,
            confidence=p.confidence,
            out_of_scope=p.out_of_scope,
            ranking=[RankedIntent(name=r.name, confidence=r.confidence) for r in p.ranking],
        ),
        entities=[EntityOut.model_validate(e) for e in a.entities],
        sentiment=SentimentOut.model_validate(a.sentiment),
        language=p.language,
    )


def handoff_state(conv: Conversation) -> HandoffState:
    return HandoffState(
        state=conv.state.value,
        agent_id=conv.agent_id,
        reason=conv.handoff_reason,
        queued_at=conv.queued_at,
    )


class AssistBuilder:
    def __init__(
        self,
        analyzer: TurnAnalyzer,
        assistant: Assistant | None,
        dialogue: DialogueFn | None = None,
    ) -> None:
        self.analyzer = analyzer
        self.assistant = assistant
        self.dialogue = dialogue

    def _dialogue(self, conversation_id: str | None, text: str) -> list[DialogueTurn]:
        """The conversation's customer turns before the one answered (`text`; the stored
        copy may differ by PII masks: then the latest turn is taken to be it)."""
        if conversation_id is None or self.dialogue is None:
            return []
        turns = self.dialogue(conversation_id)
        for i in range(len(turns) - 1, -1, -1):
            if turns[i].text == text:
                return turns[:i]
        return turns[:-1]

    def build(
        self,
        customer_id: str | None,
        text: str,
        analysis: TurnAnalysis | None = None,
        handoff: HandoffState | None = None,
        conversation_id: str | None = None,
        language: Language | None = None,
    ) -> AssistPayload:
        """The payload for the customer's latest `text` (in `conversation_id`, whose own
        turns related history leaves out). `language`: the language to suggest replies and
        knowledge in, the conversation's (default: the turn's, from its analysis). Raises
        CustomerNotFound."""
        a = turn_analysis(analysis or self.analyzer.analyze([text])[0])
        lang = language or a.language
        payload = AssistPayload(
            customer_id=customer_id,
            text=text,
            intent=a.intent,
            entities=a.entities,
            sentiment=a.sentiment,
            handoff=handoff,
            language=lang,
        )
        if self.assistant is None:
            payload.warnings.append("customer history is not loaded: no context or replies")
            return payload
        try:
            res = self.assistant.assist(
                customer_id,
                text,
                intent=None if a.intent.out_of_scope else a.intent.name,
                intent_confidence=a.intent.confidence,
                frustration=a.sentiment.frustration,
                conversation_id=conversation_id,
                dialogue=self._dialogue(conversation_id, text),
                language=lang,
            )
        except CustomerNotFound:
            raise
        except Exception as exc:  # retrieval failing must not hide the turn's analysis
            log.exception("retrieval failed")
            payload.warnings.append(f"customer history unavailable ({type(exc).__name__})")
            return payload
        payload.language = as_language(res.language)  # the bank's, when it lacks `lang`
        payload.journey_stage = JourneyStage.model_validate(res.context.stage)
        payload.customer_context = CustomerContext.model_validate(res.context)
        payload.suggestions = [
            Suggestion.model_validate(s) for s in res.suggestions if s.kind != "article"
        ]
        payload.knowledge_articles = [
            Suggestion.model_validate(s) for s in res.suggestions if s.kind == "article"
        ]
        payload.next_best_action = NextBestAction.model_validate(res.next_best_action)
        payload.related_history = [RelatedEvent.model_validate(h) for h in res.related_history]
        return payload


def last_customer_text(turns: Sequence[tuple[str, str]]) -> str | None:
    """The latest customer text among (role, text) turns."""
    for role, text in reversed(turns):
        if role == "customer" and text.strip():
            return text
    return None


# Customer turns that steer the conversation rather than state what it is about: "a person,
# please", "hi", "thanks", "yes". Suggestions made from them are about reaching a person
# or saying hello, which helps no agent: assist works on the customer's issue instead.
CONVERSATIONAL_INTENTS = frozenset(
    {
        "contact_human_agent",
        "contact_customer_service",
        "greet",
        "goodbye",
        "thank_you",
        "affirm",
        "deny",
        "out_of_scope",
    }
)


def issue_text(turns: Sequence[tuple[str, str, str | None]]) -> str | None:
    """What assist should work on among (role, text, intent) turns: the latest customer
    turn that states an issue (its intent is not conversational), else the latest
    customer turn."""
    for role, text, intent in reversed(turns):
        if role == "customer" and text.strip() and intent not in CONVERSATIONAL_INTENTS:
            return text
    return last_customer_text([(role, text) for role, text, _ in turns])
