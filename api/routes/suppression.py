"""Marketing suppression for marketing tools: whether each of a batch of customers may be
marketed to now, why not and until when (retrieval/suppression.py)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from fastapi import APIRouter

from api.contract import SuppressionReason
from api.deps import JourneyDep, PrincipalDep, ServicesDep
from api.errors import PayloadTooLarge
from api.security import Scope, require
from api.suppression_schemas import (
    MAX_CHECK_IDS,
    SuppressionCheckItem,
    SuppressionCheckRequest,
    SuppressionCheckResult,
)
from api.suppression_watch import batch_for

router = APIRouter(prefix="/v1", tags=["marketing"])


@router.post(
    "/suppression:check",
    response_model=SuppressionCheckResult,
    summary=f"may marketing reach these customers now? up to {MAX_CHECK_IDS} ids, one "
    "item each (allowed / suppressed with reasons and until / unknown)",
)
async def check(
    body: SuppressionCheckRequest, services: ServicesDep, who: PrincipalDep, journey: JourneyDep
) -> SuppressionCheckResult:
    require(who, scopes=[Scope.MARKETING, Scope.ASSIST])
    if len(body.customer_ids) > MAX_CHECK_IDS:
        raise PayloadTooLarge(
            f"{len(body.customer_ids)} customer ids; the limit is {MAX_CHECK_IDS}",
            limit=MAX_CHECK_IDS,
        )
    now = datetime.now(UTC)
    batch = batch_for(services.records, services.assist.assistant, journey)
    states = await asyncio.to_thread(batch.evaluate, body.customer_ids, now)
    items = []
    for cid in body.customer_ids:
        s = states.get(cid)
        if s is None:
            items.append(
                SuppressionCheckItem(customer_id=cid, status="unknown", marketing_allowed=None)
            )
            continue
        items.append(
            SuppressionCheckItem(
                customer_id=cid,
                status="allowed" if s.allowed else "suppressed",
                marketing_allowed=s.allowed,
                until=s.until,
                reasons=[SuppressionReason.model_validate(r) for r in s.reasons],
            )
        )
    return SuppressionCheckResult(
        checked_at=now,
        allowed=sum(i.status == "allowed" for i in items),
        suppressed=sum(i.status == "suppressed" for i in items),
        unknown=sum(i.status == "unknown" for i in items),
        items=items,
    )
