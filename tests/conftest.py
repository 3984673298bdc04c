"""Shared fixtures: a deterministic fake classifier, one tiny real model per session, and
(from stack_fixtures) the real stack the Rasa and browser tests share."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from postgres_fixtures import pg_server, pg_url, store_url  # noqa: E402, F401  (shared fixtures)
from redis_fixtures import redis_url  # noqa: E402, F401
from stack_fixtures import bot_model, history_url, stack, stack_log  # noqa: E402, F401

from intent.language import detect  # noqa: E402
from intent.modeling import ModelConfig  # noqa: E402
from intent.types import IntentPrediction, RankedIntent  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
KEYWORDS = {
    "order": "track_order",
    "refund": "get_refund",
    "human": "contact_human_agent",
    "cancel": "cancel_order",
    "订单": "track_order",
    "退款": "get_refund",
    "人工": "contact_human_agent",
}


class KeywordClassifier:
    """Deterministic fake behind the IntentClassifier seam: a keyword decides the intent;
    no keyword means out of scope."""

    def __init__(self) -> None:
        self.labels = sorted(set(KEYWORDS.values()))
        self.config = ModelConfig(labels=self.labels, oos_threshold=0.5)
        self.calls: list[list[str]] = []

    def predict(self, texts: str | Sequence[str]) -> list[IntentPrediction]:
        items = [texts] if isinstance(texts, str) else list(texts)
        self.calls.append(items)
        out = []
        for t in items:
            hit = next((v for k, v in KEYWORDS.items() if k in t.lower()), None)
            conf = 0.9 if hit else 0.2
            label = hit or self.labels[0]
            out.append(
                IntentPrediction(
                    t, hit or "out_of_scope", conf, hit is None, [RankedIntent(label, conf)],
                    language=detect(t) or "en",
                )
            )  # fmt: skip
        return out


@pytest.fixture
def keyword_classifier() -> KeywordClassifier:
    return KeywordClassifier()


TINY_TRAIN = {
    "track_order": [
        "where is my order",
        "track my package",
        "has my parcel shipped yet",
        "when will my order arrive",
        "status of my delivery",
        "order tracking please",
        "i want to know where my order is",
        "my package hasn't come",
    ],
    "get_refund": [
        "i want my money back",
        "refund please",
        "how do i get a refund",
        "give me a refund for this",
        "i need a refund",
        "return money to my card",
        "can i be reimbursed",
        "i'd like to be refunded",
    ],
    "contact_human_agent": [
        "let me talk to a person",
        "i want a human agent",
        "real person please",
        "connect me to an operator",
        "speak to someone",
        "get me an agent",
        "talk to a human",
        "transfer me to support staff",
    ],
}


@pytest.fixture(scope="session")
def tiny_examples() -> list:
    from intent.data import Example

    return [Example(t, label) for label, texts in TINY_TRAIN.items() for t in texts]


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real MiniLM model fine-tuned for one epoch on 24 utterances (about 20 s on CPU),
    with the shipped out-of-scope background as a fourth class."""
    from intent.data import Example
    from intent.trainer import train
    from intent.training_args import TrainingArgs

    examples = [Example(t, label) for label, texts in TINY_TRAIN.items() for t in texts]
    model = train(
        examples, TrainingArgs(fine_tune="always", epochs=1, device="cpu"), progress=False
    )
    return model.save(tmp_path_factory.mktemp("model") / "intent")


# Tests that start a server or a process get the `integration` marker without anyone having
# to remember it: a fixture of this list in their closure, or a module that starts
# processes itself (`make test-fast` runs the rest: unit tests, no server, no browser).
SERVER_FIXTURES = frozenset(
    {
        "stack",
        "bot_model",
        "pg_server",
        "pg_url",
        "store_url",
        "redis_url",
        "api_server",
        "api_on_postgres",
        "fuzz_server",
        "chromium",
        "browser",
        "tiny_model_dir",
    }
)
PROCESS_MODULES = frozenset({"test_api_admin_cli.py", "test_api_real_model.py"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & SERVER_FIXTURES or item.path.name in PROCESS_MODULES:
            item.add_marker(pytest.mark.integration)
        if "browser" in item.path.parts or "chromium" in fixtures:
            item.add_marker(pytest.mark.browser)
