from __future__ import annotations

import numpy as np

from intent.ngram import NgramModel


def test_ngram_model_learns_and_round_trips_without_pickle(tmp_path):
    texts = [
        "where is my order",
        "track my parcel",
        "order status please",
        "refund my money",
        "i want a refund",
        "money back please",
    ]
    y = np.array([0, 0, 0, 1, 1, 1])
    m = NgramModel.fit(texts, y, n_classes=3)
    z = m.logits(["where is my parcel", "give me a refund"])
    assert z.shape == (2, 3)
    assert list(z.argmax(1)) == [0, 1]
    assert z[:, 2].max() < z[:, :2].min()  # a class with no examples never wins
    m.save(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ngram.json", "ngram.safetensors"]
    again = NgramModel.load(tmp_path)
    np.testing.assert_allclose(
        again.logits(["where is my parcel"]), m.logits(["where is my parcel"]), rtol=1e-5
    )


def test_fast_single_text_path_matches_the_sparse_path():
    texts = [
        "where is my order",
        "track my parcel",
        "order status please",
        "refund my money",
        "i want a refund",
        "money back please",
    ] * 3
    m = NgramModel.fit(texts, np.array([0, 0, 0, 1, 1, 1] * 3), n_classes=2)
    probe = ["where's my order??", "Refund REFUND", "zzz", ""]
    sparse = m.logits(probe * 3)  # > 8 texts: sparse matrices
    fast = np.stack([m.logits([t])[0] for t in probe])
    np.testing.assert_allclose(fast, sparse[:4], rtol=1e-4, atol=1e-5)
