"""SQLAlchemy tables of the API's own records: conversations and their turns, audited
transitions, agents, tokens, API keys, the webhook outbox and deliveries, feedback, the
Chatwoot links and the suppression watcher's state. Their schema is created by the
API's Alembic migrations (`api/storage/migrations`, version table `api_alembic_version`;
keep both in step). They live in the history's database, whose own tables
(`retrieval/models.py`, `retrieval/migrations`) the API only refers to: a turn's
customer. Timestamps are naive UTC, as in retrieval."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from retrieval.models import CustomerRow


class ServiceBase(DeclarativeBase):
    """The API's tables (their own MetaData: the history's tables are not the API's to
    create, migrate or compare)."""


class ConversationRow(ServiceBase):
    __tablename__ = "conversations"
    __table_args__ = (
        Index("ix_conversations_state", "state", "updated_at"),
        Index("ix_conversations_agent_state", "agent_id", "state"),  # an agent's open chats
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    customer_id: Mapped[str | None] = mapped_column(String(64), index=True)  # soft reference
    channel: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16))  # bot / queued / human / closed
    version: Mapped[int] = mapped_column(Integer, default=0)  # +1 per transition
    agent_id: Mapped[str | None] = mapped_column(String(64))  # owner while human
    handoff_reason: Mapped[str | None] = mapped_column(Text)
    queued_at: Mapped[datetime | None] = mapped_column(DateTime)
    low_confidence_streak: Mapped[int] = mapped_column(Integer, default=0)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # the customer's token
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    packet: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # last hand-off packet
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)  # customer token expiry base
    wrapup: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # saved at close (WrapUp)
    language: Mapped[str | None] = mapped_column(String(8))  # en / zh; None: not known yet
    # the queue's abandonment sweep (api/conversations/abandon.py): the customer's last
    # poll of the transcript while waiting, and when their page said it was leaving
    customer_seen_at: Mapped[datetime | None] = mapped_column(DateTime)
    left_at: Mapped[datetime | None] = mapped_column(DateTime)
    # the queue (skill) it waits in, once set explicitly (a transfer to a queue); None: the
    # one its intents map to (data/queue.yml `skills`, api/conversations/skills.py)
    queue: Mapped[str | None] = mapped_column(String(32))


class TransitionRow(ServiceBase):
    __tablename__ = "conversation_transitions"
    # the queue's expected wait reads recent claims (api/conversations/queue.py)
    __table_args__ = (Index("ix_conversation_transitions_action_ts", "action", "ts"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    from_state: Mapped[str] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(96))  # agent:<id>, customer, bot, policy, system
    reason: Mapped[str] = mapped_column(Text, default="")
    ts: Mapped[datetime] = mapped_column(DateTime)


class AgentRow(ServiceBase):
    __tablename__ = "agents"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # the login name
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    role: Mapped[str] = mapped_column(String(16), default="agent", server_default="agent")
    # consecutive failed log-ins, and the lock they earned (lifted by an admin or by time)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    # routing (api/conversations/roster.py): online / away, the queues (skills) the agent
    # serves (None or []: every queue), the concurrent chats allowed (None: the setting)
    presence: Mapped[str] = mapped_column(String(8), default="online", server_default="online")
    skills: Mapped[list[str] | None] = mapped_column(JSON)
    max_chats: Mapped[int | None] = mapped_column(Integer)
    # the agent's last authenticated request (naive UTC; written at most every
    # PRESENCE_BEAT_S): a panel that stopped asking is not present (api_0013)
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime)


class AgentTokenRow(ServiceBase):
    __tablename__ = "agent_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    agent_id: Mapped[str] = mapped_column(ForeignKey("agents.id"), index=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class ApiKeyRow(ServiceBase):
    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list[str]] = mapped_column(JSON)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class OutboxEventRow(ServiceBase):
    """An integration event (webhooks), written in the same transaction as the state change
    it reports, so a crash between the two cannot lose it; the dispatcher fans it out to
    one delivery row per URL and marks it dispatched."""

    __tablename__ = "outbox_events"
    __table_args__ = (Index("ix_outbox_events_pending", "dispatched", "created_at"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # the stable event id
    type: Mapped[str] = mapped_column(String(48))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    dispatched: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class WebhookSubscriptionRow(ServiceBase):
    """A receiver an admin subscribed through the API; its signing secret is derived from
    the service's secret and the id (shown once at creation, never stored)."""

    __tablename__ = "webhook_subscriptions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    url: Mapped[str] = mapped_column(String(500))
    events: Mapped[list[str]] = mapped_column(JSON)  # event types, or ["*"]
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_by: Mapped[str] = mapped_column(String(96))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class WebhookDeliveryRow(ServiceBase):
    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
        Index("ux_webhook_deliveries_event_url", "event_id", "url", unique=True),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_id: Mapped[str | None] = mapped_column(String(64))
    subscription_id: Mapped[str | None] = mapped_column(String(64))  # None: a configured URL
    url: Mapped[str] = mapped_column(String(500))
    event_type: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))  # pending / delivered / failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime)  # a worker is sending it


