"""`ConversationStore`: conversations, their turns and their audited transitions on
SQLAlchemy (SQLite WAL or PostgreSQL). Every write commits before it returns, so a
customer message is durable before anything else looks at it.

Transitions are race-safe without locks held across calls: one conditional
`UPDATE ... WHERE state IN (sources)` decides the winner (its rowcount), and the audit
row is written in the same transaction. A loser re-reads the row: if the conversation is
already where the action leads (same agent for a claim) the call is an idempotent repeat
and returns it unchanged with no new audit row; otherwise it is `IllegalTransition`."""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from api.conversations.errors import ConversationNotFound, IllegalTransition
from api.conversations.state import RULES, Action, State
from api.conversations.tables import ConversationRow, TransitionRow
from retrieval.models import ConversationTurnRow


def utcnow() -> datetime:
    """Naive UTC, the storage convention of every table here."""
    return datetime.now(UTC).replace(tzinfo=None)


def aware(ts: datetime | None) -> datetime | None:
    return ts.replace(tzinfo=UTC) if ts is not None and ts.tzinfo is None else ts


def json_safe(value: Any) -> Any:
    """`value` with datetimes as ISO strings (and other odd types as str), for JSON columns."""
    return json.loads(
        json.dumps(value, default=lambda o: o.isoformat() if isinstance(o, datetime) else str(o))
    )


