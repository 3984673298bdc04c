"""Conversation analytics for supervisors: exact counts from the store over a period
(conversations started in it), optionally for one channel, one agent (who took them) and
one intent (the customer's first request).

- containment: conversations the bot finished without a person (never handed off), among
  those where the customer wrote;
- hand-off rate and reasons (the reason of the first hand-off of each conversation);
- queue wait (request -> claim) and time to the first agent reply (claim -> first agent
  turn), median and p90 in seconds; abandonment: closed while waiting in the queue;
- CSAT: the bot's 1-5 ratings after a hand-back (`assist_feedback` kind `rating`), in all
  and by agent and by intent;
- repeat contact: the customer started another conversation about the same first request
  in the 7 days before;
- suggestion use: shown / used / edited / dismissed, in all and per suggestion;
- dispositions and outcomes of the saved wrap-ups (api/conversations/wrapup.py);
- with a stage model: the customer's journey stage when they wrote (a filter too), CSAT
  and suggestion use by it, and each customer's way from the stage of their first
  conversation in the period to their stage at its end (api/analytics_journey.py).

Reads only: a few queries per call, grouped in Python (periods of a few days to a few
months; a warehouse export is the place for years)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from api.analytics_journey import StageClock
from api.conversations.wrapup import SMALL_TALK
from api.errors import InvalidInput
from api.storage.tables import ConversationRow, ConversationTurnRow, FeedbackRow, TransitionRow
from retrieval.journey import JourneyModel

REPEAT_WINDOW = timedelta(days=7)
# a first request that names no topic ("hi", "a person, please")
NO_TOPIC = SMALL_TALK | {"contact_human_agent", "contact_customer_service"}
CHUNK = 500  # ids per IN (...) query


@dataclass(frozen=True, slots=True)
class Spread:
    count: int
    median_s: float | None
    p90_s: float | None


@dataclass(frozen=True, slots=True)
class Rated:
    name: str
    ratings: int
    mean: float


@dataclass(frozen=True, slots=True)
class SuggestionUse:
    suggestion_id: str
    shown: int
    used: int
    edited: int
    dismissed: int


@dataclass(frozen=True, slots=True)
class IntentUse:
    intent: str  # the conversation's first request ("(no topic)": none named)
    shown: int
    used: int
    edited: int
    dismissed: int


@dataclass(frozen=True, slots=True)
class StageFigures:
    stage: str
    conversations: int  # started while the customer was in this stage
    customers: int  # followed customers whose first conversation of the period was here
    stayed: int  # of those, still here at the end of the period
    left: int  # of those, somewhere else at the end


@dataclass(frozen=True, slots=True)
class Flow:
    from_stage: str
    to_stage: str
    customers: int


@dataclass(slots=True)
class Summary:
    since: datetime
    until: datetime
    channel: str | None
    agent: str | None = None
    intent: str | None = None
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
    csat_by_agent: list[Rated] = field(default_factory=list)
    csat_by_intent: list[Rated] = field(default_factory=list)
    with_topic: int = 0  # conversations whose first request names a topic
    repeat_contacts: int = 0
    intents: list[tuple[str, int]] = field(default_factory=list)
    suggestion_actions: dict[str, int] = field(default_factory=dict)
    suggestions: list[SuggestionUse] = field(default_factory=list)
    dispositions: list[tuple[str, int]] = field(default_factory=list)
    outcomes: list[tuple[str, int]] = field(default_factory=list)
    stage: str | None = None  # the stage filter
    journey_model: str | None = None  # the stage model read (None: none / a custom one)
    stages: list[StageFigures] = field(default_factory=list)  # in the model's order
    followed: int = 0  # customers followed from their first conversation to the end
    flows: list[Flow] = field(default_factory=list)  # biggest first
    csat_by_stage: list[Rated] = field(default_factory=list)
    suggestions_by_intent: list[IntentUse] = field(default_factory=list)


def _quantile(values: list[float], q: float) -> float | None:
    """Nearest-rank quantile (an observed value: exact, explainable)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 1))  # ceil(n * q), at least 1
    return round(ordered[int(rank) - 1], 3)


def _spread(values: list[float]) -> Spread:
    return Spread(len(values), _quantile(values, 0.5), _quantile(values, 0.9))


def _chunks(ids: list[str]) -> Iterator[list[str]]:
    return (ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK))


def _first_topic(turns: Iterable[ConversationTurnRow]) -> str | None:
    return next(
        (t.intent for t in turns if t.role == "customer" and t.intent and t.intent not in NO_TOPIC),
        None,
    )


