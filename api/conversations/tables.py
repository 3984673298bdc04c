"""SQLAlchemy tables of the API's own records (conversations, their audited transitions,
agents, tokens, API keys). They share `retrieval.models.Base` so one Alembic history
(`retrieval/migrations`, revision 0002) creates them; customer turns live in the
existing `conversation_turns` table. Timestamps are naive UTC, as in retrieval."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from retrieval.models import Base


class ConversationRow(Base):
    __tablename__ = "conversations"
    __table_args__ = (Index("ix_conversations_state", "state", "updated_at"),)

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


class TransitionRow(Base):
    __tablename__ = "conversation_transitions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    from_state: Mapped[str] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(96))  # agent:<id>, customer, bot, policy, system
    reason: Mapped[str] = mapped_column(Text, default="")
    ts: Mapped[datetime] = mapped_column(DateTime)


class AgentRow(Base):
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


class AgentTokenRow(Base):
    __tablename__ = "agent_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    agent_id: Mapped[str] = mapped_column(ForeignKey("agents.id"), index=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class ApiKeyRow(Base):
    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list[str]] = mapped_column(JSON)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class OutboxEventRow(Base):
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


class WebhookSubscriptionRow(Base):
    """A receiver an admin subscribed through the API; its signing secret is derived from
    the service's secret and the id (shown once at creation, never stored)."""

    __tablename__ = "webhook_subscriptions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    url: Mapped[str] = mapped_column(String(500))
    events: Mapped[list[str]] = mapped_column(JSON)  # event types, or ["*"]
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_by: Mapped[str] = mapped_column(String(96))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class WebhookDeliveryRow(Base):
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


class FeedbackRow(Base):
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
    ts: Mapped[datetime] = mapped_column(DateTime)
