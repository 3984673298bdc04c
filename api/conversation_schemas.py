"""Wire formats of conversations, hand-off and auth, split by direction
(`...Create` / `...Request` in, `...Public` out)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr, model_validator

from api.contract import HandoffPacket, SentimentOut, TurnAnalysisOut, WrapUpDraft
from api.conversations.abandon import Departure
from api.conversations.priority import Reason, ReasonName
from api.conversations.roster import AgentRouting, Presence
from api.conversations.store import Conversation, Transition, Turn
from api.conversations.wording import language_of
from api.hub_events import CustomerTurn
from intent.language import Language as LanguageName

StateName = Literal["bot", "queued", "human", "closed"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ConversationCreate(_In):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"customer_id": "C-0001", "channel": "web"}]},
    )
    customer_id: StrictStr | None = Field(
        None, max_length=64, description="known customer (needs an API key with scope assist)"
    )
    channel: Literal["web", "app", "chat"] = "web"
    language: LanguageName | None = Field(
        None,
        description="the site's or browser's language, when known; each customer turn's own "
        "language then takes over",
    )


class MessageCreate(_In):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"text": "where is my order ORD-100234?"}]}
    )
    text: StrictStr = Field(description="the customer's message (limit: settings.max_text_chars)")
    client_message_id: StrictStr | None = Field(
        None,
        min_length=1,
        max_length=128,
        pattern=r"^[A-Za-z0-9._:-]+$",
        description="the client's id of this message (or the Idempotency-Key header): a "
        "retry with the same id is stored once and answered with the first answer",
    )


class AgentMessageCreate(_In):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"text": "Hi Emma, I'm on it.", "suggestion_id": None}]},
    )
    text: StrictStr
    suggestion_id: StrictStr | None = Field(None, description="the suggestion it came from")


class ReasonRequest(_In):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"reason": "customer asked for a refund"}]}
    )
    reason: StrictStr = Field("", max_length=500)


class CloseRequest(_In):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"reason": "solved"},
                {
                    "reason": "solved",
                    "wrapup": {
                        "wanted": [{"text": "Asked where order ORD-1 is", "turn_ids": ["t_1"]}],
                        "done": [{"text": "Gave the tracking link", "turn_ids": ["t_2"]}],
                        "promised": [],
                        "next_step": [{"text": "None: resolved", "turn_ids": []}],
                        "disposition": "ORD-STATUS",
                    },
                },
            ]
        },
    )
    reason: StrictStr = Field("", max_length=500)
    wrapup: WrapUpDraft | None = Field(
        None,
        description="the wrap-up as the agent edited it (GET .../wrapup proposes one); "
        "without it the proposal is saved. Agents and desk integrations only.",
    )


class LeaveRequest(_In):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"departure": "ended"}, {"departure": "page_left"}]},
    )
    departure: Departure = Field(
        "ended",
        description="ended: the customer ended the chat, closed now; page_left: their page "
        "closed or navigated away, closed unless they come back within "
        "settings.queue_leave_grace_s (a reload or the site's next page resumes the chat)",
    )


class LoginRequest(_In):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"agent_id": "alice", "password": "demo-password"}]},
    )
    agent_id: StrictStr = Field(max_length=64)
    password: StrictStr = Field(max_length=256)


class ApiKeyCreate(_In):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"name": "crm", "scopes": ["assist"]}]}
    )
    name: StrictStr = Field(min_length=1, max_length=200)
    scopes: list[Literal["assist", "ingest", "desk", "marketing", "admin"]] = Field(min_length=1)


class AgentCreate(_In):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"agent_id": "bob", "password": "a long passphrase", "role": "agent"}]
        },
    )
    agent_id: StrictStr = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$")
    password: StrictStr = Field(min_length=8, max_length=256)
    display_name: StrictStr = Field("", max_length=200)
    role: Literal["agent", "supervisor", "admin"] = "agent"


class PasswordReset(_In):
    password: StrictStr = Field(min_length=8, max_length=256)


class AgentPublic(BaseModel):
    id: str
    display_name: str
    role: Literal["agent", "supervisor", "admin"]
    active: bool
    locked_until: datetime | None = Field(description="set while log-in is locked")
    failed_logins: int = Field(description="consecutive failed log-ins")


class ApiKeyInfoPublic(BaseModel):
    id: str
    name: str
    scopes: list[str]
    revoked: bool
    created_at: datetime


class TokenPublic(BaseModel):
    access_token: str
    token_type: str = "bearer"
    agent_id: str
    role: Literal["agent", "supervisor", "admin"]
    expires_in: int = Field(description="seconds")


class ApiKeyPublic(BaseModel):
    id: str
    key: str = Field(description="shown once; only its hash is stored")
    name: str
    scopes: list[str]


class TurnPublic(BaseModel):
    id: str
    role: str = Field(description="customer / bot / agent / system")
    text: str
    ts: datetime
    intent: str | None = None
    attributes: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def of(cls, t: Turn) -> TurnPublic:
        return cls(
            id=t.id, role=t.role, text=t.text, ts=t.ts, intent=t.intent, attributes=t.attributes
        )


class ConversationPublic(BaseModel):
    id: str
    customer_id: str | None
    channel: str
    state: StateName
    version: int = Field(description="+1 per transition")
    agent_id: str | None
    handoff_reason: str | None
    queued_at: datetime | None
    created_at: datetime
    updated_at: datetime
    language: LanguageName = Field(
        "en", description="the conversation's current language: its latest customer turn's"
    )

    @classmethod
    def of(cls, c: Conversation) -> ConversationPublic:
        return cls(
            id=c.id,
            customer_id=c.customer_id,
            channel=c.channel,
            state=c.state.value,
            version=c.version,
            agent_id=c.agent_id,
            handoff_reason=c.handoff_reason,
            queued_at=c.queued_at,
            created_at=c.created_at,
            updated_at=c.updated_at,
            language=language_of(c),
        )


class CustomerConversationPublic(BaseModel):
    """A conversation as its customer sees it: who answers now, not why or who moved it."""

    id: str
    channel: str
    state: StateName
    version: int = Field(description="+1 per ownership change")
    agent_name: str | None = Field(None, description="the person answering, once one does")
    created_at: datetime
    updated_at: datetime
    language: LanguageName = Field("en", description="the language the service answers in")

    @classmethod
    def of(cls, c: Conversation, agent_name: str | None = None) -> CustomerConversationPublic:
        return cls(
            id=c.id,
            channel=c.channel,
            state=c.state.value,
            version=c.version,
            agent_name=agent_name if c.state.value == "human" else None,
            created_at=c.created_at,
            updated_at=c.updated_at,
            language=language_of(c),
        )


class ConversationCreatedPublic(BaseModel):
    conversation: ConversationPublic
    token: str = Field(description="the customer's token: opens this conversation only")


class QueueStatusPublic(BaseModel):
    position: int = Field(description="1: next to be taken by a person")
    waiting: int = Field(description="conversations waiting for a person in all")
    wait_s: float = Field(description="seconds since this conversation was queued")
    expected_wait_s: float | None = Field(
        None,
        description="an estimate of the seconds still to wait: the median hand-off -> claim "
        "wait of recent claims x position / agents who claimed recently; null without "
        "recent claims",
    )


class TranscriptPublic(BaseModel):
    conversation: ConversationPublic
    turns: list[TurnPublic]
    queue: QueueStatusPublic | None = Field(
        None, description="while waiting for a person: the place in the queue"
    )


class CustomerTranscriptPublic(BaseModel):
    """What a conversation token reads: the customer's view of every turn (no intents,
    entities, sentiment or internal reasons) and the place in the queue."""

    conversation: CustomerConversationPublic
    turns: list[CustomerTurn]
    queue: QueueStatusPublic | None = None


class CustomerTurnOutcomePublic(BaseModel):
    """The answer to a customer's message, for the customer: no analysis, no reasons."""

    turn: CustomerTurn = Field(description="the stored message")
    state: StateName
    replies: list[CustomerTurn]
    replayed: bool = Field(False, description="a retry of a message already stored")


