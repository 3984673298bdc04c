"""Pattern-based entity extraction (intent/entities.py + data/entities.yml)."""

from __future__ import annotations

from datetime import datetime

import pytest
import re2
import yaml

from intent.entities import DEFAULT_PATTERNS, Entity, EntityExtractor, card_network, mask

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
        "iban",
    } <= set(extractor.types)


def test_redact_replaces_personal_data(extractor: EntityExtractor) -> None:
    text = "mail Ann@Example.com or call +33 6 12 34 56 78, card 4111-1111-1111-1111, order ORD-2026-000123"
    assert extractor.redact(text) == (
        "mail [EMAIL] or call [PHONE], card [CARD visa ****1111], order ORD-2026-000123"
    )


def test_redact_only_the_requested_types(extractor: EntityExtractor) -> None:
    text = "mail ann@example.com about ORD-2026-000123"
    assert (
        extractor.redact(text, types=("order_number",))
        == "mail ann@example.com about [ORDER_NUMBER]"
    )


def test_redact_catches_a_card_number_even_after_the_word_order(extractor: EntityExtractor) -> None:
    assert extractor.redact("order 4111111111111111") == "order [CARD visa ****1111]"


# --- linear time: every pattern on RE2 ------------------------------------------------------


def default_patterns() -> list[tuple[str, str]]:
    doc = yaml.safe_load(DEFAULT_PATTERNS.read_text(encoding="utf-8"))
    return [(t, p) for t, patterns in doc.items() for p in patterns]


@pytest.mark.parametrize(("etype", "pattern"), default_patterns())
def test_every_default_pattern_compiles_under_the_linear_engine(etype: str, pattern: str) -> None:
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False
    re2.compile(pattern, options)  # raises on anything RE2 cannot run in linear time
    assert EntityExtractor({etype: [pattern]}).types == [etype]


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        (r"(?<![\w#])#\d{5,}", "lookarounds are not allowed"),
        (r"(?<=order )\d{5,}", "lookarounds are not allowed"),
        (r"(?=[A-Z]*\d)[A-Z0-9]{8,}", "lookarounds are not allowed"),
        (r"\d{5,}(?!-)", "lookarounds are not allowed"),
        (r"(\d)\1{4}", "backreferences are not allowed"),
    ],
)
def test_a_pattern_the_linear_engine_cannot_run_is_refused_at_load(pattern: str, why: str) -> None:
    with pytest.raises(ValueError, match=rf"entity 'order_number': invalid pattern .*{why}"):
        EntityExtractor({"email": [r"\w+@\w+"], "order_number": [pattern]})


def test_a_lookaround_in_a_patterns_file_fails_naming_the_type(tmp_path) -> None:
    path = tmp_path / "entities.yml"
    path.write_text("ticket_id:\n  - '(?<!\\w)TCK-\\d+'\n", encoding="utf-8")
    with pytest.raises(ValueError, match="ticket_id.*lookarounds are not allowed"):
        EntityExtractor.from_yaml(path)


def test_a_pattern_must_be_a_string() -> None:
    with pytest.raises(ValueError, match="'ticket_id': pattern 42 is not a string"):
        EntityExtractor({"ticket_id": [42]})  # type: ignore[list-item]


@pytest.mark.parametrize(
    "text",
    [
        "1." * 5000,  # backtracked for seconds in the amount patterns under Python's re
        "1,1." * 2500,
        "1 " * 5000,
        "1" * 10000,
        "a@" * 5000,
        "+1 " * 5000,
        "00" * 5000,
        "(555) " * 3000,
        "1-" * 5000,
        "1/1/" * 3000,
        "#" * 10000,
        "ORD-" * 5000,
        "order " * 3000,
        "DE89 " * 3000,
        "é" * 10000,
        "订" * 10000,
    ],
)
def test_long_adversarial_texts_hold_no_entity(extractor: EntityExtractor, text: str) -> None:
    assert extractor.extract(text, now=NOW) == []
    assert extractor.redact(text) == text


