"""Analytics for supervisors (a supervisor's token or an admin key): what the bot
contained, why it handed off, how long customers waited, what they rated, how
conversations were dispositioned. JSON, or CSV (`format=csv`: metric,value lines)."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from api.analytics import Summary, summarize
from api.analytics_edits import as_yaml, edited_suggestions
from api.analytics_schemas import (
    AnalyticsSummary,
    Count,
    Csat,
    EditedSuggestion,
    EditedSuggestions,
    Flow,
    IntentUse,
    JourneyFlows,
    Rated,
    SpreadOut,
    StageFigures,
    Suggestions,
    SuggestionUse,
    Unanswered,
    UnansweredCluster,
)
from api.deps import JourneyDep, PrincipalDep, ServicesDep
from api.errors import InvalidInput
from api.security import Scope, require
from api.unanswered import unanswered
from retrieval.journey import JourneyModel

router = APIRouter(prefix="/v1/analytics", tags=["analytics"])
MAX_DAYS = 366


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _public(s: Summary) -> AnalyticsSummary:
    n = sum(s.ratings.values())
    mean = round(sum(k * v for k, v in s.ratings.items()) / n, 3) if n else None
    return AnalyticsSummary(
        since=s.since.replace(tzinfo=UTC),
        until=s.until.replace(tzinfo=UTC),
        channel=s.channel,
        agent=s.agent,
        intent=s.intent,
        stage=s.stage,
        conversations=s.conversations,
        with_customer_message=s.with_customer_message,
        contained=s.contained,
        containment_rate=_rate(s.contained, s.with_customer_message),
        handed_off=s.handed_off,
        handoff_rate=_rate(s.handed_off, s.with_customer_message),
        handoff_reasons=[Count(name=k, count=v) for k, v in s.handoff_reasons],
        claimed=s.claimed,
        queue_wait=SpreadOut.model_validate(s.queue_wait),
        first_agent_reply=SpreadOut.model_validate(s.first_agent_reply),
        abandoned_in_queue=s.abandoned_in_queue,
        still_queued=s.still_queued,
        closed=s.closed,
        csat=Csat(
            ratings=n,
            mean=mean,
            distribution={str(k): v for k, v in sorted(s.ratings.items())},
            resolved_yes=s.resolved_yes,
            resolved_no=s.resolved_no,
            by_agent=[Rated.model_validate(r) for r in s.csat_by_agent],
            by_intent=[Rated.model_validate(r) for r in s.csat_by_intent],
            by_stage=[Rated.model_validate(r) for r in s.csat_by_stage],
        ),
        intents=[Count(name=k, count=v) for k, v in s.intents],
        with_topic=s.with_topic,
        repeat_contacts=s.repeat_contacts,
        repeat_contact_rate=_rate(s.repeat_contacts, s.with_topic),
        suggestions=Suggestions(
            actions=s.suggestion_actions,
            use_rate=_rate(
                s.suggestion_actions.get("used", 0) + s.suggestion_actions.get("edited", 0),
                s.suggestion_actions.get("shown", 0),
            ),
            top=[SuggestionUse.model_validate(u) for u in s.suggestions],
            by_intent=[IntentUse.model_validate(u) for u in s.suggestions_by_intent],
        ),
        dispositions=[Count(name=k, count=v) for k, v in s.dispositions],
        outcomes=[Count(name=k, count=v) for k, v in s.outcomes],
        journey=JourneyFlows(
            model=s.journey_model,
            stages=[StageFigures.model_validate(f) for f in s.stages],
            followed=s.followed,
            flows=[Flow.model_validate(f) for f in s.flows],
        )
        if s.stages
        else None,
    )


def _csv(a: AnalyticsSummary) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["metric", "value"])
    for key in ("since", "until", "channel", "agent", "intent", "stage"):
        w.writerow([key, getattr(a, key) or ""])
    for key in (
        "conversations", "with_customer_message", "contained", "containment_rate",
        "handed_off", "handoff_rate", "claimed", "abandoned_in_queue", "still_queued", "closed",
        "with_topic", "repeat_contacts", "repeat_contact_rate",
    ):  # fmt: skip
        w.writerow([key, "" if getattr(a, key) is None else getattr(a, key)])
    for name, spread in (("queue_wait", a.queue_wait), ("first_agent_reply", a.first_agent_reply)):
        for k, v in spread.model_dump().items():
            w.writerow([f"{name}.{k}", "" if v is None else v])
    w.writerow(["csat.ratings", a.csat.ratings])
    w.writerow(["csat.mean", "" if a.csat.mean is None else a.csat.mean])
    for rating, count in a.csat.distribution.items():
        w.writerow([f"csat.rating_{rating}", count])
    for r in a.csat.by_agent:
        w.writerow([f"csat.agent.{r.name}", r.mean])
    for r in a.csat.by_intent:
        w.writerow([f"csat.intent.{r.name}", r.mean])
    for r in a.csat.by_stage:
        w.writerow([f"csat.stage.{r.name}", r.mean])
    for action, count in a.suggestions.actions.items():
        w.writerow([f"suggestions.{action}", count])
    w.writerow(
        ["suggestions.use_rate", "" if a.suggestions.use_rate is None else a.suggestions.use_rate]
    )
    for u in a.suggestions.by_intent:
        for action in ("shown", "used", "edited", "dismissed"):
            w.writerow([f"suggestions.intent.{u.intent}.{action}", getattr(u, action)])
    if a.journey is not None:
        w.writerow(["journey.followed", a.journey.followed])
        for f in a.journey.stages:
            for k in ("conversations", "customers", "stayed", "left"):
                w.writerow([f"journey.stage.{f.stage}.{k}", getattr(f, k)])
        for flow in a.journey.flows:
            w.writerow([f"journey.flow.{flow.from_stage}.{flow.to_stage}", flow.customers])
    for prefix, counts in (
        ("intent", a.intents),
        ("handoff_reason", a.handoff_reasons),
        ("disposition", a.dispositions),
        ("outcome", a.outcomes),
    ):
        for c in counts:
            w.writerow([f"{prefix}.{c.name}", c.count])
    return buf.getvalue()


def _naive(ts: datetime) -> datetime:
    return (ts if ts.tzinfo else ts.replace(tzinfo=UTC)).astimezone(UTC).replace(tzinfo=None)


def _period(since: datetime | None, until: datetime | None) -> tuple[datetime, datetime]:
    """[start, end) in naive UTC: by default the 7 days to now; at most MAX_DAYS."""
    try:
        end = _naive(until or datetime.now(UTC))
        start = _naive(since) if since else end - timedelta(days=7)
    except (OverflowError, ValueError) as exc:  # e.g. year 1 with a negative offset
        raise InvalidInput(f"`since` / `until` out of range: {exc}") from None
    if start >= end:
        raise InvalidInput("`since` must be before `until`")
    if end - start > timedelta(days=MAX_DAYS):
        raise InvalidInput(f"at most {MAX_DAYS} days per request: split the period")
    return start, end


@router.get(
    "/summary",
    response_model=AnalyticsSummary,
    responses={200: {"content": {"text/csv": {}}, "description": "JSON, or CSV with format=csv"}},
    summary="containment, hand-offs and their reasons, queue wait, first reply, CSAT, "
    "dispositions for conversations started in a period (a supervisor or an admin key)",
)
async def summary(
    services: ServicesDep,
    who: PrincipalDep,
    journey: JourneyDep,
    since: Annotated[datetime | None, Query(description="default: 7 days before `until`")] = None,
    until: Annotated[datetime | None, Query(description="default: now")] = None,
    channel: Literal["web", "app", "chat"] | None = None,
    agent: Annotated[str | None, Query(max_length=64, description="who took them")] = None,
    intent: Annotated[str | None, Query(max_length=64, description="first request")] = None,
    stage: Annotated[
        str | None,
        Query(max_length=64, description="journey stage when they wrote (GET /v1/journey/model)"),
    ] = None,
    format: Literal["json", "csv"] = "json",
) -> AnalyticsSummary | Response:
    require(who, supervisor=True, scopes=[Scope.ADMIN])
    start, end = _period(since, until)
    found = await asyncio.to_thread(
        summarize,
        services.conversations.engine,
        start,
        end,
        channel,
        agent,
        intent,
        JourneyModel(journey.config),
        stage,
    )
    public = _public(found)
    if format == "csv":
        return Response(_csv(public), media_type="text/csv")
    return public


@router.get(
    "/unanswered",
    response_model=Unanswered,
    summary="what customers ask that the bot cannot do: out-of-scope and unsure turns of a "
    "period clustered by meaning, biggest first, with examples and trend (a supervisor or "
    "an admin key)",
)
async def unanswered_turns(
    services: ServicesDep,
    who: PrincipalDep,
    since: Annotated[datetime | None, Query(description="default: 7 days before `until`")] = None,
    until: Annotated[datetime | None, Query(description="default: now")] = None,
    below: Annotated[float, Query(gt=0, le=1, description="unsure below this confidence")] = 0.5,
    similarity: Annotated[
        float,
        Query(gt=0, lt=1, description="mean cosine within a cluster (MiniLM: 0.3 groups by topic)"),
    ] = 0.3,
    min_size: Annotated[int, Query(ge=1, le=1000)] = 2,
    limit: Annotated[int, Query(ge=2, le=5000, description="most recent turns read")] = 1000,
) -> Unanswered:
    require(who, supervisor=True, scopes=[Scope.ADMIN])
    start, end = _period(since, until)
    assistant = services.assist.assistant
    if assistant is None:
        return Unanswered(
            since=start.replace(tzinfo=UTC),
            until=end.replace(tzinfo=UTC),
            turns=0,
            clusters=[],
            warnings=["the sentence encoder is not loaded (AGENT_ASSIST_LOAD_RETRIEVAL)"],
        )
    clusters, read = await asyncio.to_thread(
        unanswered,
        services.conversations.engine,
        assistant.embed,
        start,
        end,
        below,
        similarity,
        min_size,
        limit,
    )
    return Unanswered(
        since=start.replace(tzinfo=UTC),
        until=end.replace(tzinfo=UTC),
        turns=read,
        clusters=[UnansweredCluster.model_validate(c) for c in clusters],
    )


@router.get(
    "/edited-suggestions",
    response_model=EditedSuggestions,
    responses={
        200: {"content": {"application/yaml": {}}, "description": "JSON, or YAML with format=yaml"}
    },
    summary="suggested replies agents keep editing, with the versions they sent instead: "
    "candidates for new templates (format=yaml: as response-bank items to review)",
)
async def edited(
    services: ServicesDep,
    who: PrincipalDep,
    since: Annotated[datetime | None, Query(description="default: 30 days before `until`")] = None,
    until: Annotated[datetime | None, Query(description="default: now")] = None,
    min_edits: Annotated[int, Query(ge=1, le=10_000)] = 3,
    format: Literal["json", "yaml"] = "json",
) -> EditedSuggestions | Response:
    require(who, supervisor=True, scopes=[Scope.ADMIN])
    start, end = _period(since or (until or datetime.now(UTC)) - timedelta(days=30), until)
    found = await asyncio.to_thread(
        edited_suggestions, services.conversations.engine, start, end, min_edits
    )
    if format == "yaml":
        return Response(as_yaml(found), media_type="application/yaml")
    return EditedSuggestions(
        since=start.replace(tzinfo=UTC),
        until=end.replace(tzinfo=UTC),
        min_edits=min_edits,
        suggestions=[EditedSuggestion.model_validate(e) for e in found],
    )
