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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from api.conversations.errors import ConversationNotFound, Forbidden, IllegalTransition
from api.conversations.state import RULES, Action, State
from api.storage.tables import (
    ConversationRow,
    ConversationTurnRow,
    OutboxEventRow,
    TransitionRow,
)
from retrieval.journey import DialogueTurn
from retrieval.models import CustomerRow, EventRow

Redact = Callable[[str], str]
Guard = Callable[[Session], None]  # runs first in a transition's transaction; raises to refuse
SEEN_EVERY_S = 15.0  # a waiting customer's sign of life is written at most this often


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
    closed_at: datetime | None = None
    wrapup: dict[str, Any] | None = None  # saved at close (api.contract.WrapUp as JSON)
    language: str | None = None  # current language (en / zh); None: not known yet
    customer_seen_at: datetime | None = None  # the customer's last poll while waiting
    left_at: datetime | None = None  # when the customer's page said it was leaving
    queue: str | None = None  # set by a transfer to a queue; None: its intents' (skills.py)


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
class ClosingNote:
    """The wrap-up saved with a close: its JSON (api.contract.WrapUp) and its text for the
    customer's timeline and the history index."""

    wrapup: dict[str, Any]
    text: str
    told: list[str] = field(default_factory=list)  # an agent's words to the customer
    promised: list[str] = field(default_factory=list)  # the promises among them


@dataclass(frozen=True, slots=True)
class TransitionResult:
    conversation: Conversation
    changed: bool  # False: an idempotent repeat, nothing written


ROUTED = " via routing"  # the end of an auto-assignment's actor: `agent:<id> via routing`


@dataclass(frozen=True, slots=True)
class Unanswered:
    """An auto-assigned conversation its agent has not written to since."""

    conversation_id: str
    agent_id: str
    assigned_at: datetime  # aware UTC


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
        aware(r.closed_at),
        dict(r.wrapup) if r.wrapup else None,
        r.language,
        aware(r.customer_seen_at),
        aware(r.left_at),
        r.queue,
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


def _no_redaction(text: str) -> str:
    return text


