"""Pattern-based entity extraction: order numbers, emails, phones, amounts, dates...

The patterns live in `data/entities.yml` (its header documents the format); this module
compiles them, resolves overlapping matches, normalizes values by entity type and masks
personal data (`mask`, `EntityExtractor.redact`).

Customers' text is untrusted, so every pattern runs on RE2 (PyPI `google-re2`), whose
matching time is linear in the length of the text whatever the pattern: no pattern, today's
or one a bot designer adds later, can backtrack catastrophically (ReDoS). RE2 has no
lookarounds and no backreferences; a pattern that uses them is refused at load time. The
few regexes of the normalizers run on RE2 too, or are a single character class.

Chinese turns are read too (patterns in the same file): 订单号12345678, 单号 SF1234567890,
昨天 / 上周五 / 11月28号, 199元 / 两百块 / ￥199, 138 1234 5678. Their values normalize as
the English ones do: `_date_zh` resolves Chinese dates (上周五 is Friday of the previous
Monday-to-Sunday week, 下周五 of the next one), `_zh_number` reads Chinese numerals
(两百五 = 250, 一万五 = 15000), an amount in yuan is "199.00 CNY".
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import re2
import yaml

from intent.language import detect
from intent.resources import data_path

DEFAULT_PATTERNS = data_path("entities.yml")
# Personal data: what `EntityExtractor.redact` (and retrieval.pii.Redactor) masks by default.
PII_TYPES: tuple[str, ...] = ("email", "phone_number", "card_number", "iban")


@dataclass(frozen=True, slots=True)
class Entity:
    type: str  # entity type, a key of the patterns file (e.g. "order_number")
    value: str  # the text as written
    start: int  # character offset of `value` in the text
    end: int  # offset just past `value`
    normalized: str | None  # canonical form (see `_NORMALIZERS`), None where there is none

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class _Reject(Exception):
    """Raised by a normalizer: the match looks right but is not an entity (bad checksum...)."""


class _Candidate(NamedTuple):
    length: int  # length of the whole match, context words included
    rank: int  # position of the type in the patterns file
    entity: Entity


class _Pattern(NamedTuple):
    type: str  # entity type
    regex: Any  # a compiled RE2 regex (re2._Regexp; the package ships no type stubs)
    group: int  # index of the `value` group, 0 (the whole match) without one
    raw: bool  # names non-ASCII letters itself: runs on the text as written, not `_view`


class EntityExtractor:
    """Finds entities with named regular expressions (RE2, so in linear time).

    Overlaps are resolved greedily: the longest whole match (context words included)
    first, then the type listed first, then the earlier match.
    """

    def __init__(self, patterns: Mapping[str, Sequence[str]], *, dayfirst: bool = True) -> None:
        self.dayfirst = dayfirst  # "02/03/2026" is 2 March (True) or February 3 (False)
        self._types: list[str] = list(patterns)
        self._rank = {t: i for i, t in enumerate(self._types)}
        self._patterns: list[_Pattern] = []
        for entity_type, regexes in patterns.items():
            if isinstance(regexes, str) or not isinstance(regexes, Sequence):
                raise ValueError(f"entity {entity_type!r}: expected a list of regexes")
            self._patterns.extend(_compile(entity_type, regex) for regex in regexes)
        # one pass over the text says which patterns match at all (most turns hold no
        # entity, or one): only those run finditer (a prefilter, the same matches)
        self._sets = {raw: _pattern_set(self._patterns, raw) for raw in (False, True)}

    @property
    def types(self) -> list[str]:
        return list(self._types)

    @classmethod
    def from_yaml(cls, path: str | Path, **kwargs: Any) -> EntityExtractor:
        doc = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        if not isinstance(doc, dict):
            raise ValueError(f"{path}: expected a mapping of entity type -> list of regexes")
        patterns = {str(k): [v] if isinstance(v, str) else v or [] for k, v in doc.items()}
        return cls(patterns, **kwargs)

    @classmethod
    def default(cls) -> EntityExtractor:
        return cls.from_yaml(DEFAULT_PATTERNS)

    def extract(self, text: str, now: datetime | None = None) -> list[Entity]:
        """Entities in `text`, sorted by start. Relative dates resolve against `now`
        (default: the current local time)."""
        return self._resolve(self._candidates(text, now or datetime.now(), self._types))

    def redact(self, text: str, types: Iterable[str] = PII_TYPES) -> str:
        """`text` with entities of `types` replaced by their `mask`: `[EMAIL]`, `[PHONE]`,
        `[CARD visa ****1111]`, `[IBAN ****3000]`, `[ORDER_NUMBER]` for other types.

        Only the requested types compete for a span, so a card number is redacted even
        where, for extraction, an order number pattern would have won."""
        found = self._resolve(self._candidates(text, datetime.now(), types))
        parts: list[str] = []
        last = 0
        for e in found:
            parts += (text[last : e.start], mask(e))
            last = e.end
        parts.append(text[last:])
        return "".join(parts)

    def _candidates(self, text: str, now: datetime, types: Iterable[str]) -> list[_Candidate]:
        wanted = set(types)
        ctx = _Context(now.date(), self.dayfirst, not text.isascii() and detect(text) == "zh")
        view, raw = _view(text), _SURROGATE.sub("\ufffd", text)
        out = []
        hits = self._hits(view, raw)
        for i, p in enumerate(self._patterns):
            if p.type not in wanted or (hits is not None and i not in hits):
                continue
            normalize = _NORMALIZERS.get(p.type, _as_is)
            for m in p.regex.finditer(raw if p.raw else view):
                (start, end), (whole_start, whole_end) = m.span(p.group), m.span()
                if start < 0 or start == end:
                    continue
                value = text[start:end]  # the view has the text's offsets, not its letters
                try:
                    normalized = normalize(value, ctx)
                except _Reject:
                    continue
                entity = Entity(p.type, value, start, end, normalized)
                out.append(_Candidate(whole_end - whole_start, self._rank[p.type], entity))
        return out

    def _hits(self, view: str, raw: str) -> set[int] | None:
        """Indices of the patterns that match somewhere (None: no prefilter, run all)."""
        found: set[int] = set()
        for is_raw, (pattern_set, index) in self._sets.items():
            if pattern_set is None:
                return None
            matched = pattern_set.Match(raw if is_raw else view) if index else None
            found.update(index[j] for j in matched or ())
        return found

    @staticmethod
    def _resolve(candidates: list[_Candidate]) -> list[Entity]:
        # `kept` holds disjoint spans sorted by start, so a candidate only has to be checked
        # against its two neighbours: O(n log n) rather than O(n^2) on a text full of matches.
        starts: list[int] = []
        kept: list[Entity] = []
        for c in sorted(candidates, key=lambda c: (-c.length, c.rank, c.entity.start)):
            e = c.entity
            i = bisect_right(starts, e.start)
            if (i == 0 or kept[i - 1].end <= e.start) and (i == len(kept) or e.end <= starts[i]):
                starts.insert(i, e.start)
                kept.insert(i, e)
        return kept


# --- compiling: RE2 and the text it sees -------------------------------------------------


def _compile(entity_type: str, regex: Any) -> _Pattern:
    if not isinstance(regex, str):
        raise ValueError(f"entity {entity_type!r}: pattern {regex!r} is not a string")
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False
    try:
        compiled = re2.compile(regex, options)
    except re2.error as exc:
        raise ValueError(f"entity {entity_type!r}: invalid pattern {regex!r}: {_why(exc)}") from exc
    raw = "\\p" in regex or "\\P" in regex or any(map(_is_word_letter, regex))
    return _Pattern(entity_type, compiled, compiled.groupindex.get("value", 0), raw)


def _pattern_set(patterns: Sequence[_Pattern], raw: bool) -> tuple[Any, list[int]]:
    """An RE2 set of the patterns that run on the raw text (or on the view), and each set
    member's index in `patterns`; (None, []) when RE2 cannot build one (every pattern then
    runs, as before)."""
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False
    try:
        pattern_set = re2.Set.SearchSet(options)
        index = []
        for i, p in enumerate(patterns):
            if p.raw == raw:
                pattern_set.Add(p.regex.pattern)
                index.append(i)
        pattern_set.Compile()
    except Exception:  # noqa: BLE001 - any RE2 refusal: no prefilter, same results
        return None, []
    return pattern_set, index


def _why(exc: Exception) -> str:
    reason = exc.args[0] if exc.args else exc
    reason = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
    if any(op in reason for op in ("(?=", "(?!", "(?<=", "(?<!")):
        return (
            f"{reason}: lookarounds are not allowed (patterns run on RE2, which matches in "
            "linear time); match the context and put the entity in a `value` group, or "
            "reject in the type's normalizer"
        )
    if re.search(r"escape sequence: \\[1-9]", reason):
        return f"{reason}: backreferences are not allowed (patterns run on RE2)"
    if "\\Z" in reason:
        return f"{reason}: write \\z for the end of the text (RE2 syntax)"
    return reason


# The text the patterns see: same length and offsets as the customer's, so that RE2 (whose
# \w, \b and \s know ASCII only) treats words as Python's `re` did. A letter with case
# outside ASCII (é, ß, Я) or a combining mark becomes "_", a word character, so "Ümon"
# holds no "mon" and "josé@example.com" is one e-mail; any other space becomes " ". Other
# characters stay: symbols that patterns spell out (€, £), and letters of scripts without
# case (Chinese, Thai, Arabic...), which RE2 takes for separators, so an id or an e-mail
# written against Chinese text, without a space, is found. Lone surrogates (valid in a
# Python str, not in UTF-8) become U+FFFD.
_SURROGATE = re.compile("[\ud800-\udfff]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_ASCII_SPACES = {c: " " for c in (0x0B, 0x1C, 0x1D, 0x1E, 0x1F)}  # \s in Python, not RE2


@lru_cache(maxsize=4096)
def _stand_in(ch: str) -> str:
    if "\ud800" <= ch <= "\udfff":
        return "\ufffd"
    if ch.isspace():
        return " "
    return "_" if _is_word_letter(ch) else ch


def _is_word_letter(ch: str) -> bool:
    """A letter with case outside ASCII (é, ß, Я) or a combining mark."""
    return not ch.isascii() and unicodedata.category(ch) in ("Lu", "Ll", "Lt", "Mn", "Mc", "Me")


def _view(text: str) -> str:
    text = text.translate(_ASCII_SPACES)
    if text.isascii():
        return text
    return _NON_ASCII.sub(lambda m: "".join(map(_stand_in, m.group())), text)


# --- masking -------------------------------------------------------------------------------


def mask(entity: Entity) -> str:
    """What replaces `entity` in redacted text. Card numbers keep their network and last 4
    digits (`[CARD visa ****1111]`), IBANs their last 4 characters (`[IBAN ****3000]`): what
    an agent needs to tell a customer's cards or accounts apart, not enough to use them.
    E-mails are `[EMAIL]`, phone numbers `[PHONE]`, other types `[ORDER_NUMBER]`..."""
    if entity.type == "card_number":
        digits = re.sub(r"\D", "", entity.normalized or entity.value)
        return f"[CARD {card_network(digits)} ****{digits[-4:]}]"
    if entity.type == "iban":
        compact = "".join((entity.normalized or entity.value).split())
        return f"[IBAN ****{compact[-4:].upper()}]"
    return _MASKS.get(entity.type) or f"[{entity.type.upper()}]"


_MASKS = {"email": "[EMAIL]", "phone_number": "[PHONE]"}


def card_network(digits: str) -> str:
    """The card network from the issuer identification number (the leading digits):
    visa, mastercard, amex, discover, jcb, unionpay, diners, else "card"."""

    def head(n: int) -> int:
        return int(digits[:n]) if len(digits) >= n and digits[:n].isdigit() else -1

    if digits.startswith("4"):
        return "visa"
    if 51 <= head(2) <= 55 or 2221 <= head(4) <= 2720:
        return "mastercard"
    if head(2) in (34, 37):
        return "amex"
    if head(4) == 6011 or 644 <= head(3) <= 649 or head(2) == 65:
        return "discover"
    if 3528 <= head(4) <= 3589:
        return "jcb"
    if head(2) == 62:
        return "unionpay"
    if head(2) in (36, 38, 39) or 300 <= head(3) <= 305 or head(4) == 3095:
        return "diners"
    return "card"


# --- normalizers: (value, context) -> normalized string, or raise _Reject ----------------


class _Context(NamedTuple):
    today: date
    dayfirst: bool
    chinese: bool = False  # a Chinese turn (intent.language.detect): "¥" is CNY, not JPY


def _as_is(value: str, _: _Context) -> str:
    return value


def _identifier(value: str, _: _Context) -> str:
    return value.lstrip("#").upper()


def _tracking(value: str, ctx: _Context) -> str:
    """An identifier with at least one digit: "tracking number unknown" holds none."""
    if not any(ch.isdigit() for ch in value):
        raise _Reject
    return _identifier(value, ctx)


def _email(value: str, _: _Context) -> str:
    return value.lower()


def _phone(value: str, ctx: _Context) -> str:
    """'+33 6 12 34 56 78' and '0033 6...' -> '+33612345678'; national forms keep their
    digits (the country is unknown). Fewer than 7 or more than 15 digits is no phone. In a
    Chinese turn, '86 138 1234 5678' (China's code before a mobile) is '+8613812345678'."""
    digits = re.sub(r"\D", "", value)
    international = value.lstrip().startswith("+") or digits.startswith("00")
    if digits.startswith("00"):
        digits = digits[2:]
    if not 7 <= len(digits) <= 15:
        raise _Reject
    if ctx.chinese and len(digits) == 13 and digits.startswith("86"):
        international = international or bool(_CN_MOBILE.fullmatch(digits[2:]))
    return "+" + digits if international else digits


_CN_MOBILE = re2.compile(r"1[3-9]\d{9}")


def _card(value: str, _: _Context) -> str:
    """Digits of a payment card number: a major-network first digit (2-6) and a valid
    Luhn checksum, so most order ids and phone numbers are not taken for cards."""
    digits = re.sub(r"\D", "", value)
    if not digits or digits[0] not in "23456" or not _luhn_ok(digits):
        raise _Reject
    return digits


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _iban(value: str, _: _Context) -> str:
    """'DE89 3704 0044 0532 0130 00' -> 'DE89370400440532013000', if the ISO 13616 check
    holds: the first 4 characters moved to the end, letters read as numbers (A=10 ... Z=35),
    the whole is 1 modulo 97. The patterns already fix each country's length."""
    compact = "".join(value.split()).upper()
    try:
        number = int("".join(str(int(ch, 36)) for ch in compact[4:] + compact[:4]))
    except ValueError as exc:
        raise _Reject from exc
    if len(compact) < 15 or not compact[:2].isalpha() or number % 97 != 1:
        raise _Reject
    return compact


# Currency markers -> ISO 4217 code. A bare "$" is taken as US dollars.
_CURRENCIES = {
    "us$": "USD", "ca$": "CAD", "c$": "CAD", "au$": "AUD", "a$": "AUD", "nz$": "NZD",
    "hk$": "HKD", "sg$": "SGD", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR",
    "dollar": "USD", "dollars": "USD", "bucks": "USD", "euro": "EUR", "euros": "EUR",
    "pound": "GBP", "pounds": "GBP", "quid": "GBP", "yen": "JPY", "franc": "CHF",
    "francs": "CHF",
}  # fmt: skip
# Chinese markers, looked up without spaces after an optional 千 (x1000) / 万 (x10000):
# "1.5万元" is 15000.00 CNY. "¥" is CNY only in a Chinese turn (`_Context.chinese`).
_CNY_MARKERS = frozenset({"￥", "元", "块", "块钱", "rmb", "rmb元", "人民币", "人民币元"})
_ZH_CURRENCIES = {"美元": "USD", "美金": "USD", "欧元": "EUR", "日元": "JPY", "英镑": "GBP",
                  "港元": "HKD", "港币": "HKD"}  # fmt: skip
_ZH_SCALES = {"千": 1000, "万": 10000}


def _amount(value: str, ctx: _Context) -> str:
    """'US$ 1,299.99' -> '1299.99 USD': the number runs from the first digit to the last
    (the patterns put the currency marker before or after it), the rest is the marker.
    Without a digit, a Chinese numeral: '两百块' -> '200.00 CNY'."""
    digits = [i for i, ch in enumerate(value) if "0" <= ch <= "9"]
    if not digits:
        return _zh_amount(value)
    number = value[digits[0] : digits[-1] + 1]
    marker = (value[: digits[0]] + value[digits[-1] + 1 :]).strip().lower()
    code, scale = _currency(marker, ctx)
    valid = len(code) == 3 and code.isascii() and code.isalpha() and code.isupper()
    if not valid or number.strip("0123456789.,"):
        raise _Reject
    amount = _parse_number(number)
    if scale != 1:  # only then: a Decimal product rounds to 28 digits, a bare number does not
        amount *= scale
    return f"{amount:.2f} {code}"


def _currency(marker: str, ctx: _Context) -> tuple[str, int]:
    """(ISO code, multiplier) of a currency marker; an unknown marker is its upper case."""
    if marker == "¥" and ctx.chinese:
        return "CNY", 1
    if marker in _CURRENCIES:
        return _CURRENCIES[marker], 1
    compact = "".join(marker.split())
    scale = _ZH_SCALES.get(compact[:1], 1)
    compact = compact[1:] if scale > 1 else compact
    if compact in _CNY_MARKERS:
        return "CNY", scale
    if compact in _ZH_CURRENCIES:
        return _ZH_CURRENCIES[compact], scale
    return marker.upper(), 1


def _zh_amount(value: str) -> str:
    """'三十元' / '两百块' / '五块钱' -> CNY. A bare '一块' / '两块' ("together", "two
    pieces") is no amount: 块 alone needs a 十, 百, 千 or 万 in the number."""
    numeral = value.rstrip("元块钱")
    marker = value[len(numeral) :]
    n = _zh_number(numeral)
    bare = marker == "块" and not any(unit in numeral for unit in "十百千万")
    if n is None or marker not in ("元", "块", "块钱") or bare:
        raise _Reject
    return f"{n:.2f} CNY"


_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}  # fmt: skip
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}


