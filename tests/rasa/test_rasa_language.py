"""The bot answers in the customer's language, English or Simplified Chinese.

- domain.yml: the `language` slot and entity, and a Chinese variation (condition on the
  slot; one per language of actions/wording.py LANGUAGES) for every response, with the English text as the unconditioned default, the same
  placeholders, buttons and custom payload.
- rasa_bot/actions/wording.py (standard library only, loaded here outside the Rasa
  virtualenv): every text in every language, with the same placeholders.
- the actions themselves, inside the Rasa virtualenv with a fake API: with the slot `zh`
  every text they send is Chinese, with `en` or no slot the English of before; a Chinese
  answer to the feedback form's questions is understood.
The real bot answering a Chinese turn: test_rasa_stack.py.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import string
import subprocess
from types import ModuleType
from typing import Any

import pytest
import yaml

from rasa_bot.stack import BOT_DIR, RASA_VENV, rasa_env

CJK = re.compile(r"[\u3400-\u9fff]")


def _load_wording() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bot_wording", BOT_DIR / "actions" / "wording.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


wording = _load_wording()


def _domain() -> dict[str, Any]:
    return yaml.safe_load((BOT_DIR / "domain.yml").read_text(encoding="utf-8"))


def _condition(language: str) -> list[dict[str, str]]:
    return [{"type": "slot", "name": "language", "value": language}]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


# --- domain.yml ------------------------------------------------------------------------


def test_the_language_slot_is_filled_from_the_language_entity():
    domain = _domain()
    slot = domain["slots"]["language"]
    assert slot["type"] == "categorical" and slot["values"] == ["en", "zh"]
    assert tuple(slot["values"]) == wording.LANGUAGES == _component_languages()
    assert slot["initial_value"] == "en" and slot["influence_conversation"] is False
    assert slot["mappings"] == [{"type": "from_entity", "entity": "language"}]
    entities = {e if isinstance(e, str) else next(iter(e)): e for e in domain["entities"]}
    # the entity stays out of the policies' features: every language takes the same path
    assert entities["language"] == {"language": {"influence_conversation": False}}


def _component_languages() -> tuple[str, ...]:
    """components/product_intent.py LANGUAGES (the module needs Rasa: read, not imported)."""
    tree = ast.parse((BOT_DIR / "components" / "product_intent.py").read_text("utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "LANGUAGES":
            return tuple(ast.literal_eval(node.value))
    raise AssertionError("components/product_intent.py has no LANGUAGES")


@pytest.mark.parametrize("name", sorted(_domain()["responses"]))
def test_every_response_has_a_variation_in_each_language(name):
    variations = _domain()["responses"][name]
    default = [v for v in variations if "condition" not in v and "channel" not in v]
    assert default, f"{name}: no unconditioned (English) variation"
    others = [lang for lang in wording.LANGUAGES if lang != wording.DEFAULT_LANGUAGE]
    by_language = {
        lang: [v for v in variations if v.get("condition") == _condition(lang)] for lang in others
    }
    for lang, found in by_language.items():
        assert found, f"{name}: no variation with condition {_condition(lang)}"
    counted = len(default) + sum(map(len, by_language.values()))
    assert counted == len(variations), f"{name}: an unexpected variation"
    for en in default:
        assert not CJK.search(en["text"]), f"{name}: the English default holds Chinese"
    for lang, found in by_language.items():
        for variation, en in ((v, en) for v in found for en in default):
            assert _fields(variation["text"]) == _fields(en["text"]), f"{name} ({lang})"
            assert variation.get("custom") == en.get("custom"), f"{name} ({lang})"
            payloads = [b["payload"] for b in variation.get("buttons", [])]
            assert payloads == [b["payload"] for b in en.get("buttons", [])], f"{name} ({lang})"
    for variation in by_language["zh"]:
        assert CJK.search(variation["text"]), f"{name}: the zh variation is not Chinese"
        for button in variation.get("buttons", []):
            assert CJK.search(button["title"]), f"{name}: button {button} not Chinese"


# --- actions/wording.py ----------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(wording.WORDING))
def test_every_action_text_is_in_every_language(key):
    texts = wording.WORDING[key]
    assert set(texts) == set(wording.LANGUAGES), key
    assert len({frozenset(_fields(t)) for t in texts.values()}) == 1, f"{key}: placeholders"
    literal = {lang: re.sub(r"\{\w+\}", "", text) for lang, text in texts.items()}
    if re.search(r"[A-Za-z]{2}", literal["en"]):  # words, not just placeholders and marks
        assert CJK.search(literal["zh"]), f"{key}: not Chinese"
    assert not CJK.search(texts["en"]), key


def test_dates_amounts_and_statuses_read_naturally():
    assert wording.day("2026-12-01T05:49:47", "en") == "Tuesday 1 December"
    assert wording.day("2026-12-01T05:49:47Z", "zh") == "12月1日（周二）"
    assert wording.day("not a date", "zh") is None and wording.day(None, "en") is None
    assert wording.money(249.0, "EUR", "en") == "249.00 EUR"
    assert wording.money(9.9, "EUR", "zh") == "9.90 欧元"
    assert wording.money(5, "XYZ", "zh") == "5.00 XYZ"
    assert wording.order_status("in_transit", "en") == "in transit"
    assert wording.order_status("in_transit", "zh") == "运输中"
    assert wording.order_status("on_hold", "zh") == "on hold"  # unknown: the value in words


def test_the_language_falls_back_to_english():
    class Slots:
        def __init__(self, value: Any) -> None:
            self.value = value

        def get_slot(self, key: str) -> Any:
            return self.value if key == "language" else None

    assert [wording.language_of(Slots(v)) for v in ("zh", "zh-CN", "ZH_hans")] == ["zh"] * 3
    assert [wording.language_of(Slots(v)) for v in ("en", None, "", "fr", 3)] == ["en"] * 5
    assert wording.say("handoff", "fr") == wording.say("handoff", "en")


# --- the actions, inside the Rasa virtualenv -------------------------------------------

SCRIPT = """
import asyncio, json, sys
from datetime import datetime, timedelta, timezone
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from actions import history, info, orders, support
from actions.api_client import API

