"""The pending proactive offer of a customer (api/proactive.py), for the site's backend to
show on its pages before the customer opens the chat (the widget's `data-offer-url`).

Read-only: the offer is recorded, and rate-limited, when the bot says it in a chat (the
conversation's opening, api/conversations/opening.py), so asking on every page view
neither spends it nor fills the timeline. Its text only: the rule, the trigger and the
article are for agents."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.deps import PrincipalDep, ServicesDep
from api.proactive_schemas import ProactiveOfferPublic
from api.security import Scope, require
from api.services import Services
from intent.language import Language

router = APIRouter(prefix="/v1", tags=["proactive"])


def pending_offer(
    services: Services, customer_id: str, language: Language
) -> ProactiveOfferPublic | None:
    """What the bot would offer the customer now (None: nothing). Raises CustomerNotFound."""
    services.history.get_customer(customer_id)  # 404 for an unknown customer
    helper = services.opening.proactive
    if helper is None:
        return None
    offer = helper.offer(customer_id, language, datetime.now(UTC))
    if offer is None:
        return None
    return ProactiveOfferPublic(text=offer.text, language=language)


@router.get(
    "/customers/{customer_id}/proactive-offer",
    response_model=ProactiveOfferPublic,
    responses={204: {"description": "no offer for this customer now"}},
    summary="the proactive offer the bot would open this customer's next chat with, for the "
    "site to show before the chat is opened (API key with scope assist; read-only)",
)
async def proactive_offer(
    customer_id: str,
    services: ServicesDep,
    who: PrincipalDep,
    language: Annotated[Language, Query(description="the page's language")] = "en",
) -> ProactiveOfferPublic | Response:
    require(who, scopes=[Scope.ASSIST])
    found = await asyncio.to_thread(pending_offer, services, customer_id, language)
    return found if found is not None else Response(status_code=204)