def _rated(groups: dict[str, list[int]]) -> list[Rated]:
    out = [Rated(k, len(v), round(sum(v) / len(v), 3)) for k, v in groups.items() if v]
    return sorted(out, key=lambda r: (-r.ratings, r.name))


class _Loaded:
    """The period's conversations with their transitions, turns and feedback."""

    def __init__(self, s: Session, q: Any, roles: tuple[str, ...], full: bool) -> None:
        self.convs: list[ConversationRow] = list(s.scalars(q))
        self.moves: dict[str, list[TransitionRow]] = defaultdict(list)
        self.turns: dict[str, list[ConversationTurnRow]] = defaultdict(list)
        self.feedback: list[FeedbackRow] = []
        for chunk in _chunks([c.id for c in self.convs]):
            if full:  # transitions and feedback too
                for t in s.scalars(
                    select(TransitionRow)
                    .where(TransitionRow.conversation_id.in_(chunk))
                    .order_by(TransitionRow.ts, TransitionRow.id)
                ):
                    self.moves[t.conversation_id].append(t)
                self.feedback += s.scalars(
                    select(FeedbackRow).where(
                        FeedbackRow.conversation_id.in_(chunk),
                        FeedbackRow.kind.in_(["rating", "suggestion"]),
                    )
                )
            for turn in s.scalars(
                select(ConversationTurnRow)
                .where(
                    ConversationTurnRow.conversation_id.in_(chunk),
                    ConversationTurnRow.role.in_(list(roles)),
                )
                .order_by(ConversationTurnRow.ts)
            ):
                self.turns[turn.conversation_id].append(turn)


