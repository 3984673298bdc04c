"""Sentiment and frustration of a customer message.

VADER gives the polarity (`compound`). Frustration adds what VADER misses in customer
service ("I already called you yesterday!!" is neutral to VADER): explicit signals, each
named in `Sentiment.signals` when it fires, combined with VADER's negativity by a
noisy-OR, so each signal raises the score and none alone reaches 1:

    frustration = 1 - prod(1 - weight_i for every fired signal i)

Weights (`SIGNAL_WEIGHTS`), chosen so that one strong signal reads as "annoyed"
(~0.5), two or three as "hand to a person" (>= 0.7), and one intensifier alone stays low:

    negative_tone         0.7 * -compound (when compound <= -0.05)
    repeat_contact        0.50  already called/told..., third time, N times, nobody helps;
                                "still"/"again"/"yesterday" only next to a complaint
    profanity             0.50  damn, crap, f*cking, wtf...
    threat_to_leave       0.50  "or I'll cancel", "never ordering again", "going elsewhere"
    public_complaint      0.50  bad review, posting on social media, lawyer, chargeback...
    waiting_time          0.40  "waiting for 3 weeks", "on hold for an hour", "no reply"
    shouting              0.30  ALL-CAPS words (0.45 when most of the message is caps)
    repeated_punctuation  0.25  "!!", "??", "?!"

The two intensifiers (shouting, repeated_punctuation) are not counted in a message VADER
reads as positive unless another signal fired ("THANK YOU SO MUCH!!" is not frustration).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

POSITIVE_THRESHOLD = 0.05  # VADER's own cut-offs for the label
NEGATIVE_THRESHOLD = -0.05
FRUSTRATED_IS_NEGATIVE = 0.5  # a message this frustrated is labelled negative whatever VADER says

NEGATIVE_TONE_WEIGHT = 0.7
SIGNAL_WEIGHTS: dict[str, float] = {
    "repeat_contact": 0.50,
    "profanity": 0.50,
    "threat_to_leave": 0.50,
    "public_complaint": 0.50,
    "waiting_time": 0.40,
    "shouting": 0.30,
    "repeated_punctuation": 0.25,
}
SHOUTING_WHOLE_MESSAGE_WEIGHT = 0.45


@dataclass(frozen=True, slots=True)
class Sentiment:
    compound: float  # VADER compound polarity, -1 (negative) .. 1 (positive)
    label: str  # "negative" / "neutral" / "positive"
    frustration: float  # 0 (calm) .. 1 (furious), see the module docstring
    signals: list[str] = field(default_factory=list)  # names of the signals that fired

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE)


_NUM = r"\d+|two|three|four|five|six|seven|eight|nine|ten|several|multiple|many|so many|a few"
_TRIED = (
    r"(?:called|phoned|rang|asked|told|emailed|wrote|written|tried|contacted|messaged|"
    r"complained|explained|restarted|reset|reinstalled|returned|sent|chatted)"
)
_ORDINAL = r"second|third|fourth|fifth|sixth|\d+(?:st|nd|rd|th)|umpteenth|hundredth"

_REPEAT_CONTACT = _rx(
    r"\balready\s+(?:\w+\s+)?(?:called|phoned|rang|told|contacted|asked|emailed|e-mailed|"
    r"written|wrote|explained|reported|sent|tried|messaged|chatted|spoke)",
    rf"\b(?:{_ORDINAL})\s+time\b",
    rf"\b{_TRIED}\s+(?:\w+\s+){{0,4}}(?:{_NUM})\s+times\b",  # "called you 5 times", not "15 times 37"
    r"\b(?:again\s+and\s+again|yet\s+again|over\s+and\s+over|every\s+(?:single\s+)?time)\b",
    r"\bhow\s+many\s+times\b",
    r"\bkeep\s+(?:asking|telling|calling|getting|saying|sending)\b",
    r"\b(?:nobody|no\s+one|no-one)\s+(?:\w+\s+)?(?:helps?|helped|answers?|answered|replies|"
    r"replied|responds?|responded|called|calls|got\s+back|gets\s+back|cares?|listens?|fixed)",
    r"\bstill\s+(?:not|no|nothing|waiting|broken|doesn'?t|don'?t|won'?t|can'?t|cannot|"
    r"isn'?t|hasn'?t|haven'?t|didn'?t)\b",
)
# Weak cues: only a sign of a repeat contact next to a complaint.
_REPEAT_WEAK = _rx(r"\b(?:still|again|yesterday|nobody|no\s+one|last\s+week)\b")
_COMPLAINT = _rx(
    r"\b(?:won'?t|wont|doesn'?t|does\s+not|didn'?t|did\s+not|can'?t|cannot|isn'?t|is\s+not|"
    r"hasn'?t|haven'?t|never|nothing|broken|wrong|useless)\b",
    r"\bnot\s+(?:working|arrived|received|delivered|fixed|resolved|sorted)\b",
    r"\b(?:fail(?:s|ed|ing|ure)?|error|problem|issue|complain\w*)\b",
    r"\bno\s+(?:reply|answer|response|help|signal|service)\b",
)
_PROFANITY = _rx(
    r"\bf[u*@#x]+c?k\w*",
    r"\bf\*+\w*",
    r"\b(?:shit\w*|sh\*t\w*|crap\w*|damn\w*|goddamn\w*|bloody|bullshit|bs|wtf|ffs|omfg|"
    r"hell|piss(?:ed)?|arse|ass|asshole\w*|bastards?|bitch\w*|sucks?|screw\s+(?:you|this))\b",
)
_THREAT_TO_LEAVE = _rx(
    r"\bor\s+(?:else\s+)?i(?:'?ll|\s+will|'?m\s+going\s+to|\s+am\s+going\s+to)\s+"
    r"(?:cancel|close|leave|switch|go|return|stop)",
    r"\b(?:i'?m|i\s+am)\s+(?:going\s+to\s+|gonna\s+)?(?:cancel\w*|leav\w*|switch\w*)\s+"
    r"(?:everything|all|my\s+account|my\s+subscription|to\b|for\s+good)",
    r"\b(?:never|not)\s+(?:going\s+to\s+|gonna\s+)?(?:buy\w*|order\w*|shop\w*|purchas\w*)\s+"
    r"(?:\w+\s+){0,3}(?:again|anymore|any\s+more)\b",
    r"\b(?:take|taking)\s+my\s+(?:business|money)\s+elsewhere\b",
    r"\b(?:go|going|switch\w*|move|moving)\s+to\s+(?:a\s+|your\s+)?competitors?\b",
    r"\b(?:i'?m|i\s+am)\s+done\s+with\s+(?:you|this|your)\b",
    r"\blast\s+time\s+i\s+(?:buy|order|shop)\b",
)
_PUBLIC_COMPLAINT = _rx(
    r"\b(?:post|write|leave|give)\w*\s+(?:you\s+)?(?:a\s+)?(?:bad|negative|terrible|awful|"
    r"1[- ]star|one[- ]star|honest)\s+review",
    r"\b(?:post|tweet|share|put|write|writ|complain|go|going)\w*\s+(?:\w+\s+){0,4}(?:on|to)\s+"
    r"(?:social\s+media|twitter|x|facebook|instagram|tiktok|trustpilot|reddit|yelp|the\s+press)\b",
    r"\bgo(?:ing)?\s+public\b",
    r"\btell\s+(?:everyone|everybody|all\s+my\s+friends)\b",
    r"\b(?:lawyer|attorney|sue|suing|legal\s+action|court|ombudsman|consumer\s+"
    r"(?:protection|rights|agency)|bbb|trading\s+standards)\b",
    r"\b(?:report(?:ing)?\s+you|chargeback|dispute\s+the\s+(?:charge|payment))\b",
)
_WAITING_TIME = _rx(
    rf"\bwait\w*\s+(?:for\s+)?(?:over\s+|more\s+than\s+|almost\s+)?(?:{_NUM}|an?)\s+"
    r"(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\b",
    r"\b(?:been|still|keep|kept)\s+waiting\b",
    r"\bon\s+hold\b",
    r"\b(?:take|takes|taking|took)\s+(?:so\s+)?(?:forever|ages|so\s+long)\b",
    r"\bfor\s+(?:ages|weeks|months|days\s+now|hours\s+now)\b",
    r"\bhow\s+(?:much\s+)?long(?:er)?\s+(?:do|will|must|should)\s+i\s+(?:have\s+to\s+)?wait\b",
    r"\b(?:no|never\s+(?:got|received|had)\s+an?)\s+(?:reply|answer|response|call\s+back)\b",
    r"\b(?:never|haven'?t|have\s+not)\s+heard\s+back\b",
)
_REPEATED_PUNCTUATION = re.compile(r"[!?]{2,}")
_WORD = re.compile(r"\b[^\W\d_]{2,}\b")
# Capitalised words that are names, not shouting.
_ACRONYMS = frozenset(
    {
        "SIM", "ESIM", "USB", "TV", "OK", "PIN", "ID", "FAQ", "USA", "UK", "EU", "EUR", "USD",
        "GBP", "LCD", "LED", "HDMI", "IMEI", "SMS", "PDF", "DHL", "UPS", "FEDEX", "USPS", "ORD",
        "INV", "VAT", "PS", "XL", "XXL", "XS", "GPS", "NFC", "SD", "SSD", "HDD", "RAM", "CPU",
        "GPU", "IOS", "PC", "MAC", "APP", "API", "URL", "QR", "CEO", "ETA", "ASAP",
    }
)  # fmt: skip


class SentimentAnalyzer:
    """Scores polarity with VADER and frustration with VADER + explicit signals."""

    def __init__(self) -> None:
        self._vader = SentimentIntensityAnalyzer()

    def analyze(self, text: str) -> Sentiment:
        compound = float(self._vader.polarity_scores(text)["compound"]) if text.strip() else 0.0
        weights = self._signals(text, compound)
        contributions = dict(weights)
        if compound <= NEGATIVE_THRESHOLD:
            contributions["negative_tone"] = NEGATIVE_TONE_WEIGHT * -compound
        calm = 1.0
        for w in contributions.values():
            calm *= 1.0 - w
        frustration = round(1.0 - calm, 4)
        if compound <= NEGATIVE_THRESHOLD or frustration >= FRUSTRATED_IS_NEGATIVE:
            label = "negative"
        elif compound >= POSITIVE_THRESHOLD:
            label = "positive"
        else:
            label = "neutral"
        return Sentiment(round(compound, 4), label, frustration, sorted(contributions))

    def analyze_many(self, texts: Iterable[str]) -> list[Sentiment]:
        return [self.analyze(t) for t in texts]

    @staticmethod
    def _signals(text: str, compound: float) -> dict[str, float]:
        """{signal name: weight} of the explicit signals that fired."""
        fired: dict[str, float] = {}
        complaint = bool(_COMPLAINT.search(text)) or compound <= NEGATIVE_THRESHOLD
        if _REPEAT_CONTACT.search(text) or (complaint and _REPEAT_WEAK.search(text)):
            fired["repeat_contact"] = SIGNAL_WEIGHTS["repeat_contact"]
        for name, pattern in (
            ("profanity", _PROFANITY),
            ("threat_to_leave", _THREAT_TO_LEAVE),
            ("public_complaint", _PUBLIC_COMPLAINT),
            ("waiting_time", _WAITING_TIME),
        ):
            if pattern.search(text):
                fired[name] = SIGNAL_WEIGHTS[name]
        if compound < POSITIVE_THRESHOLD or fired:
            words = _WORD.findall(text)
            caps = [w for w in words if w.isupper() and len(w) >= 3 and w not in _ACRONYMS]
            if caps:
                upper = sum(w.isupper() for w in words)
                mostly = len(words) >= 3 and upper >= 0.6 * len(words)
                fired["shouting"] = (
                    SHOUTING_WHOLE_MESSAGE_WEIGHT if mostly else SIGNAL_WEIGHTS["shouting"]
                )
            if _REPEATED_PUNCTUATION.search(text):
                fired["repeated_punctuation"] = SIGNAL_WEIGHTS["repeated_punctuation"]
        return fired
