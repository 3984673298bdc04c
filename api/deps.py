"""Dependencies shared by the routes (`Annotated` aliases).

The ones that only read the app's state are `async def`: FastAPI runs a plain `def`
dependency on a worker thread, one hand-over per dependency per request; those that touch
the database (`get_principal`) stay plain functions."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from api.config import Settings
from api.conversations.abandon import Abandonment
from api.conversations.queue import WaitingQueue
from api.errors import NotReady
from api.security import Acting, Principal, acting
from api.services import Services
from intent.pipeline import TurnAnalyzer
from retrieval.journey_rules import JourneyRules


async def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_analyzer(request: Request) -> TurnAnalyzer:
    analyzer = getattr(request.app.state, "analyzer", None)
    if analyzer is None:
        raise NotReady("the intent model is not loaded yet")
    return analyzer


async def get_queue(request: Request) -> WaitingQueue:
    queue = getattr(request.app.state, "queue", None)
    if queue is None:
        raise NotReady("the service is still starting")
    return queue


async def get_abandonment(request: Request) -> Abandonment:
    abandonment = getattr(request.app.state, "abandonment", None)
    if abandonment is None:
        raise NotReady("the service is still starting")
    return abandonment


async def get_journey(request: Request) -> JourneyRules:
    """The journey-stage model the service runs (loaded in the lifespan)."""
    journey = getattr(request.app.state, "journey", None)
    if journey is None:
        raise NotReady("the service is still starting")
    return journey


def services_of(request: Request) -> Services:
    services = getattr(request.app.state, "services", None)
    if services is None:
        raise NotReady("the service is still starting")
    return services


async def get_services(request: Request) -> Services:
    return services_of(request)


# declared as security schemes, so the OpenAPI document says how to authenticate
BEARER = HTTPBearer(
    auto_error=False,
    description="an API key, an agent token (POST /v1/auth/login) or a conversation token",
)
API_KEY = APIKeyHeader(name="X-API-Key", auto_error=False, description="an API key")


async def credential(
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(BEARER)],
    api_key: Annotated[str | None, Security(API_KEY)],
) -> str | None:
    """`Authorization: Bearer <token>`, or `X-API-Key: <key>`."""
    if bearer is not None and bearer.credentials.strip():
        return bearer.credentials.strip()
    return api_key or None


def client_address(request: Request) -> str:
    """The client's address (the proxy's X-Forwarded-For only when the proxy is trusted:
    uvicorn rewrites `request.client` then, see Settings.trusted_proxies)."""
    return request.client.host if request.client else "unknown"


def get_principal(request: Request, token: Annotated[str | None, Depends(credential)]) -> Principal:
    services = services_of(request)
    principal = services.auth.authenticate(token)
    services.throttle.hit("credential", principal.actor, "too many requests for these credentials")
    return principal


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
AnalyzerDep = Annotated[TurnAnalyzer, Depends(get_analyzer)]
ServicesDep = Annotated[Services, Depends(get_services)]
PrincipalDep = Annotated[Principal, Depends(get_principal)]
JourneyDep = Annotated[JourneyRules, Depends(get_journey)]
QueueDep = Annotated[WaitingQueue, Depends(get_queue)]  # the ranked hand-off queue
AbandonmentDep = Annotated[Abandonment, Depends(get_abandonment)]
CredentialDep = Annotated[str | None, Depends(credential)]


async def get_acting(
    who: PrincipalDep,
    on_behalf_of: Annotated[
        str | None,
        Header(
            alias="X-Acting-Agent",
            description="with an API key of scope desk: the agent this is done for",
        ),
    ] = None,
) -> Acting:
    return acting(who, on_behalf_of)


ActingDep = Annotated[Acting, Depends(get_acting)]
