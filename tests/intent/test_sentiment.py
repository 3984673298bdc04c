"""Sentiment and frustration (intent/sentiment.py)."""

from __future__ import annotations

import pytest

from intent.sentiment import Sentiment, SentimentAnalyzer

DEMO_ANGRY = "my new phone STILL won't activate, I already called you yesterday!!"


@pytest.fixture(scope="module")
def analyzer() -> SentimentAnalyzer:
    return SentimentAnalyzer()


def test_demo_angry_message_is_frustrated(analyzer: SentimentAnalyzer) -> None:
    s = analyzer.analyze(DEMO_ANGRY)
    assert s.frustration >= 0.7
    assert s.label == "negative"
    assert {"shouting", "repeated_punctuation", "repeat_contact"} <= set(s.signals)


def test_happy_customer_is_positive_and_calm(analyzer: SentimentAnalyzer) -> None:
    s = analyzer.analyze("thanks, it arrived early, great service")
    assert s.label == "positive"
    assert s.compound > 0.5
    assert s.frustration <= 0.1
    assert s.signals == []


def test_plain_question_is_neutral(analyzer: SentimentAnalyzer) -> None:
    s = analyzer.analyze("where is my order?")
    assert s.frustration <= 0.3
    assert s.label == "neutral"


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("WHERE IS MY ORDER", "shouting"),
        ("where is my order??", "repeated_punctuation"),
        ("this is the third time I write to you about my refund", "repeat_contact"),
        ("I already told your colleague my address", "repeat_contact"),
        ("the screen is still broken", "repeat_contact"),
        ("it failed again", "repeat_contact"),
        ("nobody answered my emails", "repeat_contact"),
        ("I want to talk to a f*cking agent", "profanity"),
        ("this damn laptop", "profanity"),
        ("fix it or I will cancel my account", "threat_to_leave"),
        ("I'm never ordering from you again", "threat_to_leave"),
        ("I'll post a one-star review on Trustpilot", "public_complaint"),
        ("my lawyer will hear about this", "public_complaint"),
        ("I have been waiting for 3 weeks", "waiting_time"),
        ("I was on hold for an hour", "waiting_time"),
        ("still no reply to my email", "waiting_time"),
        ("this is the worst service, awful", "negative_tone"),
    ],
)
def test_each_signal_is_named(analyzer: SentimentAnalyzer, text: str, signal: str) -> None:
    s = analyzer.analyze(text)
    assert signal in s.signals
    assert s.frustration > 0.2


@pytest.mark.parametrize(
    "text",
    [
        "hello again",  # "again" without a complaint
        "is my order still on time?",  # "still" without a complaint
        "it arrived yesterday, perfect",  # "yesterday" without a complaint
        "THANK YOU SO MUCH!!",  # happy shouting
        "my SIM card arrived, how do I activate it?",  # an acronym is not shouting
        "I want to change my shipping address",
        "",
    ],
)
def test_no_false_alarms(analyzer: SentimentAnalyzer, text: str) -> None:
    s = analyzer.analyze(text)
    assert s.signals == []
    assert s.frustration <= 0.1


def test_more_signals_mean_more_frustration(analyzer: SentimentAnalyzer) -> None:
    calm = analyzer.analyze("my phone won't activate").frustration
    annoyed = analyzer.analyze("my phone still won't activate").frustration
    angry = analyzer.analyze("my phone STILL won't activate!!").frustration
    furious = analyzer.analyze(
        "my phone STILL won't activate!! third time I call, fix it or I'll cancel everything"
    ).frustration
    assert calm < annoyed < angry < furious <= 1.0


def test_shouting_whole_message_weighs_more(analyzer: SentimentAnalyzer) -> None:
    one = analyzer.analyze("where is my order, I NEED it").frustration
    all_caps = analyzer.analyze("WHERE IS MY ORDER I NEED IT").frustration
    assert one < all_caps


def test_frustrated_message_is_negative_even_when_vader_is_not(analyzer: SentimentAnalyzer) -> None:
    s = analyzer.analyze("I already called you yesterday, thanks for nothing!!")
    assert s.compound > 0  # VADER reads "thanks" as positive
    assert s.label == "negative"


def test_values_are_in_range_and_to_dict(analyzer: SentimentAnalyzer) -> None:
    s = analyzer.analyze(
        "F*CK THIS, I HAVE BEEN WAITING FOR 3 WEEKS!!! lawyer, bad review, never again"
    )
    assert -1.0 <= s.compound <= 1.0
    assert 0.9 <= s.frustration <= 1.0
    d = s.to_dict()
    assert set(d) == {"compound", "label", "frustration", "signals"}
    assert d["signals"] == sorted(d["signals"])


def test_analyze_many_matches_analyze(analyzer: SentimentAnalyzer) -> None:
    texts = [DEMO_ANGRY, "thanks!", "where is my order?"]
    many = analyzer.analyze_many(texts)
    assert many == [analyzer.analyze(t) for t in texts]
    assert all(isinstance(s, Sentiment) for s in many)


@pytest.mark.parametrize(
    "text",
    [
        "what's 15 times 37",
        "what's trending on twitter",
        "do you sell instagram-ready ring lights?",
    ],
)
def test_trigger_words_out_of_context_do_not_fire(analyzer: SentimentAnalyzer, text: str) -> None:
    assert analyzer.analyze(text).signals == []


def test_counted_attempts_and_social_media_threats_fire(analyzer: SentimentAnalyzer) -> None:
    assert "repeat_contact" in analyzer.analyze("I have called you 5 times about this").signals
    assert "public_complaint" in analyzer.analyze("I'm going to post this on Twitter").signals
