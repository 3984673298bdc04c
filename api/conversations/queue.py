"""The hand-off queue as agents and customers see it: the waiting conversations ranked by
priority (`api.conversations.priority`, highest first, ties by the longest wait), a
customer's place in that order, and an honest expected wait from recent claims.

Skills: each waiting conversation is in a queue (`api.conversations.skills`: its explicit
queue after a transfer, else the one its latest topical intent maps to, else `general`).
An agent's view lists the queues they serve first (`serves`), then the others, each in
priority order; the others are shown, not hidden, so nothing waits unseen, but a plain
agent with skills cannot claim them (`Roster.admit`).

The expected wait: the median time from hand-off request to claim of the conversations
claimed in the last `wait_window_s` (the audit trail, `conversation_transitions`), times
the customer's position, divided by the agents who can take it: those available (signed
in, online, their panel seen recently) and serving the conversation's queue
(`Roster.online_serving`); when none is, by the
number of agents who claimed in that window (the method before presence existed). None
when nobody claimed in the window: no figure is better than a made-up one."""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from api.conversations.priority import Priority, QueueSignals, QueueWeights, order_key, score
from api.conversations.roster import Roster
from api.conversations.skills import SkillMap
from api.conversations.state import State
from api.conversations.store import Conversation, ConversationStore, Guard, Turn

Profile = Callable[[str | None], tuple[str | None, float, int]]  # tier, value, open tickets
MAX_QUEUE = 1000  # conversations read per ranking


@dataclass(frozen=True, slots=True)
class Ranked:
    conversation: Conversation
    priority: Priority
    wait_s: float
    last_customer_turn: Turn | None
    queue: str = "general"


@dataclass(frozen=True, slots=True)
class Place:
    position: int  # 1: next to be taken
    waiting: int
    wait_s: float
    expected_wait_s: float | None


def frustration_of(turn: Turn | None) -> float | None:
    """The turn's frustration (turn attributes `sentiment.frustration`), when it has one."""
    sentiment = turn.attributes.get("sentiment") if turn else None
    value = sentiment.get("frustration") if isinstance(sentiment, dict) else None
    return float(value) if isinstance(value, int | float) else None


def expected_wait(waits: list[tuple[float, str]], position: int, online: int = 0) -> float | None:
    """median(request -> claim) x position / agents online for it (`online`), else / agents
    who claimed; None without claims."""
    if not waits:
        return None
    median = statistics.median(w for w, _ in waits)
    agents = online if online > 0 else len({who for _, who in waits})
    return round(median * position / agents, 1)


def queue_of(conv: Conversation, last: Turn | None, skills: SkillMap) -> str:
    """The conversation's queue: its explicit one (a transfer), else its latest topical
    intent's (the last customer turn, then the hand-off packet's transcript)."""
    if conv.queue:
        return conv.queue
    transcript = conv.packet.get("transcript") if isinstance(conv.packet, dict) else None
    said = [
        t.get("intent")
        for t in (transcript if isinstance(transcript, list) else [])
        if isinstance(t, dict) and t.get("role") == "customer"
    ]
    return skills.queue_of([last.intent if last else None, *reversed(said)])


