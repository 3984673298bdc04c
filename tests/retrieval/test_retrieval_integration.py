"""With the real all-MiniLM-L6-v2 encoder (marker `integration`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from retrieval.index import HistoryIndex
from retrieval.ranker import HybridRanker
from retrieval.responses import load_bank
from retrieval.schemas import Event

pytestmark = pytest.mark.integration
NOW = datetime.now(UTC)


@pytest.fixture(scope="module")
def encoder():
    from intent.encoder import SentenceEncoder

    return SentenceEncoder()


def test_history_search_is_semantic_with_the_real_encoder(encoder):
    def e(i: int, text: str) -> Event:
        return Event(f"e{i}", "A", "app", "x", NOW - timedelta(days=i), text, None, None, None, {})

    ix = HistoryIndex(encoder)
    ix.add(
        [
            e(1, "Device activation failed: SIM not recognised"),
            e(2, "Opened newsletter: summer sale"),
            e(3, "Order shipped with UPS"),
        ]
    )
    hits = ix.search_customer("A", "my new phone won't turn on its network", k=3)
    assert hits[0].event_id == "e1"


@pytest.mark.slow  # embeds the whole bank (~4,000 texts): minutes on 2 cores
def test_ranker_answers_the_demo_delivery_question_with_the_delivery_articles(encoder):
    ranker = HybridRanker(load_bank(), encoder).warm_up()
    top = ranker.rank(
        "how long does delivery take to Lyon?", k=3, intent="delivery_period", stage="consider"
    )
    assert top[0].id in {"delivery-lyon", "delivery-options"}
    refund = ranker.rank("I sent the jacket back two weeks ago and still have no money", k=3)
    assert any(i in ("track_refund", "get_refund") for s in refund for i in s.intents)
