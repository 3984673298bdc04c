"""One model per language behind the classifier seam; the multilingual model's round trip."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from intent.data import Example
from intent.modeling import EmbeddingIntentModel, IntentModel
from intent.routing import LanguageMismatch, LanguageRouter, load_models
from intent.trainer import train
from intent.training_args import TrainingArgs
from intent.types import IntentPrediction

LABELS = ["contact_human_agent", "out_of_scope", "track_order"]


class Fixed:
    """A classifier that answers one intent, and records what it was asked."""

    def __init__(self, intent: str, labels: list[str] = LABELS) -> None:
        self.intent, self.labels, self.asked = intent, labels, []

    def predict(self, texts: str | Sequence[str]) -> list[IntentPrediction]:
        items = [texts] if isinstance(texts, str) else list(texts)
        self.asked.extend(items)
        return [IntentPrediction(t, self.intent, 0.9, False) for t in items]


def test_each_turn_goes_to_its_languages_model_and_keeps_its_place():
    en, zh = Fixed("track_order"), Fixed("contact_human_agent")
    router = LanguageRouter({"en": en, "zh": zh})
    texts = ["where is my order", "转人工", "12345", "我的iPhone订单", "thanks"]
    preds = router.predict(texts)
    assert [p.text for p in preds] == texts
    assert [p.language for p in preds] == ["en", "zh", "en", "zh", "en"]
    assert [p.intent for p in preds] == [
        "track_order", "contact_human_agent", "track_order", "contact_human_agent", "track_order",
    ]  # fmt: skip
    assert zh.asked == ["转人工", "我的iPhone订单"]
    assert en.asked == ["where is my order", "12345", "thanks"]  # no letters: the default


def test_a_language_without_a_model_goes_to_the_default_but_keeps_its_name():
    router = LanguageRouter({"en": Fixed("track_order")})
    [pred] = router.predict("转人工")
    assert pred.intent == "track_order" and pred.language == "zh"


def test_models_of_different_intents_are_refused():
    with pytest.raises(LanguageMismatch, match="refund"):
        LanguageRouter({"en": Fixed("x"), "zh": Fixed("x", [*LABELS, "get_refund"])})
    with pytest.raises(ValueError, match="default"):
        LanguageRouter({"zh": Fixed("x")})


TRAIN = {
    "contact_human_agent": ["转人工", "我要找人工客服", "让真人来回答", "talk to a person",
                            "别让机器人回复了", "人工服务在哪里"],
    "track_order": ["我的快递到哪了", "订单怎么还没到", "查一下物流", "where is my parcel",
                    "包裹发货了吗", "订单号12345到哪里了"],
    "out_of_scope": ["今天天气怎么样", "讲个笑话", "股票会涨吗", "what is the meaning of life",
                     "帮我订机票", "你喜欢吃什么"],
}  # fmt: skip


@pytest.fixture(scope="module")
def zh_model() -> IntentModel:
    examples = [Example(t, label) for label, texts in TRAIN.items() for t in texts]
    args = TrainingArgs(
        encoder="multilingual-e5-small-q4", background=None, augment=False, oos_folds=2
    )
    return train(examples, args, progress=False)


def test_the_multilingual_model_trains_frozen_and_round_trips(zh_model, tmp_path):
    assert isinstance(zh_model, EmbeddingIntentModel)
    assert zh_model.config.encoder == "multilingual-e5-small-q4"
    assert "packaged encoder" in zh_model.config.training["fine_tuning"]["reason"]
    texts = ["快递到哪里了", "我要人工"]
    before = zh_model.probabilities(texts)
    zh_model.save(tmp_path / "m")
    assert not (tmp_path / "m" / "encoder").exists()  # the encoder comes from its package
    loaded = IntentModel.load(tmp_path / "m")
    assert isinstance(loaded, EmbeddingIntentModel)
    np.testing.assert_allclose(loaded.probabilities(texts), before, atol=1e-6)
    assert [p.intent for p in loaded.predict(texts)] == ["track_order", "contact_human_agent"]


def test_a_model_directory_with_a_zh_model_loads_as_a_router(zh_model, tmp_path):
    zh_model.save(tmp_path / "m")  # stands in for the English model: same intents
    zh_model.save(tmp_path / "m" / "zh")
    router = load_models(tmp_path / "m")
    assert isinstance(router, LanguageRouter) and router.languages == ["en", "zh"]
    probs = router.probabilities(["转人工", "where is my parcel"])
    assert probs.shape == (2, len(zh_model.labels))
    assert [p.intent for p in router.decide(["转人工"], probs[:1])] == ["contact_human_agent"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\ud800 lone surrogate",
        "nul\x00byte",
        "😀" * 300,
        "转" * 5000,
        "a\u202eb",
        "\x1b[31m",
    ],
)
def test_the_multilingual_encoder_takes_hostile_text(text):
    from intent.multilingual_encoder import shared

    vec = shared().encode([text, "转人工"])
    assert vec.shape == (2, 384) and np.isfinite(vec).all()
    np.testing.assert_allclose(np.linalg.norm(vec, axis=1), 1.0, atol=1e-3)
