"""Wire formats of the records a shop loads (customers, orders, tickets), split by
direction. A `PUT` body is retrieval's `CustomerIn` / `OrderIn` / `TicketIn` with the id
optional (the path names the record); a batch holds such records with their ids, each
validated on its own so one bad item never stops the others; answers carry the record as
stored (ticket summaries with PII redacted)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.contract import OrderRecord
from retrieval.schemas import CustomerIn, OrderIn, TicketIn

MAX_RECORDS = 1000  # items of one batch request (413 beyond)
UpsertStatus = Literal["created", "updated", "unchanged"]
_ID = "optional: the id in the path; when given it must be the same"

CUSTOMER_EXAMPLE: dict[str, Any] = {
    "name": "Emma Martin",
    "email": "emma.martin@example.com",
    "city": "Lyon",
    "country": "FR",
    "tier": "gold",
    "customer_since": "2023-04-02T00:00:00Z",
    "marketing_opt_out": False,
}
ORDER_EXAMPLE: dict[str, Any] = {
    "customer_id": "C-0001",
    "status": "shipped",
    "items": [{"sku": "PH-X", "name": "Phone X", "qty": 1, "price": 899.0}],
    "total": 899.0,
    "currency": "EUR",
    "placed_at": "2026-11-18T09:12:00Z",
    "eta": "2026-11-22T18:00:00Z",
    "carrier": "DHL",
    "tracking_number": "JD0146000032",
}
TICKET_EXAMPLE: dict[str, Any] = {
    "customer_id": "C-0001",
    "topic": "delivery_problem",
    "status": "open",
    "channel": "phone",
    "priority": "high",
    "order_id": "ORD-100234",
    "summary": "Parcel shown as delivered but not received",
    "opened_at": "2026-11-21T15:40:00Z",
}


# ---------------------------------------------------------------- requests


class CustomerUpsert(CustomerIn):
    model_config = ConfigDict(json_schema_extra={"examples": [CUSTOMER_EXAMPLE]})
    id: str | None = Field(None, min_length=1, max_length=64, description=_ID)  # type: ignore[assignment]


class OrderUpsert(OrderIn):
    model_config = ConfigDict(json_schema_extra={"examples": [ORDER_EXAMPLE]})
    id: str | None = Field(None, min_length=1, max_length=64, description=_ID)  # type: ignore[assignment]


class TicketUpsert(TicketIn):
    model_config = ConfigDict(json_schema_extra={"examples": [TICKET_EXAMPLE]})
    id: str | None = Field(None, min_length=1, max_length=64, description=_ID)  # type: ignore[assignment]


def _batch_examples(key: str, example: dict[str, Any], record_id: str) -> ConfigDict:
    return ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{key: [{"id": record_id, **example}]}]},
    )


class CustomerBatchRequest(BaseModel):
    model_config = _batch_examples("customers", CUSTOMER_EXAMPLE, "C-0001")
    customers: list[dict[str, Any]] = Field(
        description=f"up to {MAX_RECORDS} customers (CustomerIn, id required); validated one by one"
    )


class OrderBatchRequest(BaseModel):
    model_config = _batch_examples("orders", ORDER_EXAMPLE, "ORD-100234")
    orders: list[dict[str, Any]] = Field(
        description=f"up to {MAX_RECORDS} orders (OrderIn, id required); validated one by one"
    )


class TicketBatchRequest(BaseModel):
    model_config = _batch_examples("tickets", TICKET_EXAMPLE, "T-5001")
    tickets: list[dict[str, Any]] = Field(
        description=f"up to {MAX_RECORDS} tickets (TicketIn, id required); validated one by one"
    )


# ---------------------------------------------------------------- answers


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class CustomerPublic(_Out):
    id: str
    name: str
    email: str | None = None
    phone: str | None = None
    city: str | None = None
    country: str | None = None
    tier: str
    customer_since: datetime | None = None
    marketing_opt_out: bool
    email_opt_in: bool
    sms_opt_in: bool
    attributes: dict[str, Any] = Field(default_factory=dict)


OrderPublic = OrderRecord  # the stored order, as `PUT /v1/orders/{id}` answers it


class TicketPublic(_Out):
    id: str
    customer_id: str
    topic: str
    status: str
    channel: str
    priority: str
    order_id: str | None = None
    summary: str = Field(description="as stored: personal data redacted")
    opened_at: datetime
    updated_at: datetime | None = None


_STATUS = "created (201), updated or unchanged (the same record was already stored)"


class CustomerUpserted(BaseModel):
    status: UpsertStatus = Field(description=_STATUS)
    customer: CustomerPublic


class OrderUpserted(BaseModel):
    status: UpsertStatus = Field(description=_STATUS)
    order: OrderPublic


class TicketUpserted(BaseModel):
    status: UpsertStatus = Field(description=_STATUS)
    ticket: TicketPublic
