"""Wire formats of agent assist and event ingestion, split by direction."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr

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
    index: int
    id: str | None
    status: Literal["created", "updated", "duplicate", "error"]
    error: str | None = None


class BatchResultPublic(BaseModel):
    created: int
    duplicates: int
    errors: int
    items: list[ItemResultPublic]


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


class FeedbackCreatedPublic(BaseModel):
    id: int
