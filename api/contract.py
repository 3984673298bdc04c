"""The product contract: the agent-assist payload and the hand-off packet as pydantic
models. REST answers, the agents' WebSocket events, stored packets (`model_dump(mode=
"json")` / `model_validate`) and the OpenAPI document all use these, so an integrator
reading `/openapi.json` sees every field. Built from retrieval's dataclasses with
`from_attributes`, so a field added there and here is carried end to end."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from intent.language import Language


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class RankedIntent(_Out):
    name: str
    confidence: float


class IntentInfo(_Out):
    name: str = Field(description="top intent, or the out-of-scope label")
    confidence: float = Field(description="calibrated probability of the top in-scope intent")
    out_of_scope: bool
    ranking: list[RankedIntent] = Field(default_factory=list)


class EntityOut(_Out):
    type: str = Field(description="order_number, email, amount, date, card_number, ...")
    value: str = Field(description="as written; PII types are masked ([CARD visa ****1111])")
    start: int
    end: int
    normalized: str | None = None


class SentimentOut(_Out):
    compound: float = Field(description="VADER compound score, -1 (negative) to 1 (positive)")
    label: str
    frustration: float = Field(description="0 (calm) to 1 (very frustrated)")
    signals: list[str] = Field(default_factory=list)


class TurnAnalysisOut(_Out):
    """What the classifier read in one customer turn."""

    intent: IntentInfo
    entities: list[EntityOut] = Field(default_factory=list)
    sentiment: SentimentOut
    language: Language = Field("en", description="the turn's language (its script): en or zh")


class Evidence(_Out):
    kind: str = Field(
        description="intent (the current turn), dialogue (an earlier turn of this chat), "
        "past_chat (an earlier conversation), event (other history) or state"
    )
    name: str = Field(description="intent label, event type or state name")
    stage: str = Field(description="the stage it supports")
    weight: float
    ref: str | None = Field(default=None, description="event / order / ticket id")
    ts: datetime | None = None
    text: str | None = Field(default=None, description="short description for the agent")


class JourneyStage(_Out):
    stage: str = Field(
        description="a stage of the configured stage model (GET /v1/journey/model lists them): "
        "aware / consider / purchase / onboard / support / retain / advocate (lifecycle) or "
        "aware / appeal / ask / act / advocate (5a)"
    )
    confidence: float = Field(description="share of the total score held by `stage`")
    scores: dict[str, float]
    evidence: list[Evidence] = Field(default_factory=list, description="largest first")
    model: str | None = Field(None, description="the stage model: lifecycle or 5a")
    label: str = Field("", description='the stage for people, English and Chinese: "Ask · 问询"')


class OrderView(_Out):
    id: str
    status: str
    summary: str
    eta: datetime | None = None
    carrier: str | None = None
    tracking_url: str | None = None


class TicketView(_Out):
    id: str
    topic: str
    status: str
    priority: str
    opened_at: datetime
    summary: str


class Interaction(_Out):
    channel: str
    ts: datetime
    type: str
    text: str
    intent: str | None = None


class SentimentTrend(_Out):
    recent: float | None = Field(default=None, description="mean compound of the last 7 days")
    previous: float | None = Field(default=None, description="mean compound 8-60 days ago")
    trend: str = Field(description="worsening / improving / stable / unknown")
    negative_recently: bool
    samples: int


class CustomerContext(_Out):
    customer_id: str | None
    name: str | None
    tier: str | None
    customer_since: datetime | None = None
    marketing_opt_out: bool
    orders_count: int
    lifetime_value: float
    open_orders: list[OrderView] = Field(default_factory=list)
    open_tickets: list[TicketView] = Field(default_factory=list)
    last_interactions: list[Interaction] = Field(
        default_factory=list, description="one per channel, newest first"
    )
    sentiment: SentimentTrend
    summary: str = Field(default="", description="one line for the panel header")


class SuppressionReason(_Out):
    """One reason marketing may not reach the customer (retrieval/suppression.py)."""

    reason: str = Field(
        description="opt_out, open_ticket, negative_sentiment, frustration, stage, or the "
        "name of an event rule of data/journey/suppression.yml (activation_failed, "
        "payment_failed, delivery_late, complaint, ...)"
    )
    detail: str = Field(description="one line for a person")
    since: datetime | None = Field(default=None, description="when it started")
    until: datetime | None = Field(
        default=None, description="when it ends by itself; null: while it holds"
    )
    event_type: str | None = Field(default=None, description="the event that started it")
    event_id: str | None = None
    ticket_id: str | None = None


class CustomerContextPublic(CustomerContext):
    """`GET /v1/customers/{id}/context`: the context with the journey stage it supports,
    and whether marketing may reach the customer now."""

    stage: JourneyStage
    marketing_allowed: bool
    marketing_until: datetime | None = Field(
        default=None,
        description="when marketing is allowed again if nothing new happens; null when "
        "allowed, or when a reason has no end of its own (consent, open ticket, stage)",
    )
    suppression_reasons: list[SuppressionReason] = Field(
        default_factory=list, description="why marketing is suppressed now"
    )


class JourneyEvent(_Out):
    id: str
    customer_id: str
    channel: str
    type: str
    ts: datetime
    text: str = Field(description="PII redacted at ingestion")
    intent: str | None = None
    order_id: str | None = None
    ticket_id: str | None = None
    attributes: dict[str, Any] = Field(
        default_factory=dict, description="free-form, as the sender ingested it"
    )


class Timeline(_Out):
    customer_id: str
    journey_stage: JourneyStage
    events: list[JourneyEvent] = Field(description="newest first")


class OrderLine(_Out):
    sku: str | None = None
    name: str | None = None
    qty: int = 1
    price: float | None = None
    category: str | None = None


class OrderRecord(_Out):
    """An order as stored (`PUT /v1/orders/{id}` answers it)."""

    id: str
    customer_id: str
    status: str
    items: list[OrderLine] = Field(default_factory=list)
    total: float
    currency: str
    placed_at: datetime
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None
    eta: datetime | None = None
    carrier: str | None = None
    tracking_number: str | None = None
    tracking_url: str | None = None
    delivery_city: str | None = None


class Order(OrderRecord):
    """An order as the bot and the panel read it: the record, summarised."""

    summary: str = Field(description="first item (+N more)")
    is_open: bool


class CustomerProfile(_Out):
    id: str
    name: str
    first_name: str
    city: str | None = None
    country: str | None = None
    tier: str


class CustomerOrders(_Out):
    """The bot's order lookups: the profile and every order, newest first."""

    customer: CustomerProfile
    orders: list[Order]


