"""The related-history section of the retrieval benchmark (bench/retrieval_related*.py), at
tiny size with the deterministic fake encoder: the report's structure and sane numbers,
no timing assertions."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import retrieval_related as rr
from bench.retrieval_related_scale import run as run_scale
from intent.encoder import HashingEncoder
from retrieval.assist import NOT_HISTORY

METRICS = {"recall@1", "recall@3", "recall@5", "mrr@5", "n"}


@pytest.fixture(scope="module")
def quality(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return rr.run(HashingEncoder(), customers=12, workdir=tmp_path_factory.mktemp("related"))


def test_the_labelled_set_plants_a_paraphrase_among_distractors():
    history, cases = rr.build(10, seed=3)
    assert len(cases) == 10
    by_id = {e.id: e for e in history.events}
    for c in cases:
        planted = by_id[c.planted_id]
        assert planted.customer_id == c.customer_id
        assert planted.type not in NOT_HISTORY
        assert planted.attributes.get("conversation_id") != c.conversation_id
        assert c.query.lower() != c.planted_text.lower()  # a paraphrase, not a copy
        assert c.overlap <= 0.5 and c.intent not in rr.SMALL_TALK
        mine = [e for e in history.events if e.customer_id == c.customer_id]
        assert len(mine) >= 30  # journey + 6 chats + 2 e-mails/calls + the current chat
        current = [e for e in mine if e.attributes.get("conversation_id") == c.conversation_id]
        assert c.query in {e.text for e in current}  # the current turn is in the store too


def test_report_structure_and_sane_numbers(quality):
    assert quality["customers"] == 12
    assert set(rr.SYSTEMS) <= set(quality["systems"])
    for metrics in quality["systems"].values():
        assert set(metrics) == METRICS and metrics["n"] == 12
        for k in METRICS - {"n"}:
            assert 0.0 <= metrics[k] <= 1.0
        assert metrics["recall@1"] <= metrics["recall@3"] <= metrics["recall@5"]
    assert [t["min_score"] for t in quality["threshold_sweep"]] == list(rr.THRESHOLDS)
    sweep = [t["recall@3"] for t in quality["threshold_sweep"]]
    assert sweep == sorted(sweep, reverse=True)  # a higher cut never finds more
    assert set(quality["by_kind"]) == {"chat", "email", "phone"}
    assert quality["candidates_per_customer"] >= 25


def test_an_exact_copy_of_the_planted_text_is_found(quality):
    assert quality["systems"]["product_exact_copy"]["recall@3"] == 1.0


def test_the_section_renders_and_plots(quality, tmp_path: Path):
    png = tmp_path / "related.png"
    rr.plot(quality, png)
    assert png.stat().st_size > 1000
    md = "\n".join(
        rr.render({"date": "d", "machine": "m", "seconds": 1, "command": "c", "quality": quality})
    )
    assert "## Related history" in md and "| min_score |" in md
    for label in rr.LABELS.values():
        assert label in md


def test_the_scale_part_reports_search_and_sync(tmp_path: Path):
    s = run_scale(300, 20, HashingEncoder(), tmp_path, queries=20, live_turns=2, sync_s=0.05)
    assert s["conversations"] == 20 and s["chat_events"] >= 20 * 3
    assert s["events"] == s["bulk_events"] + s["chat_events"]
    assert s["turn_visible_ms"]["n"] == 2
    for key in ("search_customer_ms", "related_ms", "turn_visible_ms", "sync_one_new_turn_ms"):
        assert 0 <= s[key]["p50"] <= s[key]["p99"] <= s[key]["max"]
    assert s["rss_mb_after_open"] > 0
    md = "\n".join(rr.render_scale(s))
    assert "<= 10 ms" in md and "<= 1 s" in md
