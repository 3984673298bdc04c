"""Wire formats of agent assist and event ingestion, split by direction."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr

from api.contract import RelatedEvent
from intent.language import Language
from retrieval.schemas import BatchResult

ASSIST_EXAMPLE: dict[str, Any] = {
    "customer_id": "C-0002",
    "turns": [
        {"role": "customer", "text": "hi"},
        {"role": "agent", "text": "Hello! How can I help?"},
        {"role": "customer", "text": "my new phone STILL won't activate!!"},
    ],
}


class TurnIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Literal["customer", "agent", "bot"]
    text: StrictStr


class AssistRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [ASSIST_EXAMPLE]})
    customer_id: StrictStr | None = Field(None, max_length=64, description="null: anonymous")
    turns: list[TurnIn] = Field(
        description="recent turns, oldest first; the last customer turn is the one assisted"
    )
    language: Language | None = Field(
        None,
        description="the language of the suggested replies and knowledge (en / zh); default: "
        "the customer's, i.e. the script of their latest turn that has letters",
    )


class EventBatchRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "events": [
                        {
                            "id": "web-1",
                            "customer_id": "C-0001",
                            "channel": "web",
                            "type": "page_view",
                            "ts": "2026-11-20T10:00:00Z",
                            "attributes": {"page": "/phones"},
                        }
                    ],
                    "atomic": False,
                }
            ]
        },
    )
    events: list[dict[str, Any]] = Field(description="EventIn objects; validated one by one")
    atomic: bool = Field(False, description="true: any invalid item rejects the whole batch")


class ItemResultPublic(BaseModel):
    index: int = Field(description="position in the batch")
    id: str | None = Field(description="the record's id, when it could be read")
    status: Literal["created", "updated", "unchanged", "duplicate", "error"]
    error: str | None = Field(None, description="why, when status is error")


class BatchResultPublic(BaseModel):
    created: int
    updated: int = Field(description="customers / orders / tickets whose fields changed")
    unchanged: int = Field(description="customers / orders / tickets sent as already stored")
    duplicates: int = Field(description="events already stored (idempotent on their id)")
    errors: int
    items: list[ItemResultPublic] = Field(description="one per item, in the batch's order")

    @classmethod
    def of(cls, res: BatchResult) -> BatchResultPublic:
        return cls(
            created=res.count("created"),
            updated=res.count("updated"),
            unchanged=res.count("unchanged"),
            duplicates=res.count("duplicate"),
            errors=res.count("error"),
            items=[ItemResultPublic(**asdict(i)) for i in res.items],
        )


class FeedbackCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "kind": "suggestion",
                    "action": "edited",
                    "conversation_id": "conv_1",
                    "suggestion_id": "kb-activation",
                    "suggestion_text": "Try restarting...",
                    "edited_text": "Hi Emma, try restarting...",
                },
                {
                    "kind": "intent_correction",
                    "action": "corrected",
                    "conversation_id": "conv_1",
                    "turn_id": "turn_1",
                    "corrected_intent": "activation_problem",
                },
                {
                    "kind": "rating",
                    "action": "rated",
                    "conversation_id": "conv_1",
                    "rating": 4,
                    "resolved": True,
                },
            ]
        },
    )
    kind: Literal["suggestion", "intent_correction", "rating"]
    action: Literal["shown", "used", "edited", "dismissed", "corrected", "rated"]
    conversation_id: StrictStr | None = Field(None, max_length=64)
    turn_id: StrictStr | None = Field(None, max_length=64, description="the turn it is about")
    suggestion_id: StrictStr | None = Field(None, max_length=128)
    text: StrictStr | None = Field(
        None, max_length=4000, description="the customer's text (default: the turn's)"
    )
    suggestion_text: StrictStr | None = Field(None, max_length=4000)
    edited_text: StrictStr | None = Field(None, max_length=4000)
    predicted_intent: StrictStr | None = Field(
        None, max_length=64, description="default: the turn's intent"
    )
    corrected_intent: StrictStr | None = Field(
        None, max_length=64, description="one of the model's labels (GET /v1/intent/model)"
    )
    rating: int | None = Field(
        None, ge=1, le=5, description="kind rating: the customer's 1-5 rating (the bot asks)"
    )
    resolved: bool | None = Field(None, description="kind rating: the customer says it is solved")
    position: int | None = Field(
        None, ge=1, le=100, description="kind suggestion: the suggestion's `position` as served"
    )
    propensity: float | None = Field(
        None,
        gt=0,
        le=1,
        description="kind suggestion: the suggestion's `propensity` as served (with `position`, "
        "it lets a replay of the log estimate another ranking without bias)",
    )


class FeedbackCreatedPublic(BaseModel):
    id: int


class HistorySearchRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"text": "my new phone won't activate", "k": 5}]},
    )
    text: StrictStr = Field(min_length=1, description="what to look for (e.g. the turn)")
    k: int = Field(5, ge=1, le=50, description="at most this many of the customer's own events")


class HistorySearchResult(BaseModel):
    customer_id: str
    hits: list[RelatedEvent] = Field(
        description="the customer's own events and conversations first, then other "
        "customers' resolved cases (wrap-ups, without their customer id)"
    )
    warnings: list[str] = Field(default_factory=list, description="what could not be searched")