class FeedbackRow(ServiceBase):
    __tablename__ = "assist_feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(24))  # suggestion / intent_correction / rating
    action: Mapped[str] = mapped_column(String(16))  # shown / used / edited / dismissed / corrected
    conversation_id: Mapped[str | None] = mapped_column(String(64), index=True)
    turn_id: Mapped[str | None] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(96))
    suggestion_id: Mapped[str | None] = mapped_column(String(128))
    text: Mapped[str] = mapped_column(Text, default="")  # the customer's text it was about
    suggestion_text: Mapped[str | None] = mapped_column(Text)
    edited_text: Mapped[str | None] = mapped_column(Text)
    predicted_intent: Mapped[str | None] = mapped_column(String(64))
    corrected_intent: Mapped[str | None] = mapped_column(String(64))
    rating: Mapped[int | None] = mapped_column(Integer)  # kind "rating": 1-5
    resolved: Mapped[bool | None] = mapped_column(Boolean)  # kind "rating": issue solved?
    # kind "suggestion": where the served list had it and how likely the serving policy
    # put it there (ranker.Randomiser), for off-policy replays of the log
    position: Mapped[int | None] = mapped_column(Integer)
    propensity: Mapped[float | None] = mapped_column(Float)
    ts: Mapped[datetime] = mapped_column(DateTime)


class ConversationTurnRow(ServiceBase):
    """Every message of a live conversation (customer, bot, agent), PII redacted."""

    __tablename__ = "conversation_turns"
    __table_args__ = (
        Index("ix_turns_conversation", "conversation_id", "ts"),
        # a client's retry of the same message (Idempotency-Key) is stored once
        Index("ux_turns_client_message", "conversation_id", "client_message_id", unique=True),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(64))
    client_message_id: Mapped[str | None] = mapped_column(String(128))
    customer_id: Mapped[str | None] = mapped_column(ForeignKey(CustomerRow.id), index=True)
    role: Mapped[str] = mapped_column(String(16))  # customer / bot / agent
    text: Mapped[str] = mapped_column(Text)
    ts: Mapped[datetime] = mapped_column(DateTime)
    intent: Mapped[str | None] = mapped_column(String(64))
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class SuppressionStateRow(ServiceBase):
    """Each customer's marketing suppression as the watcher last saw it (api/
    suppression_watch.py): a row once a customer is first suppressed, kept after the
    release. `version` grows with each change, so a conditional UPDATE lets one API
    worker only announce it (`customer.suppressed` / `customer.released`)."""

    __tablename__ = "suppression_state"
    __table_args__ = (
        Index("ix_suppression_state_until", "suppressed", "until"),
        Index("ix_suppression_state_checked", "suppressed", "checked_at"),
    )

    customer_id: Mapped[str] = mapped_column(String(64), primary_key=True)  # soft reference
    suppressed: Mapped[bool] = mapped_column(Boolean)
    until: Mapped[datetime | None] = mapped_column(DateTime)  # None: no end of its own
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    version: Mapped[int] = mapped_column(Integer, default=1)
    changed_at: Mapped[datetime] = mapped_column(DateTime)  # last change of `suppressed`
    checked_at: Mapped[datetime] = mapped_column(DateTime)  # last evaluation


class WatchCursorRow(ServiceBase):
    """A background watcher's high-water mark over `events.seq` (name: the watcher)."""

    __tablename__ = "watch_cursors"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)  # every event up to it is done
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class ChatwootConversationRow(ServiceBase):
    """A Chatwoot conversation and the product conversation its turns go to."""

    __tablename__ = "chatwoot_conversations"
    __table_args__ = (
        Index("ux_chatwoot_conversations", "account_id", "chatwoot_conversation_id", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[int] = mapped_column(BigInteger)
    chatwoot_conversation_id: Mapped[int] = mapped_column(BigInteger)  # Chatwoot's display id
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(BigInteger)  # Chatwoot's contact
    # the hand-off was announced in Chatwoot (note posted): a person owns it there
    handed_off: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
