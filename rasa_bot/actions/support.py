"""Hand-off to a person, the fallback, and what happens when an agent hands back: the bot
asks whether the issue is solved and for a 1-5 rating, stored in the API as feedback."""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.api_client import API, ApiError
from actions.common import handoff
from actions.wording import language_of, say

log = logging.getLogger(__name__)
FALLBACKS_BEFORE_HANDOFF = 2
REASONS = {
    "contact_human_agent": "the customer asked for a person",
    "complaint": "complaint: a person handles complaints",
}
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
YES = re.compile(r"\b(yes|yeah|yep|solved|fixed|works|sorted)\b", re.IGNORECASE)
NO = re.compile(r"\b(no|nope|not)\b", re.IGNORECASE)
# Chinese answers: a negation (没, 不, 否, 未) says no, except in 没问题 / 不错 ("no problem",
# "not bad"); then 是, 对, 好, 行, 嗯, 谢, 解决, 可以, 没问题, 不错 say yes
ZH_NO = re.compile(r"(?!没问题|不错)[没不否未]")
ZH_YES = re.compile(r"[是对好行嗯谢]|解决|可以|没问题|不错")
CJK = re.compile(r"[\u3400-\u9fff]")
# a Chinese rating: a digit among Chinese words ("打4分"), or a numeral with 分 / 星 ("五星")
ZH_DIGIT = re.compile(r"(?<![0-9.])([1-5])(?![0-9.])")
ZH_NUMERAL = re.compile(r"([一二两三四五])\s*[分星颗]|^\s*([一二两三四五])\s*$")
ZH_NUMBERS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        intent = str((tracker.latest_message.get("intent") or {}).get("name") or "")
        return handoff(dispatcher, tracker, REASONS.get(intent, "the bot asked for a person"))


def trailing_fallbacks(tracker: Tracker) -> int:
    """How many of the latest user messages in a row were not understood."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        name = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if name != "nlu_fallback":
            break
        count += 1
    return count


class ActionFallback(Action):
    """Ask to rephrase; hand off when the intent service is down, or on the second
    message in a row the bot did not understand."""

    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        error = next(
            (
                e.get("value")
                for e in tracker.latest_message.get("entities", [])
                if e.get("entity") == "nlu_error"
            ),
            None,
        )
        if error:
            return handoff(dispatcher, tracker, str(error))
        misses = trailing_fallbacks(tracker)
        if misses >= FALLBACKS_BEFORE_HANDOFF:
            return handoff(
                dispatcher, tracker, f"the bot did not understand {misses} messages in a row"
            )
        dispatcher.utter_message(response="utter_please_rephrase")
        return []


class ActionHandedBack(Action):
    """An agent gave the conversation back (intent EXTERNAL_handed_back, triggered by the
    API): forget any half-done form and start the feedback questions afresh."""

    def name(self) -> str:
        return "action_handed_back"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(text=say("support.handed_back", language_of(tracker)))
        return [
            SlotSet(name, None)
            for name in ("issue_solved", "rating", "order_number", "order_lookup_failed")
        ]


def _yes_no(tracker: Tracker) -> bool | None:
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if intent in ("affirm", "thank_you"):
        return True
    if intent == "deny":
        return False
    text = tracker.latest_message.get("text") or ""
    if NO.search(text) or ZH_NO.search(text):
        return False
    if YES.search(text) or ZH_YES.search(text):
        return True
    return None


def _rating(text: str) -> int | None:
    digits = re.findall(r"\b([1-5])\b", text)
    if digits:
        return int(digits[0])
    words = [NUMBERS[w] for w in re.findall(r"[a-z]+", text.lower()) if w in NUMBERS]
    if words:
        return words[0]
    if not CJK.search(text):
        return None
    digit = ZH_DIGIT.search(text)  # \b finds no edge between a digit and a Han character
    if digit:
        return int(digit.group(1))
    numeral = ZH_NUMERAL.search(text)
    return ZH_NUMBERS[numeral.group(1) or numeral.group(2)] if numeral else None


class ValidateFeedbackForm(FormValidationAction):
    def name(self) -> str:
        return "validate_feedback_form"

    async def extract_issue_solved(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "issue_solved":
            return {}
        answer = _yes_no(tracker)
        return {"issue_solved": answer if answer is not None else "unclear"}

    def validate_issue_solved(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None or isinstance(value, bool):  # None: reset, not an answer
            return {"issue_solved": value}
        dispatcher.utter_message(text=say("support.solved_yes_or_no", language_of(tracker)))
        return {"issue_solved": None}

    async def extract_rating(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "rating":
            return {}
        value = _rating(tracker.latest_message.get("text") or "")
        return {"rating": value if value is not None else "unclear"}

    def validate_rating(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None or (isinstance(value, int) and 1 <= value <= 5):
            return {"rating": value}
        dispatcher.utter_message(text=say("support.rating_range", language_of(tracker)))
        return {"rating": None}


class ActionStoreRating(Action):
    """POST /v1/feedback {kind: rating}: the customer's 1-5 rating and whether it is solved."""

    def name(self) -> str:
        return "action_store_rating"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        rating, solved = tracker.get_slot("rating"), tracker.get_slot("issue_solved")
        body = {
            "kind": "rating",
            "action": "rated",
            "conversation_id": tracker.sender_id,
            "rating": int(rating),
            "resolved": bool(solved),
            "text": tracker.latest_message.get("text") or "",
        }
        try:
            await API.post("/v1/feedback", body)
        except ApiError as exc:  # the customer is thanked anyway
            log.warning("rating of %s not stored: %s", tracker.sender_id, exc)
        key = "support.thanks_solved" if solved else "support.thanks_unsolved"
        dispatcher.utter_message(text=say(key, language_of(tracker)))
        return [SlotSet("issue_solved", None), SlotSet("rating", None)]
