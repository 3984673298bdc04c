"""PII redaction (retrieval/pii.py): the one redactor of the product."""

from __future__ import annotations

from datetime import datetime

import pytest

from intent.entities import Entity, EntityExtractor
from retrieval.pii import DEFAULT_TYPES, Redactor, default_redactor, embedding_text

NOW = datetime(2026, 11, 25, 15, 30)


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor()


@pytest.fixture(scope="module")
def extractor() -> EntityExtractor:
    return EntityExtractor.default()


def test_default_types_are_the_personal_data() -> None:
    assert DEFAULT_TYPES == ("email", "phone_number", "card_number", "iban")
    assert default_redactor().types == DEFAULT_TYPES


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("my card is 4111 1111 1111 1111 thanks", "my card is [CARD visa ****1111] thanks"),
        ("card 4111-1111-1111-1111.", "card [CARD visa ****1111]."),
        ("mc 5555555555554444", "mc [CARD mastercard ****4444]"),
        ("new mc 2223 0031 2200 3222", "new mc [CARD mastercard ****3222]"),
        ("amex 3782 822463 10005", "amex [CARD amex ****0005]"),
        ("discover 6011111111111117", "discover [CARD discover ****1117]"),
        ("jcb 3530111333300000", "jcb [CARD jcb ****0000]"),
        ("unionpay 6200000000000005", "unionpay [CARD unionpay ****0005]"),
        ("diners 3056 9309 0259 04", "diners [CARD diners ****5904]"),
        ("write to Ann.Lee@Example.com today", "write to [EMAIL] today"),
        ("call me on +33 6 12 34 56 78 please", "call me on [PHONE] please"),
        ("ring (555) 123-4567 after 5", "ring [PHONE] after 5"),
        ("iban DE89 3704 0044 0532 0130 00 ok", "iban [IBAN ****3000] ok"),
        ("iban GB82WEST12345698765432", "iban [IBAN ****5432]"),
    ],
)
def test_masked_forms(redactor: Redactor, text: str, redacted: str) -> None:
    assert redactor.redact(text) == redacted


def test_several_items_in_one_text_and_the_text_around_them_untouched(
    redactor: Redactor,
) -> None:
    text = (
        "Hi, I'm Ann (ann@example.com, +44 20 7946 0958). Order ORD-20417 for €30 on "
        "Nov 22 was paid with 4111 1111 1111 1111 and refunded to DE89 3704 0044 0532 0130 00; "
        "also 5555-5555-5555-4444!"
    )
    assert redactor.redact(text) == (
        "Hi, I'm Ann ([EMAIL], [PHONE]). Order ORD-20417 for €30 on "
        "Nov 22 was paid with [CARD visa ****1111] and refunded to [IBAN ****3000]; "
        "also [CARD mastercard ****4444]!"
    )


@pytest.mark.parametrize(
    "text",
    [
        "where is ORD-20417?",
        "where is ORD-2026-000123",
        "order 113542617735902 please",
        "cancel purchase 732201349959",
        "the parcel for #A1234567 is missing",
        "see #112-7382647-2871236",
        "tracking number 9400111899223100012345",
        "UPS says 1Z999AA10123456784",
        "parcel RR123456789FR",
        "invoice INV-2026-0042 and bill #00108",
        "I was charged $25 twice, 1,299.99 dollars, GBP 1.200,50 and 25,99 €",
        "delivered on 2026-11-22, 22/11/2026 or next friday",
        "card 4111 1111 1111 1112",  # fails the Luhn check
        "GB82WEST12345698765433",  # fails the mod-97 check
        "I want to mark 22 items as a gift",
        "",
    ],
)
def test_no_false_positives(redactor: Redactor, text: str) -> None:
    assert redactor.redact(text) == text


def test_redacted_entities_hold_no_pii_in_clear(
    redactor: Redactor, extractor: EntityExtractor
) -> None:
    text = (
        "order ORD-20417: card 4111 1111 1111 1111, mail ann@example.com, "
        "phone 06 12 34 56 78, iban GB82 WEST 1234 5698 7654 32, €30 on Nov 22"
    )
    entities = extractor.extract(text, now=NOW)
    masked = redactor.redact_entities(entities)
    assert [(e.type, e.value, e.normalized) for e in masked] == [
        ("order_number", "ORD-20417", "ORD-20417"),
        ("card_number", "[CARD visa ****1111]", "[CARD visa ****1111]"),
        ("email", "[EMAIL]", "[EMAIL]"),
        ("phone_number", "[PHONE]", "[PHONE]"),
        ("iban", "[IBAN ****5432]", "[IBAN ****5432]"),
        ("amount", "€30", "30.00 EUR"),
        ("date", "Nov 22", "2026-11-22"),
    ]
    assert [(e.start, e.end) for e in masked] == [(e.start, e.end) for e in entities]
    # the masks are the ones of the redacted text
    redacted = redactor.redact(text)
    assert all(e.value in redacted for e in masked if e.type in DEFAULT_TYPES)


def test_an_order_number_that_is_a_card_number_is_masked_too(
    redactor: Redactor, extractor: EntityExtractor
) -> None:
    (entity,) = extractor.extract("order 4111111111111111", now=NOW)
    assert entity.type == "order_number"  # the context word wins for extraction...
    (masked,) = redactor.redact_entities([entity])
    assert (masked.type, masked.value, masked.normalized) == (
        "order_number",
        "[CARD visa ****1111]",
        "[CARD visa ****1111]",
    )  # ...but the card number is not kept in clear, as in redact("order 4111...")
    assert redactor.redact("order 4111111111111111") == "order [CARD visa ****1111]"


def test_entities_without_pii_are_returned_as_they_are(redactor: Redactor) -> None:
    entities = [
        Entity("order_number", "ORD-20417", 0, 9, "ORD-20417"),
        Entity("date", "tomorrow", 10, 18, "2026-11-26"),
        Entity("custom", "x", 19, 20, None),
    ]
    assert redactor.redact_entities(entities) == entities
    assert redactor.redact_entities([]) == []


def test_types_are_configurable() -> None:
    text = "mail ann@example.com or call +33 6 12 34 56 78"
    only_email = Redactor(types=("email",))
    assert only_email.redact(text) == "mail [EMAIL] or call +33 6 12 34 56 78"
    phone = Entity("phone_number", "+33 6 12 34 56 78", 29, 46, "+33612345678")
    assert only_email.redact_entities([phone]) == [phone]
    assert Redactor(types=()).redact(text) == text


def test_a_redactor_can_use_the_patterns_of_its_choice() -> None:
    redactor = Redactor(
        types=("ticket_id",), extractor=EntityExtractor({"ticket_id": [r"\bTCK-\d+\b"]})
    )
    assert redactor.redact("about TCK-42 again") == "about [TICKET_ID] again"


def test_the_default_redactor_is_built_once() -> None:
    assert default_redactor() is default_redactor()
    assert default_redactor().redact("ann@example.com") == "[EMAIL]"


def test_embedding_text_masks_digit_runs_of_the_redacted_text(redactor: Redactor) -> None:
    redacted = redactor.redact("card 4111 1111 1111 1111,  order 123456")
    assert embedding_text(redacted) == "card [CARD visa ****#], order #"
