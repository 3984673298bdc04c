"""The agents as routing sees them: presence (online / away), skills (the queues they
serve) and their limit of concurrent chats, on the `agents` table; and the checks a claim,
a transfer or a reassignment runs inside its own transaction (`Roster.admit`).

`admit` first takes the receiving agent's row with a no-op conditional UPDATE: that is a
row lock on PostgreSQL and SQLite's write lock, so two claims for the same agent
serialise there, and the second counts the first's chat. It then counts the agent's open
chats (conversations they own, `human`) and refuses, with a message a person can act on,
an agent who is away, at their limit, or (for a plain agent with skills) a queue outside
them. An agent id with no account (a contact-center platform's agent, via X-Acting-Agent)
has no presence or skills here: only the limit applies.

Presence has two parts: what the agent set (online / away; a log-in sets online, the last
log-out away) and whether their panel is alive: `last_seen_at`, written by their
authenticated requests (api/security.py, at most every 20 s). An agent is *available*
when online, signed in and seen within `presence_timeout_s`; only available agents count
in the customers' expected wait and get chats from auto-assignment
(api/conversations/dispatch.py). A manual claim needs only "online": the agent is
evidently there."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from api.conversations.errors import IllegalTransition
from api.conversations.skills import GENERAL
from api.conversations.state import State
from api.storage.tables import AgentRow, AgentTokenRow, ConversationRow

Presence = Literal["online", "away"]
PRESENCES: tuple[Presence, ...] = ("online", "away")


class RoutingRefused(IllegalTransition):
    """A claim, transfer or reassignment that routing does not allow (an away agent, one
    at their limit, a queue outside their skills, an unknown agent or queue): 409."""

    def __init__(self, conversation_id: str, action: str, message: str) -> None:
        Exception.__init__(self, message)
        self.message = message
        self.conversation_id = conversation_id
        self.action = action
        self.state = "refused"


@dataclass(frozen=True, slots=True)
class AgentRouting:
    id: str
    display_name: str
    role: str
    presence: Presence
    skills: tuple[str, ...]  # empty: every queue
    max_chats: int | None  # None: the setting
    open_chats: int
    signed_in: bool  # holds an unexpired token
    last_seen_at: datetime | None = None  # the last authenticated request (naive UTC)

    def serves(self, queue: str) -> bool:
        return not self.skills or queue == GENERAL or queue in self.skills

    def present(self, now: datetime, timeout_s: float) -> bool:
        """Signed in, and their panel asked for something in the last `timeout_s` (the
        panel polls every 30 s): a tab closed without signing out stops counting."""
        seen = self.last_seen_at
        return self.signed_in and seen is not None and (now - seen).total_seconds() <= timeout_s

    def available(self, now: datetime, timeout_s: float) -> bool:
        """Present and online: counted in the expected wait, given chats by auto-assignment."""
        return self.presence == "online" and self.present(now, timeout_s)


def _presence(value: str | None) -> Presence:
    return "away" if value == "away" else "online"


class Roster:
    def __init__(
        self, engine: Engine, default_limit: int = 3, presence_timeout_s: float = 120.0
    ) -> None:
        self.engine = engine
        self.default_limit = default_limit
        self.presence_timeout_s = presence_timeout_s

    # ------------------------------------------------------------------ reads

    def agents(self, now: datetime, only: str | None = None) -> list[AgentRouting]:
        """Active agents (or the one named `only`), with their open chats; `now`: naive UTC."""
        with Session(self.engine) as s:
            q = select(AgentRow).where(AgentRow.active.is_(True)).order_by(AgentRow.id)
            if only is not None:
                q = q.where(AgentRow.id == only)
            rows = list(s.scalars(q))
            ids = [r.id for r in rows]
            counts = dict(
                s.execute(
                    select(ConversationRow.agent_id, func.count())
                    .where(
                        ConversationRow.agent_id.in_(ids),
                        ConversationRow.state == State.HUMAN.value,
                    )
                    .group_by(ConversationRow.agent_id)
                ).all()
            )
            signed = set(
                s.scalars(
                    select(AgentTokenRow.agent_id).where(
                        AgentTokenRow.agent_id.in_(ids), AgentTokenRow.expires_at > now
                    )
                )
            )
        return [
            AgentRouting(
                r.id,
                r.display_name,
                r.role,
                _presence(r.presence),
                tuple(r.skills or ()),
                r.max_chats,
                int(counts.get(r.id, 0)),
                r.id in signed,
                r.last_seen_at,
            )
            for r in rows
        ]

    def agent(self, agent_id: str, now: datetime) -> AgentRouting | None:
        found = self.agents(now, only=agent_id)
        return found[0] if found else None

    def limit_of(self, agent: AgentRouting | None) -> int:
        return agent.max_chats if agent and agent.max_chats is not None else self.default_limit

    def online_serving(self, queue: str, now: datetime) -> int:
        """Agents available (present and online) serving `queue` (the expected wait's
        divisor)."""
        return sum(
            1
            for a in self.agents(now)
            if a.available(now, self.presence_timeout_s) and a.serves(queue)
        )

    # ------------------------------------------------------------------ writes

    def set_presence(self, agent_id: str, presence: Presence) -> None:
        self._set(agent_id, presence=presence)

    def set_away_in(self, s: Session, agent_id: str) -> None:
        """The agent away, in the caller's transaction `s` (routing's no-answer move: the
        conversation leaves them and they go away together, or neither)."""
        s.execute(update(AgentRow).where(AgentRow.id == agent_id).values(presence="away"))

    def away_if_signed_out(self, agent_id: str, now: datetime) -> bool:
        """Away, unless the agent still holds an unexpired token (another tab or device):
        in one conditional UPDATE, so a log-in at the same moment is not undone. True when
        set away. `now`: naive UTC, the storage convention."""
        live = select(AgentTokenRow.token_hash).where(
            AgentTokenRow.agent_id == agent_id, AgentTokenRow.expires_at > now
        )
        with Session(self.engine) as s, s.begin():
            done = s.execute(
                update(AgentRow)
                .where(AgentRow.id == agent_id, ~live.exists())
                .values(presence="away")
                .returning(AgentRow.id)
            ).first()
        return done is not None

    def set_skills(self, agent_id: str, skills: Iterable[str]) -> None:
        self._set(agent_id, skills=sorted(set(skills)))

    def seed_skills(self, agent_id: str, skills: Iterable[str]) -> None:
        """Skills for an agent who has none set yet (the demo's seeding: an admin's later
        choice is kept across restarts)."""
        with Session(self.engine) as s, s.begin():
            s.execute(
                update(AgentRow)
                .where(AgentRow.id == agent_id, AgentRow.skills.is_(None))
                .values(skills=sorted(set(skills)))
            )

    def set_limit(self, agent_id: str, max_chats: int | None) -> None:
        if max_chats is not None and not 0 <= max_chats <= 100:
            raise ValueError("a limit of concurrent chats is 0-100 (none: the setting)")
        self._set(agent_id, max_chats=max_chats)

    def _set(self, agent_id: str, **values: object) -> None:
        with Session(self.engine) as s, s.begin():
            res = s.execute(
                update(AgentRow)
                .where(AgentRow.id == agent_id)
                .values(**values)
                .returning(AgentRow.id)
            )
            if res.first() is None:
                raise LookupError(f"no agent {agent_id!r}")

    # ------------------------------------------------------------------ the check

    def admit(
        self,
        s: Session,
        agent_id: str,
        conversation_id: str,
        action: str,
        queue: str | None,
        *,
        check_skills: bool,
        must_exist: bool = False,
    ) -> None:
        """In the caller's transaction, before its conditional UPDATE: may `agent_id` take
        `conversation_id` (waiting in `queue`)? Raises RoutingRefused when not."""
        a = AgentRow
        locked = s.execute(
            update(a)
            .where(a.id == agent_id, a.active.is_(True))
            .values(presence=a.presence)
            .returning(a.presence, a.skills, a.max_chats, a.role)
        ).first()
        if locked is None and must_exist:
            raise RoutingRefused(conversation_id, action, f"no active agent {agent_id!r}")
        presence, skills, max_chats, role = (
            locked if locked is not None else (None, None, None, None)
        )
        if presence == "away":
            who = "you are" if action == "claim" else f"agent {agent_id!r} is"
            raise RoutingRefused(
                conversation_id,
                action,
                f"{who} away: set the presence to online (PUT /v1/agents/me/presence) "
                "to take conversations",
            )
        limit = max_chats if max_chats is not None else self.default_limit
        open_chats = s.scalar(
            select(func.count())
            .select_from(ConversationRow)
            .where(
                ConversationRow.agent_id == agent_id,
                ConversationRow.state == State.HUMAN.value,
                ConversationRow.id != conversation_id,
            )
        )
        if (open_chats or 0) >= limit:
            who = "you have" if action == "claim" else f"agent {agent_id!r} has"
            raise RoutingRefused(
                conversation_id,
                action,
                f"{who} {open_chats} open chat(s), the limit of {limit}: close or transfer "
                "one first, or ask a supervisor to reassign",
            )
        outside = bool(skills) and queue not in (None, GENERAL, *(skills or ()))
        if check_skills and role == "agent" and outside:
            raise RoutingRefused(
                conversation_id,
                action,
                f"conversation {conversation_id!r} waits in the {queue!r} queue, outside "
                f"the skills of agent {agent_id!r} ({', '.join(skills or ())}): leave it to "
                "them, or ask a supervisor to reassign it",
            )
