"""Pattern-based entity extraction: order numbers, emails, phones, amounts, dates...

The patterns live in `data/entities.yml` (its header documents the format); this module
compiles them, resolves overlapping matches and normalizes values by entity type.
Standard library + PyYAML only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NamedTuple

import yaml

DEFAULT_PATTERNS = Path(__file__).resolve().parents[1] / "data" / "entities.yml"


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


class EntityExtractor:
    """Finds entities with named regular expressions.

    Overlaps are resolved greedily: the longest whole match (context words included)
    first, then the type listed first, then the earlier match.
    """

    def __init__(self, patterns: Mapping[str, Sequence[str]], *, dayfirst: bool = True) -> None:
        self.dayfirst = dayfirst  # "02/03/2026" is 2 March (True) or February 3 (False)
        self._types: list[str] = list(patterns)
        self._patterns: list[tuple[str, re.Pattern[str]]] = []
        for entity_type, regexes in patterns.items():
            if isinstance(regexes, str) or not isinstance(regexes, Sequence):
                raise ValueError(f"entity {entity_type!r}: expected a list of regexes")
            for regex in regexes:
                try:
                    self._patterns.append((entity_type, re.compile(regex, re.IGNORECASE)))
                except (re.error, TypeError) as exc:
                    raise ValueError(
                        f"entity {entity_type!r}: invalid pattern {regex!r}: {exc}"
                    ) from exc

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

    def redact(
        self, text: str, types: Iterable[str] = ("email", "phone_number", "card_number")
    ) -> str:
        """`text` with entities of `types` replaced by `[EMAIL]`, `[PHONE_NUMBER]`...

        Only the requested types compete for a span, so a card number is redacted even
        where, for extraction, an order number pattern would have won."""
        found = self._resolve(self._candidates(text, datetime.now(), set(types)))
        for e in reversed(found):
            text = f"{text[: e.start]}[{e.type.upper()}]{text[e.end :]}"
        return text

    def _candidates(self, text: str, now: datetime, types: Iterable[str]) -> list[_Candidate]:
        wanted = set(types)
        ctx = _Context(now.date(), self.dayfirst)
        out = []
        for entity_type, pattern in self._patterns:
            if entity_type not in wanted:
                continue
            normalize = _NORMALIZERS.get(entity_type, _as_is)
            for m in pattern.finditer(text):
                group = "value" if "value" in pattern.groupindex else 0
                start, end = m.span(group)
                if start < 0 or start == end:
                    continue
                value = m.group(group)
                try:
                    normalized = normalize(value, ctx)
                except _Reject:
                    continue
                entity = Entity(entity_type, value, start, end, normalized)
                out.append(_Candidate(m.end() - m.start(), self._types.index(entity_type), entity))
        return out

    @staticmethod
    def _resolve(candidates: list[_Candidate]) -> list[Entity]:
        kept: list[Entity] = []
        for c in sorted(candidates, key=lambda c: (-c.length, c.rank, c.entity.start)):
            e = c.entity
            if all(e.end <= k.start or e.start >= k.end for k in kept):
                kept.append(e)
        return sorted(kept, key=lambda e: e.start)


# --- normalizers: (value, context) -> normalized string, or raise _Reject ----------------


class _Context(NamedTuple):
    today: date
    dayfirst: bool


def _as_is(value: str, _: _Context) -> str:
    return value


def _identifier(value: str, _: _Context) -> str:
    return value.lstrip("#").upper()


def _email(value: str, _: _Context) -> str:
    return value.lower()


def _phone(value: str, _: _Context) -> str:
    """'+33 6 12 34 56 78' and '0033 6...' -> '+33612345678'; national forms keep their
    digits (the country is unknown). Fewer than 7 or more than 15 digits is no phone."""
    digits = re.sub(r"\D", "", value)
    international = value.lstrip().startswith("+") or digits.startswith("00")
    if digits.startswith("00"):
        digits = digits[2:]
    if not 7 <= len(digits) <= 15:
        raise _Reject
    return "+" + digits if international else digits


def _card(value: str, _: _Context) -> str:
    """Digits of a payment card number: a major-network first digit (2-6) and a valid
    Luhn checksum, so most order ids and phone numbers are not taken for cards."""
    digits = re.sub(r"\D", "", value)
    if digits[0] not in "23456" or not _luhn_ok(digits):
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


# Currency markers -> ISO 4217 code. A bare "$" is taken as US dollars.
_CURRENCIES = {
    "us$": "USD", "ca$": "CAD", "c$": "CAD", "au$": "AUD", "a$": "AUD", "nz$": "NZD",
    "hk$": "HKD", "sg$": "SGD", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR",
    "dollar": "USD", "dollars": "USD", "bucks": "USD", "euro": "EUR", "euros": "EUR",
    "pound": "GBP", "pounds": "GBP", "quid": "GBP", "yen": "JPY", "franc": "CHF",
    "francs": "CHF",
}  # fmt: skip
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _amount(value: str, _: _Context) -> str:
    m = _NUMBER.search(value)
    if m is None:
        raise _Reject
    marker = (value[: m.start()] + value[m.end() :]).strip().lower()
    code = _CURRENCIES.get(marker, marker.upper())
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise _Reject
    return f"{_parse_number(m.group()):.2f} {code}"


def _parse_number(number: str) -> Decimal:
    """'1,299.99', '1.299,99', '25,99', '1,299' -> Decimal. The last separator is the
    decimal point when one or two digits follow it, else a thousands separator."""
    head, sep, tail = max(number.rpartition("."), number.rpartition(","), key=lambda p: len(p[0]))
    if sep and 1 <= len(tail) <= 2:
        number = re.sub(r"[.,]", "", head) + "." + tail
    else:
        number = re.sub(r"[.,]", "", number)
    try:
        return Decimal(number)
    except InvalidOperation as exc:  # pragma: no cover - the regex only lets digits through
        raise _Reject from exc


_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES, 1)}
_WEEKDAYS = {d: i for i, d in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))}
_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9, "ten": 10, "a couple of": 2}  # fmt: skip
_RELATIVE_DAYS = {"the day before yesterday": -2, "yesterday": -1, "today": 0, "tonight": 0,
                  "tomorrow": 1}  # fmt: skip


def _date(value: str, ctx: _Context) -> str | None:
    """ISO date. Numeric dates are day first unless impossible (or `dayfirst` is off);
    dates without a year take the year that puts them closest to today; a bare weekday is
    its latest occurrence up to today, "last X" strictly before, "this X" today or later,
    "next X" strictly after. Vague spans ("a few days ago") normalize to None."""
    v = " ".join(value.lower().replace(",", " ").split())
    today = ctx.today
    if v in _RELATIVE_DAYS:
        return (today + timedelta(days=_RELATIVE_DAYS[v])).isoformat()
    if m := re.fullmatch(r"(.+) (day|week)s? ago", v):
        n = _COUNTS.get(m.group(1)) or (int(m.group(1)) if m.group(1).isdigit() else None)
        if n is None:
            return None
        return (today - timedelta(days=n * (7 if m.group(2) == "week" else 1))).isoformat()
    m = re.fullmatch(r"(?:(last|next|this) )?([a-z]{3})[a-z]*", v)
    if m and m.group(2) in _WEEKDAYS:
        return _weekday(today, _WEEKDAYS[m.group(2)], m.group(1)).isoformat()
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", v):
        return _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    if m := re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})", v):
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        year += 2000 if year < 100 else 0
        day, month = (a, b) if (ctx.dayfirst and b <= 12) or a > 12 else (b, a)
        return _make_date(year, month, day).isoformat()
    if m := re.fullmatch(r"([a-z]{3})[a-z]*\.? (\d{1,2})(?:st|nd|rd|th)?(?: (\d{4}))?", v) or (
        re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)? (?:of )?([a-z]{3})[a-z]*\.?(?: (\d{4}))?", v)
    ):
        month_s, day_s = (
            (m.group(1), m.group(2)) if m.group(1).isalpha() else (m.group(2), m.group(1))
        )
        month, day = _MONTHS[month_s], int(day_s)
        if m.group(3):
            return _make_date(int(m.group(3)), month, day).isoformat()
        return _closest(today, month, day).isoformat()
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
    "tracking_number": _identifier,
    "email": _email,
    "phone_number": _phone,
    "card_number": _card,
    "amount": _amount,
    "date": _date,
}