def summarize(
    engine: Engine,
    since: datetime,
    until: datetime,
    channel: str | None = None,
    agent: str | None = None,
    intent: str | None = None,
    journey: JourneyModel | None = None,
    stage: str | None = None,
    now: datetime | None = None,
) -> Summary:
    """`since` <= started < `until`, naive UTC (the storage convention). `agent`: only
    conversations that agent took; `intent`: only those whose first request was it;
    `journey`: the stage model for the journey figures (None: none); `stage`: only
    conversations started in it (needs `journey`); `now` (naive UTC): the end of a period
    that runs into the future (the flows' end)."""
    if stage is not None and (journey is None or stage not in journey.config.stages):
        known = ", ".join(journey.config.stages) if journey else "none: no stage model"
        raise InvalidInput(f"stage {stage[:64]!r} is not one of the model's stages ({known})")
    out = Summary(since, until, channel, agent, intent, stage=stage)
    with Session(engine) as s:
        q = select(ConversationRow).where(
            ConversationRow.created_at >= since, ConversationRow.created_at < until
        )
        if channel is not None:
            q = q.where(ConversationRow.channel == channel)
        period = _Loaded(s, q, ("customer", "agent"), full=True)
        customers = sorted({c.customer_id for c in period.convs if c.customer_id})
        earlier: list[ConversationRow] = []
        prior_turns: dict[str, list[ConversationTurnRow]] = defaultdict(list)
        for chunk in _chunks(customers):  # any channel: a repeat is a repeat
            before = _Loaded(
                s,
                select(ConversationRow).where(
                    ConversationRow.customer_id.in_(chunk),
                    ConversationRow.created_at >= since - REPEAT_WINDOW,
                    ConversationRow.created_at < until,
                ),
                ("customer",),
                full=False,
            )
            earlier += before.convs
            prior_turns.update(before.turns)
    end = min(until, now or datetime.now(UTC).replace(tzinfo=None))
    clock = (
        StageClock(engine, journey, customers, since, max(end, since))
        if journey is not None
        else None
    )
    topics = {c.id: _first_topic(prior_turns[c.id]) for c in earlier}
    by_customer: dict[str, list[ConversationRow]] = defaultdict(list)
    for c in earlier:
        by_customer[str(c.customer_id)].append(c)
    ratings_of: dict[str, list[FeedbackRow]] = defaultdict(list)
    shown_of: dict[str, list[FeedbackRow]] = defaultdict(list)
    for f in period.feedback:
        (ratings_of if f.kind == "rating" else shown_of)[str(f.conversation_id)].append(f)

    reasons: Counter[str] = Counter()
    codes: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    firsts: Counter[str] = Counter()
    actions: Counter[str] = Counter()
    per_suggestion: dict[str, Counter[str]] = defaultdict(Counter)
    by_agent: dict[str, list[int]] = defaultdict(list)
    by_intent: dict[str, list[int]] = defaultdict(list)
    by_stage: dict[str, list[int]] = defaultdict(list)
    staged: Counter[str] = Counter()
    entered: dict[str, str] = {}  # customer -> the stage of their first conversation
    use_by_intent: dict[str, Counter[str]] = defaultdict(Counter)
    waits: list[float] = []
    replies: list[float] = []
    for c in sorted(period.convs, key=lambda c: (c.created_at, c.id)):
        said = period.turns[c.id]
        mv = period.moves[c.id]
        claim = next((m for m in mv if m.action == "claim"), None)
        taker = claim.actor.removeprefix("agent:") if claim is not None else None
        topic = _first_topic(said)
        if (agent is not None and taker != agent) or (intent is not None and topic != intent):
            continue
        was = clock.at(c.customer_id, c.created_at, topic) if clock is not None else None
        if stage is not None and was != stage:
            continue
        if was is not None:
            staged[was] += 1
            if c.customer_id is not None:
                entered.setdefault(c.customer_id, was)
        out.conversations += 1
        wrote = any(t.role == "customer" for t in said)
        out.with_customer_message += wrote
        asked = next((m for m in mv if m.action == "request_handoff"), None)
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
        if topic is not None:
            out.with_topic += 1
            firsts[topic] += 1
            out.repeat_contacts += any(
                o.id != c.id
                and c.created_at - REPEAT_WINDOW <= o.created_at < c.created_at
                and topics.get(o.id) == topic
                for o in by_customer.get(str(c.customer_id), [])
            )
        if c.wrapup:
            codes[str(c.wrapup.get("disposition"))] += 1
            outcomes[str(c.wrapup.get("outcome"))] += 1
        for r in ratings_of[c.id]:
            if r.rating is not None:
                out.ratings[r.rating] = out.ratings.get(r.rating, 0) + 1
                by_agent[taker or "(the bot only)"].append(r.rating)
                by_intent[topic or "(no topic)"].append(r.rating)
                if was is not None:
                    by_stage[was].append(r.rating)
            if r.resolved is True:
                out.resolved_yes += 1
            elif r.resolved is False:
                out.resolved_no += 1
        for f in shown_of[c.id]:
            actions[f.action] += 1
            per_suggestion[f.suggestion_id or "(none)"][f.action] += 1
            use_by_intent[topic or "(no topic)"][f.action] += 1
    out.handoff_reasons = reasons.most_common(20)
    out.dispositions = codes.most_common()
    out.outcomes = outcomes.most_common()
    out.intents = firsts.most_common(20)
    out.queue_wait = _spread(waits)
    out.first_agent_reply = _spread(replies)
    out.csat_by_agent = _rated(by_agent)
    out.csat_by_intent = _rated(by_intent)
    out.suggestion_actions = dict(sorted(actions.items()))
    ranked = sorted(per_suggestion.items(), key=lambda kv: (-kv[1]["shown"], kv[0]))[:20]
    out.suggestions = [
        SuggestionUse(sid, n["shown"], n["used"], n["edited"], n["dismissed"]) for sid, n in ranked
    ]
    out.suggestions_by_intent = [
        IntentUse(name, n["shown"], n["used"], n["edited"], n["dismissed"])
        for name, n in sorted(use_by_intent.items(), key=lambda kv: (-kv[1]["shown"], kv[0]))
    ]
    if clock is not None and journey is not None:
        _journey_figures(out, journey, clock, staged, entered, by_stage, end)
    return out


def _journey_figures(
    out: Summary,
    journey: JourneyModel,
    clock: StageClock,
    staged: Counter[str],
    entered: dict[str, str],
    by_stage: dict[str, list[int]],
    end: datetime,
) -> None:
    flows: Counter[tuple[str, str]] = Counter()
    for customer, first in entered.items():
        flows[(first, clock.at(customer, end))] += 1
    out.journey_model = journey.config.model
    out.followed = len(entered)
    out.flows = [
        Flow(a, b, n) for (a, b), n in sorted(flows.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    out.stages = [
        StageFigures(
            s,
            staged[s],
            sum(n for (a, _), n in flows.items() if a == s),
            flows[(s, s)],
            sum(n for (a, b), n in flows.items() if a == s and b != s),
        )
        for s in journey.config.stages
    ]
    out.csat_by_stage = _rated(by_stage)
