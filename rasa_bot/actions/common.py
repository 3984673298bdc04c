"""What several actions share: who the customer is, the hand-off, an order in words (the
texts themselves are in wording.py)."""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ConversationPaused, EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import trust
from actions.api_client import API, ApiError
from actions.wording import DEFAULT_LANGUAGE, day, language_of, order_status, say

log = logging.getLogger(__name__)

ORDER_RE = re.compile(r"\bORD-?(\d{3,})\b", re.IGNORECASE)
# what the API's conversation ids (Rasa's sender ids, e.g. conv_...) look like; a sender id
# that is not one is never put into an API path
CONVERSATION_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,128}")
# actions that say nothing about what the bot did for the customer
_QUIET = {"action_listen", "action_session_start", "action_extract_slots", "action_handoff"}


def _claimed_customer(tracker: Tracker) -> tuple[Any, Any] | None:
    """(customer_id, signature) as the newest message's metadata claims them, else as the
    session's start metadata does; None when nothing names a customer."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            meta = event.get("metadata") or {}
            if isinstance(meta, dict) and meta.get("customer_id"):
                return meta["customer_id"], meta.get(trust.SIGNATURE_KEY)
    started = tracker.get_slot("session_started_metadata") or {}
    if isinstance(started, dict) and started.get("customer_id"):
        return started["customer_id"], started.get(trust.SIGNATURE_KEY)
    return None


async def customer_id(tracker: Tracker) -> str | None:
    """The customer of this conversation. The API sends `customer_id` in the metadata of
    every message, signed for this conversation (actions/trust.py): it is believed only
    when the signature verifies for the tracker's sender id. Otherwise (no secret here, no
    or a wrong signature) the API's record of the conversation (sender id = conversation
    id) decides."""
    claimed = _claimed_customer(tracker)
    secret = trust.bot_secret()
    if claimed is not None and secret:
        cid, sig = claimed
        if trust.verify(secret, tracker.sender_id, cid, sig):
            return str(cid)
        # never log the metadata itself: the ids and signature are the caller's to prove
        log.warning(
            "conversation %r: the customer id in the metadata is not signed by the API; ignored",
            str(tracker.sender_id)[:80],
        )
    if not CONVERSATION_ID_RE.fullmatch(str(tracker.sender_id)):
        return None  # not one of the API's conversation ids: nothing to ask the API
    try:
        return await API.conversation_customer(tracker.sender_id)
    except ApiError as exc:
        log.info("no customer for %r: %s", tracker.sender_id, exc)
        return None


def order_numbers(tracker: Tracker) -> list[str]:
    """Order numbers in the latest message (the product's entities, then a regex)."""
    found = [
        str(e.get("value")).upper()
        for e in tracker.latest_message.get("entities", [])
        if e.get("entity") == "order_number" and e.get("value")
    ]
    text = tracker.latest_message.get("text") or ""
    found += [f"ORD-{m.group(1)}" for m in ORDER_RE.finditer(text)]
    return list(dict.fromkeys(found))


def when(iso: str | None, language: str = DEFAULT_LANGUAGE) -> str | None:
    """A date in the customer's language ("Tuesday 1 December", "12月1日（周二）")."""
    return day(iso, language)


def bot_summary(tracker: Tracker) -> str:
    """What the bot did in this conversation, in one line for the agent's hand-off packet."""
    intents: list[str] = []
    actions: list[str] = []
    for event in tracker.events:
        if event.get("event") == "user":
            name = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if name and name not in intents:
                intents.append(name)
        elif event.get("event") == "action":
            name = event.get("name") or ""
            if name not in _QUIET and name not in actions:
                actions.append(name)
    parts = [f"The bot saw {', '.join(intents) or 'no clear request'}"]
    if actions:
        parts.append(f"and ran {', '.join(actions)}")
    order = tracker.get_slot("order_number")
    if order:
        parts.append(f"about order {order}")
    return " ".join(parts) + "."


def handoff(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str) -> list[EventType]:
    """Hand the conversation to a person.

    The action does NOT call the API's hand-off endpoint: the API is waiting for Rasa's
    REST webhook to answer this very turn, and its hand-off pauses Rasa's tracker through
    Rasa's HTTP API, which waits for the conversation lock the webhook holds: a deadlock
    (until both time out). Instead the bot sends a custom message that the API's turn
    router turns into a hand-off (reason + this summary in the packet) once the webhook
    has returned, and pauses its own tracker. The API appends `resume` + `action_listen`
    when an agent hands the conversation back. The customer is told in their language; the
    reason and summary are for the agents and stay in English."""
    dispatcher.utter_message(text=say("handoff", language_of(tracker)))
    dispatcher.utter_message(
        json_message={"handoff": True, "reason": reason, "summary": bot_summary(tracker)}
    )
    return [ConversationPaused()]


def describe_order(order: dict[str, Any], lang: str = DEFAULT_LANGUAGE) -> str:
    """One order's status in words (in `lang`), with its tracking link and dates."""
    oid, what = order["id"], order.get("summary") or say("order.your_items", lang)
    status = order.get("status", "")
    carrier = order.get("carrier")
    link = order.get("tracking_url")
    eta = when(order.get("eta"), lang)
    if status in ("shipped", "in_transit", "out_for_delivery"):
        state = "order.out_for_delivery" if status == "out_for_delivery" else "order.on_its_way"
        text = say(state, lang, oid=oid, what=what)
        text += say("order.with_carrier", lang, carrier=carrier) if carrier else ""
        if eta and status != "out_for_delivery":
            text += say("order.expected", lang, eta=eta)
        else:
            text += say("order.end", lang)
        if link:
            text += say("order.follow", lang, link=link)
        return text
    if status in ("placed", "paid"):
        text = say("order.preparing", lang, oid=oid, what=what)
        if eta and carrier:
            text += say("order.should_arrive_with", lang, eta=eta, carrier=carrier)
        elif eta:
            text += say("order.should_arrive", lang, eta=eta)
        return text
    if status == "delivered":
        delivered = when(order.get("delivered_at"), lang)
        if delivered:
            return say("order.delivered_on", lang, oid=oid, what=what, day=delivered)
        return say("order.delivered", lang, oid=oid, what=what)
    if status in ("cancelled", "returned", "refunded"):
        return say(f"order.{status}", lang, oid=oid, what=what)
    return say("order.other", lang, oid=oid, what=what, status=order_status(status, lang))
