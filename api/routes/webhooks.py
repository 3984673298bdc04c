"""Outbound webhooks (admin): subscriptions (URL + event types; the signing secret is
shown once) and the delivery log."""

from __future__ import annotations

import asyncio
from datetime import datetime

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field, StrictStr

from api.deps import PrincipalDep, ServicesDep
from api.errors import InvalidInput, NotFound
from api.security import Scope, require
from api.webhooks import RESOLVE_TIMEOUT_S, WEBHOOK_EVENTS, UnsafeUrl

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])


class DeliveryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    event_id: str | None = Field(description="stable across retries: receivers de-duplicate on it")
    subscription_id: str | None = Field(description="null: a URL from the configuration")
    url: str
    event_type: str
    status: str = Field(description="pending / delivered / failed")
    attempts: int
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None
    next_attempt_at: datetime | None = Field(description="when pending: the next attempt")


class SubscriptionCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "url": "https://crm.example.com/hooks/agent-assist",
                    "events": ["conversation.queued", "conversation.closed"],
                }
            ]
        },
    )
    url: StrictStr = Field(max_length=500, description="https:// on a public host")
    events: list[StrictStr] = Field(
        min_length=1,
        max_length=20,
        description=f"event types ({', '.join(sorted(WEBHOOK_EVENTS))}) or '*' for all",
    )


class SubscriptionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    url: str
    events: list[str]
    active: bool
    created_by: str
    created_at: datetime


class SubscriptionCreatedPublic(SubscriptionPublic):
    secret: str = Field(
        description="signs this subscription's deliveries (X-Agent-Assist-Signature); "
        "shown once: keep it"
    )


@router.get("/deliveries", response_model=list[DeliveryPublic], summary="latest deliveries")
async def deliveries(
    services: ServicesDep, who: PrincipalDep, limit: int = Query(100, ge=1, le=1000)
) -> list[DeliveryPublic]:
    require(who, scopes=[Scope.ADMIN])
    rows = await asyncio.to_thread(services.webhooks.deliveries, limit)
    return [DeliveryPublic.model_validate(r) for r in rows]


@router.post(
    "/subscriptions",
    response_model=SubscriptionCreatedPublic,
    status_code=201,
    summary="subscribe a receiver to event types (admin); the URL must be public (SSRF)",
)
async def subscribe(
    body: SubscriptionCreate, services: ServicesDep, who: PrincipalDep
) -> SubscriptionCreatedPublic:
    require(who, scopes=[Scope.ADMIN])
    try:
        sub, secret = await asyncio.wait_for(  # a DNS lookup cannot hold the request
            asyncio.to_thread(services.webhooks.subscribe, body.url, body.events, who.actor),
            RESOLVE_TIMEOUT_S,
        )
    except TimeoutError as exc:
        raise InvalidInput("url refused: its host did not resolve in time") from exc
    except UnsafeUrl as exc:
        raise InvalidInput(f"url refused: {exc}") from exc
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
    return SubscriptionCreatedPublic(
        **SubscriptionPublic.model_validate(sub).model_dump(), secret=secret
    )


@router.get(
    "/subscriptions", response_model=list[SubscriptionPublic], summary="subscriptions (admin)"
)
async def subscriptions(services: ServicesDep, who: PrincipalDep) -> list[SubscriptionPublic]:
    require(who, scopes=[Scope.ADMIN])
    subs = await asyncio.to_thread(services.webhooks.subscriptions)
    return [SubscriptionPublic.model_validate(s) for s in subs]


@router.delete(
    "/subscriptions/{subscription_id}",
    status_code=204,
    response_class=Response,
    summary="stop a subscription (admin); its pending deliveries are dropped",
)
async def unsubscribe(subscription_id: str, services: ServicesDep, who: PrincipalDep) -> Response:
    require(who, scopes=[Scope.ADMIN])
    if not await asyncio.to_thread(services.webhooks.unsubscribe, subscription_id):
        raise NotFound(f"no subscription {subscription_id!r}")
    return Response(status_code=204)