def _zh_number(numeral: str) -> int | None:
    """A Chinese numeral up to the hundreds of thousands: '三十' 30, '一百零五' 105,
    '两千五百' 2500, '两百五' 250 and '一万五' 15000 (a last digit right after 百/千/万 counts
    in the next unit down), '十五万' 150000. None when it is not one ('一二', '几')."""
    total = section = 0  # total: the 万 already read; section: below 万
    digit: int | None = None
    last_unit, zero = 1, False
    for ch in numeral:
        if ch in _ZH_DIGITS:
            if digit is not None:
                return None  # two digits in a row
            zero = zero or ch in "零〇"
            digit = None if ch in "零〇" else _ZH_DIGITS[ch]
        elif ch in _ZH_UNITS:
            section += (1 if digit is None else digit) * _ZH_UNITS[ch]
            digit, last_unit, zero = None, _ZH_UNITS[ch], False
        elif ch == "万" and (section or digit) and not total:
            total = (section + (digit or 0)) * 10000
            section, digit, last_unit, zero = 0, None, 10000, False
        else:
            return None
    if digit is not None:
        section += digit * (last_unit // 10 if last_unit >= 100 and not zero else 1)
    return total + section if numeral else None


def _parse_number(number: str) -> Decimal:
    """'1,299.99', '1.299,99', '25,99', '1,299' -> Decimal. The last separator is the
    decimal point when one or two digits follow it, else a thousands separator."""
    head, sep, tail = max(number.rpartition("."), number.rpartition(","), key=lambda p: len(p[0]))
    if sep and 1 <= len(tail) <= 2:
        number = head.replace(".", "").replace(",", "") + "." + tail
    else:
        number = number.replace(".", "").replace(",", "")
    try:
        return Decimal(number)
    except InvalidOperation as exc:  # pragma: no cover - only digits and separators get here
        raise _Reject from exc


_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES, 1)}
_WEEKDAYS = {d: i for i, d in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))}
_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9, "ten": 10, "a couple of": 2}  # fmt: skip
_AGO = re2.compile(r"(.+) (day|week)s? ago")
_WEEKDAY = re2.compile(r"(?:(last|next|this) )?([a-z]{3})[a-z]*")
_ISO = re2.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMERIC = re2.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})")
_MONTH_DAY = re2.compile(r"([a-z]{3})[a-z]*\.? (\d{1,2})(?:st|nd|rd|th)?(?: (\d{4}))?")
_DAY_MONTH = re2.compile(r"(\d{1,2})(?:st|nd|rd|th)? (?:of )?([a-z]{3})[a-z]*\.?(?: (\d{4}))?")
_RELATIVE_DAYS = {"the day before yesterday": -2, "yesterday": -1, "today": 0, "tonight": 0,
                  "tomorrow": 1}  # fmt: skip