class Suggestion(_Out):
    id: str = Field(description="response bank item id")
    kind: str = Field(description="template / reply / article")
    title: str
    text: str = Field(description="filled with the customer's facts, ready to send")
    source: str = Field(description="where the text comes from (bitext, knowledge:<id>)")
    score: float
    intents: list[str] = Field(default_factory=list)
    components: dict[str, float] = Field(
        default_factory=dict,
        description="what the score is made of (the four features, intent and stage hits, "
        "`learned`: the use-rate bonus); `reranked`: the score a shipped re-ranker "
        "(AGENT_ASSIST_SUGGESTION_POLICY) ordered the list by",
    )
    position: int = Field(
        0,
        description="1-based place in the ranked list served (knowledge articles included); "
        "send it back with the feedback on this suggestion",
    )
    propensity: float = Field(
        1.0,
        description="the probability that the serving policy put this item at this position "
        "(below 1 when AGENT_ASSIST_SUGGESTION_RANDOM_RATE randomises a share of the lists); "
        "send it back with the feedback on this suggestion",
    )


class NextBestAction(_Out):
    action: str
    rule: str = Field(description="id of the rule that decided it")
    handoff: bool = Field(description="the rule asks for a person")
    marketing_allowed: bool
    marketing_reasons: list[str] = Field(
        default_factory=list, description="why marketing is suppressed now"
    )
    marketing_until: datetime | None = Field(
        default=None, description="as in the customer context; null: allowed or no end"
    )
    suppression_reasons: list[SuppressionReason] = Field(
        default_factory=list,
        description="the customer context's reasons plus the turn's frustration, typed",
    )


class RelatedEvent(_Out):
    """A past event or earlier conversation of this customer that is like the turn
    (`kind` own_history), or how another customer's like problem was handled (`kind`
    resolved_case: a wrap-up, without the other customer's id)."""

    kind: Literal["own_history", "resolved_case"] = "own_history"
    event_id: str
    customer_id: str | None = Field(description="None for another customer's resolved case")
    channel: str
    type: str = Field(description="event type, e.g. email_in, call, chat_customer")
    ts: datetime
    text: str = Field(description="PII redacted")
    score: float = Field(description="cosine similarity to the turn")
    reason: str = Field(description="why it is shown, for the agent")
    conversation_id: str | None = Field(
        default=None, description="the earlier conversation it was said in"
    )
    said_to_customer: list[str] = Field(
        default_factory=list,
        description="this customer's own wrap-up only: what an agent told them then, in the "
        "agent's words (what the bot may repeat to them); never set for a resolved case",
    )


