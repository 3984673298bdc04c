"""Hand-off: request, the queue (ranked by priority, with its reasons and wait times),
claim (a second claim is 409), agent messages, hand back to the bot, close, the customer
leaving the queue. Every transition is idempotent and audited."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter

from api.contract import SentimentOut, WrapUp, stored_packet
from api.conversation_schemas import (
    AgentMessageCreate,
    CloseRequest,
    ConversationPublic,
    CustomerConversationPublic,
    HandoffPacketPublic,
    LeaveRequest,
    PriorityReasonPublic,
    QueueItemPublic,
    ReasonRequest,
    TurnPublic,
)
from api.conversations.errors import Forbidden
from api.conversations.queue import WaitingQueue
from api.deps import AbandonmentDep, ActingDep, PrincipalDep, QueueDep, ServicesDep, SettingsDep
from api.security import Acting, Scope, require
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


def _queue_items(queue: WaitingQueue) -> list[QueueItemPublic]:
    items = []
    for r in queue.ranked()[:500]:
        c = r.conversation
        last = r.last_customer_turn
        sentiment = last.attributes.get("sentiment") if last else None
        packet = stored_packet(c.packet)
        ctx = packet.customer_context if packet else None
        stage = packet.journey_stage if packet else None
        items.append(
            QueueItemPublic(
                conversation=ConversationPublic.of(c),
                priority=r.priority.score,
                priority_reasons=[PriorityReasonPublic.of(x) for x in r.priority.reasons],
                reason=c.handoff_reason,
                wait_s=round(r.wait_s, 3),
                customer_name=ctx.name if ctx else None,
                stage=stage.stage if stage else None,
                sentiment=SentimentOut.model_validate(sentiment) if sentiment else None,
            )
        )
    return items


@router.get(
    "/handoff/queue",
    response_model=list[QueueItemPublic],
    summary="waiting conversations, the next to serve first (priority, then the longest wait)",
)
async def queue(queue: QueueDep, who: PrincipalDep) -> list[QueueItemPublic]:
    require(who, agent=True, scopes=[Scope.ASSIST])
    return await asyncio.to_thread(_queue_items, queue)


@router.post(
    "/conversations/{conversation_id}/leave",
    response_model=ConversationPublic | CustomerConversationPublic,
    summary="the customer left the queue (their token, or an agent / admin key): ended "
    "closes it now as abandoned; page_left closes it unless they come back within the "
    "grace. Idempotent",
)
async def leave(
    conversation_id: str, body: LeaveRequest, abandonment: AbandonmentDep, who: PrincipalDep
) -> ConversationPublic | CustomerConversationPublic:
    require(who, agent=True, scopes=[Scope.ADMIN], conversation_id=conversation_id)
    conv = await abandonment.leave(conversation_id, who.actor, body.departure)
    if who.kind == "customer":  # the customer's view: no reasons, no actors
        return CustomerConversationPublic.of(conv)
    return ConversationPublic.of(conv)


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
