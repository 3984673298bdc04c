"""PII redaction: the one redactor the product applies before anything is stored,
exported, logged, embedded or forwarded.

It uses the product's entity patterns (`intent.entities`, configured in
`data/entities.yml`, run on RE2 so in linear time) and masks what it finds with
`intent.entities.mask`: e-mails -> `[EMAIL]`, phone numbers -> `[PHONE]`, card numbers
(Luhn-valid) -> `[CARD visa ****1111]` (network and last 4 digits), IBANs (mod-97-valid) ->
`[IBAN ****3000]` (last 4). What an agent needs to tell a customer's cards or accounts
apart stays; what would let someone use them does not. Which entity types are redacted is
configurable. There is no fallback: if the patterns cannot be loaded, building a `Redactor`
fails rather than letting personal data through.

`embedding_text` also masks long digit runs (order, tracking numbers), which carry no
meaning for a sentence encoder and would make every text unique (see the embedding cache
in `retrieval.index`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache

from intent.entities import PII_TYPES, Entity, EntityExtractor, mask

DEFAULT_TYPES: tuple[str, ...] = PII_TYPES  # email, phone_number, card_number, iban
_DIGITS = re.compile(r"\d{3,}")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _default_extractor() -> EntityExtractor:
    return EntityExtractor.default()  # compiles data/entities.yml once per process


class Redactor:
    """`redact(text)` masks the personal data in a text, `redact_entities(entities)` in a
    turn's extracted entities, both the same way (`intent.entities.mask`).

    `extractor`: the entity patterns to find PII with (default: `data/entities.yml`, loaded
    once per process, so a `Redactor` is cheap to build). Redacted texts are cached.
    """

    def __init__(
        self, types: Sequence[str] = DEFAULT_TYPES, extractor: EntityExtractor | None = None
    ) -> None:
        self.types = tuple(types)
        self._extractor = extractor or _default_extractor()
        self._cached = lru_cache(maxsize=10_000)(self._redact)

    def _redact(self, text: str) -> str:
        if not text or not self.types:
            return text
        return self._extractor.redact(text, types=self.types)

    def redact(self, text: str) -> str:
        return self._cached(text)

    def redact_entities(self, entities: Iterable[Entity]) -> list[Entity]:
        """`entities` with the `value` and `normalized` of PII types replaced by their mask
        (`[CARD visa ****1111]`...), offsets kept. Another type's entity is unchanged unless
        its value itself holds PII, as "order 4111 1111 1111 1111" (an order number for the
        extractor, a card number for `redact`): that is masked as in the redacted text."""
        out = []
        for e in entities:
            if e.type in self.types:
                masked = mask(e)
                out.append(replace(e, value=masked, normalized=masked))
                continue
            value = self.redact(e.value)
            normalized = None if e.normalized is None else self.redact(e.normalized)
            if (value, normalized) != (e.value, e.normalized):
                e = replace(e, value=value, normalized=normalized)
            out.append(e)
        return out


@lru_cache(maxsize=1)
def default_redactor() -> Redactor:
    """The process-wide `Redactor` with the default types and patterns (one shared cache)."""
    return Redactor()


def embedding_text(redacted: str) -> str:
    """The text actually embedded: digit runs masked, spaces collapsed."""
    return _SPACES.sub(" ", _DIGITS.sub("#", redacted)).strip()