def test_a_long_adversarial_prefix_does_not_hide_what_follows(extractor: EntityExtractor) -> None:
    text = "1." * 5000 + " pay €30 to ann@example.com"
    assert [(e.type, e.value, e.start) for e in extractor.extract(text, now=NOW)] == [
        ("amount", "€30", 10005),
        ("email", "ann@example.com", 10012),
    ]
    assert extractor.redact(text) == "1." * 5000 + " pay €30 to [EMAIL]"


def test_long_runs_of_real_entities(extractor: EntityExtractor) -> None:
    amounts = extractor.extract("€1, " * 3000, now=NOW)
    assert len(amounts) == 3000 and {e.normalized for e in amounts} == {"1.00 EUR"}
    (amount,) = extractor.extract("1." * 5000 + "1 EUR", now=NOW)
    assert amount.type == "amount" and amount.normalized.endswith("1111.10 EUR")
    (email,) = extractor.extract("a" * 10000 + "@example.com", now=NOW)
    assert (email.type, email.start, email.end) == ("email", 0, 10012)
    cards = "4111 1111 1111 1111, " * 1000
    assert extractor.redact(cards) == "[CARD visa ****1111], " * 1000


# --- non-ASCII text -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # letters with case are word characters, as in Python's re: no weekday in "Ümon"
        ("Ümon ist Frühstück", []),
        ("friß das", []),
        ("café#12345678", []),
        ("naïve 1234-5678", []),
        ("rené.dupont@example.com", [("email", "rené.dupont@example.com")]),
        # scripts without case separate words: an id written against Chinese text is found
        ("我的订单号是ORD-2026-000123谢谢", [("order_number", "ORD-2026-000123")]),
        ("我的邮箱是zhang@example.com", [("email", "zhang@example.com")]),
        ("电话0612345678", [("phone_number", "0612345678")]),
        # any Unicode space is a space (a no-break space before the currency here)
        ("prix 25,99\u00a0€", [("amount", "25,99\u00a0€")]),
        ("call +33\u00a06 12 34 56 78", [("phone_number", "+33\u00a06 12 34 56 78")]),
        # lone surrogates (valid in a str, not in UTF-8) do not crash
        ("\ud800 see ORD-12345678 \udfff", [("order_number", "ORD-12345678")]),
    ],
)
def test_non_ascii_text(
    extractor: EntityExtractor, text: str, expected: list[tuple[str, str]]
) -> None:
    entities = extractor.extract(text, now=NOW)
    assert [(e.type, e.value) for e in entities] == expected
    assert all(text[e.start : e.end] == e.value for e in entities)


def test_a_pattern_naming_non_ascii_letters_sees_the_text_as_written() -> None:
    extractor = EntityExtractor({"order_number": [r"référence\s*(?P<value>\d{5,})"]})
    assert [e.value for e in extractor.extract("Référence 123456", now=NOW)] == ["123456"]


def test_tracking_numbers_need_a_digit(extractor: EntityExtractor) -> None:
    assert extractor.extract("tracking number available soon", now=NOW) == []
    assert extractor.extract("the parcel is delivered", now=NOW) == []
    assert found(extractor, "parcel is AB12345678") == [
        ("tracking_number", "AB12345678", "AB12345678")
    ]


def test_hash_ids_need_no_word_character_before_them(extractor: EntityExtractor) -> None:
    assert [e.value for e in extractor.extract("#12345 #67890,#11111", now=NOW)] == [
        "#12345",
        "#67890",
        "#11111",
    ]
    assert extractor.extract("x#12345678 a##12345678", now=NOW) == []


