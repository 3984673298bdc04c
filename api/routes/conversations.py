"""Conversations: start one (the customer's token comes back), post a customer turn,
read the transcript and audit trail, list by state."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from fastapi import APIRouter, Query, Request

from api.conversation_schemas import (
    ConversationCreate,
    ConversationCreatedPublic,
    ConversationPublic,
    MessageCreate,
    QueueStatusPublic,
    StateName,
    TranscriptPublic,
    TransitionPublic,
    TurnOutcomePublic,
    TurnPublic,
)
from api.conversations.errors import NotAuthenticated
from api.conversations.state import State
from api.conversations.store import Conversation
from api.deps import PrincipalDep, ServicesDep, SettingsDep, bearer_token
from api.routes.intent import _check_text
from api.security import Scope, require
from api.services import Services

router = APIRouter(prefix="/v1/conversations", tags=["conversations"])


@router.post(
    "",
    response_model=ConversationCreatedPublic,
    status_code=201,
    summary="start a conversation (a known customer needs an API key with scope assist)",
)
async def start(
    body: ConversationCreate, services: ServicesDep, request: Request
) -> ConversationCreatedPublic:
    if body.customer_id is not None:  # vouching for a customer's identity takes a key
        token = bearer_token(request)
        if token is None:
            raise NotAuthenticated("starting a conversation for a known customer needs an API key")
        require(await asyncio.to_thread(services.auth.authenticate, token), scopes=[Scope.ASSIST])
        await asyncio.to_thread(services.history.get_customer, body.customer_id)  # 404 if unknown
    conv, customer_token = await asyncio.to_thread(
        services.conversations.create, body.customer_id, body.channel
    )
    return ConversationCreatedPublic(conversation=ConversationPublic.of(conv), token=customer_token)


@router.get("", response_model=list[ConversationPublic], summary="list conversations by state")
async def list_conversations(
    services: ServicesDep,
    who: PrincipalDep,
    state: StateName | None = None,
    limit: int = Query(100, ge=1, le=1000),
) -> list[ConversationPublic]:
    require(who, agent=True, scopes=[Scope.ASSIST])
    convs = await asyncio.to_thread(
        services.conversations.list_by_state, State(state) if state else None, limit
    )
    return [ConversationPublic.of(c) for c in convs]


@router.get("/{conversation_id}", response_model=TranscriptPublic, summary="the transcript")
async def transcript(
    conversation_id: str, services: ServicesDep, who: PrincipalDep
) -> TranscriptPublic:
    require(who, agent=True, scopes=[Scope.ASSIST], conversation_id=conversation_id)
    conv = await asyncio.to_thread(services.conversations.get, conversation_id)
    turns = await asyncio.to_thread(services.conversations.turns, conversation_id)
    queue = await asyncio.to_thread(_queue_status, services, conv)
    return TranscriptPublic(
        conversation=ConversationPublic.of(conv),
        turns=[TurnPublic.of(t) for t in turns],
        queue=queue,
    )


def _queue_status(services: Services, conv: Conversation) -> QueueStatusPublic | None:
    """Where a waiting conversation stands (longest wait first), for the customer."""
    if conv.state is not State.QUEUED:
        return None
    waiting = [c.id for c in services.conversations.list_by_state(State.QUEUED, 1000)]
    position = waiting.index(conv.id) + 1 if conv.id in waiting else len(waiting) + 1
    wait = (datetime.now(UTC) - conv.queued_at).total_seconds() if conv.queued_at else 0.0
    return QueueStatusPublic(
        position=position, waiting=max(len(waiting), position), wait_s=round(wait, 3)
    )


@router.post(
    "/{conversation_id}/messages",
    response_model=TurnOutcomePublic,
    summary="one customer turn: stored first, classified, then routed to the bot or an agent",
)
async def customer_message(
    conversation_id: str,
    body: MessageCreate,
    services: ServicesDep,
    settings: SettingsDep,
    who: PrincipalDep,
) -> TurnOutcomePublic:
    require(who, scopes=[Scope.ASSIST], conversation_id=conversation_id)
    text = _check_text(body.text, settings.max_text_chars)
    out = await services.router.customer_turn(conversation_id, text)
    return TurnOutcomePublic(
        turn=TurnPublic.of(out.turn),
        state=out.conversation.state.value,
        analysis=out.analysis,
        replies=[TurnPublic.of(t) for t in out.replies],
        handoff_reason=out.handoff_reason,
    )


@router.get(
    "/{conversation_id}/transitions",
    response_model=list[TransitionPublic],
    summary="the audit trail: who moved the conversation, when and why",
)
async def transitions(
    conversation_id: str, services: ServicesDep, who: PrincipalDep
) -> list[TransitionPublic]:
    require(who, agent=True, scopes=[Scope.ASSIST])
    await asyncio.to_thread(services.conversations.get, conversation_id)
    rows = await asyncio.to_thread(services.conversations.transitions, conversation_id)
    return [TransitionPublic.of(t) for t in rows]
