"""Hand-off: request, the queue (ranked by priority, with its reasons and wait times; an
agent's own queues first), claim (a second claim is 409, as is one by an away agent, one
at their limit or outside their skills), agent messages, hand back to the bot, close, the
customer leaving the queue, transfer (the owning agent) and reassign (a supervisor).
Every transition is idempotent and audited."""

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
    ReassignRequest,
    TransferRequest,
    TurnPublic,
)
from api.conversations.errors import Forbidden
from api.conversations.queue import WaitingQueue
from api.conversations.roster import RoutingRefused
from api.conversations.store import utcnow
from api.deps import AbandonmentDep, ActingDep, PrincipalDep, QueueDep, ServicesDep, SettingsDep
from api.errors import InvalidInput, NotFound
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


def _queue_items(queue: WaitingQueue, agent_id: str | None) -> list[QueueItemPublic]:
    me = queue.roster.agent(agent_id, utcnow()) if agent_id else None
    items = []
    for r in queue.ranked(serves=me.serves if me else None)[:500]:
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
                queue=r.queue,
                for_you=me.serves(r.queue) if me else True,
                customer_name=ctx.name if ctx else None,
                stage=stage.stage if stage else None,
                sentiment=SentimentOut.model_validate(sentiment) if sentiment else None,
            )
        )
    return items


@router.get(
    "/handoff/queue",
    response_model=list[QueueItemPublic],
    summary="waiting conversations, the next to serve first (priority, then the longest "
    "wait); for an agent, those of the queues they serve first, then the others",
)
async def queue(queue: QueueDep, who: PrincipalDep) -> list[QueueItemPublic]:
    require(who, agent=True, scopes=[Scope.ASSIST])
    agent_id = who.id if who.kind == "agent" else None
    return await asyncio.to_thread(_queue_items, queue, agent_id)


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
    summary="an agent takes the conversation (409 if another agent has it, if the agent is "
    "away or at their limit of concurrent chats, or if it waits outside their skills)",
)
async def claim(
    conversation_id: str, services: ServicesDep, queue: QueueDep, who: ActingDep
) -> ConversationPublic:
    agent = _agent(who)
    conv = await asyncio.to_thread(services.conversations.get, conversation_id)
    guard = await asyncio.to_thread(queue.guard, agent, conv, "claim", check_skills=True)
    conv = await services.desk.claim(conversation_id, agent, who.actor, guard)
    return ConversationPublic.of(conv)


async def _known_agent(queue: WaitingQueue, agent_id: str) -> None:
    if await asyncio.to_thread(queue.roster.agent, agent_id, utcnow()) is None:
        raise NotFound(f"no active agent {agent_id!r}")


@router.post(
    "/conversations/{conversation_id}/transfer",
    response_model=ConversationPublic,
    summary="the owning agent passes the conversation to another agent (online and under "
    "their limit, else 409) or back to a queue, with an internal note (agents only)",
)
async def transfer(
    conversation_id: str,
    body: TransferRequest,
    services: ServicesDep,
    queue: QueueDep,
    who: ActingDep,
) -> ConversationPublic:
    agent = _agent(who)
    guard = None
    if body.to_queue is not None and not queue.skills.check(body.to_queue):
        raise InvalidInput(
            f"no queue {body.to_queue!r}; the queues are {', '.join(queue.skills.queues)}"
        )
    if body.to_agent is not None:
        await _known_agent(queue, body.to_agent)
    if body.to_agent == agent:
        raise RoutingRefused(conversation_id, "transfer", "it is yours already")
    conv = await asyncio.to_thread(services.conversations.get, conversation_id)
    if body.to_agent is not None:
        guard = queue.guard(body.to_agent, conv, "transfer", check_skills=False)
    conv = await services.desk.transfer(
        conversation_id,
        agent,
        who.actor,
        body.note,
        to_agent=body.to_agent,
        to_queue=body.to_queue,
        guard=guard,
    )
    return ConversationPublic.of(conv)


@router.post(
    "/conversations/{conversation_id}/reassign",
    response_model=ConversationPublic,
    summary="a supervisor or admin gives a waiting or owned conversation to an agent "
    "(online and under their limit, else 409)",
)
async def reassign(
    conversation_id: str,
    body: ReassignRequest,
    services: ServicesDep,
    queue: QueueDep,
    who: PrincipalDep,
) -> ConversationPublic:
    require(who, supervisor=True)
    await _known_agent(queue, body.to_agent)
    conv = await asyncio.to_thread(services.conversations.get, conversation_id)
    guard = queue.guard(body.to_agent, conv, "reassign", check_skills=False)
    conv = await services.desk.reassign(conversation_id, body.to_agent, who.actor, body.note, guard)
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
