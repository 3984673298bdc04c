"""Hot reload of the intent model from the registry (api/model_reload.py): a promoted
version reaches every holder of the analyzer (the intent routes, the assist builder, the
feedback store's intents), a broken one leaves the old one serving, calls in flight finish
on the old analyzer, and only an admin may ask for a reload. Tiny real models (frozen
MiniLM, PyTorch); the periodic check is driven directly."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
from api_helpers import ADMIN_KEY, ASSIST_KEY, agent_headers, bearer

from api.config import Settings
from api.main import load_analyzer
from api.model_reload import LiveAnalyzer, Served
from intent.data import Example
from intent.entities import EntityExtractor
from intent.pipeline import TurnAnalysis, TurnAnalyzer
from intent.registry import ModelRegistry
from intent.sentiment import SentimentAnalyzer

INTEGRATION = pytest.mark.integration  # tiny models on the real MiniLM

TRAIN = {
    "track_order": ["where is my order", "track my package", "has my parcel shipped yet",
                    "when will my order arrive", "status of my delivery", "order tracking please"],
    "get_refund": ["i want my money back", "refund please", "how do i get a refund",
                   "give me a refund for this", "i need a refund", "can i be reimbursed"],
    "contact_human_agent": ["let me talk to a person", "i want a human agent",
                            "real person please", "connect me to an operator", "speak to someone",
                            "talk to a human"],
}  # fmt: skip
CANCEL = ["cancel my order", "i want to cancel the order", "please cancel it",
          "stop my order from shipping", "cancel the purchase", "call off my order"]  # fmt: skip


@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Model A (three intents) and model B (A's intents and cancel_order)."""
    from intent.trainer import train
    from intent.training_args import TrainingArgs

    root = tmp_path_factory.mktemp("reload")
    args = TrainingArgs(
        fine_tune="never", background=None, augment=False, oos_folds=2, device="cpu"
    )
    a = [Example(t, label) for label, texts in TRAIN.items() for t in texts]
    b = a + [Example(t, "cancel_order") for t in CANCEL]
    return (
        train(a, args, progress=False).save(root / "a"),
        train(b, args, progress=False).save(root / "b"),
    )


@pytest.fixture
def registry(tiny_models, tmp_path) -> ModelRegistry:
    reg = ModelRegistry(tmp_path / "models" / "registry")
    version = reg.add(tiny_models[0], by="test", source="model A")
    reg.set_current(version, action="promote", by="test", reason="first")
    return reg


@pytest.fixture
def served(make_client, registry, tmp_path):
    """A client of an app serving the registry's current version, as `python -m api` does."""
    settings = Settings(
        demo_api_key=ASSIST_KEY, demo_admin_key=ADMIN_KEY, rasa_url=None, onnx=False,
        model_dir=tmp_path / "models" / "intent", model_reload_check_s=0,
    )  # fmt: skip
    return make_client(settings=settings, analyzer=load_analyzer(settings))


def _promote(registry: ModelRegistry, model_dir: Path) -> str:
    version = registry.add(model_dir, by="test", source="retrain")
    registry.set_current(version, action="promote", by="test", reason="better")
    return version


def _correction(client, intent: str) -> int:
    body = {"kind": "intent_correction", "action": "corrected", "text": "stop it",
            "corrected_intent": intent}  # fmt: skip
    return client.post("/v1/feedback", json=body, headers=agent_headers(client)).status_code


@INTEGRATION
def test_a_promoted_version_reaches_every_holder(served, registry, tiny_models):
    app = served.app
    info = served.get("/v1/intent/model").json()
    assert info["version"] == "v0001" and "cancel_order" not in info["labels"]
    assert _correction(served, "cancel_order") == 422  # not one of the served intents
    reloader = app.state.model_reloader
    assert served.portal.call(reloader.check) is None  # nothing changed

    assert _promote(registry, tiny_models[1]) == "v0002"
    outcome = served.portal.call(reloader.check)
    assert outcome.reloaded and (outcome.previous_version, outcome.version) == ("v0001", "v0002")
    info = served.get("/v1/intent/model").json()
    assert info["version"] == "v0002" and "cancel_order" in info["labels"]
    r = served.post("/v1/intent", json={"text": "please cancel my order"})
    assert r.json()["intent"] == "cancel_order"
    services = app.state.services
    assert services.assist.analyzer is app.state.analyzer  # conversations' turns use it too
    assert "cancel_order" in services.assist.analyzer.classifier.labels
    assert _correction(served, "cancel_order") == 201  # the feedback store follows
    assert served.portal.call(reloader.check) is None

    # rollback, then the admin route (no waiting for the periodic check)
    registry.rollback(by="test")
    r = served.post("/v1/intent/model:reload", headers=bearer(ADMIN_KEY))
    assert r.status_code == 200, r.text
    assert r.json() | {"seconds": 0} == {
        "reloaded": True, "version": "v0001", "previous_version": "v0002",
        "model_dir": str(registry.root / "v0001"), "seconds": 0,
    }  # fmt: skip
    assert served.get("/v1/intent/model").json()["version"] == "v0001"
    again = served.post("/v1/intent/model:reload", headers=bearer(ADMIN_KEY)).json()
    assert not again["reloaded"]  # already serving it (force=true reloads anyway)
    forced = served.post("/v1/intent/model:reload?force=true", headers=bearer(ADMIN_KEY))
    assert forced.json()["reloaded"]


