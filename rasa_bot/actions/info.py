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
from actions.wording import DEFAULT_LANGUAGE, joined, language_of, money, say

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
# the places' Chinese names: to answer in Chinese, and to find them in a Chinese message
# (written without spaces between words)
ZH_NAMES = {
    "lyon": "里昂", "paris": "巴黎", "marseille": "马赛", "lille": "里尔", "bordeaux": "波尔多",
    "toulouse": "图卢兹", "nice": "尼斯", "nantes": "南特", "strasbourg": "斯特拉斯堡",
    "montpellier": "蒙彼利埃", "rennes": "雷恩", "grenoble": "格勒诺布尔",
    "brussels": "布鲁塞尔", "bruxelles": "布鲁塞尔", "antwerp": "安特卫普", "liege": "列日",
    "geneva": "日内瓦", "zurich": "苏黎世", "lausanne": "洛桑", "berlin": "柏林",
    "munich": "慕尼黑", "hamburg": "汉堡", "cologne": "科隆",
    "Belgium": "比利时", "Switzerland": "瑞士", "Germany": "德国",
}  # fmt: skip


def city_in(text: str) -> str | None:
    words = {w.strip(".,;:!?'\"()").lower() for w in text.split()}
    for city in sorted(FRANCE | set(ABROAD)):
        if city in words or ZH_NAMES[city] in text:
            return city
    return None


def _place(name: str, lang: str) -> str:
    """A city or country as the answer names it: "Lyon", "里昂"."""
    return ZH_NAMES.get(name, name) if lang == "zh" else name.title()


def delivery_answer(city: str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    options = say("delivery.options", lang)
    key = (city or "").lower()
    if key in ABROAD:
        country = _place(ABROAD[key], lang)
        return say(
            "delivery.abroad", lang, city=_place(key, lang), country=country, options=options
        )
    if key in FRANCE:
        text = say("delivery.france", lang, city=_place(key, lang), options=options)
        if key == "lyon":
            text += say("delivery.lyon_store", lang)
        return text
    return say("delivery.anywhere", lang, options=options)


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
        lang = language_of(tracker)
        data = await _customer(tracker) or {}
        city = city_in(tracker.latest_message.get("text") or "")
        if city is None:
            city = ((data.get("customer") or {}).get("city") or "").lower() or None
        dispatcher.utter_message(text=delivery_answer(city, lang))
        open_orders = [o for o in data.get("orders") or [] if o.get("eta") and o.get("is_open")]
        if open_orders:
            dispatcher.utter_message(text=describe_order(open_orders[0], lang))
        return []


class ActionRefundStatus(Action):
    def name(self) -> str:
        return "action_refund_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = language_of(tracker)
        cid = await customer_id(tracker)
        if not cid:
            dispatcher.utter_message(text=say("refunds.no_account", lang))
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
            dispatcher.utter_message(text=say("refunds.none", lang))
            return []
        for order_id, e in list(latest.items())[:3]:
            day = when(e.get("ts"), lang) or say("recently", lang)
            key = "refunds.issued" if e["type"] == "refund_issued" else "refunds.return_registered"
            dispatcher.utter_message(text=say(key, lang, order_id=order_id, day=day))
        return []


class ActionInvoices(Action):
    def name(self) -> str:
        return "action_invoices"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = language_of(tracker)
        where = say("invoices.where", lang)
        data = await _customer(tracker) or {}
        billed = [o for o in data.get("orders") or [] if o.get("status") != "cancelled"]
        if not billed:
            dispatcher.utter_message(text=say("invoices.none", lang, where=where))
            return []
        named = order_numbers(tracker)
        picked = [o for o in billed if o["id"] in named] or billed[:3]
        listed = joined(
            [
                say(
                    "invoices.item",
                    lang,
                    oid=o["id"],
                    day=when(o.get("placed_at"), lang) or say("unknown_day", lang),
                    amount=money(o.get("total", 0), o.get("currency", "EUR"), lang),
                )
                for o in picked
            ],
            lang,
        )
        dispatcher.utter_message(text=say("invoices.latest", lang, where=where, listed=listed))
        return []
