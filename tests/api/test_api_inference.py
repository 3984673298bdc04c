"""The service's batched, cached inference (api/inference.py, intent/batching.py) in the
app: concurrent requests each get their own payload, a panel refresh does not classify the
same turn again, and the worker threads stop with the app. That batching does happen under
concurrency is asserted in tests/intent/test_batching.py."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from api_helpers import ASSIST_KEY, agent_headers, bearer, start

from api.config import Settings
from intent.batching import BatchingClassifier, BatchingEncoder
from intent.encoder import HashingEncoder
from intent.entities import EntityExtractor
from intent.pipeline import TurnAnalyzer
from intent.sentiment import SentimentAnalyzer
from retrieval.assist import AgentAssist
from retrieval.ranker import HybridRanker
from retrieval.responses import load_bank


def batched_analyzer(classifier) -> TurnAnalyzer:
    return TurnAnalyzer(
        BatchingClassifier(classifier, max_batch=8, window_s=0.005),
        EntityExtractor.default(),
        SentimentAnalyzer(),
    )


def workers() -> set[str]:
    return {t.name for t in threading.enumerate() if t.name.endswith("-batcher")}


def test_settings_carry_the_inference_knobs():
    s = Settings(micro_batch_max=4, micro_batch_window_ms=0, inference_cache_size=0, onnx=False)
    assert (s.micro_batch_max, s.micro_batch_window_ms, s.inference_cache_size) == (4, 0, 0)
    assert Settings().onnx  # on by default; used only when verified at start-up
    assert Settings().onnx_threads == 1


def test_model_info_reads_through_the_wrapper(make_client, keyword_classifier):
    client = make_client(analyzer=batched_analyzer(keyword_classifier))
    r = client.get("/v1/intent/model")
    assert r.status_code == 200, r.text
    assert r.json()["labels"] == keyword_classifier.labels


def test_panel_refresh_does_not_classify_the_same_turn_again(make_client, keyword_classifier):
    client = make_client(analyzer=batched_analyzer(keyword_classifier))
    cid, me = start(client)
    client.post(f"/v1/conversations/{cid}/messages", json={"text": "I want a refund"}, headers=me)
    client.post(f"/v1/conversations/{cid}/handoff", json={"reason": "x"}, headers=me)
    agent = agent_headers(client)
    for _ in range(3):
        r = client.get(f"/v1/conversations/{cid}/assist", headers=agent)
        assert r.status_code == 200 and r.json()["intent"]["name"] == "get_refund"
    assert [c for c in keyword_classifier.calls if "I want a refund" in c] == [["I want a refund"]]


def test_concurrent_assist_requests_each_get_their_own_payload(
    make_client, keyword_classifier, history
):
    encoder = BatchingEncoder(HashingEncoder(64), max_batch=8, window_s=0.005, cache_size=0)
    assistant = AgentAssist(history, HybridRanker(load_bank(templates=None), encoder)).warm_up()
    client = make_client(analyzer=batched_analyzer(keyword_classifier), assistant=assistant)
    texts = [f"where is my order number {i}" for i in range(24)]

    def ask(text: str) -> str:
        r = client.post(
            "/v1/assist",
            json={"customer_id": "C-1", "turns": [{"role": "customer", "text": text}]},
            headers=bearer(ASSIST_KEY),
        )
        assert r.status_code == 200, r.text
        return r.json()["text"]

    with ThreadPoolExecutor(12) as pool:
        assert list(pool.map(ask, texts)) == texts
    classified = [c for c in keyword_classifier.calls if any("order number" in t for t in c)]
    assert sum(len(c) for c in classified) == len(texts)
    assert encoder.batcher.calls >= 1
    assert workers()  # running while the app serves


def test_worker_threads_stop_with_the_app(make_client, keyword_classifier, history):
    encoder = BatchingEncoder(HashingEncoder(64), max_batch=8)
    assistant = AgentAssist(history, HybridRanker(load_bank(templates=None), encoder)).warm_up()
    client = make_client(analyzer=batched_analyzer(keyword_classifier), assistant=assistant)
    r = client.post(
        "/v1/assist",
        json={"customer_id": "C-1", "turns": [{"role": "customer", "text": "refund please"}]},
        headers=bearer(ASSIST_KEY),
    )
    assert r.status_code == 200
    assert {"intent-batcher", "encoder-batcher"} <= workers()
    client.__exit__(None, None, None)
    assert not workers()
