"""Wire format of the supervisors' analytics (api/analytics.py)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class Count(BaseModel):
    name: str
    count: int


class SpreadOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    count: int = Field(description="how many measured")
    median_s: float | None = Field(description="seconds (nearest rank); null: none measured")
    p90_s: float | None


class Rated(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    name: str
    ratings: int
    mean: float


class Csat(BaseModel):
    ratings: int
    mean: float | None = Field(description="1-5; null: no rating in the period")
    distribution: dict[str, int] = Field(description="rating -> count")
    resolved_yes: int = Field(description="'is your issue solved?' answered yes")
    resolved_no: int
    by_agent: list[Rated] = Field(description="by the agent who took the conversation")
    by_intent: list[Rated] = Field(description="by the customer's first request")
    by_stage: list[Rated] = Field(
        default_factory=list, description="by the customer's journey stage when they wrote"
    )


class SuggestionUse(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    suggestion_id: str
    shown: int
    used: int
    edited: int
    dismissed: int


class IntentUse(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    intent: str = Field(description="the conversation's first request; (no topic): none named")
    shown: int
    used: int
    edited: int
    dismissed: int


class Suggestions(BaseModel):
    actions: dict[str, int] = Field(description="shown / used / edited / dismissed -> count")
    use_rate: float | None = Field(description="(used + edited) / shown")
    top: list[SuggestionUse] = Field(description="the 20 most shown suggestions")
    by_intent: list[IntentUse] = Field(
        default_factory=list, description="the same counts by the conversation's first request"
    )


class StageFigures(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    stage: str
    conversations: int = Field(description="started while the customer was in this stage")
    customers: int = Field(
        description="followed customers whose first conversation of the period started here"
    )
    stayed: int = Field(description="of those, still in this stage at the end of the period")
    left: int = Field(description="of those, in another stage at the end")


class Flow(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    from_stage: str = Field(description="the stage of the customer's first conversation")
    to_stage: str = Field(description="the customer's stage at the end of the period")
    customers: int


class JourneyFlows(BaseModel):
    """Where customers who wrote stood, and where they went (api/analytics_journey.py)."""

    model: str | None = Field(description="the stage model (GET /v1/journey/model)")
    stages: list[StageFigures] = Field(description="every stage, in the model's order")
    followed: int = Field(description="customers (a known id) followed through the period")
    flows: list[Flow] = Field(description="first conversation's stage -> end stage, biggest first")


class AnalyticsSummary(BaseModel):
    """Conversations STARTED in [since, until), optionally on one channel: exact counts."""

    since: datetime
    until: datetime
    channel: str | None
    agent: str | None = Field(description="only conversations this agent took")
    intent: str | None = Field(description="only conversations whose first request was it")
    stage: str | None = Field(None, description="only conversations started in this stage")
    conversations: int
    with_customer_message: int
    contained: int = Field(description="the customer wrote and no person was ever asked for")
    containment_rate: float | None = Field(description="contained / with_customer_message")
    handed_off: int
    handoff_rate: float | None = Field(description="handed_off / with_customer_message")
    handoff_reasons: list[Count] = Field(description="the first hand-off's reason, top 20")
    claimed: int
    queue_wait: SpreadOut = Field(description="hand-off request -> claim")
    first_agent_reply: SpreadOut = Field(description="claim -> the first agent message")
    abandoned_in_queue: int = Field(description="closed while waiting for a person")
    still_queued: int
    closed: int
    csat: Csat
    intents: list[Count] = Field(description="the customers' first requests, top 20")
    with_topic: int = Field(description="conversations whose first request names a topic")
    repeat_contacts: int = Field(
        description="of those, the customer had started another about the same request in "
        "the 7 days before"
    )
    repeat_contact_rate: float | None
    suggestions: Suggestions
    dispositions: list[Count] = Field(description="saved wrap-ups by disposition code")
    outcomes: list[Count] = Field(description="saved wrap-ups by outcome")
    journey: JourneyFlows | None = Field(
        None, description="journey stages and flows; null: no stage model loaded"
    )


class UnansweredCluster(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    size: int = Field(description="customer turns in the cluster")
    examples: list[str] = Field(description="distinct texts, the most central first (PII redacted)")
    intents: list[str] = Field(description="what the classifier said: out_of_scope or its guess")
    first_seen: datetime
    last_seen: datetime
    first_half: int = Field(description="turns in the first half of the period")
    second_half: int = Field(description="turns in the second half: the trend")
    conversation_ids: list[str] = Field(description="a few conversations to read")


class Unanswered(BaseModel):
    """Out-of-scope and unsure customer turns of the period, clustered by meaning."""

    since: datetime
    until: datetime
    turns: int = Field(description="out-of-scope or unsure turns read (the most recent)")
    clusters: list[UnansweredCluster] = Field(description="biggest first")
    warnings: list[str] = Field(default_factory=list)


class EditedVersion(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    text: str = Field(description="what agents sent instead (PII redacted)")
    count: int


class EditedSuggestion(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    suggestion_id: str
    suggestion_text: str = Field(description="the suggestion as it was shown")
    intents: list[str] = Field(description="the requests it was edited for, most frequent first")
    shown: int
    used: int = Field(description="used as it was")
    edited: int
    versions: list[EditedVersion] = Field(description="the most frequent first")


class EditedSuggestions(BaseModel):
    """Suggestions agents keep editing: candidates for new templates."""

    since: datetime
    until: datetime
    min_edits: int
    suggestions: list[EditedSuggestion] = Field(description="the most edited first")
