"""Sentiment and frustration of Chinese customer turns (intent/sentiment.py)."""

from __future__ import annotations

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from intent.sentiment import SentimentAnalyzer, zh_valence


@pytest.fixture(scope="module")
def analyzer() -> SentimentAnalyzer:
    return SentimentAnalyzer()


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("已经打了三次电话了", "repeat_contact"),
        ("这已经是第三次了", "repeat_contact"),
        ("我说了好几遍了", "repeat_contact"),
        ("激活码输了三遍都提示无效", "repeat_contact"),
        ("要我说多少遍", "repeat_contact"),
        ("又来了", "repeat_contact"),
        ("换了卡还是不行", "repeat_contact"),
        ("手机还是激活不了", "repeat_contact"),
        ("电话还是打不通", "repeat_contact"),
        ("依然没有收到", "repeat_contact"),
        ("仍然没到", "repeat_contact"),
        ("一直没人管", "repeat_contact"),
        ("又是这样", "repeat_contact"),
        ("注册又失败了", "repeat_contact"),  # weak 又 next to a complaint
        ("再这样我就退订", "threat_to_leave"),
        ("再这样我就不买了", "threat_to_leave"),
        ("再这样下去我就换别家", "threat_to_leave"),
        ("再这样我就卸载", "threat_to_leave"),
        ("再不解决我就取消订单", "threat_to_leave"),
        ("今天不发货的话，否则我就退货", "threat_to_leave"),
        ("再也不买了", "threat_to_leave"),
        ("不想用了 销户", "threat_to_leave"),
        ("投诉", "public_complaint"),
        ("我要投诉", "public_complaint"),
        ("我去12315告你们", "public_complaint"),
        ("找消协", "public_complaint"),
        ("我要曝光你们", "public_complaint"),
        ("给你们差评", "public_complaint"),
        ("我要发微博", "public_complaint"),
        ("找媒体来评评理", "public_complaint"),
        ("我会找律师", "public_complaint"),
        ("起诉你们", "public_complaint"),
        ("等了三天", "waiting_time"),
        ("等了一个小时", "waiting_time"),
        ("半天没人回", "waiting_time"),
        ("一直没回复", "waiting_time"),
        ("一个星期了还没到", "waiting_time"),
        ("到底还要等几天", "waiting_time"),
        ("垃圾", "profanity"),
        ("坑爹啊", "profanity"),
        ("妈的，又坏了", "profanity"),
        ("靠，又坏了", "profanity"),
        ("什么破手机", "profanity"),
        ("你们就是骗子", "profanity"),
        ("在吗！！", "repeated_punctuation"),
        ("在吗？？", "repeated_punctuation"),
        ("在吗？！", "repeated_punctuation"),
        ("在吗?!", "repeated_punctuation"),
        ("太差了", "negative_tone"),
        ("非常失望", "negative_tone"),
        ("气死我了", "negative_tone"),
        ("无语", "negative_tone"),
        ("好烦", "negative_tone"),
        ("被坑了", "negative_tone"),
        ("恶心", "negative_tone"),
        ("糟糕", "negative_tone"),
        ("不满意", "negative_tone"),
        ("生气", "negative_tone"),
    ],
)
def test_each_chinese_signal_is_named(analyzer: SentimentAnalyzer, text: str, signal: str) -> None:
    s = analyzer.analyze(text)
    assert signal in s.signals
    assert s.frustration > 0.2


@pytest.mark.parametrize(
    "text",
    [
        "还是红色的好看",  # 还是: "or / rather"
        "你们还是不要发顺丰了",  # 还是不要: "better not"
        "谢谢！！",  # happy punctuation, as in English
        "麻烦帮我查一下订单",  # 麻烦: polite "could you"
        "不好意思，问一下",  # "excuse me"
        "你好，我想改一下地址",
        "差不多明天能到吗",  # 差不多: "about"
        "我要买垃圾袋",  # a product, not an insult
        "这个手机靠谱吗",  # 靠谱: "reliable"
        "要不然你帮我取消吧",  # 要不然: "alternatively"
        "注册才点两次就说我操作太频繁",  # 我操作: "I operate"
        "我的SIM卡到了，怎么激活",  # an acronym against Chinese text is not shouting
        "曝光过度怎么调",  # a camera's exposure
        "我要退订短信",  # an unsubscribe request
        "订单号123156789什么时候发货",  # 12315 inside a longer number
        "每周一次",
    ],
)
def test_no_false_alarms_in_chinese(analyzer: SentimentAnalyzer, text: str) -> None:
    s = analyzer.analyze(text)
    assert s.signals == []
    assert s.frustration <= 0.1


