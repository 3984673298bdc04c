"""What the hub publishes, typed, each event with its audience.

The audience decides the topic, so the split is structural: a customer's socket subscribes
to `customer:<conversation id>` only, and only `CustomerEvent`s are ever published there.
A customer event is built from customer-safe fields alone (the turn's text, role, time and
the bot's buttons; the state and queue position), never from the agent's view of a turn
(intent, sentiment, entities, the internal hand-off reason). Agent events (the assist
payload, the full turn, internal reasons) go to `conversation:<id>` and `queue`, which only
agent sockets subscribe to. Integration events (webhooks) never travel through the hub:
they are written to the outbox in the transaction of the change they report
(`ConversationStore.transition`, `api/webhooks.py`)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from api.contract import AssistPayload
from api.conversations.store import Conversation, Turn

QUEUE = "queue"
AUTH = "auth"  # revocations: open sockets of a revoked credential close (never forwarded)


class Audience(StrEnum):
    CUSTOMER = "customer"
    AGENT = "agent"
    INTEGRATION = "integration"


def conversation_topic(conversation_id: str) -> str:
    """The agents' topic of one conversation."""
    return f"conversation:{conversation_id}"


def customer_topic(conversation_id: str) -> str:
    """The customer's topic of one conversation: customer events only."""
    return f"customer:{conversation_id}"


def _event_id() -> str:
    return "evt_" + uuid.uuid4().hex


def _now() -> datetime:
    return datetime.now(UTC)


class HubEvent(BaseModel):
    model_config = ConfigDict(frozen=True)
    audience: ClassVar[Audience]

    id: str = Field(default_factory=_event_id, description="stable: receivers de-duplicate on it")
    ts: datetime = Field(default_factory=_now)
    conversation_id: str | None = None

    def topics(self) -> list[str]:
        raise NotImplementedError


# --------------------------------------------------------------------- customer audience


