"""The wrap-up proposed when a conversation closes: what the customer wanted, what was
done, what was promised and the next step, each line citing the turns it comes from, and
a disposition code suggested from the customer's intents and the conversation's outcome.

Extractive and template-based, so it runs in well under a millisecond on a CPU and never
invents anything: every line is a template filled with the transcript's own (already
PII-redacted) words or with its recorded ownership changes. The codes and the wording of
requests are configured in `data/wrapup/dispositions.yml`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import yaml

from api.contract import DispositionOption, WrapUp, WrapUpDraft, WrapUpLine
from api.conversations.errors import InvalidWrapUp
from api.conversations.state import State
from api.conversations.store import Conversation, Transition, Turn
from intent.resources import data_path

# requests that say nothing about the problem itself
SMALL_TALK = frozenset(
    {"greet", "affirm", "deny", "goodbye", "thank_you", "out_of_scope", "nlu_fallback"}
)
MAX_EXCERPT = 160
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
# a person's words that commit to something later
_PROMISE = re.compile(
    r"\b(?:i|we)\s*(?:'ll|’ll| will| shall| am going to| are going to)\b"
    r"|\byou(?:'ll|’ll| will) (?:receive|get|see|hear|be (?:contacted|called|refunded))\b"
    r"|\bwithin \d+\s*(?:business |working )?(?:hours?|days?|weeks?)\b"
    r"|\b(?:call|get back to|e-?mail|contact|follow up with) you\b",
    re.IGNORECASE,
)
# a person's words that report something done
_DONE = re.compile(
    r"\b(?:i|we)\s*(?:'ve|’ve| have| just| already)?\s+(?:\w+ly\s+)?"
    r"(?:re-?)?(?:\w+ed|sent|made|set up|put|given|done|sold|paid|issued|reset|found|built)\b",
    re.IGNORECASE,
)
_NOT_DONE = re.compile(r"\b(?:i|we)\s+(?:need|wanted|hoped|tried|asked)\b", re.IGNORECASE)
# a customer's reply that says the answer did not help
_NEGATIVE = frozenset({"deny", "complaint"})


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    label: str
    intents: frozenset[str]
    outcomes: frozenset[str]
    only_outcomes: frozenset[str]
    bonus: float | None = None  # this code's outcome bonus (default: the file's)


class Dispositions:
    """The configured disposition codes (data/wrapup/dispositions.yml)."""

    def __init__(
        self,
        codes: Sequence[Code],
        default: str,
        labels: dict[str, str],
        outcome_bonus: float = 0.5,
        labels_by_language: dict[str, dict[str, str]] | None = None,
    ) -> None:
        if not codes:
            raise ValueError("no disposition codes configured")
        self.codes = list(codes)
        self.by_code = {c.code: c for c in codes}
        if default not in self.by_code:
            raise ValueError(f"default disposition {default!r} is not one of the codes")
        self.default = default
        self.labels = labels
        self.outcome_bonus = outcome_bonus
        self.labels_by_language = labels_by_language or {}

    @classmethod
    def load(cls, path: Path | None = None) -> Dispositions:
        doc = yaml.safe_load((path or data_path("wrapup", "dispositions.yml")).read_text("utf-8"))
        codes = [
            Code(
                str(c["code"]),
                str(c.get("label") or c["code"]),
                frozenset(str(i) for i in c.get("intents") or []),
                frozenset(str(o) for o in c.get("outcomes") or []),
                frozenset(str(o) for o in c.get("only_outcomes") or []),
                float(c["bonus"]) if c.get("bonus") is not None else None,
            )
            for c in doc.get("codes") or []
        ]
        labels = {str(k): str(v) for k, v in (doc.get("intent_labels") or {}).items()}
        by_language = {
            str(key).removeprefix("intent_labels_"): {
                str(k): str(v) for k, v in (value or {}).items()
            }
            for key, value in doc.items()
            if str(key).startswith("intent_labels_")
        }
        return cls(
            codes,
            str(doc.get("default")),
            labels,
            float(doc.get("outcome_bonus", 0.5)),
            by_language,
        )

    def label_of(self, intent: str, language: str = "en") -> str:
        """How a request reads to a customer (`intent_labels`, or `intent_labels_<lang>`)."""
        localised = self.labels_by_language.get(language, {}).get(intent)
        return localised or self.labels.get(intent) or intent.replace("_", " ")

    def rank(self, intents: Sequence[str], outcome: str) -> list[DispositionOption]:
        """Every code, best fit first: its share of the customer's requests (the first
        counts double) plus its outcome bonus when the outcome is one of its `outcomes`
        (for a code with intents, only if one of them was asked); ties keep the file's
        order, the default code wins when nothing fits."""
        weights = {intent: (2.0 if i == 0 else 1.0) for i, intent in enumerate(intents)}
        total = sum(weights.values()) or 1.0
        scored: list[tuple[float, int, Code]] = []
        for order, c in enumerate(self.codes):
            if c.only_outcomes and outcome not in c.only_outcomes:
                continue
            score = sum(w for i, w in weights.items() if i in c.intents) / total
            if outcome in c.outcomes and (score > 0 or not c.intents):
                score += self.outcome_bonus if c.bonus is None else c.bonus
            if c.code == self.default:
                score += 1e-3  # the fallback when nothing else fits
            scored.append((score, order, c))
        scored.sort(key=lambda t: (-t[0], t[1]))
        return [
            DispositionOption(code=c.code, label=c.label, score=round(s, 3)) for s, _, c in scored
        ]


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_EXCERPT else text[: MAX_EXCERPT - 1].rstrip() + "…"


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def _intents(turns: Sequence[Turn]) -> list[str]:
    seen: list[str] = []
    for t in turns:
        if t.role == "customer" and t.intent and t.intent not in SMALL_TALK | set(seen):
            seen.append(t.intent)
    return seen


def _answered(turns: Sequence[Turn], i: int) -> list[Turn]:
    """The bot's and agents' turns after customer turn `i`, up to the next customer turn."""
    out: list[Turn] = []
    for t in turns[i + 1 :]:
        if t.role == "customer":
            break
        if t.role in ("bot", "agent"):
            out.append(t)
    return out


def _before(turns: Sequence[Turn], ts: datetime) -> Turn | None:
    """The customer's last turn at or before `ts` (what a hand-off reacted to)."""
    last = None
    for t in turns:
        if t.role == "customer" and t.ts <= ts:
            last = t
    return last


