"""Conversations: start one (the customer's token comes back), post a customer turn,
read the transcript and audit trail, list by state. A conversation token gets the
customer's view only (`Customer...Public`); agents and API keys get the full one."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request

from api.conversation_schemas import (
    ConversationCreate,
    ConversationCreatedPublic,
    ConversationPublic,
    CustomerConversationPublic,
    CustomerTranscriptPublic,
    CustomerTurnOutcomePublic,
    MessageCreate,
    QueueStatusPublic,
    StateName,
    TranscriptPublic,
    TransitionPublic,
    TurnOutcomePublic,
    TurnPublic,
)
from api.conversations.errors import NotAuthenticated
from api.conversations.queue import WaitingQueue
from api.conversations.state import State
from api.conversations.store import Conversation
from api.deps import (
    CredentialDep,
    PrincipalDep,
    QueueDep,
    ServicesDep,
    SettingsDep,
    client_address,
)
from api.errors import InvalidInput
from api.hub_events import CustomerTurn
from api.security import Scope, require
from api.validation import check_text

router = APIRouter(prefix="/v1/conversations", tags=["conversations"])


def _site(request: Request) -> str:
    """The embedding page's origin (browsers send it and pages cannot forge it)."""
    return request.headers.get("origin") or "no-origin"


@router.post(
    "",
    response_model=ConversationCreatedPublic,
    status_code=201,
    summary="start a conversation (a known customer needs an API key with scope assist; "
    "anonymous starts are limited per client address and per site)",
)
async def start(
    body: ConversationCreate, services: ServicesDep, request: Request, token: CredentialDep
) -> ConversationCreatedPublic:
    if body.customer_id is not None:  # vouching for a customer's identity takes a key
        if token is None:
            raise NotAuthenticated("starting a conversation for a known customer needs an API key")
        who = await asyncio.to_thread(services.auth.authenticate, token)
        require(who, scopes=[Scope.ASSIST])
        services.throttle.hit("credential", who.actor, "too many requests for these credentials")
        await asyncio.to_thread(services.history.get_customer, body.customer_id)  # 404 if unknown
    else:
        hit = services.throttle.hit
        hit("conversation", client_address(request), "too many new conversations from here")
        hit("conversation_site", _site(request), "too many new conversations from this site")
    conv, customer_token = await asyncio.to_thread(
        services.conversations.create, body.customer_id, body.channel, body.language
    )
    await services.opening.greet(conv)  # a returning customer: what they came about last
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


@router.get(
    "/{conversation_id}",
    response_model=TranscriptPublic | CustomerTranscriptPublic,
    summary="the transcript (the customer's view with a conversation token)",
)
async def transcript(
    conversation_id: str, services: ServicesDep, waiting: QueueDep, who: PrincipalDep
) -> TranscriptPublic | CustomerTranscriptPublic:
    require(who, agent=True, scopes=[Scope.ASSIST], conversation_id=conversation_id)
    conv = await asyncio.to_thread(services.conversations.get, conversation_id)
    if who.kind == "customer" and conv.state is State.QUEUED:  # a sign of life (abandonment)
        await asyncio.to_thread(services.conversations.mark_seen, conversation_id)
    turns = await asyncio.to_thread(services.conversations.turns, conversation_id)
    queue = await asyncio.to_thread(_queue_status, waiting, conv)
    if who.kind == "customer":
        name = await asyncio.to_thread(services.auth.display_name, conv.agent_id)
        return CustomerTranscriptPublic(
            conversation=CustomerConversationPublic.of(conv, name),
            turns=[CustomerTurn.of(t) for t in turns],
            queue=queue,
        )
    return TranscriptPublic(
        conversation=ConversationPublic.of(conv),
        turns=[TurnPublic.of(t) for t in turns],
        queue=queue,
    )


def _queue_status(queue: WaitingQueue, conv: Conversation) -> QueueStatusPublic | None:
    """Where a waiting conversation stands in the queue's order (priority, then the
    longest wait: the agents' order), and how long it may still wait, for the customer."""
    place = queue.place(conv)
    if place is None:
        return None
    return QueueStatusPublic(
        position=place.position,
        waiting=place.waiting,
        wait_s=place.wait_s,
        expected_wait_s=place.expected_wait_s,
    )


def _client_message_id(body: MessageCreate, header: str | None) -> str | None:
    if header is not None and body.client_message_id not in (None, header):
        raise InvalidInput("Idempotency-Key and client_message_id differ: send one of them")
    key = body.client_message_id or header
    if key is not None and not (0 < len(key) <= 128 and key.isprintable()):
        raise InvalidInput("Idempotency-Key must be 1-128 printable characters")
    return key


@router.post(
    "/{conversation_id}/messages",
    response_model=TurnOutcomePublic | CustomerTurnOutcomePublic,
    summary="one customer turn: stored first (once per Idempotency-Key), classified, then "
    "routed to the bot or an agent",
)
async def customer_message(
    conversation_id: str,
    body: MessageCreate,
    services: ServicesDep,
    settings: SettingsDep,
    who: PrincipalDep,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> TurnOutcomePublic | CustomerTurnOutcomePublic:
    require(who, scopes=[Scope.ASSIST], conversation_id=conversation_id)
    text = check_text(body.text, settings.max_text_chars)
    key = _client_message_id(body, idempotency_key)
    out = await services.turns.handle(conversation_id, text, key)
    if who.kind == "customer":
        return CustomerTurnOutcomePublic(
            turn=CustomerTurn.of(out.turn),
            state=out.conversation.state.value,
            replies=[CustomerTurn.of(t) for t in out.replies],
            replayed=out.replayed,
        )
    return TurnOutcomePublic(
        turn=TurnPublic.of(out.turn),
        state=out.conversation.state.value,
        analysis=out.analysis,
        replies=[TurnPublic.of(t) for t in out.replies],
        handoff_reason=out.handoff_reason,
        replayed=out.replayed,
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
