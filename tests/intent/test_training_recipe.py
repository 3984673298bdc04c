"""The training recipe's parts that need no encoder: arguments, noisy copies, background."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from intent.augment import noisy, noisy_copies
from intent.background import (
    BUILTIN,
    embed_cached,
    load_background,
    max_similarity,
    select_background,
)
from intent.data import DataFormatError
from intent.training_args import TrainingArgs


def test_retired_arguments_are_ignored_with_a_warning_and_unknown_ones_refused(caplog):
    with caplog.at_level(logging.WARNING):
        args = TrainingArgs.from_dict({"epochs": 2, "min_steps": 500, "refit_below": 30})
    assert args.epochs == 2 and "min_steps" in caplog.text
    with pytest.raises(ValueError, match="unknown training arguments"):
        TrainingArgs.from_dict({"epoch": 2})
    with pytest.raises(ValueError, match="fine_tune"):
        TrainingArgs(fine_tune="sometimes")
    assert not TrainingArgs(epochs=0).fine_tuning_allowed
    assert not TrainingArgs(fine_tune="never").fine_tuning_allowed


def test_noisy_copies_are_seeded_messy_and_never_empty():
    texts = [
        "Where is my order? I placed it last week.",
        "I want to cancel my subscription please",
        "Can you help me with a refund because it is broken",
        "hi",
        "?",
    ]
    a, b = noisy_copies(texts, seed=5), noisy_copies(texts, seed=5)
    assert a == b
    assert all(c.strip() for c in a)
    assert sum(c != t for c, t in zip(a, texts, strict=True)) >= 2
    many = {
        noisy("Please tell me where my package is", __import__("random").Random(i))
        for i in range(30)
    }
    assert len(many) > 10  # typos, shorthand ("pls"), case and dropped words vary


def test_builtin_background_is_deduplicated_out_of_domain_text():
    bg = load_background(BUILTIN)
    assert len(bg.texts) > 1000 and len(bg.texts) == len(set(bg.texts))
    assert len(bg.groups) == len(bg.texts) and "hwu64:alarm_set" in bg.groups
    assert any("alarm" in t for t in bg.texts)


def test_background_file_errors_say_what_is_wrong(tmp_path):
    with pytest.raises(DataFormatError, match="not found"):
        load_background(str(tmp_path / "none.csv"))
    (tmp_path / "bad.csv").write_text("utterance\nhello\n")
    with pytest.raises(DataFormatError, match="`text` column"):
        load_background(str(tmp_path / "bad.csv"))
    (tmp_path / "lines.txt").write_text("play jazz\n\nplay jazz\nwake me at 7\n")
    lines = load_background(str(tmp_path / "lines.txt"))
    assert lines.texts == ["play jazz", "wake me at 7"] and lines.groups == ["", ""]


def test_background_close_to_the_training_data_is_dropped():
    train = np.eye(4, dtype=np.float32)[:2]
    bg = np.array([[1, 0, 0, 0], [0.6, 0.8, 0, 0], [0, 0, 1, 0], [0, 0, 0.6, 0.8]], np.float32)
    assert np.allclose(max_similarity(bg, train), [1.0, 0.8, 0.0, 0.0])
    assert select_background(bg, train, max_sim=0.75, limit=10, seed=0).tolist() == [2, 3]
    assert len(select_background(bg, train, max_sim=0.9, limit=2, seed=0)) == 2


def test_a_background_topic_the_bot_covers_is_dropped_whole():
    train = np.array([[1, 0, 0]], np.float32)  # the bot's one turn
    bg = np.array([[1, 0, 0], [0.5, 0.866, 0], [0.6, 0.8, 0], [0, 0, 1], [0, 0.6, 0.8]], np.float32)
    groups = ["alarm", "alarm", "alarm", "music", "music"]
    # one of three alarm turns is a near copy of the bot's turn: the alarm topic goes
    keep = select_background(bg, train, 0.75, 10, 0, groups, group_overlap=0.3)
    assert keep.tolist() == [3, 4]
    # below the share, only the near copy goes
    keep = select_background(bg, train, 0.75, 10, 0, groups, group_overlap=0.5)
    assert keep.tolist() == [1, 2, 3, 4]


def test_a_background_topic_whose_centre_is_an_intents_centre_is_dropped():
    """No single background line is near the bot's few turns, yet the topic as a whole is
    the bot's intent (its centroid meets the intent's): dropped, unless only the bot's own
    out-of-scope turns are that close."""
    unit = lambda v: np.array(v, np.float32) / np.linalg.norm(v)  # noqa: E731
    train = np.array([unit([1, 0.7, 0, 0]), unit([1, -0.7, 0, 0]), unit([0, 0, 0, 1])])
    labels = ["order_pizza", "order_pizza", "out_of_scope"]
    bg = np.array([unit([1, 0.3, 0.9, 0]), unit([1, 0.3, -0.9, 0]), unit([0, 0, 1, 0.2])])
    groups = ["takeaway", "takeaway", "weather"]
    assert max_similarity(bg, train).max() < 0.75  # no line is near any turn
    kw = {"labels": labels, "oos_label": "out_of_scope"}
    keep = select_background(bg, train, 0.75, 10, 0, groups, 0.1, topic_similarity=0.6, **kw)
    assert keep.tolist() == [2]  # takeaway's centroid meets the pizza intent's (0.96): it goes
    keep = select_background(bg, train, 0.75, 10, 0, groups, 0.1, topic_similarity=0.99, **kw)
    assert keep.tolist() == [0, 1, 2]
    # the weather line's topic meets only the out-of-scope rows: not an intent, kept
    assert select_background(bg, train, 0.75, 10, 0, groups, 0.1, **kw).tolist() == [2]


def test_background_embeddings_are_cached_per_encoder(tmp_path, monkeypatch):
    monkeypatch.setenv("AGENT_ASSIST_CACHE_DIR", str(tmp_path))
    calls = []

    def compute():
        calls.append(1)
        return np.ones((2, 3), np.float32)

    first = embed_cached(["a", "b"], "encoder-1", compute)
    again = embed_cached(["a", "b"], "encoder-1", compute)
    assert len(calls) == 1 and np.array_equal(first, again)
    embed_cached(["a", "b"], "encoder-2", compute)  # another encoder: recomputed
    assert len(calls) == 2
    assert len(list((tmp_path / "background").glob("*.safetensors"))) == 2


def test_background_weighs_as_much_as_a_few_average_intents():
    from intent.heads import row_weights

    own = np.array([1, 1, 1, 1, 0.5, 0.5], np.float32)  # 4 examples, 2 noisy copies
    w = row_weights(own, n_background=10, n_intents=2, background_weight=3.0)
    assert w[:6].tolist() == own.tolist()
    assert w[6:].sum() == pytest.approx(3.0 * own.sum() / 2)  # three average intents
    assert row_weights(own, 0, 2, 3.0).tolist() == own.tolist()
    with pytest.raises(ValueError, match="augment_weight"):
        TrainingArgs(augment_weight=0.0)