def outcome_of(conv: Conversation, turns: Sequence[Turn], transitions: Sequence[Transition]) -> str:
    customer = [i for i, t in enumerate(turns) if t.role == "customer"]
    if not customer:
        return "no_contact"
    claimed = any(tr.action == "claim" for tr in transitions)
    if claimed:
        promised = any(
            _PROMISE.search(s) and not s.endswith("?")
            for t in turns
            if t.role == "agent"
            for s in _sentences(t.text)
        )
        return "follow_up" if promised else "resolved_by_agent"
    queued_at_close = any(
        tr.action == "close" and tr.from_state == State.QUEUED for tr in transitions
    )
    if queued_at_close or conv.state is State.QUEUED:
        return "abandoned_in_queue"
    if not _answered(turns, customer[-1]):
        return "unanswered"
    if any(turns[i].intent in _NEGATIVE for i in customer[1:]):
        return "unresolved"
    return "resolved_by_bot"


class WrapUpWriter:
    """Proposes a wrap-up from a conversation's turns and ownership changes, and checks an
    agent's edited version against the same conversation."""

    def __init__(self, dispositions: Dispositions) -> None:
        self.dispositions = dispositions

    def propose(
        self,
        conv: Conversation,
        turns: Sequence[Turn],
        transitions: Sequence[Transition],
        author: str = "system",
        now: datetime | None = None,
    ) -> WrapUp:
        turns = sorted(turns, key=lambda t: t.ts)
        intents = _intents(turns)
        outcome = outcome_of(conv, turns, transitions)
        options = self.dispositions.rank(intents, outcome)
        promised = self._promised(turns)
        return WrapUp(
            conversation_id=conv.id,
            wanted=self._wanted(turns, intents),
            done=self._done(turns, transitions),
            promised=promised,
            next_step=self._next(turns, outcome, promised),
            disposition=options[0].code,
            disposition_label=options[0].label,
            outcome=outcome,  # type: ignore[arg-type]
            intents=intents,
            options=options,
            edited=False,
            author=author,
            ts=now or datetime.now(UTC),
        )

    def _wanted(self, turns: Sequence[Turn], intents: list[str]) -> list[WrapUpLine]:
        lines: list[WrapUpLine] = []
        for intent in intents[:3]:
            asked = [t for t in turns if t.role == "customer" and t.intent == intent]
            lines.append(
                WrapUpLine(
                    text=f"Asked about {self.dispositions.label_of(intent)}: "
                    f"“{_excerpt(asked[0].text)}”",
                    turn_ids=[t.id for t in asked[:5]],
                )
            )
        if not lines:
            first = next((t for t in turns if t.role == "customer"), None)
            if first is not None:
                lines.append(
                    WrapUpLine(text=f"Wrote: “{_excerpt(first.text)}”", turn_ids=[first.id])
                )
        return lines

    def _done(self, turns: Sequence[Turn], transitions: Sequence[Transition]) -> list[WrapUpLine]:
        lines: list[WrapUpLine] = []
        for i, t in enumerate(turns):
            if t.role != "customer" or not t.intent or t.intent in SMALL_TALK:
                continue
            bot = [r for r in _answered(turns, i) if r.role == "bot"]
            if bot and len(lines) < 3:
                lines.append(
                    WrapUpLine(
                        text=f"The bot answered: “{_excerpt(bot[0].text)}”",
                        turn_ids=[t.id, *[r.id for r in bot[:3]]],
                    )
                )
        for tr in transitions:
            cause = _before(turns, tr.ts)
            cite = [cause.id] if cause is not None else []
            if tr.action == "request_handoff":
                lines.append(WrapUpLine(text=f"Handed to a person: {tr.reason}", turn_ids=cite))
            elif tr.action == "claim":
                agent = tr.actor.removeprefix("agent:")
                lines.append(WrapUpLine(text=f"{agent} took the conversation", turn_ids=cite))
            elif tr.action == "hand_back":
                lines.append(WrapUpLine(text="Handed back to the bot", turn_ids=cite))
        for t in turns:
            if t.role != "agent":
                continue
            for s in _sentences(t.text):
                if _DONE.search(s) and not _NOT_DONE.search(s) and not s.endswith("?"):
                    who = str(t.attributes.get("agent_id") or "the agent")
                    lines.append(WrapUpLine(text=f"{who}: “{_excerpt(s)}”", turn_ids=[t.id]))
        return lines[:10]

    def _promised(self, turns: Sequence[Turn]) -> list[WrapUpLine]:
        lines: list[WrapUpLine] = []
        for t in turns:
            if t.role != "agent":
                continue
            for s in _sentences(t.text):
                if _PROMISE.search(s) and not s.endswith("?"):
                    lines.append(WrapUpLine(text=f"“{_excerpt(s)}”", turn_ids=[t.id]))
        return lines[:10]

    def _next(
        self, turns: Sequence[Turn], outcome: str, promised: list[WrapUpLine]
    ) -> list[WrapUpLine]:
        if promised:
            return [
                WrapUpLine(text=f"Keep the promise: {p.text}", turn_ids=p.turn_ids)
                for p in promised[:3]
            ]
        last = next((t for t in reversed(turns) if t.role == "customer"), None)
        cite = [last.id] if last is not None else []
        if outcome in ("unanswered", "abandoned_in_queue"):
            return [
                WrapUpLine(
                    text="Contact the customer: their last message got no answer", turn_ids=cite
                )
            ]
        if outcome == "unresolved":
            return [
                WrapUpLine(text="Follow up: the customer said it was not solved", turn_ids=cite)
            ]
        if outcome == "no_contact":
            return []
        return [WrapUpLine(text="None: resolved in the conversation", turn_ids=cite)]

    def accept(
        self, proposal: WrapUp, draft: WrapUpDraft, turns: Sequence[Turn], author: str
    ) -> WrapUp:
        """The agent's version: cited turns must be this conversation's, the code configured."""
        code = self.dispositions.by_code.get(draft.disposition)
        if code is None:
            raise InvalidWrapUp(
                f"unknown disposition {draft.disposition!r}; configured: "
                + ", ".join(self.dispositions.by_code)
            )
        ids = {t.id for t in turns}
        for section in ("wanted", "done", "promised", "next_step"):
            for line in getattr(draft, section):
                unknown = [i for i in line.turn_ids if i not in ids]
                if unknown:
                    raise InvalidWrapUp(
                        f"{section}: turn {unknown[0]!r} is not in conversation "
                        f"{proposal.conversation_id!r}"
                    )
        fields = ("wanted", "done", "promised", "next_step", "disposition")
        edited = any(
            [ln.model_dump() for ln in getattr(draft, f)]
            != [ln.model_dump() for ln in getattr(proposal, f)]
            if f != "disposition"
            else draft.disposition != proposal.disposition
            for f in fields
        )
        return proposal.model_copy(
            update={
                "wanted": draft.wanted,
                "done": draft.done,
                "promised": draft.promised,
                "next_step": draft.next_step,
                "disposition": code.code,
                "disposition_label": code.label,
                "edited": edited,
                "author": author,
            }
        )