class CustomerButton(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    payload: str


class CustomerTurn(BaseModel):
    """A turn as the customer may see it: no intent, entities, sentiment or reasons."""

    model_config = ConfigDict(extra="forbid")  # an agent's view of a turn does not pass
    id: str
    role: Literal["customer", "bot", "agent", "system"]
    text: str
    ts: datetime
    buttons: list[CustomerButton] = Field(default_factory=list)

    @classmethod
    def of(cls, t: Turn) -> CustomerTurn:
        raw = t.attributes.get("buttons") or []
        buttons = [
            CustomerButton(title=str(b.get("title", "")), payload=str(b.get("payload", "")))
            for b in raw
            if isinstance(b, dict)
        ]
        role = t.role if t.role in ("customer", "bot", "agent", "system") else "system"
        return cls(id=t.id, role=role, text=t.text, ts=t.ts, buttons=buttons)  # type: ignore[arg-type]


class CustomerEvent(HubEvent):
    model_config = ConfigDict(frozen=True, extra="forbid")
    audience: ClassVar[Audience] = Audience.CUSTOMER
    conversation_id: str

    def topics(self) -> list[str]:
        return [customer_topic(self.conversation_id)]


class CustomerMessage(CustomerEvent):
    type: Literal["message"] = "message"
    turn: CustomerTurn


class CustomerState(CustomerEvent):
    """Ownership as the customer sees it (who answers now), without reasons or actors."""

    type: Literal["state"] = "state"
    state: Literal["bot", "queued", "human", "closed"]
    version: int


# --------------------------------------------------------------------- agent audience


class AgentTurn(BaseModel):
    """A turn as agents see it: with its intent and attributes (entities are redacted
    before they are stored, so this carries no card number in clear)."""

    id: str
    role: str
    text: str
    ts: datetime
    intent: str | None
    attributes: dict[str, Any]

    @classmethod
    def of(cls, t: Turn) -> AgentTurn:
        return cls(
            id=t.id, role=t.role, text=t.text, ts=t.ts, intent=t.intent, attributes=t.attributes
        )


class AgentEvent(HubEvent):
    audience: ClassVar[Audience] = Audience.AGENT

    def topics(self) -> list[str]:
        assert self.conversation_id is not None
        return [conversation_topic(self.conversation_id)]


class AgentMessage(AgentEvent):
    type: Literal["message"] = "message"
    turn: AgentTurn


class AssistEvent(AgentEvent):
    type: Literal["assist"] = "assist"
    payload: AssistPayload


class StateChange(AgentEvent):
    """To the conversation's panel and to every agent's queue view."""

    type: Literal["state"] = "state"
    state: str
    action: str
    actor: str
    agent_id: str | None
    version: int

    def topics(self) -> list[str]:
        return [*super().topics(), QUEUE]


class Queued(AgentEvent):
    type: Literal["queued"] = "queued"
    reason: str

    def topics(self) -> list[str]:
        return [QUEUE]


class CustomerWrote(AgentEvent):
    """A customer wrote in a conversation waiting for or owned by a person."""

    type: Literal["customer_message"] = "customer_message"

    def topics(self) -> list[str]:
        return [QUEUE]


# --------------------------------------------------------------------- control (never sent)


class Revoked(HubEvent):
    """A credential stopped being valid (log-out, revoked key, deactivated agent, closed
    conversation's token expired): the sockets opened with it close. `actor` as in
    `Principal.actor`; handled by the socket loop, never forwarded to a client."""

    audience: ClassVar[Audience] = Audience.AGENT
    type: Literal["revoked"] = "revoked"
    actor: str
    token_hash: str | None = None  # one session (a log-out); None: every one of `actor`

    def applies_to(self, actor: str, token_hash: str) -> bool:
        return self.actor == actor and self.token_hash in (None, token_hash)

    def topics(self) -> list[str]:
        return [AUTH]


# --------------------------------------------------------------------- the wire unions

# What a customer's socket (WS /v1/ws/conversations/{id}) and an agent's socket
# (WS /v1/ws/agent) may carry: one discriminated union per audience. The socket loop checks
# every event against its audience's union before sending it (a customer event forbids
# extra fields, so an agent's view of a turn cannot pass as one), and the OpenAPI document
# publishes both under components.schemas for integrators and the typed client.
CustomerWsEvent = Annotated[CustomerMessage | CustomerState, Field(discriminator="type")]
AgentWsEvent = Annotated[
    AgentMessage | AssistEvent | StateChange | Queued | CustomerWrote,
    Field(discriminator="type"),
]
CUSTOMER_WIRE: TypeAdapter[CustomerMessage | CustomerState] = TypeAdapter(CustomerWsEvent)
AGENT_WIRE: TypeAdapter[AgentMessage | AssistEvent | StateChange | Queued | CustomerWrote] = (
    TypeAdapter(AgentWsEvent)
)
WIRES: dict[str, TypeAdapter[Any]] = {"CustomerWsEvent": CUSTOMER_WIRE, "AgentWsEvent": AGENT_WIRE}


def add_ws_schemas(openapi: dict[str, Any]) -> dict[str, Any]:
    """Put both socket unions (and the models they use) into an OpenAPI document."""
    schemas = openapi.setdefault("components", {}).setdefault("schemas", {})
    for name, wire in WIRES.items():
        schema = wire.json_schema(ref_template="#/components/schemas/{model}", mode="serialization")
        for def_name, definition in schema.pop("$defs", {}).items():
            schemas.setdefault(def_name, definition)
        schema["description"] = f"every event {name[:-7].lower()} sockets receive"
        schemas[name] = schema
    return openapi


def state_events(conv: Conversation, action: str, actor: str) -> list[HubEvent]:
    """What one ownership change tells the conversation's customer and the agents."""
    return [
        CustomerState(conversation_id=conv.id, state=conv.state.value, version=conv.version),
        StateChange(
            conversation_id=conv.id,
            state=conv.state.value,
            action=action,
            actor=actor,
            agent_id=conv.agent_id,
            version=conv.version,
        ),
    ]


def turn_events(turn: Turn) -> list[HubEvent]:
    """A new turn: the customer's view to the customer, the full turn to the agents."""
    return [
        CustomerMessage(conversation_id=turn.conversation_id, turn=CustomerTurn.of(turn)),
        AgentMessage(conversation_id=turn.conversation_id, turn=AgentTurn.of(turn)),
    ]
