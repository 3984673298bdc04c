"""Auto-assignment: waiting conversations go to agents without anyone pressing Claim.

Every `auto_assign_s` (`Settings.auto_assign`, off by default) each API worker runs one
`Dispatcher.step`:

1. the queue in priority order (`WaitingQueue.ranked`: frustration, tier, open issues,
   the wait against its target);
2. the agents who can take a chat now: role `agent`, online, signed in and seen within
   the presence timeout (`AgentRouting.available`: a tab closed without signing out gets
   nothing), under their limit of concurrent chats;
3. for each conversation, highest priority first, the agent serving its queue with the
   lowest load (open chats over their limit), ties to whoever this worker gave a chat
   least recently, then by id.

Each assignment is the claim itself (`Desk.assign`): the store's conditional UPDATE with
routing's check of the agent in the same transaction (`WaitingQueue.guard`), so a
conversation claimed by hand, or given by another worker's dispatcher, in between is
skipped, and an agent at their limit is never passed over it. The audit trail records
`agent:<id> via routing`, and the claim webhooks and live events are a claim's: the
agent's panel opens the conversation (api/web/static/agent/main.js).

No answer (`answer_s`, `Settings.auto_assign_answer_s`, 90 s): a conversation given to an
agent who has not written to it within `answer_s` of the assignment goes back to its queue
(`Desk.return_unanswered`: its place in time kept, audited as `routing` with the reason,
the `conversation.queued` webhook) before the step assigns, and the agent is set away, so
the next agent gets it in the same step and the absent one gets nothing more until they
set themselves online. Checked in the move's own transaction: a reply stored before the
move keeps the conversation with the agent, and a newer assignment (another worker moved
it and routing gave it back) is not taken back on a stale read. Only auto-assignments: a
chat an agent claimed by hand, or was given by a supervisor, stays theirs."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from sqlalchemy.orm import Session

from api.background import every
from api.conversations.errors import IllegalTransition
from api.conversations.queue import WaitingQueue
from api.conversations.roster import AgentRouting
from api.conversations.store import Conversation, Guard

log = logging.getLogger("api.dispatch")

ASSIGNABLE_ROLES = frozenset({"agent"})  # supervisors and admins claim by hand


class Assigner(Protocol):
    """What makes an assignment (`Desk.assign`) and takes back an unanswered one
    (`Desk.return_unanswered`); a seam, so the dispatcher needs no bot or hub of its own."""

    async def assign(self, conversation_id: str, agent_id: str, guard: Guard) -> Conversation:
        """Claim `conversation_id` for `agent_id`, `guard` checked in the same transaction;
        IllegalTransition when it is no longer waiting or routing refuses."""
        ...

    async def return_unanswered(
        self,
        conversation_id: str,
        agent_id: str,
        assigned_at: datetime,
        after_s: float,
        also: Guard | None = None,
    ) -> bool:
        """Back to its queue unless `agent_id` wrote since `assigned_at`, `also` run in the
        move's transaction; True when moved."""
        ...


@dataclass(frozen=True, slots=True)
class Assignment:
    conversation_id: str
    agent_id: str
    queue: str
    priority: float


@dataclass(frozen=True, slots=True)
class Returned:
    conversation_id: str
    agent_id: str  # who did not answer (now away)


class Dispatcher:
    def __init__(self, queue: WaitingQueue, desk: Assigner, answer_s: float = 0.0) -> None:
        self.queue = queue
        self.desk = desk
        self.answer_s = answer_s  # 0: an assignment stays with its agent
        self.returned: list[Returned] = []  # the last step's (for logs and tests)
        self._last_given: dict[str, float] = {}  # agent id -> monotonic time (this worker)

    def _candidates(self, now: datetime) -> list[AgentRouting]:
        roster = self.queue.roster
        return [
            a
            for a in roster.agents(now)
            if a.role in ASSIGNABLE_ROLES and a.available(now, roster.presence_timeout_s)
        ]

    async def step(self, now: datetime | None = None) -> list[Assignment]:
        """Assign what can be assigned now; the assignments made."""
        now = now or datetime.now(UTC)
        naive = now.astimezone(UTC).replace(tzinfo=None)
        self.returned = await self.return_unanswered(now) if self.answer_s > 0 else []
        agents = await asyncio.to_thread(self._candidates, naive)
        if not agents:
            return []
        ranked = await asyncio.to_thread(self.queue.ranked, now)
        roster = self.queue.roster
        load = {a.id: a.open_chats for a in agents}
        limit = {a.id: roster.limit_of(a) for a in agents}
        made: list[Assignment] = []
        for r in ranked:
            free = [a for a in agents if a.serves(r.queue) and load[a.id] < limit[a.id]]
            if not free:
                continue
            agent = min(
                free,
                key=lambda a: (load[a.id] / limit[a.id], self._last_given.get(a.id, 0.0), a.id),
            )
            conv = r.conversation
            guard = await asyncio.to_thread(
                self.queue.guard, agent.id, conv, "claim", check_skills=True
            )
            try:
                await self.desk.assign(conv.id, agent.id, guard)
            except IllegalTransition as exc:  # taken meanwhile, or routing said no
                log.info("auto-assignment of %s to %s skipped: %s", conv.id, agent.id, exc)
                if getattr(exc, "state", None) == "refused":
                    load[agent.id] = limit[agent.id]  # their load moved: not this round
                continue
            load[agent.id] += 1
            self._last_given[agent.id] = time.monotonic()
            made.append(Assignment(conv.id, agent.id, r.queue, r.priority.score))
            log.info(
                "auto-assigned %s (queue %s, priority %.1f) to %s",
                conv.id, r.queue, r.priority.score, agent.id,
            )  # fmt: skip
        return made

    async def return_unanswered(self, now: datetime) -> list[Returned]:
        """Assignments older than `answer_s` with no word from their agent: back to the
        queue, and the agent away."""
        store = self.queue.store
        late = await asyncio.to_thread(
            store.unanswered_assignments, now - timedelta(seconds=self.answer_s)
        )
        out: list[Returned] = []
        roster = self.queue.roster
        for u in late:

            def away(s: Session, agent: str = u.agent_id) -> None:
                roster.set_away_in(s, agent)  # with the move: both or neither

            moved = await self.desk.return_unanswered(
                u.conversation_id, u.agent_id, u.assigned_at, self.answer_s, away
            )
            if not moved:
                continue
            out.append(Returned(u.conversation_id, u.agent_id))
            log.warning(
                "no answer from %s within %g s: %s back to the queue, %s set away",
                u.agent_id, self.answer_s, u.conversation_id, u.agent_id,
            )  # fmt: skip
        return out

    async def run(self, every_s: float, stop: asyncio.Event) -> None:
        """A step every `every_s` until `stop` (a failure is logged and retried)."""
        await every(every_s, stop, self.step, "auto-assignment")