class TurnOutcomePublic(BaseModel):
    turn: TurnPublic = Field(description="the stored customer message")
    state: StateName = Field(description="ownership after this turn")
    analysis: TurnAnalysisOut | None = Field(
        description="intent (+ranking), entities, sentiment; null if the classifier failed"
    )
    replies: list[TurnPublic] = Field(description="bot or system messages for the customer")
    handoff_reason: str | None = Field(None, description="set when this turn handed off")
    replayed: bool = Field(False, description="a retry of a message already stored")


class TransitionPublic(BaseModel):
    from_state: StateName
    to_state: StateName
    action: str
    actor: str
    reason: str
    ts: datetime

    @classmethod
    def of(cls, t: Transition) -> TransitionPublic:
        return cls(
            from_state=t.from_state.value,
            to_state=t.to_state.value,
            action=t.action,
            actor=t.actor,
            reason=t.reason,
            ts=t.ts,
        )


class PriorityReasonPublic(BaseModel):
    """One contribution to a waiting conversation's priority."""

    name: ReasonName
    points: float = Field(description="what it adds to the priority")
    detail: str = Field(description='for a person, e.g. "frustrated (0.82)", "gold tier"')

    @classmethod
    def of(cls, r: Reason) -> PriorityReasonPublic:
        return cls(name=r.name, points=r.points, detail=r.detail)


