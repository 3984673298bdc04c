"""The journey-stage model the service runs (data/journey/model.yml or
AGENT_ASSIST_JOURNEY_MODEL): its stages in order with their display names, for the agent
panel and integrators that show the `stage` of the assist payload and the context."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import JourneyDep, PrincipalDep
from api.journey_schemas import JourneyModelPublic
from api.security import Scope, require

router = APIRouter(prefix="/v1", tags=["events and customers"])


@router.get(
    "/journey/model",
    response_model=JourneyModelPublic,
    summary="the journey-stage model in use: its stages in order, with English and Chinese names",
)
def journey_model(journey: JourneyDep, who: PrincipalDep) -> JourneyModelPublic:
    require(who, agent=True, scopes=[Scope.ASSIST])
    return JourneyModelPublic.of(journey)
