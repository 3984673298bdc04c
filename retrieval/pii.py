"""PII redaction before anything is embedded or indexed.

Uses the product's entity patterns (`intent.entities.EntityExtractor.redact`, configured in
`data/entities.yml`); which entity types are redacted is configurable. `embedding_text`
also masks long digit runs (order, tracking numbers), which carry no meaning for a sentence
encoder and would make every text unique (see the embedding cache in `retrieval.index`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

DEFAULT_TYPES: tuple[str, ...] = ("email", "phone_number", "card_number")
_DIGITS = re.compile(r"\d{3,}")
_SPACES = re.compile(r"\s+")
# Fallback patterns, used only if intent.entities cannot be loaded.
_FALLBACK = {
    "email": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    "card_number": re.compile(r"\b(?:\d[ -]?){13,19}\b"),
    "phone_number": re.compile(r"(?:\+\d{1,3}[ .-]?)?(?:\(?\d{2,4}\)?[ .-]?){2,5}\d{2,4}"),
}


class Redactor:
    """`redact(text)` replaces e-mails, phone and card numbers with `[EMAIL]`..."""

    def __init__(self, types: Sequence[str] = DEFAULT_TYPES) -> None:
        self.types = tuple(types)
        try:
            from intent.entities import EntityExtractor

            self._extractor: object | None = EntityExtractor.default()
        except Exception:  # pragma: no cover - only without the intent package's data
            self._extractor = None
        self._cached = lru_cache(maxsize=200_000)(self._redact)

    def _redact(self, text: str) -> str:
        if not text or not self.types:
            return text
        if self._extractor is not None:
            return self._extractor.redact(text, types=self.types)  # type: ignore[attr-defined]
        for name in self.types:  # pragma: no cover - fallback path
            pattern = _FALLBACK.get(name)
            if pattern is not None:
                text = pattern.sub(f"[{name.upper()}]", text)
        return text

    def redact(self, text: str) -> str:
        return self._cached(text)


def embedding_text(redacted: str) -> str:
    """The text actually embedded: digit runs masked, spaces collapsed."""
    return _SPACES.sub(" ", _DIGITS.sub("#", redacted)).strip()
