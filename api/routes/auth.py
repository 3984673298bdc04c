"""Agent log-in and API-key management."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter

from api.conversation_schemas import ApiKeyCreate, ApiKeyPublic, LoginRequest, TokenPublic
from api.deps import PrincipalDep, ServicesDep
from api.security import Scope, require

router = APIRouter(prefix="/v1", tags=["auth"])


@router.post("/auth/login", response_model=TokenPublic, summary="an agent logs in")
async def login(body: LoginRequest, services: ServicesDep) -> TokenPublic:
    issued = await asyncio.to_thread(services.auth.login, body.agent_id, body.password)
    return TokenPublic(
        access_token=issued.token, agent_id=issued.agent_id, expires_in=issued.expires_in_s
    )


@router.post(
    "/api-keys", response_model=ApiKeyPublic, status_code=201, summary="create an API key (admin)"
)
async def create_key(body: ApiKeyCreate, services: ServicesDep, who: PrincipalDep) -> ApiKeyPublic:
    require(who, scopes=[Scope.ADMIN])
    key = await asyncio.to_thread(services.auth.create_api_key, body.name, body.scopes)
    return ApiKeyPublic(key=key, name=body.name, scopes=sorted(set(body.scopes)))
