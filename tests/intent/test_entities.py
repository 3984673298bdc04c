"""Pattern-based entity extraction (intent/entities.py + data/entities.yml)."""

from __future__ import annotations

from datetime import datetime

import pytest

from intent.entities import Entity, EntityExtractor

NOW = datetime(2026, 11, 25, 15, 30)  # a Wednesday


@pytest.fixture(scope="module")
def extractor() -> EntityExtractor:
    return EntityExtractor.default()


def found(extractor: EntityExtractor, text: str) -> list[tuple[str, str, str | None]]:
    return [(e.type, e.value, e.normalized) for e in extractor.extract(text, now=NOW)]


@pytest.mark.parametrize(
    ("text", "value", "normalized"),
    [
        ("where is ORD-2026-000123?", "ORD-2026-000123", "ORD-2026-000123"),
        ("order ord-12345678 is late", "ord-12345678", "ORD-12345678"),
        ("how can I cancel purchase 113542617735902?", "113542617735902", "113542617735902"),
        ("help seeing order113542617735902 status", "113542617735902", "113542617735902"),
        ("my order number is 00004587345", "00004587345", "00004587345"),
        ("the parcel for #A1234567 is missing", "#A1234567", "A1234567"),
    ],
)
def test_order_numbers(extractor: EntityExtractor, text: str, value: str, normalized: str) -> None:
    assert found(extractor, text) == [("order_number", value, normalized)]


def test_entity_offsets_point_at_the_value(extractor: EntityExtractor) -> None:
    text = "cancel purchase 732201349959 please"
    (e,) = extractor.extract(text, now=NOW)
    assert text[e.start : e.end] == e.value == "732201349959"
    assert e.to_dict() == {
        "type": "order_number",
        "value": "732201349959",
        "start": 16,
        "end": 28,
        "normalized": "732201349959",
    }


def test_several_entities_sorted_by_start(extractor: EntityExtractor) -> None:
    text = "I paid €30 for ORD-2026-000124 on Nov 22, mail me at Ann.Lee@Example.com"
    assert found(extractor, text) == [
        ("amount", "€30", "30.00 EUR"),
        ("order_number", "ORD-2026-000124", "ORD-2026-000124"),
        ("date", "Nov 22", "2026-11-22"),
        ("email", "Ann.Lee@Example.com", "ann.lee@example.com"),
    ]


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("I was charged $25 twice", "25.00 USD"),
        ("refund of 25.99 EUR please", "25.99 EUR"),
        ("it was €30", "30.00 EUR"),
        ("it cost 1,299.99 dollars", "1299.99 USD"),
        ("a 25,99 € fee", "25.99 EUR"),
        ("GBP 1.200,50 total", "1200.50 GBP"),
        ("waiting for 1499 dollars", "1499.00 USD"),
        ("just 40 bucks", "40.00 USD"),
        ("paid C$40", "40.00 CAD"),
    ],
)
def test_amounts_get_a_currency_code(
    extractor: EntityExtractor, text: str, normalized: str
) -> None:
    (e,) = extractor.extract(text, now=NOW)
    assert (e.type, e.normalized) == ("amount", normalized)


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("call me on +33 6 12 34 56 78", "+33612345678"),
        ("my number is +1 (555) 123-4567", "+15551234567"),
        ("reach me at 0044 20 7946 0958", "+442079460958"),
        ("mobile 06 12 34 56 78", "0612345678"),
        ("ring (555) 123-4567 after 5", "5551234567"),
    ],
)
def test_phone_numbers(extractor: EntityExtractor, text: str, normalized: str) -> None:
    (e,) = extractor.extract(text, now=NOW)
    assert (e.type, e.normalized) == ("phone_number", normalized)


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("delivered on 2026-11-22", "2026-11-22"),
        ("delivered on 22/11/2026", "2026-11-22"),
        ("delivered on 11/22/2026", "2026-11-22"),  # 22 cannot be a month
        ("delivered on 02/11/2026", "2026-11-02"),  # day first by default
        ("delivered on November 22nd, 2026", "2026-11-22"),
        ("delivered on 22 Nov", "2026-11-22"),
        ("delivered on Dec 28", "2026-12-28"),
        ("delivered yesterday", "2026-11-24"),
        ("ordered the day before yesterday", "2026-11-23"),
        ("ordered 3 days ago", "2026-11-22"),
        ("ordered two weeks ago", "2026-11-11"),
        ("it came on Monday", "2026-11-23"),
        ("it came last Wednesday", "2026-11-18"),
        ("is it coming next friday", "2026-11-27"),
        ("will it be here tomorrow", "2026-11-26"),
    ],
)
def test_dates_are_iso_and_relative_ones_resolve_against_now(
    extractor: EntityExtractor, text: str, normalized: str
) -> None:
    (e,) = extractor.extract(text, now=NOW)
    assert (e.type, e.normalized) == ("date", normalized)


def test_month_day_takes_the_nearest_year() -> None:
    extractor = EntityExtractor.default()
    (e,) = extractor.extract("ordered on Dec 28", now=datetime(2027, 1, 3))
    assert e.normalized == "2026-12-28"