# --- IBANs and masks ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "normalized"),
    [
        (
            "IBAN DE89 3704 0044 0532 0130 00 please",
            "DE89 3704 0044 0532 0130 00",
            "DE89370400440532013000",
        ),
        ("pay GB82WEST12345698765432.", "GB82WEST12345698765432", "GB82WEST12345698765432"),
        ("gb82 west 1234 5698 7654 32", "gb82 west 1234 5698 7654 32", "GB82WEST12345698765432"),
        # a short word after the number is not taken for its end (each country's length)
        ("BE68 5390 0754 7034 and more", "BE68 5390 0754 7034", "BE68539007547034"),
        (
            "FR14 2004 1010 0505 0001 3M02 606",
            "FR14 2004 1010 0505 0001 3M02 606",
            "FR1420041010050500013M02606",
        ),
        ("NO9386011117947", "NO9386011117947", "NO9386011117947"),
    ],
)
def test_ibans(extractor: EntityExtractor, text: str, value: str, normalized: str) -> None:
    assert found(extractor, text) == [("iban", value, normalized)]


def test_ibans_need_the_mod97_check(extractor: EntityExtractor) -> None:
    assert [
        e for e in extractor.extract("GB82WEST12345698765433", now=NOW) if e.type == "iban"
    ] == []
    assert [
        e for e in extractor.extract("DE88 3704 0044 0532 0130 00", now=NOW) if e.type == "iban"
    ] == []


@pytest.mark.parametrize(
    ("number", "network"),
    [
        ("4111111111111111", "visa"),
        ("5555555555554444", "mastercard"),
        ("2223003122003222", "mastercard"),
        ("378282246310005", "amex"),
        ("340000000000009", "amex"),
        ("6011111111111117", "discover"),
        ("6500000000000002", "discover"),
        ("3530111333300000", "jcb"),
        ("6200000000000005", "unionpay"),
        ("30569309025904", "diners"),
        ("36227206271667", "diners"),
        ("2720990000000007", "mastercard"),
        ("2721000000000000", "card"),
        ("6400000000000000", "card"),
    ],
)
def test_card_network_from_the_issuer_number(number: str, network: str) -> None:
    assert card_network(number) == network


def test_masks_keep_what_an_agent_needs(extractor: EntityExtractor) -> None:
    text = (
        "card 5555 5555 5555 4444 or 378282246310005, iban DE89 3704 0044 0532 0130 00, "
        "mail ann@example.com, phone +44 20 7946 0958."
    )
    assert [mask(e) for e in extractor.extract(text, now=NOW)] == [
        "[CARD mastercard ****4444]",
        "[CARD amex ****0005]",
        "[IBAN ****3000]",
        "[EMAIL]",
        "[PHONE]",
    ]
    assert mask(Entity("order_number", "ORD-1", 0, 5, "ORD-1")) == "[ORDER_NUMBER]"


def test_the_one_pass_prefilter_changes_no_result(extractor: EntityExtractor) -> None:
    """Only the patterns the RE2 set finds anywhere run; on every test turn of the demo
    data (English, Chinese, hand-written messy ones) and on texts full of entities,
    extraction and redaction are what running every pattern gives."""
    import csv
    from pathlib import Path

    data = Path(__file__).resolve().parents[2] / "data" / "intents"
    texts = [
        row["text"]
        for name in ("test.csv", "realistic_test.csv", "realistic_test_zh.csv", "zh/test.csv")
        for row in csv.DictReader((data / name).open(encoding="utf-8"))
    ]
    texts += [
        "card 5555 5555 5555 4444, iban DE89 3704 0044 0532 0130 00, ann@example.com, "
        "+44 20 7946 0958, order ORD-20417 on 03/02/2026 for €129.99, tracking 1Z999AA10123456784",
        "我的订单号是ORD-20417，2026年3月2日付了129元，电话13812345678",
    ]
    unfiltered = EntityExtractor.default()
    unfiltered._sets = {raw: (None, []) for raw in (False, True)}  # every pattern runs
    assert len(texts) > 500
    for text in texts:
        assert extractor.extract(text, now=NOW) == unfiltered.extract(text, now=NOW), text
        assert extractor.redact(text) == unfiltered.redact(text), text
    assert any(extractor.extract(t, now=NOW) for t in texts)  # the corpus has entities
