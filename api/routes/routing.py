"""Routing: an agent's own presence (online / away), an admin's setting of an agent's
skills and limit, and the supervisors' live view of every queue and agent
(docs/api.md#the-hand-off-queue). Transfer and reassign are with the other ownership
changes, in api/routes/handoff.py."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter

from api.contract import stored_packet
from api.conversation_schemas import (
    AgentRoutingPublic,
    PresenceUpdate,
    QueueViewPublic,
    RoutingUpdate,
    SupervisorQueuesPublic,
    WaitingPublic,
)
from api.conversations.errors import Forbidden
from api.conversations.queue import WaitingQueue
from api.conversations.store import utcnow
from api.deps import PrincipalDep, QueueDep
from api.errors import InvalidInput, NotFound
from api.security import Principal, Scope, require

router = APIRouter(prefix="/v1", tags=["routing"])


def _me(who: Principal) -> str:
    if who.kind != "agent":
        raise Forbidden("this needs an agent token: presence is the agent's own")
    return who.id


def _public(queue: WaitingQueue, agent_id: str) -> AgentRoutingPublic:
    found = queue.roster.agent(agent_id, utcnow())
    if found is None:
        raise NotFound(f"no active agent {agent_id!r}")
    public = AgentRoutingPublic.of(
        found, queue.roster.limit_of(found), utcnow(), queue.roster.presence_timeout_s
    )
    public.queues = list(queue.skills.queues)
    return public


@router.get(
    "/agents/me/presence",
    response_model=AgentRoutingPublic,
    summary="the agent's own presence, skills, open chats and limit",
)
async def my_presence(queue: QueueDep, who: PrincipalDep) -> AgentRoutingPublic:
    return await asyncio.to_thread(_public, queue, _me(who))


@router.put(
    "/agents/me/presence",
    response_model=AgentRoutingPublic,
    summary="the agent sets themself online or away (an away agent cannot claim)",
)
async def set_presence(
    body: PresenceUpdate, queue: QueueDep, who: PrincipalDep
) -> AgentRoutingPublic:
    me = _me(who)
    await asyncio.to_thread(queue.roster.set_presence, me, body.presence)
    return await asyncio.to_thread(_public, queue, me)


@router.put(
    "/agents/{agent_id}/routing",
    response_model=AgentRoutingPublic,
    summary="set an agent's skills (the queues they serve) and/or limit of concurrent "
    "chats (admin)",
)
async def set_routing(
    agent_id: str, body: RoutingUpdate, queue: QueueDep, who: PrincipalDep
) -> AgentRoutingPublic:
    require(who, scopes=[Scope.ADMIN])
    if body.skills is not None:
        unknown = sorted(set(body.skills) - set(queue.skills.queues))
        if unknown:
            raise InvalidInput(
                f"unknown queue(s) {', '.join(unknown)}; the queues are "
                f"{', '.join(queue.skills.queues)} (data/queue.yml skills)"
            )
    try:
        if body.skills is not None:
            await asyncio.to_thread(queue.roster.set_skills, agent_id, body.skills)
        if body.max_chats is not None or body.default_limit:
            limit = None if body.default_limit else body.max_chats
            await asyncio.to_thread(queue.roster.set_limit, agent_id, limit)
    except LookupError as exc:
        raise NotFound(str(exc).strip("'\"")) from exc
    return await asyncio.to_thread(_public, queue, agent_id)


def _overview(queue: WaitingQueue) -> SupervisorQueuesPublic:
    now = utcnow()
    agents = queue.roster.agents(now)
    waiting: dict[str, list[WaitingPublic]] = {name: [] for name in queue.skills.queues}
    for r in queue.ranked()[:500]:
        packet = stored_packet(r.conversation.packet)
        ctx = packet.customer_context if packet else None
        waiting.setdefault(r.queue, []).append(
            WaitingPublic(
                conversation_id=r.conversation.id,
                priority=r.priority.score,
                wait_s=round(r.wait_s, 3),
                customer_name=ctx.name if ctx else None,
                reason=r.conversation.handoff_reason,
            )
        )
    return SupervisorQueuesPublic(
        queues=[
            QueueViewPublic(
                name=name,
                waiting=items,
                agents_online=sum(
                    1
                    for a in agents
                    if a.available(now, queue.roster.presence_timeout_s) and a.serves(name)
                ),
            )
            for name, items in waiting.items()
        ],
        agents=[
            AgentRoutingPublic.of(a, queue.roster.limit_of(a), now, queue.roster.presence_timeout_s)
            for a in agents
        ],
    )


@router.get(
    "/supervisor/queues",
    response_model=SupervisorQueuesPublic,
    summary="every queue's waiting conversations (priority, wait) and every agent's "
    "presence, skills, open chats and limit (supervisors and admins)",
)
async def supervisor_queues(queue: QueueDep, who: PrincipalDep) -> SupervisorQueuesPublic:
    require(who, supervisor=True)
    return await asyncio.to_thread(_overview, queue)