@pytest.mark.parametrize("text", ["好评", "很满意", "谢谢", "太好了", "喜欢", "不错", "辛苦了"])
def test_chinese_praise_is_positive(analyzer: SentimentAnalyzer, text: str) -> None:
    s = analyzer.analyze(text)
    assert s.label == "positive"
    assert s.compound > 0.25
    assert s.frustration == 0.0


@pytest.mark.parametrize("text", ["不喜欢", "不太满意", "没有很满意", "不太好"])
def test_negation_before_a_positive_word_reads_negative(
    analyzer: SentimentAnalyzer, text: str
) -> None:
    s = analyzer.analyze(text)
    assert s.label == "negative"
    assert s.compound < -0.2


def test_thanks_with_exclamations_is_not_frustration(analyzer: SentimentAnalyzer) -> None:
    s = analyzer.analyze("谢谢！！")
    assert (s.label, s.signals, s.frustration) == ("positive", [], 0.0)


@pytest.mark.parametrize(
    ("text", "compound"),
    [("太差了", -0.5095), ("谢谢", 0.3612), ("气死我了，太失望了", -0.807)],
)
def test_documented_chinese_polarities(
    analyzer: SentimentAnalyzer, text: str, compound: float
) -> None:
    assert analyzer.analyze(text).compound == pytest.approx(compound, abs=1e-3)


def test_chinese_valence_uses_vader_negation_and_booster() -> None:
    assert zh_valence("差") == pytest.approx(-2.0)
    assert zh_valence("太差") == pytest.approx(-2.293)  # B_INCR away from 0
    assert zh_valence("不喜欢") == pytest.approx(2.0 * -0.74)  # N_SCALAR
    assert zh_valence("麻烦你了，差不多吧") == 0.0  # shield words count nothing
    assert zh_valence("the service was awful") == 0.0


def test_more_chinese_signals_mean_more_frustration(analyzer: SentimentAnalyzer) -> None:
    calm = analyzer.analyze("手机激活不了").frustration
    annoyed = analyzer.analyze("手机还是激活不了").frustration
    angry = analyzer.analyze("手机还是激活不了！！").frustration
    furious = analyzer.analyze("手机还是激活不了！！第三次联系了，再这样我就换别家").frustration
    assert calm < annoyed < angry < furious <= 1.0


def test_a_frustrated_chinese_turn_is_negative(analyzer: SentimentAnalyzer) -> None:
    s = analyzer.analyze("第三次联系了还是没人解决，太失望了！！")
    assert s.label == "negative"
    assert s.frustration >= 0.7
    assert {"repeat_contact", "negative_tone", "repeated_punctuation"} <= set(s.signals)


def test_a_mixed_chinese_english_turn(analyzer: SentimentAnalyzer) -> None:
    s = analyzer.analyze("我的iPhone STILL不能激活，已经打了三次电话了!!")
    assert s.label == "negative"
    assert s.frustration >= 0.7
    assert {"repeat_contact", "shouting", "repeated_punctuation"} <= set(s.signals)


def test_english_and_chinese_polarity_add_up(analyzer: SentimentAnalyzer) -> None:
    english = analyzer.analyze("The app is terrible").compound
    chinese = analyzer.analyze("太差了").compound
    both = analyzer.analyze("The app is terrible, 太差了").compound
    assert both < min(english, chinese) < 0


@pytest.mark.parametrize(
    "text",
    [
        "my new phone STILL won't activate, I already called you yesterday!!",
        "thanks, it arrived early, great service",
        "call 12315 about my order",  # a Chinese hotline number in English text
        "where is my order??",
    ],
)
def test_text_without_chinese_keeps_vaders_compound(analyzer: SentimentAnalyzer, text: str) -> None:
    vader = SentimentIntensityAnalyzer().polarity_scores(text)["compound"]
    s = analyzer.analyze(text)
    assert s.compound == round(vader, 4)
    assert "public_complaint" not in s.signals
