"""Agent log-in and log-out; agents and API keys managed by an admin (an API key with
scope admin, or an agent with role admin). What ends a credential also closes the
WebSockets opened with it, on every worker (a `Revoked` hub event)."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request, Response

from api.conversation_schemas import (
    AgentCreate,
    AgentPublic,
    ApiKeyCreate,
    ApiKeyInfoPublic,
    ApiKeyPublic,
    LoginRequest,
    PasswordReset,
    TokenPublic,
)
from api.conversations.errors import Forbidden
from api.conversations.store import hash_token, utcnow
from api.deps import CredentialDep, PrincipalDep, QueueDep, ServicesDep, client_address
from api.errors import DomainError, NotFound
from api.hub_events import Revoked
from api.security import AgentInfo, Scope, require

router = APIRouter(prefix="/v1", tags=["auth"])


@router.post("/auth/login", response_model=TokenPublic, summary="an agent logs in")
async def login(
    body: LoginRequest, services: ServicesDep, queue: QueueDep, request: Request
) -> TokenPublic:
    services.throttle.hit("login", client_address(request), "too many log-ins from here")
    issued = await services.auth.login_async(body.agent_id, body.password)
    # a log-in starts a shift: online (the agent may set away in the panel)
    await asyncio.to_thread(queue.roster.set_presence, issued.agent_id, "online")
    return TokenPublic(
        access_token=issued.token,
        agent_id=issued.agent_id,
        role=issued.role.value,
        expires_in=issued.expires_in_s,
    )


@router.post(
    "/auth/logout",
    status_code=204,
    response_class=Response,
    summary="end this agent token (its open WebSockets close too)",
)
async def logout(
    services: ServicesDep, queue: QueueDep, who: PrincipalDep, token: CredentialDep
) -> Response:
    if who.kind != "agent":
        raise Forbidden("only an agent token can log out; API keys are revoked by an admin")
    assert token is not None
    await asyncio.to_thread(services.auth.logout, token)
    # the last session ended: away (no claims, not counted in the customers' expected wait)
    await asyncio.to_thread(queue.roster.away_if_signed_out, who.id, utcnow())
    await services.hub.publish(Revoked(actor=who.actor, token_hash=hash_token(token)))
    return Response(status_code=204)


# ---------------------------------------------------------------------- API keys


@router.post(
    "/api-keys", response_model=ApiKeyPublic, status_code=201, summary="create an API key (admin)"
)
async def create_key(body: ApiKeyCreate, services: ServicesDep, who: PrincipalDep) -> ApiKeyPublic:
    require(who, scopes=[Scope.ADMIN])
    key = await asyncio.to_thread(services.auth.create_api_key, body.name, body.scopes)
    key_id = await asyncio.to_thread(services.auth.key_id, key)
    return ApiKeyPublic(id=key_id or "", key=key, name=body.name, scopes=sorted(set(body.scopes)))


@router.get("/api-keys", response_model=list[ApiKeyInfoPublic], summary="the API keys (admin)")
async def list_keys(services: ServicesDep, who: PrincipalDep) -> list[ApiKeyInfoPublic]:
    require(who, scopes=[Scope.ADMIN])
    keys = await asyncio.to_thread(services.auth.api_keys)
    return [ApiKeyInfoPublic.model_validate(k, from_attributes=True) for k in keys]


@router.delete(
    "/api-keys/{key_id}",
    status_code=204,
    response_class=Response,
    summary="revoke an API key (admin); its open WebSockets close",
)
async def revoke_key(key_id: str, services: ServicesDep, who: PrincipalDep) -> Response:
    require(who, scopes=[Scope.ADMIN])
    if not await asyncio.to_thread(services.auth.revoke_api_key, key_id):
        raise NotFound(f"no API key {key_id!r}")
    await services.hub.publish(Revoked(actor=f"api_key:{key_id}"))
    return Response(status_code=204)


# ---------------------------------------------------------------------- agents


def _agent_public(a: AgentInfo) -> AgentPublic:
    return AgentPublic.model_validate(a, from_attributes=True)


async def _one(services: ServicesDep, agent_id: str) -> AgentPublic:
    for a in await asyncio.to_thread(services.auth.agents):
        if a.id == agent_id:
            return _agent_public(a)
    raise NotFound(f"no agent {agent_id!r}")


@router.get("/agents", response_model=list[AgentPublic], summary="the agents (admin)")
async def list_agents(services: ServicesDep, who: PrincipalDep) -> list[AgentPublic]:
    require(who, scopes=[Scope.ADMIN])
    return [_agent_public(a) for a in await asyncio.to_thread(services.auth.agents)]


@router.post(
    "/agents", response_model=AgentPublic, status_code=201, summary="create an agent (admin)"
)
async def create_agent(body: AgentCreate, services: ServicesDep, who: PrincipalDep) -> AgentPublic:
    require(who, scopes=[Scope.ADMIN])
    if any(a.id == body.agent_id for a in await asyncio.to_thread(services.auth.agents)):
        raise DomainError(f"agent {body.agent_id!r} exists: reset its password instead")
    await asyncio.to_thread(
        services.auth.create_agent, body.agent_id, body.password, body.display_name, body.role
    )
    return await _one(services, body.agent_id)


async def _change(services: ServicesDep, agent_id: str, change: str, *args: object) -> AgentPublic:
    try:
        await asyncio.to_thread(getattr(services.auth, change), agent_id, *args)
    except LookupError as exc:
        raise NotFound(str(exc).strip("'\"")) from exc
    return await _one(services, agent_id)


@router.post(
    "/agents/{agent_id}/deactivate",
    response_model=AgentPublic,
    summary="deactivate an agent (admin): their tokens end and their WebSockets close",
)
async def deactivate(agent_id: str, services: ServicesDep, who: PrincipalDep) -> AgentPublic:
    require(who, scopes=[Scope.ADMIN])
    out = await _change(services, agent_id, "set_active", False)
    await services.hub.publish(Revoked(actor=f"agent:{agent_id}"))
    return out


@router.post("/agents/{agent_id}/activate", response_model=AgentPublic, summary="(admin)")
async def activate(agent_id: str, services: ServicesDep, who: PrincipalDep) -> AgentPublic:
    require(who, scopes=[Scope.ADMIN])
    return await _change(services, agent_id, "set_active", True)


@router.post(
    "/agents/{agent_id}/unlock",
    response_model=AgentPublic,
    summary="lift a log-in lock after repeated failures (admin)",
)
async def unlock(agent_id: str, services: ServicesDep, who: PrincipalDep) -> AgentPublic:
    require(who, scopes=[Scope.ADMIN])
    return await _change(services, agent_id, "unlock")


@router.post(
    "/agents/{agent_id}/password",
    response_model=AgentPublic,
    summary="set a new password (admin); the agent's sessions end",
)
async def reset_password(
    agent_id: str, body: PasswordReset, services: ServicesDep, who: PrincipalDep
) -> AgentPublic:
    require(who, scopes=[Scope.ADMIN])
    out = await _change(services, agent_id, "reset_password", body.password)
    await services.hub.publish(Revoked(actor=f"agent:{agent_id}"))
    return out
