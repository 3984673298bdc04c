"""Marketing suppression on the wire: the batch check (`POST /v1/suppression:check`) and
the webhook payload of `customer.suppressed` / `customer.released`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from api.contract import SuppressionReason

MAX_CHECK_IDS = 1000  # customer ids per check; more: 413

CustomerId = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=64)]


class SuppressionCheckRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"customer_ids": ["C-0004", "C-0006", "C-9999"]}]},
    )

    customer_ids: list[CustomerId] = Field(
        min_length=1, description=f"up to {MAX_CHECK_IDS} customer ids (more: 413)"
    )


class SuppressionCheckItem(BaseModel):
    customer_id: str
    status: Literal["allowed", "suppressed", "unknown"] = Field(
        description="unknown: no such customer in the history (nothing is known of them)"
    )
    marketing_allowed: bool | None = Field(description="null when unknown")
    until: datetime | None = Field(
        default=None,
        description="when suppressed: allowed again then if nothing new happens; null: a "
        "reason has no end of its own (consent, open ticket, stage)",
    )
    reasons: list[SuppressionReason] = Field(default_factory=list)


class SuppressionCheckResult(BaseModel):
    """One item per requested id, in the request's order."""

    checked_at: datetime
    allowed: int
    suppressed: int
    unknown: int
    items: list[SuppressionCheckItem]


class CustomerSuppressionEvent(BaseModel):
    """Webhook payload of `customer.suppressed` (a customer became suppressed) and
    `customer.released` (marketing may reach them again)."""

    id: str = Field(description="the event id: receivers de-duplicate on it")
    type: Literal["customer.suppressed", "customer.released"]
    ts: datetime = Field(description="when the service saw the change")
    customer_id: str
    marketing_allowed: bool
    until: datetime | None = Field(
        description="customer.suppressed: allowed again then if nothing new happens (null: "
        "a reason has no end of its own); customer.released: null"
    )
    reasons: list[SuppressionReason] = Field(description="empty for customer.released")
