"""Feedback on assist (suggestions shown / used / edited / dismissed, intent corrections)
and its export as training data."""

from __future__ import annotations

import asyncio
from typing import Literal

from fastapi import APIRouter, Response

from api.assist_schemas import FeedbackCreate, FeedbackCreatedPublic
from api.deps import PrincipalDep, ServicesDep
from api.security import Scope, require

router = APIRouter(prefix="/v1/feedback", tags=["feedback"])


@router.post("", response_model=FeedbackCreatedPublic, status_code=201, summary="record feedback")
async def record(
    body: FeedbackCreate, services: ServicesDep, who: PrincipalDep
) -> FeedbackCreatedPublic:
    require(who, agent=True, scopes=[Scope.ASSIST])
    fields = body.model_dump()
    if body.turn_id and body.conversation_id:  # fill the text / intent from the stored turn
        turns = await asyncio.to_thread(services.conversations.turns, body.conversation_id)
        turn = next((t for t in turns if t.id == body.turn_id), None)
        if turn is not None:
            fields["text"] = fields["text"] or turn.text
            fields["predicted_intent"] = fields["predicted_intent"] or turn.intent
    fields["text"] = fields["text"] or ""
    store = services.feedback
    return FeedbackCreatedPublic(id=await asyncio.to_thread(store.record, who.actor, **fields))


@router.get(
    "/export",
    summary="training data: intent corrections as `text,label` CSV, or everything as JSONL",
    response_class=Response,
)
async def export(
    services: ServicesDep, who: PrincipalDep, format: Literal["csv", "jsonl"] = "csv"
) -> Response:
    require(who, scopes=[Scope.ADMIN])
    store = services.feedback
    if format == "csv":
        return Response(await asyncio.to_thread(store.export_intents_csv), media_type="text/csv")
    return Response(await asyncio.to_thread(store.export_jsonl), media_type="application/x-ndjson")
