"""Journey events (single and batch, idempotent on the sender's id), the customer's
context and journey timeline. Delegates to retrieval's history store."""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Query

from api.assist_schemas import (
    BatchResultPublic,
    EventBatchRequest,
    ItemResultPublic,
)
from api.contract import (
    CustomerContextPublic,
    CustomerOrders,
    CustomerProfile,
    JourneyEvent,
    JourneyStage,
    Order,
    Timeline,
)
from api.deps import JourneyDep, PrincipalDep, ServicesDep
from api.errors import PayloadTooLarge
from api.security import Scope, require
from retrieval.context import ContextBuilder
from retrieval.journey_rules import JourneyRules
from retrieval.schemas import EventIn

router = APIRouter(prefix="/v1", tags=["events and customers"])
MAX_EVENTS = 1000


@router.post("/events", response_model=ItemResultPublic, summary="ingest one journey event")
async def ingest_one(body: EventIn, services: ServicesDep, who: PrincipalDep) -> ItemResultPublic:
    require(who, scopes=[Scope.INGEST])
    res = await asyncio.to_thread(services.history.ingest_event, body)
    return ItemResultPublic(**asdict(res))


@router.post(
    "/events:batch",
    response_model=BatchResultPublic,
    summary="ingest up to 1000 events: a result per item (created / duplicate / error)",
)
async def ingest_batch(
    body: EventBatchRequest, services: ServicesDep, who: PrincipalDep
) -> BatchResultPublic:
    require(who, scopes=[Scope.INGEST])
    if len(body.events) > MAX_EVENTS:
        raise PayloadTooLarge(
            f"{len(body.events)} events; the limit is {MAX_EVENTS}", limit=MAX_EVENTS
        )
    res = await asyncio.to_thread(services.history.ingest_events, body.events, body.atomic)
    return BatchResultPublic.of(res)


def _builder(services: Any, journey: JourneyRules) -> ContextBuilder:
    """The assistant's context builder; without retrieval, one with the configured stage
    model (`journey`), so the stage names are the same either way."""
    assistant = services.assist.assistant
    ctx = getattr(assistant, "context", None)
    return ctx if isinstance(ctx, ContextBuilder) else journey.context(services.history)


@router.get(
    "/customers/{customer_id}/context",
    response_model=CustomerContextPublic,
    summary="profile, open orders / tickets, stage",
)
async def customer_context(
    customer_id: str, services: ServicesDep, who: PrincipalDep, journey: JourneyDep
) -> CustomerContextPublic:
    require(who, agent=True, scopes=[Scope.ASSIST])
    ctx = await asyncio.to_thread(_builder(services, journey).build, customer_id)
    return CustomerContextPublic.model_validate(ctx)


@router.get(
    "/customers/{customer_id}/orders",
    response_model=CustomerOrders,
    summary="the customer's profile and every order, newest first (the bot's order lookups)",
)
async def customer_orders(
    customer_id: str, services: ServicesDep, who: PrincipalDep
) -> CustomerOrders:
    require(who, agent=True, scopes=[Scope.ASSIST])
    customer = await asyncio.to_thread(services.history.get_customer, customer_id)
    orders = await asyncio.to_thread(services.history.orders, customer_id)
    newest_first = sorted(orders, key=lambda o: o.placed_at, reverse=True)
    return CustomerOrders(
        customer=CustomerProfile.model_validate(customer),
        orders=[Order.model_validate(o) for o in newest_first],
    )


@router.get(
    "/customers/{customer_id}/timeline",
    response_model=Timeline,
    summary="the customer's events across channels and the journey stage they support",
)
async def timeline(
    customer_id: str,
    services: ServicesDep,
    who: PrincipalDep,
    journey: JourneyDep,
    limit: int = Query(100, ge=1, le=1000),
) -> Timeline:
    require(who, agent=True, scopes=[Scope.ASSIST])
    ctx = await asyncio.to_thread(_builder(services, journey).build, customer_id)
    events = await asyncio.to_thread(services.history.events, customer_id, None, None, None, limit)
    return Timeline(
        customer_id=customer_id,
        journey_stage=JourneyStage.model_validate(ctx.stage),
        events=[JourneyEvent.model_validate(e) for e in events],
    )