def told(w: WrapUp, turns: Sequence[Turn]) -> list[str]:
    """What the wrap-up's done and promised lines cite an agent as having SAID to the
    customer, in the agent's own words (the cited turns' sentences, never the line's edited
    text or an internal note): what a later conversation may repeat to this customer."""
    agent = {t.id: t for t in turns if t.role == "agent"}
    out: list[str] = []
    for line in [*w.done, *w.promised]:
        for tid in line.turn_ids:
            turn = agent.get(tid)
            if turn is None:
                continue
            for s in _sentences(turn.text):
                said = (_DONE.search(s) or _PROMISE.search(s)) and not s.endswith("?")
                if said and not _NOT_DONE.search(s) and s not in out:
                    out.append(s)
    return out[:3]


def is_promise(sentence: str) -> bool:
    return bool(_PROMISE.search(sentence)) and not sentence.endswith("?")


def render(w: WrapUp) -> str:
    """One text for the timeline and the history index: the problem first (what a later
    search for a like problem matches), then how it was handled."""
    parts = [f"Wrap-up ({w.disposition_label}; {w.outcome.replace('_', ' ')})."]
    for title, lines in (
        ("Wanted", w.wanted),
        ("Done", w.done),
        ("Promised", w.promised),
        ("Next", w.next_step),
    ):
        if lines:
            parts.append(f"{title}: " + "; ".join(ln.text.rstrip(" .;") for ln in lines) + ".")
    return " ".join(parts)
