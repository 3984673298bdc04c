"""The cross-language related-history section of the retrieval benchmark
(bench/retrieval_related_zh.py), at tiny size with the deterministic fake encoder: how the
bilingual set is made, the report's structure and sane numbers, no timing assertions."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import retrieval_related_zh as rz
from intent.encoder import HashingEncoder
from intent.language import detect
from retrieval.assist import NOT_HISTORY

METRICS = {"recall@1", "recall@3", "recall@5", "mrr@5", "n"}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = rz.run(
        HashingEncoder(64),
        HashingEncoder(384),
        customers=9,
        workdir=tmp_path_factory.mktemp("related_zh"),
    )
    out.update({"date": "today", "machine": "here", "command": "cmd", "seconds": 1})
    return out


def test_the_bilingual_set_plants_the_problem_in_the_other_language():
    history, cases = rz.build(12, seed=3)
    assert [c.direction for c in cases[:3]] == ["zh->en", "en->zh", "zh->zh"]
    by_id = {e.id: e for e in history.events}
    languages = set()
    for c in cases:
        planted = by_id[c.planted_id]
        query_lang, planted_lang = c.direction.split("->")
        assert planted.customer_id == c.customer_id and planted.type not in NOT_HISTORY
        assert detect(c.query) == query_lang == c.query_language
        assert detect(c.planted_text) == planted_lang
        assert c.query != c.planted_text and c.intent not in rz.SMALL_TALK
        mine = [e for e in history.events if e.customer_id == c.customer_id]
        current = [e for e in mine if e.attributes.get("conversation_id") == c.conversation_id]
        assert c.query in {e.text for e in current}
        languages |= {detect(e.text) for e in mine if e.type == "chat_customer"}
    assert {"en", "zh"} <= languages  # the distractors are in both languages


def test_the_chinese_bot_replies_are_the_domains_chinese_variations():
    zh, en = rz.bot_replies("zh"), rz.bot_replies("en")
    assert set(zh) == set(en) and zh["greet"] != en["greet"]
    assert all(detect(text) == "zh" for text in zh.values())


def test_report_structure_and_sane_numbers(report, tmp_path: Path):
    bi, en = report["bilingual"], report["english"]
    assert set(bi["by_direction"]) == {"zh->en", "en->zh", "zh->zh"}
    assert {"served", "base_only", "e5_only", "neutral_only", "bm25"} <= set(bi["systems"])
    for part in (bi, en):
        for metrics in part["systems"].values():
            assert set(metrics) == METRICS
            assert metrics["recall@1"] <= metrics["recall@3"] <= metrics["recall@5"] <= 1
    # served: English turns search the base index, Chinese ones their own
    assert bi["cuts"]["served"]["en"] == bi["cuts"]["base_only"]["en"]
    assert en["systems"]["served"] == en["systems"]["base_only"]
    sweep = [t["recall@3"] for t in bi["threshold_sweep"]["neutral_only"]["zh"]]
    assert sweep == sorted(sweep, reverse=True)  # a higher cut never finds more
    lines = rz.render(report)
    assert lines[0] == "## Related history across languages"
    assert any(line.startswith("| **product as served**") for line in lines)
    rz.plot(report, tmp_path / "p.png")
    assert (tmp_path / "p.png").stat().st_size > 0
