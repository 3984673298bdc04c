"""`POST /model/parse`: Rasa's NLU endpoint shape, answered by the product's classifier, so
any tool that speaks to a Rasa NLU server (Rasa X / Studio-style tools, test harnesses,
another bot framework's Rasa connector) uses it unchanged. Same access as `/v1/intent`:
no credential, limited per client address."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, StrictStr

from api.deps import AnalyzerDep, ServicesDep, SettingsDep, client_address
from api.validation import check_text

router = APIRouter(tags=["rasa-compatible NLU"])
EXTRACTOR = "agent-assist"


class ParseRequest(BaseModel):
    model_config = ConfigDict(
        extra="ignore",  # Rasa clients may send more (e.g. message_id); it changes nothing
        json_schema_extra={"examples": [{"text": "where is my order ORD-100234?"}]},
    )
    text: StrictStr = Field(description="the message (limit: settings.max_text_chars)")
    message_id: StrictStr | None = Field(default=None, max_length=128)


class RasaIntent(BaseModel):
    name: str
    confidence: float


class RasaEntity(BaseModel):
    entity: str
    value: str
    start: int
    end: int
    extractor: str = EXTRACTOR
    confidence_entity: float = 1.0


class ParseResult(BaseModel):
    """Rasa 3.x's parse result: `intent`, `intent_ranking`, `entities`, `text`."""

    text: str
    intent: RasaIntent
    intent_ranking: list[RasaIntent]
    entities: list[RasaEntity]
    message_id: str | None = None


@router.post(
    "/model/parse",
    response_model=ParseResult,
    summary="Rasa-compatible NLU: intent, intent_ranking and entities in Rasa's shape",
)
def parse(
    body: ParseRequest,
    analyzer: AnalyzerDep,
    settings: SettingsDep,
    services: ServicesDep,
    request: Request,
) -> ParseResult:
    services.throttle.hit("intent", client_address(request), "too many intent requests")
    text = check_text(body.text, settings.max_text_chars)
    a = analyzer.analyze([text])[0]
    p = a.prediction
    ranking = [RasaIntent(name=r.name, confidence=r.confidence) for r in p.ranking]
    if p.out_of_scope:  # Rasa's tools read the top intent; out of scope is a label here
        best = max((r.confidence for r in ranking), default=0.0)
        top = RasaIntent(name=p.intent, confidence=round(1.0 - best, 6))
    else:
        top = RasaIntent(name=p.intent, confidence=p.confidence)
    ranking = [top] + [r for r in ranking if r.name != top.name]
    return ParseResult(
        text=body.text,
        intent=top,
        intent_ranking=ranking,
        entities=[
            RasaEntity(entity=e.type, value=e.normalized or e.value, start=e.start, end=e.end)
            for e in a.entities
        ],
        message_id=body.message_id,
    )
