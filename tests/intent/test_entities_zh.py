"""Entity extraction from Chinese customer turns (intent/entities.py + data/entities.yml)."""

from __future__ import annotations

from datetime import datetime

import pytest

from intent.entities import Entity, EntityExtractor

NOW = datetime(2026, 11, 25, 15, 30)  # a Wednesday


@pytest.fixture(scope="module")
def extractor() -> EntityExtractor:
    return EntityExtractor.default()


def found(extractor: EntityExtractor, text: str) -> list[tuple[str, str, str | None]]:
    entities = extractor.extract(text, now=NOW)
    assert all(text[e.start : e.end] == e.value for e in entities)
    return [(e.type, e.value, e.normalized) for e in entities]


# --- order and tracking numbers ---------------------------------------------------------------


def test_an_order_number_against_chinese_text_has_its_offsets(extractor: EntityExtractor) -> None:
    assert extractor.extract("订单号12345678的快递到哪了", now=NOW) == [
        Entity("order_number", "12345678", 3, 11, "12345678")
    ]


@pytest.mark.parametrize(
    ("text", "value", "normalized"),
    [
        ("订单号：2026112812345", "2026112812345", "2026112812345"),
        ("我的订单号是 88120034，能改地址吗", "88120034", "88120034"),
        ("订单编号为A1234567", "A1234567", "A1234567"),
        ("订单56620913的地址能改吗", "56620913", "56620913"),
        ("查下物流 order号 7781234590", "7781234590", "7781234590"),
        # an 11-digit id after 订单号 is the order, not a mobile number
        ("订单号13812345678", "13812345678", "13812345678"),
    ],
)
def test_chinese_order_numbers(
    extractor: EntityExtractor, text: str, value: str, normalized: str
) -> None:
    assert found(extractor, text) == [("order_number", value, normalized)]


@pytest.mark.parametrize(
    ("text", "value", "normalized"),
    [
        ("单号 SF1234567890", "SF1234567890", "SF1234567890"),
        ("快递单号：sf1234567890123 还没更新", "sf1234567890123", "SF1234567890123"),
        ("运单号是YT9876543210", "YT9876543210", "YT9876543210"),
    ],
)
def test_chinese_tracking_numbers(
    extractor: EntityExtractor, text: str, value: str, normalized: str
) -> None:
    assert found(extractor, text) == [("tracking_number", value, normalized)]


@pytest.mark.parametrize("text", ["退款单号12345678", "售后单号12345678", "工单号12345678"])
def test_other_kinds_of_dan_hao_are_not_tracking_numbers(
    extractor: EntityExtractor, text: str
) -> None:
    assert [e.type for e in extractor.extract(text, now=NOW)] == []


# --- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("今天能发货吗", "2026-11-25"),
        ("昨天下的单", "2026-11-24"),
        ("前天就付款了", "2026-11-23"),
        ("大前天买的", "2026-11-22"),
        ("明天能到吗", "2026-11-26"),
        ("后天在家", "2026-11-27"),
        # 上周/这周/下周 are calendar weeks (Monday to Sunday), as Chinese speakers mean them
        ("上周五买的电饭煲", "2026-11-20"),
        ("上周一下的单", "2026-11-16"),  # English "last Monday" would be the 23rd
        ("这周三能到吗", "2026-11-25"),
        ("本周日之前", "2026-11-29"),
        ("下周一再说", "2026-11-30"),
        ("下周五送到", "2026-12-04"),  # English "next Friday" would be the 27th
        ("上个星期五收到的", "2026-11-20"),
        ("下礼拜天有人在家", "2026-12-06"),
        # a bare weekday is its latest occurrence up to today, as in English
        ("周五买的", "2026-11-20"),
        ("星期天到的", "2026-11-22"),
        ("11月28日下的单", "2026-11-28"),
        ("11月28号发货", "2026-11-28"),
        ("2026年11月28日", "2026-11-28"),
        ("2025年 3月 5日", "2025-03-05"),
        ("2026-11-28到货", "2026-11-28"),
        ("3天前买的", "2026-11-22"),
        ("两周前", "2026-11-11"),
        ("十五天前", "2026-11-10"),
    ],
)
def test_chinese_dates_resolve_against_the_reference_date(
    extractor: EntityExtractor, text: str, normalized: str
) -> None:
    (e,) = extractor.extract(text, now=NOW)
    assert (e.type, e.normalized) == ("date", normalized)
    assert text[e.start : e.end] == e.value


def test_a_chinese_month_day_takes_the_nearest_year(extractor: EntityExtractor) -> None:
    (e,) = extractor.extract("12月28号下的单", now=datetime(2027, 1, 3))
    assert e.normalized == "2026-12-28"


def test_a_vague_chinese_date_has_no_value(extractor: EntityExtractor) -> None:
    assert found(extractor, "几天前") == [("date", "几天前", None)]


