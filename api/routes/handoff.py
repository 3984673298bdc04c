"""Hand-off: request, the queue (wait times, reasons), claim (a second claim is 409),
agent messages, hand back to the bot, close. Every transition is idempotent and audited."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from fastapi import APIRouter

from api.contract import SentimentOut, WrapUp, stored_packet
from api.conversation_schemas import (
    AgentMessageCreate,
    CloseRequest,
    ConversationPublic,
    HandoffPacketPublic,
    QueueItemPublic,
    ReasonRequest,
    TurnPublic,
)
from api.conversations.errors import Forbidden
from api.conversations.state import State
from api.deps import ActingDep, PrincipalDep, ServicesDep, SettingsDep
from api.security import Acting, Scope, require
from api.services import Services
from api.validation import check_text

router = APIRouter(prefix="/v1", tags=["hand-off"])


def _agent(who: Acting) -> str:
    if who.agent_id is None:
        raise Forbidden(
            "this needs an agent token, or an API key with scope 'desk' and the agent's id "
            "in X-Acting-Agent"
        )
    return who.agent_id


@router.post(
    "/conversations/{conversation_id}/handoff",
    response_model=ConversationPublic,
    summary="ask for a person (the customer, the bot's actions, an agent or CCaaS software)",
)
async def request(
    conversation_id: str, body: ReasonRequest, services: ServicesDep, who: PrincipalDep
) -> ConversationPublic:
    require(who, agent=True, scopes=[Scope.ASSIST], conversation_id=conversation_id)
    reason = body.reason or ("the customer asked for a person" if who.kind == "customer" else "")
    conv, _ = await services.handoff.request(
        conversation_id, reason or "hand-off requested", who.actor
    )
    return ConversationPublic.of(conv)


def _queue_items(services: Services) -> list[QueueItemPublic]:
    convs = services.conversations.list_by_state(State.QUEUED, 500)
    now = datetime.now(UTC)
    items = []
    for c in convs:
        last = next(
            (t for t in reversed(services.conversations.turns(c.id, 20)) if t.role == "customer"),
            None,
        )
        sentiment = last.attributes.get("sentiment") if last else None
        packet = stored_packet(c.packet)
        ctx = packet.customer_context if packet else None
        stage = packet.journey_stage if packet else None
        items.append(
            QueueItemPublic(
                conversation=ConversationPublic.of(c),
                reason=c.handoff_reason,
                wait_s=round((now - (c.queued_at or now)).total_seconds(), 3),
                customer_name=ctx.name if ctx else None,
                stage=stage.stage if stage else None,
                sentiment=SentimentOut.model_validate(sentiment) if sentiment else None,
            )
        )
    return items


@router.get("/handoff/queue", response_model=list[QueueItemPublic], summary="waiting conversations")
async def queue(services: ServicesDep, who: PrincipalDep) -> list[QueueItemPublic]:
    require(who, agent=True, scopes=[Scope.ASSIST])
    return await asyncio.to_thread(_queue_items, services)


@router.get(
    "/conversations/{conversation_id}/handoff",
    response_model=HandoffPacketPublic,
    summary="the hand-off packet: transcript, bot summary, reason, context, stage, first reply",
)
async def packet(
    conversation_id: str, services: ServicesDep, who: PrincipalDep
) -> HandoffPacketPublic:
    require(who, agent=True, scopes=[Scope.ASSIST])
    conv = await asyncio.to_thread(services.conversations.get, conversation_id)
    return HandoffPacketPublic(
        conversation=ConversationPublic.of(conv), packet=stored_packet(conv.packet)
    )


@router.post(
    "/conversations/{conversation_id}/claim",
    response_model=ConversationPublic,
    summary="an agent takes the conversation (409 if another agent has it)",
)
async def claim(conversation_id: str, services: ServicesDep, who: ActingDep) -> ConversationPublic:
    conv = await services.desk.claim(conversation_id, _agent(who), who.actor)
    return ConversationPublic.of(conv)


@router.post(
    "/conversations/{conversation_id}/agent-messages",
    response_model=TurnPublic,
    status_code=201,
    summary="the owning agent (or a supervisor) writes to the customer",
)
async def agent_message(
    conversation_id: str,
    body: AgentMessageCreate,
    services: ServicesDep,
    settings: SettingsDep,
    who: ActingDep,
) -> TurnPublic:
    text = check_text(body.text, settings.max_text_chars)
    turn = await services.desk.agent_message(
        conversation_id, _agent(who), text, body.suggestion_id, who.owner
    )
    return TurnPublic.of(turn)


@router.post(
    "/conversations/{conversation_id}/hand-back",
    response_model=ConversationPublic,
    summary="the owning agent (or a supervisor) gives the conversation back to the bot",
)
async def hand_back(
    conversation_id: str, body: ReasonRequest, services: ServicesDep, who: ActingDep
) -> ConversationPublic:
    conv = await services.desk.hand_back(
        conversation_id, _agent(who), body.reason, who.owner, who.actor
    )
    return ConversationPublic.of(conv)


@router.post(
    "/conversations/{conversation_id}/close",
    response_model=ConversationPublic,
    summary="close, saving a wrap-up (the agent's edited one, else the proposal): the "
    "customer, the owning agent or a supervisor; while the bot or the queue has it, any "
    "agent or an API key with scope assist",
)
async def close(
    conversation_id: str,
    body: CloseRequest,
    services: ServicesDep,
    who: PrincipalDep,
    acting_as: ActingDep,
) -> ConversationPublic:
    require(who, agent=True, scopes=[Scope.ASSIST, Scope.DESK], conversation_id=conversation_id)
    if body.wrapup is not None and who.kind == "customer":
        raise Forbidden("a wrap-up is written by the agent; close without one")
    conv = await services.desk.close(
        conversation_id, acting_as.actor, body.reason, acting_as.owner, body.wrapup
    )
    return ConversationPublic.of(conv)


@router.get(
    "/conversations/{conversation_id}/wrapup",
    response_model=WrapUp,
    summary="the wrap-up: saved at close, or proposed now from the transcript (agents and "
    "API keys with scope assist or desk)",
)
async def wrapup(conversation_id: str, services: ServicesDep, who: PrincipalDep) -> WrapUp:
    require(who, agent=True, scopes=[Scope.ASSIST, Scope.DESK])
    return await services.desk.wrapup(conversation_id)