RECENT = (datetime.now(timezone.utc) - timedelta(days=2)).isoformat()
ORDERS = [
    {"id": "ORD-20417", "status": "in_transit", "summary": "QuietWave headphones",
     "carrier": "Colissimo", "tracking_url": "https://track.example/colissimo/1",
     "eta": "2026-12-01T05:49:47", "is_open": True, "placed_at": "2026-11-28T05:49:47",
     "total": 249.0, "currency": "EUR"},
    {"id": "ORD-20431", "status": "paid", "summary": "Slate 11 tablet", "carrier": "DHL Express",
     "eta": "2026-12-02T22:37:47", "is_open": True, "placed_at": "2026-11-29T22:37:47",
     "total": 479.0, "currency": "EUR"},
    {"id": "ORD-20300", "status": "delivered", "summary": "USB cable",
     "delivered_at": "2026-11-02T10:00:00", "placed_at": "2026-10-30T10:00:00", "total": 9.9,
     "currency": "EUR"},
    {"id": "ORD-20200", "status": "cancelled", "summary": "Lamp"},
]
async def customer_orders(cid):
    return {"customer": {"city": "Paris"}, "orders": ORDERS}
async def conversation_customer(conversation_id):
    return "C-0002"
async def get(path):
    return {"events": [
        {"type": "refund_issued", "order_id": "ORD-20200", "ts": "2026-11-20T10:00:00"},
        {"type": "return_started", "order_id": "ORD-20300", "ts": "2026-11-25T10:00:00"}]}
async def post(path, body):
    if path.endswith("/history:search"):
        return {"hits": [{"kind": "own_history", "said_to_customer": ["I re-sent the code."],
                          "score": 0.9, "ts": RECENT}]}
    return {}
API.customer_orders, API.conversation_customer, API.get, API.post = (
    customer_orders, conversation_customer, get, post)

def tracker(lang, text="hi", slots=None, intent="greet", sender="conv_1"):
    latest = {"text": text, "intent": {"name": intent}, "entities": []}
    events = [{"event": "user", "text": text, "parse_data": latest, "metadata": {}}]
    return Tracker(sender, {"language": lang, **(slots or {})}, latest, events, False, None,
                   {}, "action_listen")

async def said(call):
    dispatcher = CollectingDispatcher()
    result = call(dispatcher)
    if asyncio.iscoroutine(result):
        await result
    return [m["text"] for m in dispatcher.messages if m.get("text")]

async def main(lang):
    run = lambda action, trk: said(lambda d: action.run(d, trk, {}))
    form, feedback = orders.ValidateOrderForm(), support.ValidateFeedbackForm()
    out = {}
    for o in ORDERS:
        trk = tracker(lang, slots={"order_number": o["id"]})
        out["order " + o["status"]] = await run(orders.ActionOrderStatus(), trk)
    out["no customer"] = await run(orders.ActionOrderStatus(), tracker(lang, sender="a/b"))
    out["which order"] = await run(orders.ActionAskOrderNumber(), tracker(lang))
    out["which order again"] = await run(
        orders.ActionAskOrderNumber(), tracker(lang, slots={"order_attempts": 1}))
    for text in ("it's ORD-12345", "banana"):
        out["wrong number " + text] = await said(
            lambda d: form.validate_order_number(text, d, tracker(lang, text), {}))
    out["delivery"] = await run(info.ActionDeliveryInfo(), tracker(lang, "delivery to Berlin?"))
    out["refunds"] = await run(info.ActionRefundStatus(), tracker(lang))
    out["invoices"] = await run(info.ActionInvoices(), tracker(lang))
    out["recall"] = await run(history.ActionRecallHistory(), tracker(lang, "it won't activate"))
    out["handoff"] = await run(
        support.ActionHandoff(), tracker(lang, intent="contact_human_agent"))
    out["handed back"] = await run(support.ActionHandedBack(), tracker(lang))
    out["solved?"] = await said(
        lambda d: feedback.validate_issue_solved("unclear", d, tracker(lang), {}))
    out["rating?"] = await said(lambda d: feedback.validate_rating("unclear", d, tracker(lang), {}))
    for solved in (True, False):
        trk = tracker(lang, "4", slots={"rating": 4, "issue_solved": solved})
        out[f"rated, solved {solved}"] = await run(support.ActionStoreRating(), trk)
    return out

