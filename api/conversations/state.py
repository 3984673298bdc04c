"""The ownership state machine: `bot -> queued -> human -> (bot | closed)`, plus closing
from bot or queued. Pure data; `ConversationStore.transition` enforces it atomically."""

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


@dataclass(frozen=True, slots=True)
class Rule:
    sources: frozenset[State]
    target: State


RULES: dict[Action, Rule] = {
    Action.REQUEST_HANDOFF: Rule(frozenset({State.BOT}), State.QUEUED),
    Action.CLAIM: Rule(frozenset({State.QUEUED}), State.HUMAN),
    Action.HAND_BACK: Rule(frozenset({State.HUMAN}), State.BOT),
    Action.CLOSE: Rule(frozenset({State.BOT, State.QUEUED, State.HUMAN}), State.CLOSED),
}