class WaitingQueue:
    """`profile(customer_id)`: (tier, lifetime value, open tickets), remembered for
    `profile_ttl_s` per customer (they change slowly; the queue is read on every poll)."""

    def __init__(
        self,
        store: ConversationStore,
        profile: Profile,
        weights: QueueWeights,
        target_wait_s: float,
        wait_window_s: float,
        profile_ttl_s: float = 60.0,
        max_chats: int = 3,
        presence_timeout_s: float = 120.0,
    ) -> None:
        """`max_chats`: an agent's default limit of concurrent chats (AGENT_ASSIST_AGENT_MAX_CHATS);
        `presence_timeout_s`: how recent an agent's last request must be for them to count
        as present (AGENT_ASSIST_PRESENCE_TIMEOUT_S)."""
        self.store = store
        self.skills = weights.skills
        self.roster = Roster(store.engine, max_chats, presence_timeout_s)
        self.profile = profile
        self.weights = weights
        self.target_wait_s = target_wait_s
        self.wait_window_s = wait_window_s
        self.profile_ttl_s = profile_ttl_s
        self._profiles: dict[str, tuple[float, tuple[str | None, float, int]]] = {}
        self._lock = threading.Lock()

    def _profile(self, customer_id: str | None) -> tuple[str | None, float, int]:
        if not customer_id:
            return None, 0.0, 0
        now = time.monotonic()
        with self._lock:
            hit = self._profiles.get(customer_id)
        if hit is not None and now - hit[0] < self.profile_ttl_s:
            return hit[1]
        found = self.profile(customer_id)
        with self._lock:
            if len(self._profiles) > 10_000:
                self._profiles.clear()
            self._profiles[customer_id] = (now, found)
        return found

    def ranked(
        self, now: datetime | None = None, serves: Callable[[str], bool] | None = None
    ) -> list[Ranked]:
        """The waiting conversations, the next to serve first; with `serves` (an agent's
        view), those of the queues it serves first, then the others."""
        now = now or datetime.now(UTC)
        convs = self.store.list_by_state(State.QUEUED, MAX_QUEUE)
        last = self.store.last_customer_turns([c.id for c in convs])
        out = []
        for c in convs:
            wait = max(0.0, (now - (c.queued_at or now)).total_seconds())
            tier, value, tickets = self._profile(c.customer_id)
            turn = last.get(c.id)
            signals = QueueSignals(wait, frustration_of(turn), tier, value, tickets)
            priority = score(signals, self.weights, self.target_wait_s)
            out.append(Ranked(c, priority, wait, turn, queue_of(c, turn, self.skills)))
        out.sort(key=lambda r: order_key(r.priority.score, r.wait_s, r.conversation.id))
        if serves is not None:
            out.sort(key=lambda r: not serves(r.queue))  # stable: priority within each part
        return out

    def queue_name(self, conv: Conversation) -> str:
        last = self.store.last_customer_turns([conv.id]).get(conv.id)
        return queue_of(conv, last, self.skills)

    def guard(self, agent_id: str, conv: Conversation, action: str, *, check_skills: bool) -> Guard:
        """Routing's check of `agent_id` taking `conv`, for the store's transition."""
        queue = self.queue_name(conv) if check_skills else None
        must_exist = action != "claim"  # a claim may be a platform's agent (X-Acting-Agent)

        def check(s: Session) -> None:
            self.roster.admit(
                s,
                agent_id,
                conv.id,
                action,
                queue,
                check_skills=check_skills,
                must_exist=must_exist,
            )

        return check

    def expected_wait_s(
        self, position: int, now: datetime | None = None, queue: str | None = None
    ) -> float | None:
        now = now or datetime.now(UTC)
        waits = self.store.claim_waits(now - timedelta(seconds=self.wait_window_s))
        if not waits:
            return None
        online = 0
        if queue is not None:
            online = self.roster.online_serving(queue, now.astimezone(UTC).replace(tzinfo=None))
        return expected_wait(waits, position, online)

    def place(self, conv: Conversation, now: datetime | None = None) -> Place | None:
        """Where a waiting conversation stands in the ranked queue; None unless queued."""
        if conv.state is not State.QUEUED:
            return None
        now = now or datetime.now(UTC)
        ranked = self.ranked(now)
        order = [r.conversation.id for r in ranked]
        position = order.index(conv.id) + 1 if conv.id in order else len(order) + 1
        queue = next((r.queue for r in ranked if r.conversation.id == conv.id), None)
        wait = max(0.0, (now - conv.queued_at).total_seconds()) if conv.queued_at else 0.0
        expected = self.expected_wait_s(position, now, queue or self.queue_name(conv))
        return Place(position, max(len(order), position), round(wait, 3), expected)
