"""Conversation analytics for supervisors: exact counts from the store over a period
(conversations started in it), optionally for one channel.

- containment: conversations the bot finished without a person (never handed off), among
  those where the customer wrote;
- hand-off rate and reasons (the reason of the first hand-off of each conversation);
- queue wait (request -> claim) and time to the first agent reply (claim -> first agent
  turn), median and p90 in seconds; abandonment: closed while waiting in the queue;
- CSAT: the bot's 1-5 ratings after a hand-back (`assist_feedback` kind `rating`);
- dispositions and outcomes of the saved wrap-ups (api/conversations/wrapup.py).

Reads only: a few queries per call, grouped in Python (periods of a few days to a few
months; a warehouse export is the place for years)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from api.conversations.tables import ConversationRow, FeedbackRow, TransitionRow
from retrieval.models import ConversationTurnRow


@dataclass(frozen=True, slots=True)
class Spread:
    count: int
    median_s: float | None
    p90_s: float | None


@dataclass(slots=True)
class Summary:
    since: datetime
    until: datetime
    channel: str | None
    conversations: int = 0
    with_customer_message: int = 0
    contained: int = 0  # finished by the bot: never handed off (of those with a message)
    handed_off: int = 0
    claimed: int = 0
    abandoned_in_queue: int = 0
    still_queued: int = 0
    closed: int = 0
    handoff_reasons: list[tuple[str, int]] = field(default_factory=list)
    queue_wait: Spread = field(default_factory=lambda: Spread(0, None, None))
    first_agent_reply: Spread = field(default_factory=lambda: Spread(0, None, None))
    ratings: dict[int, int] = field(default_factory=dict)
    resolved_yes: int = 0
    resolved_no: int = 0
    dispositions: list[tuple[str, int]] = field(default_factory=list)
    outcomes: list[tuple[str, int]] = field(default_factory=list)


def _quantile(values: list[float], q: float) -> float | None:
    """Nearest-rank quantile (an observed value: exact, explainable)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 1))  # ceil(n * q), at least 1
    return round(ordered[int(rank) - 1], 3)


def _spread(values: list[float]) -> Spread:
    return Spread(len(values), _quantile(values, 0.5), _quantile(values, 0.9))


def summarize(
    engine: Engine, since: datetime, until: datetime, channel: str | None = None
) -> Summary:
    """`since` <= started < `until`, naive UTC (the storage convention)."""
    out = Summary(since, until, channel)
    with Session(engine) as s:
        q = select(ConversationRow).where(
            ConversationRow.created_at >= since, ConversationRow.created_at < until
        )
        if channel is not None:
            q = q.where(ConversationRow.channel == channel)
        convs = list(s.scalars(q))
        ids = [c.id for c in convs]
        moves: dict[str, list[TransitionRow]] = defaultdict(list)
        turns: dict[str, list[ConversationTurnRow]] = defaultdict(list)
        ratings: list[FeedbackRow] = []
        for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
            for t in s.scalars(
                select(TransitionRow)
                .where(TransitionRow.conversation_id.in_(chunk))
                .order_by(TransitionRow.ts, TransitionRow.id)
            ):
                moves[t.conversation_id].append(t)
            for turn in s.scalars(
                select(ConversationTurnRow)
                .where(
                    ConversationTurnRow.conversation_id.in_(chunk),
                    ConversationTurnRow.role.in_(["customer", "agent"]),
                )
                .order_by(ConversationTurnRow.ts)
            ):
                turns[turn.conversation_id].append(turn)
            ratings += s.scalars(
                select(FeedbackRow).where(
                    FeedbackRow.conversation_id.in_(chunk), FeedbackRow.kind == "rating"
                )
            )
    reasons: Counter[str] = Counter()
    codes: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    waits: list[float] = []
    replies: list[float] = []
    for c in convs:
        out.conversations += 1
        said = turns[c.id]
        wrote = any(t.role == "customer" for t in said)
        out.with_customer_message += wrote
        mv = moves[c.id]
        asked = next((m for m in mv if m.action == "request_handoff"), None)
        claim = next((m for m in mv if m.action == "claim"), None)
        if asked is not None:
            out.handed_off += 1
            reasons[asked.reason or "(no reason)"] += 1
        elif wrote:
            out.contained += 1
        if claim is not None:
            out.claimed += 1
            if asked is not None:
                waits.append((claim.ts - asked.ts).total_seconds())
            reply = next((t for t in said if t.role == "agent" and t.ts >= claim.ts), None)
            if reply is not None:
                replies.append((reply.ts - claim.ts).total_seconds())
        if any(m.action == "close" and m.from_state == "queued" for m in mv):
            out.abandoned_in_queue += 1
        out.still_queued += c.state == "queued"
        out.closed += c.state == "closed"
        if c.wrapup:
            codes[str(c.wrapup.get("disposition"))] += 1
            outcomes[str(c.wrapup.get("outcome"))] += 1
    for r in ratings:
        if r.rating is not None:
            out.ratings[r.rating] = out.ratings.get(r.rating, 0) + 1
        if r.resolved is True:
            out.resolved_yes += 1
        elif r.resolved is False:
            out.resolved_no += 1
    out.handoff_reasons = reasons.most_common(20)
    out.dispositions = codes.most_common()
    out.outcomes = outcomes.most_common()
    out.queue_wait = _spread(waits)
    out.first_agent_reply = _spread(replies)
    return out
