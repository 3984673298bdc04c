"""Wire formats of the intent endpoints, split by direction."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictStr

from intent.language import Language


class IntentRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"text": "where is my order ORD-100234? I ordered it 3 days ago"}]
        },
    )

    text: StrictStr = Field(description="one customer turn (limit: settings.max_text_chars)")


class IntentBatchRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"texts": ["I want to cancel my order", "what's the weather in Paris?"]}]
        },
    )

    texts: list[StrictStr] = Field(description="customer turns (limit: settings.max_batch)")


class RankedIntentPublic(BaseModel):
    name: str
    confidence: float


class EntityPublic(BaseModel):
    type: str
    value: str
    start: int
    end: int
    normalized: str | None = None


class SentimentPublic(BaseModel):
    compound: float = Field(description="VADER compound score, -1 (negative) to 1 (positive)")
    label: str
    frustration: float = Field(description="0 (calm) to 1 (very frustrated)")
    signals: list[str]


class IntentPublic(BaseModel):
    text: str
    language: Language = Field("en", description="the turn's language, read from its script")
    intent: str = Field(description="top intent, or the out-of-scope label")
    confidence: float = Field(description="calibrated probability of the top in-scope intent")
    out_of_scope: bool
    ranking: list[RankedIntentPublic]
    entities: list[EntityPublic]
    sentiment: SentimentPublic

    @classmethod
    def build(cls, pred: Any, entities: list[Any], sentiment: Any) -> IntentPublic:
        return cls(
            **pred.to_dict(),
            entities=[e.to_dict() for e in entities],
            sentiment=sentiment.to_dict(),
        )


class IntentBatchPublic(BaseModel):
    results: list[IntentPublic]


def _english_only() -> list[Language]:
    return ["en"]


class ModelInfoPublic(BaseModel):
    languages: list[Language] = Field(
        default_factory=_english_only,
        description="the languages with a model of their own (turns are routed by script)",
    )
    labels: list[str]
    oos_label: str
    oos_threshold: float
    temperature: float
    ngram_weight: float
    training: dict[str, Any]
    validation: dict[str, Any]
    runtime: dict[Language, str] = Field(
        default_factory=dict,
        description="what runs each language's classifier: `onnx-int8` (the int8 graph, "
        "verified on the model's check texts), `onnx` (the float graph, verified against "
        "PyTorch), `pytorch`, or the name of a packaged encoder",
    )
    version: str | None = Field(
        default=None,
        description="the model registry version serving (python -m intent registry); null "
        "when the model comes from model_dir without a registry",
    )
