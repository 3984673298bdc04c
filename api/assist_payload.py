"""The agent-assist payload (architecture.md): intent (+ ranking, calibrated confidence,
out-of-scope), entities, sentiment, journey stage with evidence, customer context,
suggested replies, knowledge articles, next best action, hand-off state. Retrieval is
optional: without it (or when it fails) the payload still carries the turn's analysis and
says what is missing in `warnings`."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any, Protocol

from intent.pipeline import TurnAnalysis, TurnAnalyzer
from retrieval.assist import AssistResult
from retrieval.errors import CustomerNotFound

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
    ) -> AssistResult: ...


def analysis_dict(a: TurnAnalysis) -> dict[str, Any]:
    return {
        "intent": {
            "name": a.prediction.intent,
            "confidence": a.prediction.confidence,
            "out_of_scope": a.prediction.out_of_scope,
            "ranking": [{"name": r.name, "confidence": r.confidence} for r in a.prediction.ranking],
        },
        "entities": [e.to_dict() for e in a.entities],
        "sentiment": a.sentiment.to_dict(),
    }


class AssistBuilder:
    def __init__(self, analyzer: TurnAnalyzer, assistant: Assistant | None) -> None:
        self.analyzer = analyzer
        self.assistant = assistant

    def build(
        self,
        customer_id: str | None,
        text: str,
        analysis: TurnAnalysis | None = None,
        handoff: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The payload for the customer's latest `text`. Raises CustomerNotFound."""
        a = analysis or self.analyzer.analyze([text])[0]
        payload: dict[str, Any] = {
            "customer_id": customer_id,
            "text": text,
            **analysis_dict(a),
            "journey_stage": None,
            "customer_context": None,
            "suggestions": [],
            "knowledge_articles": [],
            "next_best_action": None,
            "related_history": [],
            "handoff": handoff,
            "warnings": [],
        }
        if self.assistant is None:
            payload["warnings"].append("customer history is not loaded: no context or replies")
            return payload
        try:
            res = self.assistant.assist(
                customer_id,
                text,
                intent=None if a.prediction.out_of_scope else a.prediction.intent,
                intent_confidence=a.prediction.confidence,
                frustration=a.sentiment.frustration,
            )
        except CustomerNotFound:
            raise
        except Exception as exc:  # retrieval failing must not hide the turn's analysis
            log.exception("retrieval failed")
            payload["warnings"].append(f"customer history unavailable ({type(exc).__name__})")
            return payload
        ctx = asdict(res.context)
        stage = ctx.pop("stage")
        ctx.pop("facts", None)  # template slot values: internal
        payload["journey_stage"] = stage
        payload["customer_context"] = ctx
        payload["suggestions"] = [asdict(s) for s in res.suggestions if s.kind != "article"]
        payload["knowledge_articles"] = [asdict(s) for s in res.suggestions if s.kind == "article"]
        payload["next_best_action"] = asdict(res.next_best_action)
        payload["related_history"] = [asdict(h) for h in res.related_history]
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
