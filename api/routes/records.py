"""The records a shop loads: customers, orders and tickets. `PUT /v1/<kind>/{id}` upserts
one on its id (201 created; 200 updated or unchanged, so a retry is harmless);
`POST /v1/<kind>:batch` upserts up to 1000 with a result per item, a bad item never
stopping the good ones. Scope `ingest`, like journey events. An order or ticket needs its
customer first (and a ticket the order it names): else it is refused, saying so. The
history store validates, redacts ticket summaries and writes (retrieval/store.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypeVar, cast

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel

from api.assist_schemas import BatchResultPublic
from api.deps import PrincipalDep, ServicesDep
from api.errors import InvalidInput, PayloadTooLarge
from api.record_schemas import (
    MAX_RECORDS,
    CustomerBatchRequest,
    CustomerPublic,
    CustomerUpsert,
    CustomerUpserted,
    OrderBatchRequest,
    OrderPublic,
    OrderUpsert,
    OrderUpserted,
    TicketBatchRequest,
    TicketPublic,
    TicketUpsert,
    TicketUpserted,
    UpsertStatus,
)
from api.security import Principal, Scope, require
from retrieval.schemas import BatchResult, CustomerIn, OrderIn, TicketIn
from retrieval.store import validate

router = APIRouter(prefix="/v1", tags=["customers, orders and tickets"])
M = TypeVar("M", bound=BaseModel)
RecordId = Annotated[str, Path(min_length=1, max_length=64, description="the record's id")]


def _created(model: type[BaseModel]) -> dict[int | str, dict[str, Any]]:
    return {201: {"model": model, "description": "created (200: updated or unchanged)"}}


def _record(model: type[M], body: BaseModel, record_id: str) -> M:
    """The body as a `model` with the path's id (a different id in the body: 422)."""
    if record_id != record_id.strip():
        raise InvalidInput(f"the id in the path {record_id!r} starts or ends with a space")
    given = getattr(body, "id", None)
    if given is not None and given != record_id:
        raise InvalidInput(
            f"the body's id {given!r} is not the path's {record_id!r}: leave it out of the "
            "body or send the same one"
        )
    return validate(model, {**body.model_dump(), "id": record_id})


def _upsert_one(
    upsert: Callable[[Sequence[Any]], BatchResult], read: Callable[[str], Any], record: Any
) -> tuple[UpsertStatus, Any]:
    """(created / updated / unchanged, the stored record); a refused record: 422."""
    item = upsert([record]).items[0]
    if item.status == "error":
        raise InvalidInput(item.error or "the record was refused")
    return cast(UpsertStatus, item.status), read(record.id)


async def _put(
    response: Response,
    record: BaseModel,
    upsert: Callable[[Sequence[Any]], BatchResult],
    read: Callable[[str], Any],
) -> tuple[UpsertStatus, Any]:
    status, stored = await asyncio.to_thread(_upsert_one, upsert, read, record)
    response.status_code = 201 if status == "created" else 200
    return status, stored


async def _batch(
    who: Principal, upsert: Callable[[Sequence[Any]], BatchResult], items: list[dict[str, Any]]
) -> BatchResultPublic:
    require(who, scopes=[Scope.INGEST])
    if len(items) > MAX_RECORDS:
        raise PayloadTooLarge(
            f"{len(items)} items; the limit is {MAX_RECORDS}: send several batches",
            limit=MAX_RECORDS,
        )
    return BatchResultPublic.of(await asyncio.to_thread(upsert, items))


@router.put(
    "/customers/{customer_id}",
    response_model=CustomerUpserted,
    responses=_created(CustomerUpserted),
    summary="create or replace a customer (idempotent: 201 created, 200 updated / unchanged)",
)
async def put_customer(
    customer_id: RecordId,
    body: CustomerUpsert,
    response: Response,
    services: ServicesDep,
    who: PrincipalDep,
) -> CustomerUpserted:
    require(who, scopes=[Scope.INGEST])
    h = services.history
    record = _record(CustomerIn, body, customer_id)
    status, stored = await _put(response, record, h.upsert_customers, h.get_customer)
    return CustomerUpserted(status=status, customer=CustomerPublic.model_validate(stored))


@router.put(
    "/orders/{order_id}",
    response_model=OrderUpserted,
    responses=_created(OrderUpserted),
    summary="create or replace an order of a known customer (201 created, 200 otherwise)",
)
async def put_order(
    order_id: RecordId,
    body: OrderUpsert,
    response: Response,
    services: ServicesDep,
    who: PrincipalDep,
) -> OrderUpserted:
    require(who, scopes=[Scope.INGEST])
    h = services.history
    record = _record(OrderIn, body, order_id)
    status, stored = await _put(response, record, h.upsert_orders, h.get_order)
    return OrderUpserted(status=status, order=OrderPublic.model_validate(stored))


@router.put(
    "/tickets/{ticket_id}",
    response_model=TicketUpserted,
    responses=_created(TicketUpserted),
    summary="create or replace a ticket of a known customer (201 created, 200 otherwise)",
)
async def put_ticket(
    ticket_id: RecordId,
    body: TicketUpsert,
    response: Response,
    services: ServicesDep,
    who: PrincipalDep,
) -> TicketUpserted:
    require(who, scopes=[Scope.INGEST])
    h = services.history
    record = _record(TicketIn, body, ticket_id)
    status, stored = await _put(response, record, h.upsert_tickets, h.get_ticket)
    return TicketUpserted(status=status, ticket=TicketPublic.model_validate(stored))


@router.post(
    "/customers:batch",
    response_model=BatchResultPublic,
    summary="upsert up to 1000 customers: a result per item (created / updated / unchanged / error)",
)
async def customers_batch(
    body: CustomerBatchRequest, services: ServicesDep, who: PrincipalDep
) -> BatchResultPublic:
    return await _batch(who, services.history.upsert_customers, body.customers)


@router.post(
    "/orders:batch",
    response_model=BatchResultPublic,
    summary="upsert up to 1000 orders: a result per item (created / updated / unchanged / error)",
)
async def orders_batch(
    body: OrderBatchRequest, services: ServicesDep, who: PrincipalDep
) -> BatchResultPublic:
    return await _batch(who, services.history.upsert_orders, body.orders)


@router.post(
    "/tickets:batch",
    response_model=BatchResultPublic,
    summary="upsert up to 1000 tickets: a result per item (created / updated / unchanged / error)",
)
async def tickets_batch(
    body: TicketBatchRequest, services: ServicesDep, who: PrincipalDep
) -> BatchResultPublic:
    return await _batch(who, services.history.upsert_tickets, body.tickets)
