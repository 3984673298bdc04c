"""Everything the actions say to the customer, in each language the bot serves: English
(`en`, the default) and Simplified Chinese (`zh`). The static answers are responses in
domain.yml, with a Chinese variation each; this catalogue holds the texts the actions
compose from the customer's facts (orders, dates, amounts, what an agent said before).

The language is the tracker's `language` slot, filled every turn from the `language`
entity that the NLU component takes from the API's analysis. Agent-facing texts (the
hand-off reason and summary) stay in English: they are not here.

Standard library only, so the catalogue can be checked outside the Rasa virtualenv
(tests/rasa/test_rasa_language.py). To add a language: add it to LANGUAGES, give every
key below a text in it (the test fails on a missing one), and add it to domain.yml.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

LANGUAGES = ("en", "zh")
DEFAULT_LANGUAGE = "en"
SLOT = "language"  # the tracker slot (domain.yml) that holds the customer's language

WORDING: dict[str, dict[str, str]] = {
    # --- common ---------------------------------------------------------------------------
    "handoff": {
        "en": "I'll pass you to a colleague now.",
        "zh": "好的，我这就为您转接同事。",
    },
    "recently": {"en": "recently", "zh": "近日"},
    "list_separator": {"en": "; ", "zh": "；"},
    # --- one order's status (describe_order) ----------------------------------------------
    "order.your_items": {"en": "your items", "zh": "您购买的商品"},
    "order.on_its_way": {
        "en": "Your order {oid} ({what}) is on its way",
        "zh": "您的订单 {oid}（{what}）正在配送途中",
    },
    "order.out_for_delivery": {
        "en": "Your order {oid} ({what}) is out for delivery today",
        "zh": "您的订单 {oid}（{what}）今天正在派送",
    },
    "order.with_carrier": {"en": " with {carrier}", "zh": "，由 {carrier} 承运"},
    "order.expected": {"en": ", expected on {eta}.", "zh": "，预计{eta}送达。"},
    "order.end": {"en": ".", "zh": "。"},
    "order.follow": {
        "en": " You can follow it here: {link}",
        "zh": "您可以在这里查看物流：{link}",
    },
    "order.preparing": {
        "en": "Your order {oid} ({what}) is paid and being prepared: it has not shipped yet.",
        "zh": "您的订单 {oid}（{what}）已付款，正在备货中，还没有发货。",
    },
    "order.should_arrive": {
        "en": " It should arrive on {eta}.",
        "zh": "预计{eta}送达。",
    },
    "order.should_arrive_with": {
        "en": " It should arrive on {eta} with {carrier}.",
        "zh": "预计{eta}由 {carrier} 送达。",
    },
    "order.delivered": {
        "en": "Your order {oid} ({what}) was delivered.",
        "zh": "您的订单 {oid}（{what}）已经送达。",
    },
    "order.delivered_on": {
        "en": "Your order {oid} ({what}) was delivered on {day}.",
        "zh": "您的订单 {oid}（{what}）已于{day}送达。",
    },
    "order.cancelled": {
        "en": "Your order {oid} ({what}) was cancelled.",
        "zh": "您的订单 {oid}（{what}）已取消。",
    },
    "order.returned": {
        "en": "Your order {oid} ({what}) was returned.",
        "zh": "您的订单 {oid}（{what}）已退货。",
    },
    "order.refunded": {
        "en": "Your order {oid} ({what}) was refunded.",
        "zh": "您的订单 {oid}（{what}）已退款。",
    },
    "order.other": {
        "en": "Your order {oid} ({what}) is {status}.",
        "zh": "您的订单 {oid}（{what}）目前的状态是：{status}。",
    },
    # --- the order form (orders.py) -------------------------------------------------------
    "orders.no_account": {
        "en": "I can't see your customer account in this chat, so I can't look up your "
        "orders. Please sign in and ask again, or ask for a person.",
        "zh": "在这个对话里我看不到您的客户账户，所以暂时无法查询订单。请您登录后再问我一次，"
        "或者让我为您转接人工客服。",
    },
    "orders.none": {
        "en": "I can't find any order on your account. If you ordered as a guest, the "
        "confirmation e-mail has a tracking link.",
        "zh": "您的账户下没有找到任何订单。如果您是以访客身份下单的，订单确认邮件里有物流跟踪链接。",
    },
    "orders.item": {"en": "{oid} ({what}, {status})", "zh": "{oid}（{what}，{status}）"},
    "orders.which": {
        "en": "Which order do you mean? Please give me its order number.",
        "zh": "请问您指的是哪个订单？请告诉我订单号。",
    },
    "orders.which_of": {
        "en": "Which order do you mean? Please give me its order number: {listed}.",
        "zh": "请问您指的是哪个订单？请告诉我订单号：{listed}。",
    },
    "orders.you_have": {
        "en": "You have {count} open orders: {listed}. Which one do you mean?",
        "zh": "您目前有 {count} 个进行中的订单：{listed}。请问您指的是哪一个？",
    },
    "orders.not_found": {
        "en": "I can't find {shown} among your orders.",
        "zh": "在您的订单中没有找到 {shown}。",
    },
    "orders.not_a_number": {
        "en": "Sorry, that doesn't look like one of your order numbers (they look like ORD-12345).",
        "zh": "抱歉，这看起来不像您的订单号（订单号的格式类似 ORD-12345）。",
    },
    # --- delivery, refunds, invoices (info.py) --------------------------------------------
    "delivery.options": {
        "en": "Express delivery (Chronopost) arrives the next working day when you order "
        "before 2pm, and pickup points take 3-4 working days. Delivery is free above 50 "
        "euros, otherwise 4.90 euros (express 9.90 euros).",
        "zh": "选择快递（Chronopost）的话，下午2点前下单，下一个工作日即可送达；送到自提点需要"
        "3-4个工作日。订单满50欧元免运费，否则运费为4.90欧元（快递为9.90欧元）。",
    },
    "delivery.abroad": {
        "en": "To {city} ({country}), standard delivery takes 3-5 working days. {options}",
        "zh": "寄往{country}{city}，标准配送需要3-5个工作日。{options}",
    },
    "delivery.france": {
        "en": "To {city}, standard delivery arrives in 2 working days. {options}",
        "zh": "寄往{city}，标准配送2个工作日内送达。{options}",
    },
    "delivery.lyon_store": {
        "en": " You can also collect your order for free at our Lyon Part-Dieu store.",
        "zh": "您也可以到我们位于里昂 Part-Dieu 的门店免费自提。",
    },
    "delivery.anywhere": {
        "en": "Standard delivery takes 2-3 working days in mainland France, 3-5 working days "
        "to Belgium, Switzerland and Germany. {options}",
        "zh": "标准配送在法国本土需要2-3个工作日，寄往比利时、瑞士和德国需要3-5个工作日。{options}",
    },
    "refunds.no_account": {
        "en": "I can't see your customer account in this chat. Refunds are issued within 5 "
        "working days of receiving the returned item.",
        "zh": "在这个对话里我看不到您的客户账户。我们会在收到退货后的5个工作日内为您退款。",
    },
    "refunds.none": {
        "en": "I can't see any return or refund on your account. To get a refund, start a "
        "return from 'My Orders'; we refund within 5 working days of receiving the item.",
        "zh": "您的账户下没有退货或退款记录。如需退款，请在“我的订单”中申请退货；我们会在收到"
        "商品后的5个工作日内为您退款。",
    },
    "refunds.issued": {
        "en": "The refund for order {order_id} was issued on {day}. Card refunds take 3-5 "
        "working days to appear on your statement, PayPal 1 working day.",
        "zh": "订单 {order_id} 的退款已于{day}发出。银行卡退款一般需要3-5个工作日到账，"
        "PayPal 需要1个工作日。",
    },
    "refunds.return_registered": {
        "en": "Your return for order {order_id} was registered on {day}. The refund is "
        "issued within 5 working days of receiving the item; you'll get an e-mail.",
        "zh": "订单 {order_id} 的退货已于{day}登记。我们会在收到商品后的5个工作日内退款，"
        "届时会发邮件通知您。",
    },
    "invoices.where": {
        "en": "Invoices are under 'My Orders': open the order and choose 'Invoice (PDF)'.",
        "zh": "发票在“我的订单”里：打开对应的订单，选择“发票（PDF）”即可。",
    },
    "invoices.none": {
        "en": "{where} An invoice is issued when an order ships.",
        "zh": "{where}订单发货时会开具发票。",
    },
    "invoices.latest": {
        "en": "{where} Your latest invoices: {listed}.",
        "zh": "{where}您最近的发票：{listed}。",
    },
    "invoices.item": {
        "en": "{oid} of {day}, {amount}",
        "zh": "{oid}：{day}下单，{amount}",
    },
    "unknown_day": {"en": "?", "zh": "日期不详"},
    # --- what an agent told the customer before (history.py) ------------------------------
    "history.told_before": {
        "en": "You told us about this before: on {day}, our colleague said “{said}”",
        "zh": "您之前也反映过这个问题。{day}我们的同事曾告诉您：“{said}”",
    },
    # --- hand-back, the feedback form, the rating (support.py) ----------------------------
    "support.handed_back": {
        "en": "Hi again, it's the Northwind assistant.",
        "zh": "您好，我是 Northwind 智能助手，又来为您服务了。",
    },
    "support.solved_yes_or_no": {
        "en": "Sorry, is it solved? Please answer yes or no.",
        "zh": "不好意思，请问问题解决了吗？请回答“是”或“否”。",
    },
    "support.rating_range": {
        "en": "Please give a number from 1 (poor) to 5 (excellent).",
        "zh": "请给出1到5之间的分数（1分为很差，5分为非常满意）。",
    },
    "support.thanks_solved": {
        "en": "Thank you for your rating! Glad it's solved. Goodbye.",
        "zh": "感谢您的评分！很高兴问题已经解决，再见。",
    },
    "support.thanks_unsolved": {
        "en": "Thank you for your rating. I'm sorry it isn't solved yet: tell me what is "
        "left, or ask for a person and a colleague will pick it up again.",
        "zh": "感谢您的评分。很抱歉问题还没有解决：请告诉我还有什么需要处理，或者要求转人工，"
        "同事会继续为您跟进。",
    },
}

# order statuses as the customer reads them (retrieval/schemas.py ORDER_STATUSES); English
# writes the value in words ("in_transit" -> "in transit")
STATUSES: dict[str, dict[str, str]] = {
    "placed": {"zh": "已下单"},
    "paid": {"zh": "已付款"},
    "shipped": {"zh": "已发货"},
    "in_transit": {"zh": "运输中"},
    "out_for_delivery": {"zh": "派送中"},
    "delivered": {"zh": "已送达"},
    "cancelled": {"zh": "已取消"},
    "returned": {"zh": "已退货"},
    "refunded": {"zh": "已退款"},
}
# currency names; English keeps the ISO code ("249.00 EUR")
CURRENCIES: dict[str, dict[str, str]] = {
    "EUR": {"zh": "欧元"},
    "USD": {"zh": "美元"},
    "GBP": {"zh": "英镑"},
    "CHF": {"zh": "瑞士法郎"},
    "CNY": {"zh": "元"},
}
_ZH_WEEKDAYS = "一二三四五六日"


class HasSlots(Protocol):
    """What the actions' trackers give (rasa_sdk's Tracker)."""

    def get_slot(self, key: str) -> Any: ...


def normalise(language: object) -> str:
    """A language code as the bot serves it: "zh", "zh-CN", "ZH_hans" -> "zh"; anything
    not served -> the default ("en")."""
    code = str(language or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def language_of(tracker: HasSlots) -> str:
    """The customer's language: the tracker's `language` slot."""
    return normalise(tracker.get_slot(SLOT))


def say(key: str, language: str, **values: Any) -> str:
    """The text `key` in `language` (English where it has none), formatted with `values`."""
    texts = WORDING[key]
    text = texts.get(language) or texts[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


def joined(items: list[str], language: str) -> str:
    return say("list_separator", language).join(items)


def _date(iso: str | None) -> datetime | None:
    if not iso:
        return None
    try:
        return datetime.fromisoformat(str(iso).replace("Z", "+00:00"))
    except ValueError:
        return None


def day(iso: str | None, language: str = DEFAULT_LANGUAGE) -> str | None:
    """A date as the customer reads it: "Tuesday 1 December", "12月1日（周二）"; None when
    there is no (valid) date."""
    d = _date(iso)
    if d is None:
        return None
    if language == "zh":
        return f"{d.month}月{d.day}日（周{_ZH_WEEKDAYS[d.weekday()]}）"
    return d.strftime("%A %d %B").replace(" 0", " ")


def order_status(value: str, language: str) -> str:
    """An order status in words: "in transit", "运输中"."""
    return STATUSES.get(value, {}).get(language) or value.replace("_", " ")


def money(amount: float, currency: str, language: str) -> str:
    """An amount as the customer reads it: "249.00 EUR", "249.00 欧元"."""
    name = CURRENCIES.get(currency, {}).get(language) or currency
    return f"{amount:.2f} {name}"