def _date(value: str, ctx: _Context) -> str | None:
    """ISO date. Numeric dates are day first unless impossible (or `dayfirst` is off);
    dates without a year take the year that puts them closest to today; a bare weekday is
    its latest occurrence up to today, "last X" strictly before, "this X" today or later,
    "next X" strictly after. Vague spans ("a few days ago") normalize to None."""
    v = " ".join(value.lower().replace(",", " ").split())
    if not v.isascii():
        return _date_zh("".join(v.split()), ctx.today)
    today = ctx.today
    if v in _RELATIVE_DAYS:
        return (today + timedelta(days=_RELATIVE_DAYS[v])).isoformat()
    if m := _AGO.fullmatch(v):
        n = _COUNTS.get(m.group(1)) or (int(m.group(1)) if m.group(1).isdigit() else None)
        if n is None:
            return None
        return (today - timedelta(days=n * (7 if m.group(2) == "week" else 1))).isoformat()
    m = _WEEKDAY.fullmatch(v)
    if m and m.group(2) in _WEEKDAYS:
        return _weekday(today, _WEEKDAYS[m.group(2)], m.group(1)).isoformat()
    if m := _ISO.fullmatch(v):
        return _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    if m := _NUMERIC.fullmatch(v):
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        year += 2000 if year < 100 else 0
        day, month = (a, b) if (ctx.dayfirst and b <= 12) or a > 12 else (b, a)
        return _make_date(year, month, day).isoformat()
    if m := _MONTH_DAY.fullmatch(v) or _DAY_MONTH.fullmatch(v):
        month_s, day_s = (
            (m.group(1), m.group(2)) if m.group(1).isalpha() else (m.group(2), m.group(1))
        )
        month, day = _MONTHS[month_s], int(day_s)
        if m.group(3):
            return _make_date(int(m.group(3)), month, day).isoformat()
        return _closest(today, month, day).isoformat()
    return None


