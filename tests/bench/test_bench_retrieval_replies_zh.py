"""The Chinese suggested-reply section of the retrieval benchmark
(bench/retrieval_replies_zh.py), on a few turns with the deterministic HashingEncoder."""

from __future__ import annotations

from bench import retrieval_replies_zh as rz
from intent.encoder import HashingEncoder

ROWS = "text,label\n我的包裹怎么还没到,track_order\n怎么申请退款,get_refund\n你好,greet\n快递到哪了,track_order\n"


def test_the_section_runs_renders_and_leaves_out_intents_the_bank_lacks(tmp_path):
    test = tmp_path / "test.csv"
    test.write_text(ROWS, encoding="utf-8")
    r = rz.run(HashingEncoder(64), HashingEncoder(32), test=test, valid=test, zh_model=None)
    assert (r["turns"], r["left_out"], r["overlap"]) == (3, 1, 0)
    assert r["items"] >= 100 and r["intents"] == 29
    for key in ("bm25_case", "dense_case", "minilm_case", "product_shipped_weights"):
        assert 0 < r[key]["mrr"] <= 1 and r[key]["n"] == 3
    assert "product_served" not in r  # no Chinese model given
    assert r["bm25s_tokens_case"]["mrr"] < r["bm25_case"]["mrr"]  # jieba splits, bm25s can't
    text = "\n".join(rz.render(r | {"date": "today"}))
    assert "| BM25 alone, jieba tokens, on the reply |" in text and "valid.csv" in text


def test_the_shipped_chinese_weights_are_in_the_grid_the_benchmark_chooses_from():
    import numpy as np

    from retrieval.ranker import LANGUAGE_WEIGHTS

    shipped = LANGUAGE_WEIGHTS["zh"].base()
    assert any(np.allclose(shipped, g) for g in rz.ZH_GRID)