async def understood():
    feedback = support.ValidateFeedbackForm()
    answers = {}
    for slot, texts in (("issue_solved", ["解决了", "是的", "没问题了", "没解决", "还没有", "不是"]),
                        ("rating", ["4分", "给个五星", "四", "打3分吧", "一般般"])):
        extract = getattr(feedback, "extract_" + slot)
        for text in texts:
            trk = tracker("zh", text, slots={"requested_slot": slot}, intent="review")
            answers[text] = (await extract(CollectingDispatcher(), trk, {}))[slot]
    return answers

out = {str(lang): asyncio.run(main(lang)) for lang in json.loads(sys.argv[1])}
out["understood"] = asyncio.run(understood())
print(json.dumps(out))
"""


def _run_actions(languages: list[str | None]) -> dict[str, Any]:
    python = RASA_VENV / "bin" / "python"
    if not python.exists():
        pytest.fail(f"{RASA_VENV} is missing: run `make install-rasa` first", pytrace=False)
    proc = subprocess.run(
        [str(python), "-c", SCRIPT, json.dumps(languages)],
        cwd=BOT_DIR,
        env=rasa_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def answers() -> dict[str, Any]:
    return _run_actions(["zh", "en", None])


@pytest.mark.integration
def test_with_the_slot_zh_every_action_text_is_chinese(answers):
    for case, texts in answers["zh"].items():
        assert texts, f"{case}: said nothing"
        for text in texts:
            assert CJK.search(text), f"{case}: {text!r} is not Chinese"
    zh = answers["zh"]
    assert zh["order in_transit"] == [
        "您的订单 ORD-20417（QuietWave headphones）正在配送途中，由 Colissimo 承运，"
        "预计12月1日（周二）送达。您可以在这里查看物流：https://track.example/colissimo/1"
    ]
    assert zh["order paid"] == [
        "您的订单 ORD-20431（Slate 11 tablet）已付款，正在备货中，还没有发货。"
        "预计12月2日（周三）由 DHL Express 送达。"
    ]
    assert zh["which order"][0].startswith("您目前有 2 个进行中的订单：ORD-20417（")
    assert "249.00 欧元" in zh["invoices"][0] and "11月28日（周六）" in zh["invoices"][0]
    assert zh["delivery"][0].startswith("寄往德国柏林，标准配送需要3-5个工作日。")
    assert "“I re-sent the code.”" in zh["recall"][0]  # the agent's own words, as said
    assert "1到5" in zh["rating?"][0] and zh["handed back"][0].startswith("您好")


@pytest.mark.integration
def test_with_the_slot_en_or_unset_the_actions_speak_english_as_before(answers):
    assert answers["en"] == answers["None"]  # no slot: English
    for case, texts in answers["en"].items():
        assert texts, f"{case}: said nothing"
        for text in texts:
            assert not CJK.search(text), f"{case}: {text!r}"
    en = answers["en"]
    assert en["order in_transit"] == [
        "Your order ORD-20417 (QuietWave headphones) is on its way with Colissimo, expected "
        "on Tuesday 1 December. You can follow it here: https://track.example/colissimo/1"
    ]
    assert en["which order"] == [
        "You have 2 open orders: ORD-20417 (QuietWave headphones, in transit); ORD-20431 "
        "(Slate 11 tablet, paid). Which one do you mean?"
    ]
    assert en["invoices"] == [
        "Invoices are under 'My Orders': open the order and choose 'Invoice (PDF)'. Your "
        "latest invoices: ORD-20417 of Saturday 28 November, 249.00 EUR; ORD-20431 of Sunday "
        "29 November, 479.00 EUR; ORD-20300 of Friday 30 October, 9.90 EUR."
    ]
    assert en["handoff"] == ["I'll pass you to a colleague now."]
    assert en["rating?"] == ["Please give a number from 1 (poor) to 5 (excellent)."]


@pytest.mark.integration
def test_chinese_answers_to_the_feedback_questions_are_understood(answers):
    assert answers["understood"] == {
        "解决了": True,
        "是的": True,
        "没问题了": True,
        "没解决": False,
        "还没有": False,
        "不是": False,
        "4分": 4,
        "给个五星": 5,
        "四": 4,
        "打3分吧": 3,
        "一般般": "unclear",  # asked again, in Chinese
    }