_ZH_RELATIVE_DAYS = {"大前天": -3, "前天": -2, "昨天": -1, "昨日": -1, "今天": 0, "今日": 0,
                     "明天": 1, "明日": 1, "后天": 2, "大后天": 3}  # fmt: skip
_ZH_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_ZH_WEEKS = {"上": -1, "这": 0, "本": 0, "下": 1}  # 上周 last week, 这周/本周 this week, 下周 next
_ZH_WEEKDAY = re2.compile(r"(?:(上|下|这|本)个?)?(?:周|星期|礼拜)(.)")
_ZH_MONTH_DAY = re2.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]")
_ZH_AGO = re2.compile(r"(\d+|[一二两三四五六七八九十几]+)个?(天|周|星期|礼拜)前")


def _date_zh(v: str, today: date) -> str | None:
    """A Chinese date (spaces removed) as ISO. A bare weekday (周五) is its latest
    occurrence up to today, as in English; 上周五 / 这周五 / 下周五 are the Friday of the
    previous / current / next Monday-to-Sunday week, as Chinese speakers mean them (on a
    Wednesday, 上周一 is nine days back and 下周五 nine days ahead). "几天前" is None."""
    if v in _ZH_RELATIVE_DAYS:
        return (today + timedelta(days=_ZH_RELATIVE_DAYS[v])).isoformat()
    if (m := _ZH_WEEKDAY.fullmatch(v)) and m.group(2) in _ZH_WEEKDAYS:
        weekday = _ZH_WEEKDAYS[m.group(2)]
        if m.group(1) is None:
            return _weekday(today, weekday, None).isoformat()
        monday = today - timedelta(days=today.weekday())
        return (monday + timedelta(weeks=_ZH_WEEKS[m.group(1)], days=weekday)).isoformat()
    if m := _ZH_MONTH_DAY.fullmatch(v):
        month, day = int(m.group(2)), int(m.group(3))
        if m.group(1):
            return _make_date(int(m.group(1)), month, day).isoformat()
        return _closest(today, month, day).isoformat()
    if m := _ZH_AGO.fullmatch(v):
        n = int(m.group(1)) if m.group(1).isdigit() else _zh_number(m.group(1))
        if n is None:
            return None
        return (today - timedelta(days=n * (1 if m.group(2) == "天" else 7))).isoformat()
    return None


def _make_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise _Reject from exc  # "2026-13-45" is not a date


def _closest(today: date, month: int, day: int) -> date:
    options = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            options.append(date(year, month, day))
        except ValueError:  # Feb 29 in a non-leap year
            continue
    if not options:
        raise _Reject
    return min(options, key=lambda d: abs((d - today).days))


def _weekday(today: date, weekday: int, qualifier: str | None) -> date:
    back = (today.weekday() - weekday) % 7
    ahead = (weekday - today.weekday()) % 7
    if qualifier == "last":
        return today - timedelta(days=back or 7)
    if qualifier == "next":
        return today + timedelta(days=ahead or 7)
    if qualifier == "this":
        return today + timedelta(days=ahead)
    return today - timedelta(days=back)


_NORMALIZERS: dict[str, Callable[[str, _Context], str | None]] = {
    "order_number": _identifier,
    "invoice_number": _identifier,
    "tracking_number": _tracking,
    "email": _email,
    "phone_number": _phone,
    "card_number": _card,
    "iban": _iban,
    "amount": _amount,
    "date": _date,
}
