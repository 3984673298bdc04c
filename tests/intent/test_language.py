"""A turn's language from its script: Chinese, English, mixed, none."""

from __future__ import annotations

import pytest

from intent.language import conversation_language, count_scripts, detect, detect_or


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我的订单到哪里了？", "zh"),
        ("where is my order?", "en"),
        ("轉人工", "zh"),  # traditional characters
        ("我的iPhone激活不了", "zh"),  # mixed: the Latin word sits in a Chinese sentence
        ("order号是12345", "zh"),  # one Han character among few Latin letters
        ("ok 好", "zh"),
        ("my order 号 is late, please check it", "en"),  # one Han character in English
        ("退款 refund please asap", "zh"),  # two Han characters: the multilingual model
        ("Café au lait", "en"),  # accented Latin letters are Latin
        ("12345", None),
        ("??!!", None),
        ("", None),
        ("😀👍", None),
    ],
)
def test_the_script_decides_the_language(text, expected):
    assert detect(text) == expected


def test_counts_of_each_script():
    counts = count_scripts("订单 ORD-1")
    assert (counts.han, counts.latin) == (2, 3)


def test_a_turn_without_letters_keeps_the_current_language():
    assert detect_or("12345", "zh") == "zh"
    assert detect_or("12345", None) == "en"
    assert detect_or("hello", "zh") == "en"


def test_a_conversation_speaks_its_latest_turn_with_letters():
    assert conversation_language(["hello", "转人工", "12345"]) == "zh"
    assert conversation_language(["转人工", "ok thanks a lot"]) == "en"
    assert conversation_language(["???"]) == "en"