def test_dayfirst_can_be_switched_off() -> None:
    patterns = {"date": [r"\b\d{1,2}/\d{1,2}/\d{4}\b"]}
    assert EntityExtractor(patterns).extract("02/11/2026", now=NOW)[0].normalized == "2026-11-02"
    us = EntityExtractor(patterns, dayfirst=False)
    assert us.extract("02/11/2026", now=NOW)[0].normalized == "2026-02-11"


def test_impossible_dates_are_not_dates(extractor: EntityExtractor) -> None:
    assert [e for e in extractor.extract("ref 2026-13-45", now=NOW) if e.type == "date"] == []


@pytest.mark.parametrize(
    ("text", "etype", "normalized"),
    [
        ("check invoice #85632", "invoice_number", "85632"),
        ("where do i look for bill #00108", "invoice_number", "00108"),
        ("send me INV-2026-0042", "invoice_number", "INV-2026-0042"),
        ("tracking number 9400111899223100012345", "tracking_number", "9400111899223100012345"),
        ("UPS says 1Z999AA10123456784", "tracking_number", "1Z999AA10123456784"),
        ("parcel rr123456789fr", "tracking_number", "RR123456789FR"),
    ],
)
def test_invoice_and_tracking_numbers(
    extractor: EntityExtractor, text: str, etype: str, normalized: str
) -> None:
    assert [(e.type, e.normalized) for e in extractor.extract(text, now=NOW)] == [
        (etype, normalized)
    ]


def test_card_numbers_need_a_valid_luhn_checksum(extractor: EntityExtractor) -> None:
    assert found(extractor, "card 4111 1111 1111 1111") == [
        ("card_number", "4111 1111 1111 1111", "4111111111111111")
    ]
    assert [e.type for e in extractor.extract("card 4111 1111 1111 1112", now=NOW)] == []


def test_context_match_beats_a_bare_one() -> None:
    """'invoice #00108' (longer, with context) wins over the bare '#00108' order pattern."""
    extractor = EntityExtractor.default()
    assert [e.type for e in extractor.extract("invoice #00108", now=NOW)] == ["invoice_number"]
    assert [e.type for e in extractor.extract("see #00108", now=NOW)] == ["order_number"]


def test_overlap_ties_go_to_the_type_listed_first() -> None:
    text = "ref 12345678"
    first = EntityExtractor({"a": [r"\d{8}"], "b": [r"\d{8}"]})
    second = EntityExtractor({"b": [r"\d{8}"], "a": [r"\d{8}"]})
    assert [e.type for e in first.extract(text)] == ["a"]
    assert [e.type for e in second.extract(text)] == ["b"]


def test_longest_overlapping_match_wins() -> None:
    extractor = EntityExtractor({"short": [r"\d{4}"], "long": [r"\d{4}-\d{4}"]})
    assert extractor.extract("x 1234-5678") == [Entity("long", "1234-5678", 2, 11, "1234-5678")]


def test_no_entities_in_plain_text(extractor: EntityExtractor) -> None:
    assert extractor.extract("I want to mark 22 items as a gift", now=NOW) == []
    assert extractor.extract("", now=NOW) == []


def test_invalid_pattern_names_entity_and_pattern() -> None:
    with pytest.raises(ValueError, match=r"order_number.*\(unclosed"):
        EntityExtractor({"email": [r"\w+@\w+"], "order_number": ["(unclosed"]})


def test_from_yaml_loads_user_patterns(tmp_path) -> None:
    path = tmp_path / "entities.yml"
    path.write_text("# custom\nticket_id:\n  - '\\bTCK-\\d+\\b'\n", encoding="utf-8")
    extractor = EntityExtractor.from_yaml(path)
    assert extractor.types == ["ticket_id"]
    assert found(extractor, "about TCK-42 again") == [("ticket_id", "TCK-42", "TCK-42")]


def test_from_yaml_rejects_a_non_mapping(tmp_path) -> None:
    path = tmp_path / "entities.yml"
    path.write_text("- just a list\n", encoding="utf-8")
    with pytest.raises(ValueError, match="mapping"):
        EntityExtractor.from_yaml(path)


def test_default_file_has_the_documented_types(extractor: EntityExtractor) -> None:
    assert {
        "order_number",
        "email",
        "phone_number",
        "amount",
        "date",
        "invoice_number",
        "tracking_number",
        "card_number",
    } <= set(extractor.types)


def test_redact_replaces_personal_data(extractor: EntityExtractor) -> None:
    text = "mail Ann@Example.com or call +33 6 12 34 56 78, card 4111-1111-1111-1111, order ORD-2026-000123"
    assert extractor.redact(text) == (
        "mail [EMAIL] or call [PHONE_NUMBER], card [CARD_NUMBER], order ORD-2026-000123"
    )


def test_redact_only_the_requested_types(extractor: EntityExtractor) -> None:
    text = "mail ann@example.com about ORD-2026-000123"
    assert (
        extractor.redact(text, types=("order_number",))
        == "mail ann@example.com about [ORDER_NUMBER]"
    )


def test_redact_catches_a_card_number_even_after_the_word_order(extractor: EntityExtractor) -> None:
    assert extractor.redact("order 4111111111111111") == "order [CARD_NUMBER]"
