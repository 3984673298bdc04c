"""Records crossing the store boundary: pydantic models for what comes in (validated),
frozen dataclasses for what goes out. Timestamps are timezone-aware UTC; a naive
timestamp is read as UTC."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

CHANNELS: tuple[str, ...] = ("web", "app", "email", "phone", "store", "chat", "social")
Channel = Literal["web", "app", "email", "phone", "store", "chat", "social"]
ORDER_STATUSES: tuple[str, ...] = (
    "placed",
    "paid",
    "shipped",
    "in_transit",
    "out_for_delivery",
    "delivered",
    "cancelled",
    "returned",
    "refunded",
)
OPEN_ORDER_STATUSES = frozenset({"placed", "paid", "shipped", "in_transit", "out_for_delivery"})
TICKET_STATUSES: tuple[str, ...] = ("open", "pending", "resolved", "closed")
OPEN_TICKET_STATUSES = frozenset({"open", "pending"})
MAX_CLOCK_SKEW = timedelta(days=1)  # an event further in the future is rejected
MAX_EVENT_TEXT = 4000  # characters of an event's text
MAX_EVENT_ATTRIBUTES = 8192  # bytes of an event's attributes as JSON


def as_utc(value: datetime) -> datetime:
    try:
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except OverflowError:  # e.g. 9999-12-31T23:59-14:00: a ValueError is a field's error
        raise ValueError(f"timestamp {value.isoformat()} is out of range") from None


def _check_ts(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    value = as_utc(value)
    if value > datetime.now(UTC) + MAX_CLOCK_SKEW:
        raise ValueError(f"timestamp {value.isoformat()} is in the future")
    if value.year < 1990:
        raise ValueError(f"timestamp {value.isoformat()} is implausibly old")
    return value


def _blank_is_none(value: Any) -> Any:
    """An empty reference (a blank CSV cell, `""` in JSON) means none."""
    return None if isinstance(value, str) and not value.strip() else value


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class CustomerIn(_In):
    # lengths: those of the columns (retrieval/models.py), so PostgreSQL never refuses one
    id: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    email: str | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=64)
    city: str | None = Field(default=None, max_length=120)
    country: str | None = Field(default=None, max_length=64)
    tier: str = Field(default="standard", min_length=1, max_length=32)  # silver, gold, vip...
    customer_since: datetime | None = None
    marketing_opt_out: bool = False  # the customer refused marketing (consent)
    email_opt_in: bool = True  # service e-mails allowed
    sms_opt_in: bool = False
    attributes: dict[str, Any] = Field(default_factory=dict)

    _ts = field_validator("customer_since")(_check_ts)


class OrderItem(_In):
    sku: str
    name: str
    qty: int = Field(default=1, ge=1)
    price: float = Field(default=0.0, ge=0, allow_inf_nan=False)
    category: str | None = None


class OrderIn(_In):
    id: str = Field(min_length=1, max_length=64)
    customer_id: str = Field(min_length=1, max_length=64)
    status: Literal[
        "placed",
        "paid",
        "shipped",
        "in_transit",
        "out_for_delivery",
        "delivered",
        "cancelled",
        "returned",
        "refunded",
    ]
    items: list[OrderItem] = Field(min_length=1)
    total: float = Field(ge=0, allow_inf_nan=False)
    currency: str = Field(default="EUR", min_length=1, max_length=8)
    placed_at: datetime
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None
    eta: datetime | None = None  # promised delivery date (may lie in the future)
    carrier: str | None = Field(default=None, max_length=64)
    tracking_number: str | None = Field(default=None, max_length=64)
    tracking_url: str | None = Field(default=None, max_length=500)
    delivery_city: str | None = Field(default=None, max_length=120)

    _ts = field_validator("placed_at", "shipped_at", "delivered_at")(_check_ts)

    @field_validator("eta")
    @classmethod
    def _eta(cls, v: datetime | None) -> datetime | None:
        return None if v is None else as_utc(v)


class TicketIn(_In):
    id: str = Field(min_length=1, max_length=64)
    customer_id: str = Field(min_length=1, max_length=64)
    topic: str = Field(min_length=1, max_length=64)  # usually an intent label
    status: Literal["open", "pending", "resolved", "closed"] = "open"
    channel: Channel = "phone"
    priority: Literal["low", "normal", "high", "urgent"] = "normal"
    order_id: str | None = Field(default=None, max_length=64)
    summary: str = ""  # free text: the store redacts PII in it
    opened_at: datetime
    updated_at: datetime | None = None

    _ts = field_validator("opened_at", "updated_at")(_check_ts)
    _no_order = field_validator("order_id", mode="before")(_blank_is_none)


class EventIn(_In):
    id: str = Field(min_length=1, max_length=64)  # the sender's id: ingestion is idempotent on it
    customer_id: str = Field(min_length=1, max_length=64)
    channel: Channel
    type: str = Field(min_length=1, max_length=64)  # page_view, order_placed, call, chat_message...
    ts: datetime
    text: str = Field("", max_length=MAX_EVENT_TEXT)
    intent: str | None = Field(None, max_length=64)  # when the text was classified
    order_id: str | None = Field(None, max_length=64)
    ticket_id: str | None = Field(None, max_length=64)
    attributes: dict[str, Any] = Field(default_factory=dict)

    _ts = field_validator("ts")(_check_ts)

    @field_validator("attributes")
    @classmethod
    def _small_attributes(cls, v: dict[str, Any]) -> dict[str, Any]:
        size = len(json.dumps(v, default=str))
        if size > MAX_EVENT_ATTRIBUTES:
            raise ValueError(
                f"attributes take {size} bytes as JSON; the limit is {MAX_EVENT_ATTRIBUTES}"
            )
        return v


# ---------------------------------------------------------------- outgoing records


@dataclass(frozen=True, slots=True)
class Customer:
    id: str
    name: str
    email: str | None
    phone: str | None
    city: str | None
    country: str | None
    tier: str
    customer_since: datetime | None
    marketing_opt_out: bool
    email_opt_in: bool
    sms_opt_in: bool
    attributes: dict[str, Any] = field(default_factory=dict)

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.strip() else self.name


@dataclass(frozen=True, slots=True)
class Order:
    id: str
    customer_id: str
    status: str
    items: list[dict[str, Any]]  # OrderItem fields
    total: float
    currency: str
    placed_at: datetime
    shipped_at: datetime | None
    delivered_at: datetime | None
    eta: datetime | None
    carrier: str | None
    tracking_number: str | None
    tracking_url: str | None
    delivery_city: str | None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ORDER_STATUSES

    @property
    def summary(self) -> str:
        names = [str(i.get("name", "?")) for i in self.items]
        return names[0] if len(names) == 1 else f"{names[0]} +{len(names) - 1}"


@dataclass(frozen=True, slots=True)
class Ticket:
    id: str
    customer_id: str
    topic: str
    status: str
    channel: str
    priority: str
    order_id: str | None
    summary: str
    opened_at: datetime
    updated_at: datetime | None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TICKET_STATUSES


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    customer_id: str
    channel: str
    type: str
    ts: datetime
    text: str
    intent: str | None
    order_id: str | None
    ticket_id: str | None
    attributes: dict[str, Any] = field(default_factory=dict)


ItemStatus = Literal["created", "updated", "unchanged", "duplicate", "error"]


@dataclass(frozen=True, slots=True)
class ItemResult:
    index: int  # position in the batch
    id: str | None  # the record id, when it could be read
    status: ItemStatus
    error: str | None = None  # the reason, when status == "error"


@dataclass(frozen=True, slots=True)
class BatchResult:
    items: list[ItemResult]

    def count(self, status: ItemStatus) -> int:
        return sum(1 for i in self.items if i.status == status)

    @property
    def created(self) -> int:
        return self.count("created")

    @property
    def errors(self) -> list[ItemResult]:
        return [i for i in self.items if i.status == "error"]

    @property
    def written_ids(self) -> list[str]:
        return [i.id for i in self.items if i.status in ("created", "updated") and i.id]
