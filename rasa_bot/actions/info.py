"""Answers that mix the shop's policies with the customer's facts: delivery options and
times (to the city they name, or their own), refund status, invoices."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.api_client import API, ApiError
from actions.common import customer_id, describe_order, order_numbers, when

# delivery times by destination (data/responses/knowledge.yml, "Delivery options and times")
FRANCE = {
    "lyon", "paris", "marseille", "lille", "bordeaux", "toulouse", "nice", "nantes",
    "strasbourg", "montpellier", "rennes", "grenoble",
}  # fmt: skip
ABROAD = {
    "brussels": "Belgium", "bruxelles": "Belgium", "antwerp": "Belgium", "liege": "Belgium",
    "geneva": "Switzerland", "zurich": "Switzerland", "lausanne": "Switzerland",
    "berlin": "Germany", "munich": "Germany", "hamburg": "Germany", "cologne": "Germany",
}  # fmt: skip
OPTIONS = (
    "Express delivery (Chronopost) arrives the next working day when you order before 2pm, "
    "and pickup points take 3-4 working days. Delivery is free above 50 euros, otherwise "
    "4.90 euros (express 9.90 euros)."
)


def city_in(text: str) -> str | None:
    words = {w.strip(".,;:!?'\"()").lower() for w in text.split()}
    for city in sorted(FRANCE | set(ABROAD)):
        if city in words:
            return city
    return None


def delivery_answer(city: str | None) -> str:
    if city and city.lower() in ABROAD:
        return (
            f"To {city.title()} ({ABROAD[city.lower()]}), standard delivery takes 3-5 working "
            f"days. {OPTIONS}"
        )
    if city and city.lower() in FRANCE:
        text = f"To {city.title()}, standard delivery arrives in 2 working days. {OPTIONS}"
        if city.lower() == "lyon":
            text += " You can also collect your order for free at our Lyon Part-Dieu store."
        return text
    return (
        "Standard delivery takes 2-3 working days in mainland France, 3-5 working days to "
        f"Belgium, Switzerland and Germany. {OPTIONS}"
    )


async def _customer(tracker: Tracker) -> dict[str, Any] | None:
    cid = await customer_id(tracker)
    if not cid:
        return None
    try:
        return await API.customer_orders(cid)
    except ApiError:
        return None


class ActionDeliveryInfo(Action):
    def name(self) -> str:
        return "action_delivery_info"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        data = await _customer(tracker) or {}
        city = city_in(tracker.latest_message.get("text") or "")
        if city is None:
            city = ((data.get("customer") or {}).get("city") or "").lower() or None
        dispatcher.utter_message(text=delivery_answer(city))
        open_orders = [o for o in data.get("orders") or [] if o.get("eta") and o.get("is_open")]
        if open_orders:
            dispatcher.utter_message(text=describe_order(open_orders[0]))
        return []


class ActionRefundStatus(Action):
    def name(self) -> str:
        return "action_refund_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        cid = await customer_id(tracker)
        if not cid:
            dispatcher.utter_message(
                text="I can't see your customer account in this chat. Refunds are issued "
                "within 5 working days of receiving the returned item."
            )
            return []
        try:
            events = (await API.get(f"/v1/customers/{cid}/timeline?limit=300")).get("events", [])
        except ApiError:
            events = []
        latest: dict[str, dict[str, Any]] = {}
        for e in events:  # newest first: keep the newest refund step of each order
            if e.get("type") in ("refund_issued", "refund_requested", "return_started"):
                latest.setdefault(e.get("order_id") or "?", e)
        if not latest:
            dispatcher.utter_message(
                text="I can't see any return or refund on your account. To get a refund, "
                "start a return from 'My Orders'; we refund within 5 working days of "
                "receiving the item."
            )
            return []
        for order_id, e in list(latest.items())[:3]:
            day = when(e.get("ts")) or "recently"
            if e["type"] == "refund_issued":
                text = (
                    f"The refund for order {order_id} was issued on {day}. Card refunds take "
                    "3-5 working days to appear on your statement, PayPal 1 working day."
                )
            else:
                text = (
                    f"Your return for order {order_id} was registered on {day}. The refund is "
                    "issued within 5 working days of receiving the item; you'll get an e-mail."
                )
            dispatcher.utter_message(text=text)
        return []


class ActionInvoices(Action):
    def name(self) -> str:
        return "action_invoices"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        how = "Invoices are under 'My Orders': open the order and choose 'Invoice (PDF)'."
        data = await _customer(tracker) or {}
        billed = [o for o in data.get("orders") or [] if o.get("status") != "cancelled"]
        if not billed:
            dispatcher.utter_message(text=how + " An invoice is issued when an order ships.")
            return []
        named = order_numbers(tracker)
        picked = [o for o in billed if o["id"] in named] or billed[:3]
        listed = "; ".join(
            f"{o['id']} of {when(o.get('placed_at')) or '?'}, {o.get('total', 0):.2f} "
            f"{o.get('currency', 'EUR')}"
            for o in picked
        )
        dispatcher.utter_message(text=f"{how} Your latest invoices: {listed}.")
        return []
