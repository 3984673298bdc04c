"""Order status from the customer's real orders.

`order_form` finds the order: the number in the message, the customer's only open order,
or (no open order) the latest one; with several open orders it asks which one and checks
the answer against the customer's orders (two wrong answers: a person takes over).
`action_order_status` then answers with the order's status, dates and tracking link."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.api_client import API, ApiError
from actions.common import customer_id, describe_order, handoff, order_numbers
from actions.wording import joined, language_of, order_status, say

MAX_ATTEMPTS = 2
OPEN = {"placed", "paid", "shipped", "in_transit", "out_for_delivery"}


async def _orders(tracker: Tracker) -> list[dict[str, Any]] | None:
    """The customer's orders, newest first; None if the customer or the API is unknown."""
    cid = await customer_id(tracker)
    if not cid:
        return None
    try:
        return list((await API.customer_orders(cid)).get("orders") or [])
    except ApiError:
        return None


class ValidateOrderForm(FormValidationAction):
    def name(self) -> str:
        return "validate_order_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        # nothing to ask when the lookup gave up or there is no order to ask about
        if tracker.get_slot("order_lookup_failed") or not await _orders(tracker):
            return []
        return domain_slots

    async def extract_order_number(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        named = order_numbers(tracker)
        if named:
            return {"order_number": named[0]}
        if tracker.get_slot("requested_slot") == "order_number":
            # the customer answered the question: validate whatever they wrote
            return {"order_number": tracker.latest_message.get("text") or ""}
        orders = await _orders(tracker) or []
        open_orders = [o for o in orders if o.get("status") in OPEN]
        if len(open_orders) == 1:
            return {"order_number": open_orders[0]["id"]}
        if not open_orders and orders:
            return {"order_number": orders[0]["id"]}
        return {}  # several open orders: the form asks (action_ask_order_number)

    async def validate_order_number(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        if value is None:  # a reset, not an answer
            return {"order_number": None}
        orders = await _orders(tracker) or []
        ids = {o["id"] for o in orders}
        if isinstance(value, str) and value.upper() in ids:
            return {"order_number": value.upper(), "order_attempts": 0}
        attempts = int(tracker.get_slot("order_attempts") or 0) + 1
        shown = str(value).strip()[:40]
        lang = language_of(tracker)
        if order_numbers(tracker):
            dispatcher.utter_message(text=say("orders.not_found", lang, shown=shown))
        else:
            dispatcher.utter_message(text=say("orders.not_a_number", lang))
        if attempts >= MAX_ATTEMPTS:
            return {"order_number": None, "order_attempts": attempts, "order_lookup_failed": True}
        return {"order_number": None, "order_attempts": attempts}


class ActionAskOrderNumber(Action):
    """The form's question, naming the customer's open orders."""

    def name(self) -> str:
        return "action_ask_order_number"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = language_of(tracker)
        orders = [o for o in await _orders(tracker) or [] if o.get("status") in OPEN]
        listed = joined(
            [
                say(
                    "orders.item",
                    lang,
                    oid=o["id"],
                    what=o.get("summary") or say("order.your_items", lang),
                    status=order_status(o.get("status", ""), lang),
                )
                for o in orders
            ],
            lang,
        )
        if orders and not tracker.get_slot("order_attempts"):
            text = say("orders.you_have", lang, count=len(orders), listed=listed)
        elif listed:
            text = say("orders.which_of", lang, listed=listed)
        else:
            text = say("orders.which", lang)
        # one button per open order: the customer can click instead of typing the number
        buttons = [{"title": o["id"], "payload": o["id"]} for o in orders]
        dispatcher.utter_message(text=text, buttons=buttons)
        dispatcher.utter_message(json_message={"awaiting": "order_number"})
        return []


class ActionOrderStatus(Action):
    def name(self) -> str:
        return "action_order_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        reset = [
            SlotSet("order_number", None),
            SlotSet("order_attempts", 0),
            SlotSet("order_lookup_failed", None),
        ]
        if tracker.get_slot("order_lookup_failed"):
            reason = "the customer's order number was not recognised"
            return reset + handoff(dispatcher, tracker, reason)
        lang = language_of(tracker)
        cid = await customer_id(tracker)
        if not cid:
            dispatcher.utter_message(text=say("orders.no_account", lang))
            return reset
        try:
            orders = (await API.customer_orders(cid)).get("orders") or []
        except ApiError:
            return reset + handoff(dispatcher, tracker, "the bot could not read the order history")
        wanted = tracker.get_slot("order_number")
        order = next((o for o in orders if o["id"] == wanted), None)
        if order is None:
            dispatcher.utter_message(text=say("orders.none", lang))
            return reset
        dispatcher.utter_message(text=describe_order(order, lang))
        return reset