class QueueItemPublic(BaseModel):
    conversation: ConversationPublic
    priority: float = Field(
        0.0, description="the sum of priority_reasons' points: the queue's order, highest first"
    )
    priority_reasons: list[PriorityReasonPublic] = Field(
        default_factory=list,
        description="frustration, tier, value, open_tickets, wait (data/queue.yml's weights)",
    )
    reason: str | None
    wait_s: float = Field(description="seconds since it was queued")
    queue: str = Field("general", description="the queue (skill) it waits in")
    for_you: bool = Field(
        True, description="in a queue the asking agent serves (their skills, or general)"
    )
    customer_name: str | None = Field(None, description="from the hand-off packet")
    stage: str | None = Field(None, description="journey stage at hand-off")
    sentiment: SentimentOut | None = Field(
        default=None, description="the last customer turn's sentiment: label, compound, frustration"
    )


class HandoffPacketPublic(BaseModel):
    conversation: ConversationPublic
    packet: HandoffPacket | None = Field(
        description="reason, bot_summary, transcript, customer_context, journey_stage, "
        "suggested_first_reply; null before the conversation was ever handed off"
    )


# ---------------------------------------------------------------------- routing

AGENT_REF = r"^[A-Za-z0-9_.@-]{1,64}$"
QUEUE_REF = r"^[a-z][a-z0-9_-]{0,31}$"


class TransferRequest(_In):
    """To another agent (`to_agent`) or back to a queue (`to_queue`): exactly one."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"to_queue": "billing", "note": "refund over the limit I can approve"},
                {"to_agent": "bob", "note": "he handled her last order"},
            ]
        },
    )
    to_agent: StrictStr | None = Field(None, pattern=AGENT_REF)
    to_queue: StrictStr | None = Field(None, pattern=QUEUE_REF)
    note: StrictStr = Field(
        "", max_length=1000, description="for agents only (PII-redacted); never the customer's"
    )

    @model_validator(mode="after")
    def _one_target(self) -> TransferRequest:
        if (self.to_agent is None) == (self.to_queue is None):
            raise ValueError("give exactly one of to_agent and to_queue")
        return self


class ReassignRequest(_In):
    to_agent: StrictStr = Field(pattern=AGENT_REF)
    note: StrictStr = Field("", max_length=1000, description="for agents only (PII-redacted)")


class PresenceUpdate(_In):
    presence: Presence


class RoutingUpdate(_In):
    """An admin sets an agent's skills (queue names; [] = every queue) and/or their
    limit of concurrent chats (null: the setting AGENT_ASSIST_AGENT_MAX_CHATS)."""

    skills: list[StrictStr] | None = Field(None, max_length=32)
    max_chats: int | None = Field(None, ge=0, le=100)
    default_limit: bool = Field(False, description="true: drop the agent's own limit")


class AgentRoutingPublic(BaseModel):
    id: str
    display_name: str
    role: Literal["agent", "supervisor", "admin"]
    presence: Presence
    signed_in: bool = Field(description="holds an unexpired session token")
    last_seen_at: datetime | None = Field(
        default=None, description="the agent's last authenticated request (UTC)"
    )
    available: bool = Field(
        default=False,
        description="online, signed in and seen within the presence timeout: counted in "
        "the expected wait, given chats by auto-assignment",
    )
    skills: list[str] = Field(description="the queues served; empty: every queue")
    open_chats: int = Field(description="conversations the agent owns now")
    limit: int = Field(description="concurrent chats allowed (own limit, else the setting)")
    queues: list[str] = Field(
        default_factory=list, description="every queue there is (GET /v1/agents/me/presence)"
    )

    @classmethod
    def of(
        cls, a: AgentRouting, limit: int, now: datetime, presence_timeout_s: float
    ) -> AgentRoutingPublic:
        """`now`: naive UTC, the storage convention."""
        return cls(
            id=a.id,
            display_name=a.display_name,
            role=a.role if a.role in ("agent", "supervisor", "admin") else "agent",  # type: ignore[arg-type]
            presence=a.presence,
            signed_in=a.signed_in,
            last_seen_at=a.last_seen_at.replace(tzinfo=UTC) if a.last_seen_at else None,
            available=a.available(now, presence_timeout_s),
            skills=list(a.skills),
            open_chats=a.open_chats,
            limit=limit,
        )


class WaitingPublic(BaseModel):
    conversation_id: str
    priority: float
    wait_s: float
    customer_name: str | None = None
    reason: str | None = None


class QueueViewPublic(BaseModel):
    name: str
    waiting: list[WaitingPublic] = Field(description="the next to serve first")
    agents_online: int = Field(description="signed in, online and serving this queue")


class SupervisorQueuesPublic(BaseModel):
    queues: list[QueueViewPublic]
    agents: list[AgentRoutingPublic]
