"""The ownership state machine: `bot -> queued -> human -> (bot | closed)`, plus closing
from bot or queued, and the routing moves (api/conversations/routing.py): an owning agent
transfers to another agent (human -> human) or back to a queue (human -> queued), a
supervisor reassigns (queued / human -> human). Pure data; `ConversationStore.transition` enforces it atomically."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class State(StrEnum):
    BOT = "bot"
    QUEUED = "queued"
    HUMAN = "human"
    CLOSED = "closed"


class Action(StrEnum):
    REQUEST_HANDOFF = "request_handoff"  # bot -> queued
    CLAIM = "claim"  # queued -> human (an agent)
    HAND_BACK = "hand_back"  # human -> bot
    CLOSE = "close"  # bot / queued / human -> closed
    TRANSFER = "transfer"  # human -> human (another agent), by the owning agent
    TRANSFER_TO_QUEUE = "transfer_to_queue"  # human -> queued (a queue), by the owning agent
    REASSIGN = "reassign"  # queued / human -> human (an agent), by a supervisor


@dataclass(frozen=True, slots=True)
class Rule:
    sources: frozenset[State]
    target: State


RULES: dict[Action, Rule] = {
    Action.REQUEST_HANDOFF: Rule(frozenset({State.BOT}), State.QUEUED),
    Action.CLAIM: Rule(frozenset({State.QUEUED}), State.HUMAN),
    Action.HAND_BACK: Rule(frozenset({State.HUMAN}), State.BOT),
    Action.CLOSE: Rule(frozenset({State.BOT, State.QUEUED, State.HUMAN}), State.CLOSED),
    Action.TRANSFER: Rule(frozenset({State.HUMAN}), State.HUMAN),
    Action.TRANSFER_TO_QUEUE: Rule(frozenset({State.HUMAN}), State.QUEUED),
    Action.REASSIGN: Rule(frozenset({State.QUEUED, State.HUMAN}), State.HUMAN),
}
