"""The hand-off queue as agents and customers see it: the waiting conversations ranked by
priority (`api.conversations.priority`, highest first, ties by the longest wait), a
customer's place in that order, and an honest expected wait from recent claims.

The expected wait: the median time from hand-off request to claim of the conversations
claimed in the last `wait_window_s` (the audit trail, `conversation_transitions`), times
the customer's position, divided by the number of agents who claimed in that window
(several agents take several conversations at once). None when nobody claimed in the
window: no figure is better than a made-up one."""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from api.conversations.priority import Priority, QueueSignals, QueueWeights, order_key, score
from api.conversations.state import State
from api.conversations.store import Conversation, ConversationStore, Turn

Profile = Callable[[str | None], tuple[str | None, float, int]]  # tier, value, open tickets
MAX_QUEUE = 1000  # conversations read per ranking


@dataclass(frozen=True, slots=True)
class Ranked:
    conversation: Conversation
    priority: Priority
    wait_s: float
    last_customer_turn: Turn | None


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


def expected_wait(waits: list[tuple[float, str]], position: int) -> float | None:
    """median(request -> claim) x position / agents who claimed; None without claims."""
    if not waits:
        return None
    median = statistics.median(w for w, _ in waits)
    agents = len({who for _, who in waits})
    return round(median * position / agents, 1)


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
    ) -> None:
        self.store = store
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

    def ranked(self, now: datetime | None = None) -> list[Ranked]:
        """The waiting conversations, the next to serve first."""
        now = now or datetime.now(UTC)
        convs = self.store.list_by_state(State.QUEUED, MAX_QUEUE)
        last = self.store.last_customer_turns([c.id for c in convs])
        out = []
        for c in convs:
            wait = max(0.0, (now - (c.queued_at or now)).total_seconds())
            tier, value, tickets = self._profile(c.customer_id)
            turn = last.get(c.id)
            signals = QueueSignals(wait, frustration_of(turn), tier, value, tickets)
            out.append(Ranked(c, score(signals, self.weights, self.target_wait_s), wait, turn))
        out.sort(key=lambda r: order_key(r.priority.score, r.wait_s, r.conversation.id))
        return out

    def expected_wait_s(self, position: int, now: datetime | None = None) -> float | None:
        now = now or datetime.now(UTC)
        waits = self.store.claim_waits(now - timedelta(seconds=self.wait_window_s))
        return expected_wait(waits, position)

    def place(self, conv: Conversation, now: datetime | None = None) -> Place | None:
        """Where a waiting conversation stands in the ranked queue; None unless queued."""
        if conv.state is not State.QUEUED:
            return None
        now = now or datetime.now(UTC)
        order = [r.conversation.id for r in self.ranked(now)]
        position = order.index(conv.id) + 1 if conv.id in order else len(order) + 1
        wait = max(0.0, (now - conv.queued_at).total_seconds()) if conv.queued_at else 0.0
        return Place(
            position, max(len(order), position), round(wait, 3), self.expected_wait_s(position, now)
        )