class ConversationStore:
    """`redact` is applied to every turn's text before it is written (PII never reaches
    the table); `outbox` makes each transition and each new turn also write its
    integration event (`conversation.*`, `message.created`: webhooks) in the same
    transaction."""

    def __init__(self, engine: Engine, redact: Redact | None = None, outbox: bool = False) -> None:
        self.engine = engine
        self.redact = redact or _no_redaction
        self.outbox = outbox
        self.on_outbox: Callable[[], None] | None = None  # called after an event commits
        self._known: set[str] = set()  # customer ids that exist (they are never deleted)

    # ------------------------------------------------------------------ conversations

    def create(
        self, customer_id: str | None, channel: str = "chat", language: str | None = None
    ) -> tuple[Conversation, str]:
        """A new bot-owned conversation and the customer's token (shown once); `language`:
        the widget's locale, when it knows one."""
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
            language=language,
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

    def set_language(self, conversation_id: str, language: str) -> None:
        """The conversation's current language (a customer turn was written in it)."""
        with Session(self.engine) as s, s.begin():
            s.execute(
                update(ConversationRow)
                .where(
                    ConversationRow.id == conversation_id,
                    ConversationRow.language.is_distinct_from(language),
                )
                .values(language=language)
            )

    def set_packet(self, conversation_id: str, packet: Mapping[str, Any]) -> None:
        with Session(self.engine) as s, s.begin():
            s.execute(
                update(ConversationRow)
                .where(ConversationRow.id == conversation_id)
                .values(packet=json_safe(dict(packet)))
            )

    # ------------------------------------------------------------------ the queue

    def mark_seen(self, conversation_id: str, now: datetime | None = None) -> None:
        """The customer showed a sign of life while waiting (their client read the
        transcript with their token): the abandonment sweep counts silence from here, and
        a page's "leaving" is taken back. Written at most every SEEN_EVERY_S, unless a
        "leaving" is to be taken back (the widget polls every 10 s)."""
        now = (now or utcnow()).replace(tzinfo=None)
        c = ConversationRow
        with Session(self.engine) as s, s.begin():
            s.execute(
                update(c)
                .where(
                    c.id == conversation_id,
                    c.state == State.QUEUED.value,
                    or_(
                        c.customer_seen_at.is_(None),
                        c.customer_seen_at < now - timedelta(seconds=SEEN_EVERY_S),
                        c.left_at >= c.customer_seen_at,
                    ),
                )
                .values(customer_seen_at=now)
            )

    def mark_left(self, conversation_id: str, now: datetime | None = None) -> bool:
        """The customer's page said it was leaving; True when the conversation still
        waits (the sweep closes it unless the customer comes back within the grace)."""
        now = (now or utcnow()).replace(tzinfo=None)
        with Session(self.engine) as s, s.begin():
            res = s.execute(
                update(ConversationRow)
                .where(
                    ConversationRow.id == conversation_id,
                    ConversationRow.state == State.QUEUED.value,
                )
                .values(left_at=now)
                .returning(ConversationRow.id)
            )
            return res.first() is not None

    def last_customer_turns(self, conversation_ids: list[str]) -> dict[str, Turn]:
        """Each conversation's latest customer turn (none: not in the answer), in one query."""
        if not conversation_ids:
            return {}
        t = ConversationTurnRow
        latest = (
            select(t.conversation_id, func.max(t.ts).label("ts"))
            .where(t.conversation_id.in_(conversation_ids), t.role == "customer")
            .group_by(t.conversation_id)
            .subquery()
        )
        q = (
            select(t)
            .join(latest, (t.conversation_id == latest.c.conversation_id) & (t.ts == latest.c.ts))
            .where(t.role == "customer")
            .order_by(t.id)
        )
        with Session(self.engine) as s:
            return {r.conversation_id: _turn(r) for r in s.scalars(q)}

    def unanswered_assignments(self, before: datetime) -> list[Unanswered]:
        """The conversations auto-assignment gave an agent (their latest transition is a
        claim `via routing`) at or before `before`, to which that agent has not written
        since, oldest assignment first."""
        before = before.astimezone(UTC).replace(tzinfo=None) if before.tzinfo else before
        inner = aliased(TransitionRow)
        latest = (
            select(func.max(inner.id))
            .where(inner.conversation_id == ConversationRow.id)
            .correlate(ConversationRow)
            .scalar_subquery()
        )
        answered = exists().where(
            ConversationTurnRow.conversation_id == ConversationRow.id,
            ConversationTurnRow.role == "agent",
            ConversationTurnRow.ts >= TransitionRow.ts,
        )
        q = (
            select(ConversationRow.id, ConversationRow.agent_id, TransitionRow.ts)
            .join(TransitionRow, TransitionRow.id == latest)
            .where(
                ConversationRow.state == State.HUMAN.value,
                TransitionRow.action == Action.CLAIM.value,
                TransitionRow.actor.like(f"%{ROUTED}"),
                TransitionRow.ts <= before,
                ~answered,
            )
            .order_by(TransitionRow.ts, ConversationRow.id)
        )
        with Session(self.engine) as s:
            return [
                Unanswered(cid, agent, aware(ts) or ts)
                for cid, agent, ts in s.execute(q)
                if agent is not None
            ]

    def assigned_at(self, s: Session, conversation_id: str) -> datetime | None:
        """When the conversation's latest transition was made, if it is a routing claim
        (aware UTC), read in the caller's transaction `s`."""
        row = s.execute(
            select(TransitionRow.action, TransitionRow.actor, TransitionRow.ts)
            .where(TransitionRow.conversation_id == conversation_id)
            .order_by(TransitionRow.id.desc())
            .limit(1)
        ).first()
        if row is None or row.action != Action.CLAIM.value or not row.actor.endswith(ROUTED):
            return None
        return aware(row.ts)

    def answered_since(self, s: Session, conversation_id: str, since: datetime) -> bool:
        """Whether an agent wrote in `conversation_id` at or after `since`, read in the
        caller's transaction `s` (a guard's)."""
        since = since.astimezone(UTC).replace(tzinfo=None) if since.tzinfo else since
        return bool(
            s.scalar(
                select(
                    exists().where(
                        ConversationTurnRow.conversation_id == conversation_id,
                        ConversationTurnRow.role == "agent",
                        ConversationTurnRow.ts >= since,
                    )
                )
            )
        )

    def claim_waits(self, since: datetime) -> list[tuple[float, str]]:
        """The conversations claimed since `since`: (seconds from their latest hand-off
        request to the claim, who claimed), oldest claim first."""
        since = since.astimezone(UTC).replace(tzinfo=None) if since.tzinfo else since
        with Session(self.engine) as s:
            claims = list(
                s.execute(
                    select(TransitionRow.conversation_id, TransitionRow.ts, TransitionRow.actor)
                    .where(TransitionRow.action == Action.CLAIM.value, TransitionRow.ts >= since)
                    .order_by(TransitionRow.ts, TransitionRow.id)
                )
            )
            if not claims:
                return []
            requests: dict[str, list[datetime]] = {}
            for cid, ts in s.execute(
                select(TransitionRow.conversation_id, TransitionRow.ts)
                .where(
                    TransitionRow.action == Action.REQUEST_HANDOFF.value,
                    TransitionRow.conversation_id.in_({c for c, _, _ in claims}),
                )
                .order_by(TransitionRow.ts)
            ):
                requests.setdefault(cid, []).append(ts)
        out = []
        for cid, ts, actor in claims:
            asked = [r for r in requests.get(cid, []) if r <= ts]
            if asked:
                out.append(((ts - asked[-1]).total_seconds(), actor.split(" via ")[0]))
        return out

    # ------------------------------------------------------------------ turns

    def _row(
        self,
        conversation: Conversation,
        role: str,
        text: str,
        intent: str | None,
        attributes: Mapping[str, Any] | None,
        client_message_id: str | None = None,
    ) -> ConversationTurnRow:
        return ConversationTurnRow(
            id="turn_" + uuid.uuid4().hex[:20],
            conversation_id=conversation.id,
            client_message_id=client_message_id,
            customer_id=conversation.customer_id,
            role=role,
            text=self.redact(text),
            ts=utcnow(),
            intent=intent,
            attributes=json_safe(dict(attributes or {})),
        )

    def add_turn(
        self,
        conversation: Conversation,
        role: str,
        text: str,
        intent: str | None = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> Turn:
        row = self._row(conversation, role, text, intent, attributes)
        with Session(self.engine) as s, s.begin():
            s.add(row)
            s.flush()
            turn = _turn(row)
            self._message_event(s, conversation, turn)
        self._notify()
        return turn

    def _message_event(self, s: Session, conversation: Conversation, turn: Turn) -> None:
        """In the turn's own transaction: `message.created` for integrations, and the turn
        on the customer's journey timeline (channel `chat`), so the next conversation, the
        history index and the journey stage see it."""
        if self.outbox:
            s.add(_message_event(conversation, turn))
        if self._on_timeline(s, conversation):
            s.add(
                _history_event(
                    conversation,
                    f"chat_{turn.role}",
                    turn.text,
                    turn.ts,
                    {"turn_id": turn.id, "role": turn.role},
                    event_id=f"{conversation.id}:{turn.id}",
                )
            )

    def _on_timeline(self, s: Session, conv: Conversation) -> bool:
        """Whether the conversation's customer has a timeline (a known customer; the
        conversation's customer id is a soft reference). Known ids are remembered."""
        cid = conv.customer_id
        if not cid:
            return False
        if cid in self._known:
            return True
        if s.get(CustomerRow, cid) is None:
            return False
        if len(self._known) > 100_000:
            self._known.clear()
        self._known.add(cid)
        return True

    def _notify(self) -> None:
        if self.outbox and self.on_outbox is not None:
            self.on_outbox()

    def add_customer_turn(
        self, conversation: Conversation, text: str, client_message_id: str | None = None
    ) -> tuple[Turn, bool]:
        """Store a customer message once per `client_message_id` (the client's retry of
        the same message returns the stored turn). Returns (turn, created)."""
        row = self._row(conversation, "customer", text, None, None, client_message_id)
        try:
            with Session(self.engine) as s, s.begin():
                s.add(row)
                s.flush()
                turn = _turn(row)
                self._message_event(s, conversation, turn)
            self._notify()
            return turn, True
        except IntegrityError:
            if client_message_id is None:
                raise
        existing = self.turn_by_client_id(conversation.id, client_message_id)
        if existing is None:  # pragma: no cover - the conflicting row cannot vanish
            raise RuntimeError("idempotent message lookup failed")
        return existing, False

    def turn_by_client_id(self, conversation_id: str, client_message_id: str) -> Turn | None:
        with Session(self.engine) as s:
            row = s.scalars(
                select(ConversationTurnRow).where(
                    ConversationTurnRow.conversation_id == conversation_id,
                    ConversationTurnRow.client_message_id == client_message_id,
                )
            ).first()
            return _turn(row) if row is not None else None

    def add_turn_if(
        self,
        conversation: Conversation,
        role: str,
        text: str,
        attributes: Mapping[str, Any] | None = None,
        *,
        state: State,
        version: int | None = None,
        agent_id: str | None = None,
    ) -> Turn | None:
        """Store a turn only while the conversation is in `state` (and at `version`, and
        owned by `agent_id`, when given); None, with nothing written, when it no longer
        is. The bot's words after a person claimed, or an agent's after a transfer, are
        never stored. The conditional UPDATE locks the row (PostgreSQL) / the database
        (SQLite), so a racing transition waits for this transaction."""
        conditions = [ConversationRow.id == conversation.id, ConversationRow.state == state.value]
        if version is not None:
            conditions.append(ConversationRow.version == version)
        if agent_id is not None:
            conditions.append(ConversationRow.agent_id == agent_id)
        row = self._row(conversation, role, text, None, attributes)
        with Session(self.engine) as s, s.begin():
            res = s.execute(
                update(ConversationRow)
                .where(*conditions)
                .values(updated_at=utcnow())
                .returning(ConversationRow.id)
            )
            if res.first() is None:
                return None
            s.add(row)
            s.flush()
            turn = _turn(row)
            self._message_event(s, conversation, turn)
        self._notify()
        return turn

    def annotate_turn(
        self, turn_id: str, intent: str | None, attributes: Mapping[str, Any]
    ) -> None:
        with Session(self.engine) as s, s.begin():
            s.execute(
                update(ConversationTurnRow)
                .where(ConversationTurnRow.id == turn_id)
                .values(intent=intent, attributes=json_safe(dict(attributes)))
            )
            # the timeline's copy of the turn learns its intent too, and its sentiment
            # (compound, frustration: the context's trend and marketing suppression read them)
            sentiment = attributes.get("sentiment")
            signals = {
                ("sentiment" if k == "compound" else k): float(v)
                for k, v in (sentiment.items() if isinstance(sentiment, Mapping) else ())
                if k in ("compound", "frustration") and isinstance(v, int | float)
            }
            for event in s.scalars(
                select(EventRow).where(
                    EventRow.id.like(f"%:{turn_id}"), EventRow.type == "chat_customer"
                )
            ):
                event.intent = intent
                if signals:
                    event.attributes = {**(event.attributes or {}), **signals}

    def replies_to(self, turn: Turn) -> list[Turn]:
        """What was said after a customer turn, up to the customer's next turn (a retried
        message gets the same replies back)."""
        out: list[Turn] = []
        seen = False
        for t in self.turns(turn.conversation_id):
            if not seen:
                seen = t.id == turn.id
            elif t.role == "customer":
                break
            else:
                out.append(t)
        return out

    def dialogue(self, conversation_id: str, limit: int = 50) -> list[DialogueTurn]:
        """The conversation's classified customer turns, oldest first (journey stage)."""
        return [
            DialogueTurn(t.id, t.intent, t.text)
            for t in self.turns(conversation_id, limit)
            if t.role == "customer" and t.intent
        ]

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
        owner: str | None = None,
        note: ClosingNote | None = None,
        only_from: State | None = None,
        guard: Guard | None = None,
        queue: str | None = None,
        keep_wait: bool = False,
    ) -> TransitionResult:
        """`keep_wait`: a move back to the queue keeps the conversation's queue, its place
        in time and its hand-off reason (it was given to an agent who never answered, not
        handed off again). `guard`: routing's check of the receiving agent
        (`Roster.admit`), run in the same transaction before the conditional UPDATE, so a claim at an agent's limit
        cannot race another. `queue`: a transfer to a queue's queue. `agent_id`: the
        receiving agent of a claim, a transfer or a reassignment. `only_from`: the move happens only from this state (the queue's abandonment
        closes a conversation only while it still waits). `owner`: the agent acting; a
        conversation owned by a person may then only be moved by that agent (checked in the same conditional UPDATE, so an ownership
        change between a read and this write cannot slip through). None: no owner check
        (the system, the bot, a supervisor). `note`: a close's wrap-up, saved on the
        conversation, its customer's timeline and the `conversation.closed` event in the
        same transaction."""
        res = self._transition(
            conversation_id,
            action,
            actor,
            reason,
            agent_id,
            owner,
            note,
            only_from,
            guard,
            queue,
            keep_wait,
        )
        if res.changed:
            self._notify()  # committed: the webhook dispatcher may look now
        return res

    def _transition(
        self,
        conversation_id: str,
        action: Action,
        actor: str,
        reason: str,
        agent_id: str | None,
        owner: str | None,
        note: ClosingNote | None = None,
        only_from: State | None = None,
        guard: Guard | None = None,
        queue: str | None = None,
        keep_wait: bool = False,
    ) -> TransitionResult:
        rule = RULES[action]
        sources = rule.sources if only_from is None else rule.sources & {only_from}
        now = utcnow()
        values: dict[str, Any] = {
            "state": rule.target.value,
            "version": ConversationRow.version + 1,
            "updated_at": now,
        }
        if action is Action.REQUEST_HANDOFF:
            values |= {
                "handoff_reason": reason or "hand-off requested",
                "queued_at": now,
                "queue": None,
            }
        elif action in (Action.CLAIM, Action.TRANSFER, Action.REASSIGN):
            values |= {"agent_id": agent_id}
        elif action is Action.TRANSFER_TO_QUEUE:
            values |= {"agent_id": None, "customer_seen_at": None, "left_at": None}
            if not keep_wait:  # a transfer; a no-answer return keeps queue, wait and reason
                values |= {
                    "queue": queue,
                    "queued_at": now,
                    "handoff_reason": reason or "transferred",
                }
        elif action is Action.HAND_BACK:
            values |= {
                "agent_id": None,
                "queued_at": None,
                "low_confidence_streak": 0,
                "queue": None,
            }
        elif action is Action.CLOSE:
            values |= {"closed_at": now} | ({"wrapup": note.wrapup} if note else {})
        conditions = [
            ConversationRow.id == conversation_id,
            ConversationRow.state.in_([st.value for st in sources]),
        ]
        if owner is not None:
            conditions.append(
                or_(ConversationRow.state != State.HUMAN.value, ConversationRow.agent_id == owner)
            )
        if action in (Action.TRANSFER, Action.REASSIGN):
            # not to the agent who has it already (an idempotent repeat below)
            conditions.append(
                or_(ConversationRow.agent_id.is_(None), ConversationRow.agent_id != agent_id)
            )
        with Session(self.engine) as s, s.begin():
            if guard is not None:  # routing's check; its own UPDATE takes the lock first
                state_now = s.scalar(
                    select(ConversationRow.state).where(ConversationRow.id == conversation_id)
                )
                if state_now is not None and State(state_now) in sources:
                    guard(s)
            # The conditional UPDATE comes first: it takes SQLite's write lock at once, so
            # two racing claims serialise here and the second sees rowcount 0.
            res = s.execute(
                update(ConversationRow)
                .where(*conditions)
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
                conv = _conv(row)
                if self.outbox:
                    s.add(_outbox_event(conv, previous, action, actor, reason, now, note))
                if self._on_timeline(s, conv):
                    s.add(_transition_event(conv, action, actor, reason, now))
                    if note is not None:
                        s.add(_wrapup_event(conv, note, now))
                return TransitionResult(conv, True)
            current = State(row.state)
            if (
                owner is not None
                and current is State.HUMAN
                and row.agent_id != owner
                and current in sources
            ):
                raise Forbidden(
                    f"conversation {conversation_id!r} belongs to agent {row.agent_id!r}: "
                    "only its owner or a supervisor may do this"
                )
            moves_to_agent = action in (Action.CLAIM, Action.TRANSFER, Action.REASSIGN)
            if current is rule.target and (not moves_to_agent or row.agent_id == agent_id):
                return TransitionResult(_conv(row), False)
            detail = ""
            if action is Action.CLAIM and current is State.HUMAN:
                detail = f"agent {row.agent_id!r} already claimed it"
            elif only_from is not None:
                detail = f"only a conversation still {only_from.value} can be closed this way"
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


# integration event types, one per action (webhook receivers subscribe to these names)
EVENT_TYPES: dict[Action, str] = {
    Action.REQUEST_HANDOFF: "conversation.queued",
    Action.CLAIM: "conversation.claimed",
    Action.HAND_BACK: "conversation.handed_back",
    Action.CLOSE: "conversation.closed",
    # routing's moves are ownership changes of the same kinds; `action` tells them apart
    Action.TRANSFER: "conversation.claimed",
    Action.REASSIGN: "conversation.claimed",
    Action.TRANSFER_TO_QUEUE: "conversation.queued",
}


def _outbox_event(
    conv: Conversation,
    previous: str,
    action: Action,
    actor: str,
    reason: str,
    now: datetime,
    note: ClosingNote | None = None,
) -> OutboxEventRow:
    event_id = "evt_" + uuid.uuid4().hex
    payload: dict[str, Any] = {
        "id": event_id,
        "type": EVENT_TYPES[action],
        "ts": now.replace(tzinfo=UTC).isoformat(),
        "conversation_id": conv.id,
        "customer_id": conv.customer_id,
        "channel": conv.channel,
        "state": conv.state.value,
        "previous_state": previous,
        "version": conv.version,
        "action": action.value,
        "actor": actor,
        "agent_id": conv.agent_id,
        "reason": reason,
    }
    if action is Action.CLOSE:
        payload["wrapup"] = note.wrapup if note else None
    return OutboxEventRow(
        id=event_id, type=EVENT_TYPES[action], payload=payload, created_at=now, dispatched=False
    )


def _message_event(conv: Conversation, turn: Turn) -> OutboxEventRow:
    event_id = "evt_" + uuid.uuid4().hex
    payload = {
        "id": event_id,
        "type": "message.created",
        "ts": turn.ts.isoformat(),
        "conversation_id": conv.id,
        "customer_id": conv.customer_id,
        "channel": conv.channel,
        "turn": {
            "id": turn.id,
            "role": turn.role,
            "text": turn.text,  # redacted before it was stored
            "ts": turn.ts.isoformat(),
        },
    }
    return OutboxEventRow(
        id=event_id,
        type="message.created",
        payload=payload,
        created_at=turn.ts.replace(tzinfo=None),
        dispatched=False,
    )


# what an ownership change says on the customer's timeline
_TRANSITION_TEXT: dict[Action, str] = {
    Action.REQUEST_HANDOFF: "Handed to a person: {reason}",
    Action.CLAIM: "{agent} took the conversation",
    Action.HAND_BACK: "Handed back to the bot: {reason}",
    Action.CLOSE: "Conversation closed: {reason}",
    Action.TRANSFER: "Transferred to {agent}: {reason}",
    Action.REASSIGN: "Reassigned to {agent}: {reason}",
    Action.TRANSFER_TO_QUEUE: "Transferred back to the queue: {reason}",
}


def _history_event(
    conv: Conversation,
    type_: str,
    text: str,
    ts: datetime,
    attributes: dict[str, Any],
    event_id: str | None = None,
) -> EventRow:
    return EventRow(
        id=event_id or f"{conv.id}:{uuid.uuid4().hex[:16]}",
        customer_id=conv.customer_id,
        channel="chat",
        type=type_,
        ts=ts.replace(tzinfo=None),
        text=text,
        intent=None,
        attributes={"conversation_id": conv.id, "surface": conv.channel} | attributes,
    )


def _transition_event(
    conv: Conversation, action: Action, actor: str, reason: str, now: datetime
) -> EventRow:
    agent = conv.agent_id or actor
    text = _TRANSITION_TEXT[action].format(reason=reason or action.value, agent=agent)
    return _history_event(
        conv,
        f"chat_{action.value}",
        text,
        now,
        {"actor": actor, "agent_id": conv.agent_id, "state": conv.state.value},
    )


def _wrapup_event(conv: Conversation, note: ClosingNote, now: datetime) -> EventRow:
    w = note.wrapup
    return _history_event(
        conv,
        "chat_wrapup",
        note.text,
        now + timedelta(microseconds=1),  # after the close on the timeline
        {
            "disposition": w.get("disposition"),
            "outcome": w.get("outcome"),
            "intents": w.get("intents") or [],
            "agent_id": conv.agent_id,
            # what a later conversation may repeat to this customer: an agent's own words
            # to them (never the wrap-up's edited lines), and the promises among them
            "told": note.told,
            "promised": note.promised,
        },
        event_id=f"{conv.id}:wrapup",
    )