@INTEGRATION
def test_a_broken_version_leaves_the_old_one_serving(served, registry, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.json").write_text("{not json")
    _promote(registry, broken)
    reloader = served.app.state.model_reloader
    loads = []
    real_load = reloader.load
    reloader.load = lambda d: loads.append(d) or real_load(d)

    r = served.post("/v1/intent/model:reload", headers=bearer(ADMIN_KEY))
    assert r.status_code == 409
    error = r.json()["error"]
    assert error["code"] == "model_reload_failed"
    assert "v0002" in error["message"] and "still serving v0001" in error["message"]
    assert served.get("/v1/intent/model").json()["version"] == "v0001"
    assert served.post("/v1/intent", json={"text": "where is my order"}).json()["intent"] == (
        "track_order"
    )
    # the periodic check does not try the same broken version again
    assert served.portal.call(reloader.check) is None and len(loads) == 1
    # a registry file broken by hand: the old model serves on, the route says why
    registry.file.write_text('{"format": 1, "current": "v0042", "versions": []}')
    assert served.portal.call(reloader.check) is None
    r = served.post("/v1/intent/model:reload", headers=bearer(ADMIN_KEY))
    assert r.status_code == 409 and "not a valid model registry" in r.json()["error"]["message"]
    assert served.get("/v1/intent/model").json()["version"] == "v0001"


def test_the_reload_route_is_for_admins_only(client):
    assert client.post("/v1/intent/model:reload").status_code == 401
    assert client.post("/v1/intent/model:reload", headers=bearer(ASSIST_KEY)).status_code == 403
    r = client.post("/v1/intent/model:reload", headers=agent_headers(client))
    assert r.status_code == 403


def test_an_analyzer_given_to_the_app_has_no_version(client):
    assert client.get("/v1/intent/model").json()["version"] is None
    assert not client.app.state.analyzer.tracked  # the periodic check does not follow it


class _Blocking(TurnAnalyzer):
    """A fake analyzer whose calls wait for `release`; records being closed."""

    def __init__(self, inner: TurnAnalyzer) -> None:
        super().__init__(inner.classifier, inner.extractor, inner.sentiment)
        self.entered, self.release, self.closed = threading.Event(), threading.Event(), False

    def analyze(self, texts: Sequence[str]) -> list[TurnAnalysis]:
        self.entered.set()
        self.release.wait(10)
        return super().analyze(texts)

    def close(self) -> None:
        self.closed = True


def test_calls_in_flight_finish_on_the_old_analyzer(keyword_classifier):
    def fake() -> _Blocking:
        return _Blocking(
            TurnAnalyzer(keyword_classifier, EntityExtractor.default(), SentimentAnalyzer())
        )

    old, new = fake(), fake()
    new.release.set()
    live = LiveAnalyzer(old, "v0001")
    results: list[list[TurnAnalysis]] = []
    running = threading.Thread(target=lambda: results.append(live.analyze(["my order"])))
    running.start()
    assert old.entered.wait(10)
    previous = live.swap(Served(new, "v0002", None, datetime.now(UTC)))
    assert previous.analyzer is old and live.current is new and not old.closed
    assert live.analyze(["refund"])[0].prediction.intent == "get_refund"
    assert new.entered.is_set() and not old.closed  # the old one still has a call running
    old.release.set()
    running.join(10)
    assert results[0][0].prediction.intent == "track_order" and old.closed
    live.close()
    assert new.closed
