"""The outbound-webhook delivery log (admin)."""

from __future__ import annotations

import asyncio
from datetime import datetime

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from api.deps import PrincipalDep, ServicesDep
from api.security import Scope, require

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])


class DeliveryPublic(BaseModel):
    id: str
    event_id: str | None = Field(description="stable across retries: receivers de-duplicate on it")
    url: str
    event_type: str
    status: str
    attempts: int
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None
    next_attempt_at: datetime | None = Field(description="when pending: the next attempt")


@router.get("/deliveries", response_model=list[DeliveryPublic], summary="latest deliveries")
async def deliveries(
    services: ServicesDep, who: PrincipalDep, limit: int = Query(100, ge=1, le=1000)
) -> list[DeliveryPublic]:
    require(who, scopes=[Scope.ADMIN])
    if services.webhooks is None:
        return []
    rows = await asyncio.to_thread(services.webhooks.deliveries, limit)
    return [DeliveryPublic(**{k: getattr(r, k) for k in DeliveryPublic.model_fields}) for r in rows]
