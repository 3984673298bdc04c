"""The wrap-up proposed at close: sections that cite their turns, the outcome read from
the transcript and the ownership changes, a disposition code from the configured ones, and
the checks on an agent's edited version."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from api.contract import WrapUpDraft, WrapUpLine
from api.conversations.errors import InvalidWrapUp
from api.conversations.state import State
from api.conversations.store import Conversation, Transition, Turn
from api.conversations.wrapup import Dispositions, WrapUpWriter, outcome_of, render, told

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _conv(state: State = State.CLOSED) -> Conversation:
    return Conversation("conv-1", "C-1", "web", state, 4, "alice", None, None, 0, T0, T0)


class Script:
    """A transcript written line by line, a second apart."""

    def __init__(self) -> None:
        self.turns: list[Turn] = []
        self.transitions: list[Transition] = []

    def _ts(self) -> datetime:
        return T0 + timedelta(seconds=len(self.turns) + len(self.transitions))

    def say(self, role: str, text: str, intent: str | None = None, **attrs: object) -> Turn:
        turn = Turn(f"t{len(self.turns) + 1}", "conv-1", role, text, self._ts(), intent, attrs)
        self.turns.append(turn)
        return turn

    def move(self, action: str, src: State, dst: State, actor: str, reason: str = "") -> None:
        self.transitions.append(Transition(src, dst, action, actor, reason, self._ts()))


@pytest.fixture(scope="module")
def writer() -> WrapUpWriter:
    return WrapUpWriter(Dispositions.load())


def _refund_handled_by_alice() -> Script:
    s = Script()
    s.say("customer", "where is my order ORD-100234?", "track_order")
    s.say("bot", "ORD-100234 is on its way with DHL. It should arrive tomorrow.")
    s.say("customer", "ok and I want a refund for the broken case", "get_refund")
    s.move("request_handoff", State.BOT, State.QUEUED, "bot", "refund needs a person")
    s.say("system", "A colleague will be with you shortly.")
    s.move("claim", State.QUEUED, State.HUMAN, "agent:alice", "claimed")
    s.say(
        "agent",
        "Hi Emma. I have issued the refund for the case. "
        "You will receive it within 5 business days. Anything else?",
        agent_id="alice",
    )
    s.say("customer", "thanks", "thank_you")
    s.move("close", State.HUMAN, State.CLOSED, "agent:alice", "solved")
    return s


def test_each_section_cites_the_turns_it_comes_from(writer: WrapUpWriter) -> None:
    s = _refund_handled_by_alice()
    w = writer.propose(_conv(), s.turns, s.transitions, "agent:alice")
    assert w.intents == ["track_order", "get_refund"]  # small talk ("thanks") left out
    assert [ln.turn_ids for ln in w.wanted] == [["t1"], ["t3"]]
    assert "ORD-100234" in w.wanted[0].text and "a refund" in w.wanted[1].text
    done = {ln.text: ln.turn_ids for ln in w.done}
    bot = next(t for t in done if t.startswith("The bot answered"))
    assert done[bot] == ["t1", "t2"] and "on its way" in bot
    assert done["Handed to a person: refund needs a person"] == ["t3"]
    assert done["alice took the conversation"] == ["t3"]
    assert not any("Hi Emma" in t for t in done)  # a greeting is not an action
    issued = next(t for t in done if "issued the refund" in t)
    assert done[issued] == ["t5"] and "Anything else" not in issued
    assert [ln.text for ln in w.promised] == ["“You will receive it within 5 business days.”"]
    assert w.promised[0].turn_ids == ["t5"]
    assert w.next_step[0].text.startswith("Keep the promise") and w.next_step[0].turn_ids == ["t5"]
    assert w.outcome == "follow_up"
    # the first request weighs double: order status beats the refund and the follow-up code
    assert w.disposition == "ORD-STATUS" and w.disposition_label == "Order status / delivery"
    assert [o.code for o in w.options][:3] == ["ORD-STATUS", "FOLLOW-UP", "REFUND"]
    assert not w.edited and w.author == "agent:alice"
    text = render(w)
    assert text.index("Wanted:") < text.index("Done:") < text.index("Promised:")


def test_greetings_and_questions_are_neither_actions_nor_promises(writer: WrapUpWriter) -> None:
    s = Script()
    s.say("customer", "I want a refund", "get_refund")
    s.move("request_handoff", State.BOT, State.QUEUED, "bot", "asked")
    s.move("claim", State.QUEUED, State.HUMAN, "agent:bob", "claimed")
    s.say("agent", "Will you send me a photo? I need the order number.", agent_id="bob")
    w = writer.propose(_conv(), s.turns, s.transitions)
    assert w.promised == [] and not any("photo" in ln.text for ln in w.done)
    assert w.outcome == "resolved_by_agent"
    assert w.next_step[0].text == "None: resolved in the conversation"


@pytest.mark.parametrize(
    ("script", "outcome", "code"),
    [
        ("silent", "no_contact", "NO-ANSWER"),
        ("queued", "abandoned_in_queue", "NO-ANSWER"),
        ("bot_ok", "resolved_by_bot", "ORD-STATUS"),
        ("bot_no", "unresolved", "ORD-STATUS"),
        ("no_reply", "unanswered", "NO-ANSWER"),
    ],
)
def test_the_outcome_is_read_from_the_transcript(
    writer: WrapUpWriter, script: str, outcome: str, code: str
) -> None:
    s = Script()
    if script != "silent":
        s.say("customer", "where is my order?", "track_order")
    if script in ("bot_ok", "bot_no"):
        s.say("bot", "It is on its way. Is your issue solved?")
    if script == "bot_no":
        s.say("customer", "no", "deny")
        s.say("bot", "Sorry about that.")
    if script == "queued":
        s.move("request_handoff", State.BOT, State.QUEUED, "bot", "asked")
        s.move("close", State.QUEUED, State.CLOSED, "customer", "left")
    w = writer.propose(_conv(), s.turns, s.transitions)
    assert outcome_of(_conv(), s.turns, s.transitions) == outcome == w.outcome
    assert w.disposition == code
    if outcome in ("unanswered", "abandoned_in_queue"):
        assert w.next_step[0].text.startswith("Contact the customer")
        assert w.next_step[0].turn_ids == ["t1"]


def test_an_edited_wrapup_is_checked_and_marked_edited(writer: WrapUpWriter) -> None:
    s = _refund_handled_by_alice()
    proposal = writer.propose(_conv(), s.turns, s.transitions, "system")
    same = WrapUpDraft(
        wanted=proposal.wanted,
        done=proposal.done,
        promised=proposal.promised,
        next_step=proposal.next_step,
        disposition=proposal.disposition,
    )
    kept = writer.accept(proposal, same, s.turns, "agent:alice")
    assert not kept.edited and kept.author == "agent:alice"
    changed = same.model_copy(
        update={
            "disposition": "REFUND",
            "next_step": [WrapUpLine(text="Check the refund reached the card", turn_ids=["t5"])],
        }
    )
    saved = writer.accept(proposal, changed, s.turns, "agent:alice")
    assert saved.edited and saved.disposition == "REFUND" and saved.disposition_label == "Refund"
    assert saved.next_step[0].text == "Check the refund reached the card"
    assert saved.intents == proposal.intents and saved.outcome == proposal.outcome
    with pytest.raises(InvalidWrapUp, match="unknown disposition 'MADE-UP'"):
        writer.accept(proposal, same.model_copy(update={"disposition": "MADE-UP"}), s.turns, "a")
    foreign = same.model_copy(update={"done": [WrapUpLine(text="x", turn_ids=["t99"])]})
    with pytest.raises(InvalidWrapUp, match="turn 't99' is not in conversation 'conv-1'"):
        writer.accept(proposal, foreign, s.turns, "a")


def test_a_site_configures_its_own_codes(tmp_path: Path) -> None:
    path = tmp_path / "codes.yml"
    path.write_text(
        "codes:\n"
        "  - {code: WISMO, label: Where is my order, intents: [track_order]}\n"
        "  - {code: OTHER, label: Other, intents: []}\n"
        "default: OTHER\n"
        "intent_labels: {track_order: a parcel}\n",
        "utf-8",
    )
    writer = WrapUpWriter(Dispositions.load(path))
    s = Script()
    s.say("customer", "where is my order?", "track_order")
    s.say("bot", "On its way.")
    w = writer.propose(_conv(), s.turns, s.transitions)
    assert w.disposition == "WISMO" and w.wanted[0].text.startswith("Asked about a parcel")
    s2 = Script()
    s2.say("customer", "the weather is nice", None)
    assert writer.propose(_conv(), s2.turns, s2.transitions).disposition == "OTHER"
    bad = tmp_path / "bad.yml"
    bad.write_text("codes: [{code: A, label: A}]\ndefault: B\n", "utf-8")
    with pytest.raises(ValueError, match="default disposition 'B' is not one of the codes"):
        Dispositions.load(bad)


def test_what_the_customer_was_told_is_the_agents_own_words(writer: WrapUpWriter) -> None:
    s = _refund_handled_by_alice()
    w = writer.propose(_conv(), s.turns, s.transitions)
    assert told(w, s.turns) == [
        "I have issued the refund for the case.",
        "You will receive it within 5 business days.",
    ]
    # an agent's edit is a note, not something said to the customer: it is not repeated
    note = [WrapUpLine(text="VIP, be generous", turn_ids=[])]
    assert told(w.model_copy(update={"done": note, "promised": note}), s.turns) == []
    # a line citing the customer's turn repeats nothing either
    cites_customer = [WrapUpLine(text="refund", turn_ids=["t3"])]
    assert told(w.model_copy(update={"done": cites_customer, "promised": []}), s.turns) == []
