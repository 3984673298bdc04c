"""The language of a customer turn: Chinese (`zh`) or English (`en`), from the script it
is written in.

The product serves two languages whose scripts do not overlap, so the script decides,
without a statistical detector that can be wrong on a two-word turn: Han characters
(simplified or traditional) mean Chinese, Latin letters mean English. Mixed turns are
common in Chinese chat ("我的iPhone激活不了", "order号是12345"): a turn goes to Chinese when
it holds at least `MIN_HAN` Han characters, or any Han character and fewer than
`MIN_LATIN_FOR_EN` Latin letters, because an English model cannot read Chinese while the
multilingual one reads both. A turn with neither script ("123", "???", an emoji) has no
language of its own (`None`): the conversation's current language stands.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Language = Literal["en", "zh"]
LANGUAGES: tuple[Language, ...] = ("en", "zh")
DEFAULT_LANGUAGE: Language = "en"

MIN_HAN = 2  # this many Han characters make a turn Chinese whatever else it holds
MIN_LATIN_FOR_EN = 4  # one Han character among fewer Latin letters than this: Chinese

# CJK Unified Ideographs, extension A, compatibility ideographs, and extensions B+ (astral)
_HAN_RANGES = (
    (0x4E00, 0x9FFF),
    (0x3400, 0x4DBF),
    (0xF900, 0xFAFF),
    (0x20000, 0x323AF),
)


def is_han(ch: str) -> bool:
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in _HAN_RANGES)


@dataclass(frozen=True, slots=True)
class ScriptCount:
    han: int
    latin: int

    @property
    def language(self) -> Language | None:
        if self.han >= MIN_HAN or (self.han and self.latin < MIN_LATIN_FOR_EN):
            return "zh"
        if self.latin:
            return "en"
        return None


def count_scripts(text: str) -> ScriptCount:
    han = latin = 0
    for ch in text:
        if ch.isascii():
            latin += ch.isalpha()
        elif is_han(ch):
            han += 1
        elif ch.isalpha() and "LATIN" in _name(ch):
            latin += 1
    return ScriptCount(han, latin)


def _name(ch: str) -> str:
    import unicodedata

    return unicodedata.name(ch, "")


def as_language(value: str | None) -> Language:
    """`value` when it is a language the product serves, else the default language."""
    for lang in LANGUAGES:
        if value == lang:
            return lang
    return DEFAULT_LANGUAGE


def detect(text: str) -> Language | None:
    """`zh`, `en`, or None when the turn has no letters of either script."""
    return count_scripts(text).language


def detect_or(text: str, current: Language | None) -> Language:
    """The turn's language, or `current` (else the default) when it has none of its own."""
    return detect(text) or current or DEFAULT_LANGUAGE


def conversation_language(turns: Sequence[str]) -> Language:
    """The language of the latest turn that has one (the default when none has)."""
    for text in reversed(turns):
        lang = detect(text)
        if lang:
            return lang
    return DEFAULT_LANGUAGE