class HandoffState(_Out):
    state: Literal["bot", "queued", "human", "closed"]
    agent_id: str | None = None
    reason: str | None = Field(default=None, description="why the bot handed off (agents only)")
    queued_at: datetime | None = None


class AssistPayload(_Out):
    """The agent-assist answer for one customer turn."""

    customer_id: str | None
    text: str = Field(description="the customer turn this answers (PII redacted)")
    intent: IntentInfo
    entities: list[EntityOut] = Field(default_factory=list)
    sentiment: SentimentOut
    language: Language = Field(
        "en",
        description="the language of the suggestions and knowledge articles: the "
        "conversation's (en / zh)",
    )
    journey_stage: JourneyStage | None = Field(default=None, description="with its evidence")
    customer_context: CustomerContext | None = Field(
        default=None, description="profile, open orders / tickets, last interaction per channel"
    )
    suggestions: list[Suggestion] = Field(default_factory=list)
    knowledge_articles: list[Suggestion] = Field(default_factory=list)
    next_best_action: NextBestAction | None = Field(
        default=None, description="incl. marketing_allowed and its reasons"
    )
    related_history: list[RelatedEvent] = Field(
        default_factory=list,
        description="this customer's past events and conversations most like the turn, then "
        "similar resolved cases of other customers (from wrap-ups)",
    )
    handoff: HandoffState | None = Field(default=None, description="ownership (conversations only)")
    warnings: list[str] = Field(default_factory=list, description="what could not be computed")


class PacketTurn(_Out):
    role: str
    text: str
    ts: datetime
    intent: str | None = None


class HandoffPacket(_Out):
    """What the agent gets when the bot hands a conversation over."""

    reason: str = ""
    bot_summary: str = Field(default="", description="what the bot did, in a few sentences")
    transcript: list[PacketTurn] = Field(default_factory=list)
    customer_context: CustomerContext | None = None
    journey_stage: JourneyStage | None = None
    suggested_first_reply: str | None = None
    warnings: list[str] = Field(default_factory=list)


def stored_packet(raw: dict[str, object] | None) -> HandoffPacket | None:
    """A packet as the store keeps it (`model_dump(mode="json")`), typed again; None for a
    conversation that was never handed off."""
    return HandoffPacket.model_validate(raw) if raw else None


class WrapUpLine(BaseModel):
    """One line of a wrap-up summary and the turns it comes from."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=1000)
    turn_ids: list[str] = Field(
        default_factory=list, max_length=50, description="the conversation's turns it cites"
    )


Outcome = Literal[
    "no_contact",
    "unanswered",
    "abandoned_in_queue",
    "resolved_by_bot",
    "unresolved",
    "resolved_by_agent",
    "follow_up",
]


class DispositionOption(_Out):
    code: str
    label: str
    score: float = Field(description="how well the conversation's intents and outcome fit it")


class WrapUpDraft(BaseModel):
    """What an agent saves when closing: the proposal as edited (every section may be
    changed; cited turn ids must be the conversation's; the code must be configured)."""

    model_config = ConfigDict(extra="forbid")
    wanted: list[WrapUpLine] = Field(default_factory=list, max_length=20)
    done: list[WrapUpLine] = Field(default_factory=list, max_length=20)
    promised: list[WrapUpLine] = Field(default_factory=list, max_length=20)
    next_step: list[WrapUpLine] = Field(default_factory=list, max_length=20)
    disposition: str = Field(min_length=1, max_length=64, description="a configured code")


class WrapUp(_Out):
    """The structured summary of a conversation, proposed at close (extractive and
    template-based) and saved as the agent left it: on the conversation, on the customer's
    timeline (event `chat_wrapup`) and in the `conversation.closed` webhook."""

    conversation_id: str
    wanted: list[WrapUpLine] = Field(description="what the customer wanted")
    done: list[WrapUpLine] = Field(description="what was done")
    promised: list[WrapUpLine] = Field(description="what was promised")
    next_step: list[WrapUpLine]
    disposition: str = Field(description="disposition code (data/wrapup/dispositions.yml)")
    disposition_label: str
    outcome: Outcome
    intents: list[str] = Field(description="the customer's intents, in order of first mention")
    options: list[DispositionOption] = Field(
        default_factory=list, description="the configured codes, best fit first"
    )
    edited: bool = Field(description="an agent changed the proposal before saving")
    author: str = Field(description="who saved it (agent:<id>, customer, system...)")
    ts: datetime
