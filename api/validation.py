"""Checks of free text every route applies before anything is stored or classified."""

from __future__ import annotations

from api.errors import InvalidInput, PayloadTooLarge


def check_text(text: str, limit: int, where: str = "text") -> str:
    """`text` stripped, or a clear 4xx: empty, too long, NUL, or not encodable as UTF-8
    (a lone surrogate such as "\\ud800", which JSON allows but no database stores)."""
    if not text.strip():
        raise InvalidInput(f"{where} is empty: send the customer's message")
    if len(text) > limit:
        raise PayloadTooLarge(
            f"{where} has {len(text)} characters; the limit is {limit}", limit=limit
        )
    if "\x00" in text:
        raise InvalidInput(f"{where} contains a NUL character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidInput(
            f"{where} is not valid Unicode (a lone surrogate at position {exc.start}): "
            "send UTF-8 text"
        ) from exc
    return text.strip()