def hash_token(token: str) -> str:
    """Tokens are 256-bit random strings: a plain SHA-256 is enough to store them."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Conversation:
    id: str
    customer_id: str | None
    channel: str
    state: State
    version: int
    agent_id: str | None
    handoff_reason: str | None
    queued_at: datetime | None
    low_confidence_streak: int
    created_at: datetime
    updated_at: datetime
    packet: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Turn:
    id: str
    conversation_id: str
    role: str  # customer / bot / agent / system
    text: str
    ts: datetime
    intent: str | None
    attributes: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Transition:
    from_state: State
    to_state: State
    action: str
    actor: str
    reason: str
    ts: datetime


@dataclass(frozen=True, slots=True)
class TransitionResult:
    conversation: Conversation
    changed: bool  # False: an idempotent repeat, nothing written


def _conv(r: ConversationRow) -> Conversation:
    return Conversation(
        r.id,
        r.customer_id,
        r.channel,
        State(r.state),
        r.version,
        r.agent_id,
        r.handoff_reason,
        aware(r.queued_at),
        r.low_confidence_streak,
        aware(r.created_at) or r.created_at,
        aware(r.updated_at) or r.updated_at,
        dict(r.packet or {}),
    )


def _turn(r: ConversationTurnRow) -> Turn:
    return Turn(
        r.id,
        r.conversation_id,
        r.role,
        r.text,
        aware(r.ts) or r.ts,
        r.intent,
        dict(r.attributes or {}),
    )


class ConversationStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # ------------------------------------------------------------------ conversations

    def create(self, customer_id: str | None, channel: str = "chat") -> tuple[Conversation, str]:
        """A new bot-owned conversation and the customer's token (shown once)."""
        token = "ct_" + secrets.token_urlsafe(32)
        now = utcnow()
        row = ConversationRow(
            id="conv_" + uuid.uuid4().hex[:20],
            customer_id=customer_id,
            channel=channel,
            state=State.BOT.value,
            version=0,
            low_confidence_streak=0,
            token_hash=hash_token(token),
            created_at=now,
            updated_at=now,
            packet={},
        )
        with Session(self.engine) as s, s.begin():
            s.add(row)
            s.flush()
            conv = _conv(row)
        return conv, token

    def get(self, conversation_id: str) -> Conversation:
        with Session(self.engine) as s:
            row = s.get(ConversationRow, conversation_id)
            if row is None:
                raise ConversationNotFound(conversation_id)
            return _conv(row)

    def by_token(self, token: str) -> Conversation | None:
        with Session(self.engine) as s:
            row = s.scalars(
                select(ConversationRow).where(ConversationRow.token_hash == hash_token(token))
            ).first()
            return _conv(row) if row is not None else None

    def list_by_state(self, state: State | None = None, limit: int = 100) -> list[Conversation]:
        q = select(ConversationRow)
        if state is not None:
            q = q.where(ConversationRow.state == state.value)
        if state is State.QUEUED:
            q = q.order_by(ConversationRow.queued_at, ConversationRow.id)  # longest wait first
        else:
            q = q.order_by(ConversationRow.updated_at.desc(), ConversationRow.id)
        with Session(self.engine) as s:
            return [_conv(r) for r in s.scalars(q.limit(limit))]

    def set_streak(self, conversation_id: str, streak: int) -> None:
        with Session(self.engine) as s, s.begin():
            s.execute(
                update(ConversationRow)
                .where(ConversationRow.id == conversation_id)
                .values(low_confidence_streak=streak)
            )

    def set_packet(self, conversation_id: str, packet: Mapping[str, Any]) -> None:
        with Session(self.engine) as s, s.begin():
            s.execute(
                update(ConversationRow)
                .where(ConversationRow.id == conversation_id)
                .values(packet=json_safe(dict(packet)))
            )

    # ------------------------------------------------------------------ turns

    def add_turn(
        self,
        conversation: Conversation,
        role: str,
        text: str,
        intent: str | None = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> Turn:
        row = ConversationTurnRow(
            id="turn_" + uuid.uuid4().hex[:20],
            conversation_id=conversation.id,
            customer_id=conversation.customer_id,
            role=role,
            text=text,
            ts=utcnow(),
            intent=intent,
            attributes=dict(attributes or {}),
        )
        with Session(self.engine) as s, s.begin():
            s.add(row)
            s.flush()
            return _turn(row)

    def annotate_turn(
        self, turn_id: str, intent: str | None, attributes: Mapping[str, Any]
    ) -> None:
        with Session(self.engine) as s, s.begin():
            s.execute(
                update(ConversationTurnRow)
                .where(ConversationTurnRow.id == turn_id)
                .values(intent=intent, attributes=dict(attributes))
            )

    def turns(self, conversation_id: str, limit: int | None = None) -> list[Turn]:
        """Oldest first; with `limit`, the last `limit` turns."""
        q = (
            select(ConversationTurnRow)
            .where(ConversationTurnRow.conversation_id == conversation_id)
            .order_by(ConversationTurnRow.ts.desc(), ConversationTurnRow.id.desc())
        )
        if limit is not None:
            q = q.limit(limit)
        with Session(self.engine) as s:
            return [_turn(r) for r in reversed(list(s.scalars(q)))]

    # ------------------------------------------------------------------ transitions

    def transition(
        self,
        conversation_id: str,
        action: Action,
        actor: str,
        reason: str = "",
        agent_id: str | None = None,
    ) -> TransitionResult:
        rule = RULES[action]
        now = utcnow()
        values: dict[str, Any] = {
            "state": rule.target.value,
            "version": ConversationRow.version + 1,
            "updated_at": now,
        }
        if action is Action.REQUEST_HANDOFF:
            values |= {"handoff_reason": reason or "hand-off requested", "queued_at": now}
        elif action is Action.CLAIM:
            values |= {"agent_id": agent_id}
        elif action is Action.HAND_BACK:
            values |= {"agent_id": None, "queued_at": None, "low_confidence_streak": 0}
        with Session(self.engine) as s, s.begin():
            # The conditional UPDATE comes first: it takes SQLite's write lock at once, so
            # two racing claims serialise here and the second sees rowcount 0.
            res = s.execute(
                update(ConversationRow)
                .where(
                    ConversationRow.id == conversation_id,
                    ConversationRow.state.in_([st.value for st in rule.sources]),
                )
                .values(**values)
                .returning(ConversationRow.id)
            )
            won = res.first() is not None
            row = s.get(ConversationRow, conversation_id, populate_existing=True)
            if row is None:
                raise ConversationNotFound(conversation_id)
            if won:
                previous = self._previous_state(s, conversation_id, rule.target)
                s.add(
                    TransitionRow(
                        conversation_id=conversation_id,
                        from_state=previous,
                        to_state=rule.target.value,
                        action=action.value,
                        actor=actor,
                        reason=reason,
                        ts=now,
                    )
                )
                return TransitionResult(_conv(row), True)
            current = State(row.state)
            if current is rule.target and (action is not Action.CLAIM or row.agent_id == agent_id):
                return TransitionResult(_conv(row), False)
            detail = ""
            if action is Action.CLAIM and current is State.HUMAN:
                detail = f"agent {row.agent_id!r} already claimed it"
            raise IllegalTransition(conversation_id, action.value, current.value, detail)

    @staticmethod
    def _previous_state(s: Session, conversation_id: str, target: State) -> str:
        """The state before this transition: the last audited target, or `bot`."""
        last = s.scalars(
            select(TransitionRow.to_state)
            .where(TransitionRow.conversation_id == conversation_id)
            .order_by(TransitionRow.id.desc())
            .limit(1)
        ).first()
        return last or State.BOT.value

    def transitions(self, conversation_id: str) -> list[Transition]:
        with Session(self.engine) as s:
            rows = s.scalars(
                select(TransitionRow)
                .where(TransitionRow.conversation_id == conversation_id)
                .order_by(TransitionRow.id)
            )
            return [
                Transition(
                    State(r.from_state),
                    State(r.to_state),
                    r.action,
                    r.actor,
                    r.reason,
                    aware(r.ts) or r.ts,
                )
                for r in rows
            ]