@pytest.mark.parametrize(
    "text",
    [
        "每周一次",  # "once a week"
        "每周三天",  # "three days a week"
        "一个星期了还没到",  # "a week already"
        "这个星期一直没人回复",  # "no reply all this week", not Monday
        "13月45日",  # no such date
    ],
)
def test_week_words_that_are_not_weekdays(extractor: EntityExtractor, text: str) -> None:
    assert [e for e in extractor.extract(text, now=NOW) if e.type == "date"] == []


# --- amounts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "normalized"),
    [
        ("这个¥199", "¥199", "199.00 CNY"),  # in a Chinese turn ¥ is the yuan
        ("￥199.5", "￥199.5", "199.50 CNY"),
        ("退我199元", "199元", "199.00 CNY"),
        ("花了299块", "299块", "299.00 CNY"),
        ("就50块钱", "50块钱", "50.00 CNY"),
        ("两百块买的", "两百块", "200.00 CNY"),
        ("三十元", "三十元", "30.00 CNY"),
        ("五块钱", "五块钱", "5.00 CNY"),
        ("一千五百元", "一千五百元", "1500.00 CNY"),
        ("两百五十块", "两百五十块", "250.00 CNY"),
        ("两百五块", "两百五块", "250.00 CNY"),  # 两百五 is 250
        ("一万五块", "一万五块", "15000.00 CNY"),
        ("一百零五元", "一百零五元", "105.00 CNY"),
        ("付了RMB 100", "RMB 100", "100.00 CNY"),
        ("付了100 RMB", "100 RMB", "100.00 CNY"),
        ("人民币100元", "人民币100元", "100.00 CNY"),
        ("预算1.5万元", "1.5万元", "15000.00 CNY"),
        ("3千块", "3千块", "3000.00 CNY"),
        ("100美元", "100美元", "100.00 USD"),
    ],
)
def test_chinese_amounts_are_cny(
    extractor: EntityExtractor, text: str, value: str, normalized: str
) -> None:
    assert found(extractor, text) == [("amount", value, normalized)]


def test_yen_sign_stays_yen_outside_a_chinese_turn(extractor: EntityExtractor) -> None:
    assert found(extractor, "I paid ¥199 for it") == [("amount", "¥199", "199.00 JPY")]


@pytest.mark.parametrize(
    "text",
    [
        "买了2块电池",  # 块 counts pieces here
        "两块屏幕都碎了",
        "我们一块去吧",  # 一块 "together"
        "两块",
    ],
)
def test_kuai_counting_pieces_is_no_amount(extractor: EntityExtractor, text: str) -> None:
    assert [e for e in extractor.extract(text, now=NOW) if e.type == "amount"] == []


# --- phone numbers -----------------------------------------------------------------------------


def test_a_mobile_against_chinese_text_has_its_offsets(extractor: EntityExtractor) -> None:
    assert extractor.extract("我的手机13812345678收不到验证码", now=NOW) == [
        Entity("phone_number", "13812345678", 4, 15, "13812345678")
    ]


@pytest.mark.parametrize(
    ("text", "value", "normalized"),
    [
        ("打我电话 138 1234 5678", "138 1234 5678", "13812345678"),
        ("手机 138-1234-5678", "138-1234-5678", "13812345678"),
        ("号码+86 138 1234 5678", "+86 138 1234 5678", "+8613812345678"),
        ("号码+8613812345678谢谢", "+8613812345678", "+8613812345678"),
        ("我的号码8613812345678", "8613812345678", "+8613812345678"),
        ("手机号：15912345678", "15912345678", "15912345678"),
        ("电话010-12345678", "010-12345678", "01012345678"),
        ("座机0755-1234567有人接吗", "0755-1234567", "07551234567"),
        ("联系电话是12345678", "12345678", "12345678"),
    ],
)
def test_chinese_phone_numbers(
    extractor: EntityExtractor, text: str, value: str, normalized: str
) -> None:
    assert found(extractor, text) == [("phone_number", value, normalized)]


def test_a_number_not_shaped_like_a_chinese_mobile_is_no_phone(extractor: EntityExtractor) -> None:
    assert extractor.extract("第12345678901个", now=NOW) == []  # 12... is no mobile prefix


def test_redact_masks_a_mobile_inside_chinese_text(extractor: EntityExtractor) -> None:
    assert (
        extractor.redact("我的手机13812345678收不到，邮箱zhang@example.com")
        == "我的手机[PHONE]收不到，邮箱[EMAIL]"
    )


# --- mixed turns and long texts ----------------------------------------------------------------


def test_a_mixed_chinese_english_turn(extractor: EntityExtractor) -> None:
    text = "Hi, 我的order号12345678昨天付了¥199, call me at 138 1234 5678"
    assert found(extractor, text) == [
        ("order_number", "12345678", "12345678"),
        ("date", "昨天", "2026-11-24"),
        ("amount", "¥199", "199.00 CNY"),
        ("phone_number", "138 1234 5678", "13812345678"),
    ]


@pytest.mark.parametrize(
    "text",
    ["订单号" * 3000, "上周" * 5000, "两" * 10000 + "百块", "块" * 10000, "号" * 10000],
)
def test_long_chinese_texts_hold_no_entity(extractor: EntityExtractor, text: str) -> None:
    assert extractor.extract(text, now=NOW) == []
