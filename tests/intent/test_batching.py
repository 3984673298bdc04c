"""Micro-batching and the LRU behind the classifier and encoder seams (intent/batching.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from intent.batching import BatchingClassifier, BatchingEncoder, LruCache, MicroBatcher
from intent.encoder import HashingEncoder
from intent.types import IntentPrediction


class CountingClassifier:
    """Slow fake classifier: records each batch it is called with; 'boom' texts fail."""

    def __init__(self, delay: float = 0.02) -> None:
        self.delay = delay
        self.batches: list[list[str]] = []
        self._lock = threading.Lock()

    @property
    def labels(self) -> list[str]:
        return ["a", "b"]

    def predict(self, texts: str | Sequence[str]) -> list[IntentPrediction]:
        items = [texts] if isinstance(texts, str) else list(texts)
        with self._lock:
            self.batches.append(items)
        time.sleep(self.delay)
        if any("boom" in t for t in items):
            raise ValueError("boom in the batch")
        return [IntentPrediction(t, "a", 0.9, False) for t in items]


def run_concurrently(fn: Callable[[int], object], n: int) -> list[object]:
    """Call fn(0..n-1) from n threads released together; exceptions are returned."""
    barrier = threading.Barrier(n)

    def call(i: int) -> object:
        barrier.wait()
        try:
            return fn(i)
        except Exception as exc:
            return exc

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(call, range(n)))


def test_concurrent_callers_share_forward_passes_and_get_their_own_results():
    fake = CountingClassifier()
    clf = BatchingClassifier(fake, max_batch=8, window_s=0.005, cache_size=0)
    try:
        out = run_concurrently(lambda i: clf.predict(f"text {i}"), 24)
    finally:
        clf.close()
    assert [p[0].text for p in out] == [f"text {i}" for i in range(24)]  # type: ignore[index]
    assert len(fake.batches) < 24  # batching happened
    assert max(len(b) for b in fake.batches) <= 8
    assert sorted(t for b in fake.batches for t in b) == sorted(f"text {i}" for i in range(24))


def test_an_exception_reaches_only_the_callers_whose_input_failed():
    fake = CountingClassifier()
    clf = BatchingClassifier(fake, max_batch=16, window_s=0.005, cache_size=0)
    try:
        out = run_concurrently(lambda i: clf.predict("boom" if i % 4 == 0 else f"ok {i}"), 12)
    finally:
        clf.close()
    for i, r in enumerate(out):
        if i % 4 == 0:
            assert isinstance(r, ValueError)
        else:
            assert isinstance(r, list) and r[0].text == f"ok {i}"


def test_a_lone_call_does_not_wait_for_the_window():
    """With an hour-long window, lone calls that waited for it would never finish: they
    must all return (no clock is compared)."""
    fake = CountingClassifier(delay=0)
    clf = BatchingClassifier(fake, max_batch=16, window_s=3600, cache_size=0)
    done: list[str] = []

    def calls() -> None:
        clf.predict("warm")
        for i in range(5):
            done.append(clf.predict(f"alone {i}")[0].text)

    try:
        t = threading.Thread(target=calls, daemon=True)
        t.start()
        t.join(300)
        assert done == [f"alone {i}" for i in range(5)]
    finally:
        clf.close()


def test_an_idle_batcher_runs_a_lone_call_in_the_callers_thread():
    threads: list[str] = []
    batcher: MicroBatcher[int, int] = MicroBatcher(
        lambda xs: threads.append(threading.current_thread().name) or [x + 1 for x in xs],
        name="t-inline",
    )
    try:
        assert batcher([1]) == [2] and batcher([2]) == [3]
    finally:
        batcher.close()
    assert threads == [threading.current_thread().name] * 2  # no hand-over to the worker


def test_one_forward_pass_at_a_time_whoever_runs_it():
    """Callers racing an inline pass queue behind it; the passes never overlap."""
    lock = threading.Lock()
    running, overlaps, sizes = [0], [0], []

    def fn(xs: list[int]) -> list[int]:
        with lock:
            running[0] += 1
            overlaps[0] += running[0] > 1
        time.sleep(0.01)
        with lock:
            running[0] -= 1
            sizes.append(len(xs))
        return [x * 10 for x in xs]

    batcher: MicroBatcher[int, int] = MicroBatcher(fn, max_batch=8, window_s=0.005)
    try:
        out = run_concurrently(lambda i: batcher([i]), 24)
    finally:
        batcher.close()
    assert out == [[i * 10] for i in range(24)]
    assert overlaps == [0]
    assert sum(sizes) == 24 and len(sizes) < 24  # the callers that queued shared passes


def test_a_multi_text_call_stays_together_and_in_order():
    fake = CountingClassifier(delay=0)
    clf = BatchingClassifier(fake, max_batch=4, cache_size=0)
    texts = [f"t{i}" for i in range(10)]  # larger than max_batch: one call, whole
    try:
        assert [p.text for p in clf.predict(texts)] == texts
    finally:
        clf.close()
    assert fake.batches == [texts]


def test_close_stops_the_worker_and_a_later_call_starts_it_again():
    batcher: MicroBatcher[int, int] = MicroBatcher(lambda xs: [x * 2 for x in xs], name="t-b")
    assert batcher([1, 2]) == [2, 4]
    batcher.close()
    assert not [t for t in threading.enumerate() if t.name == "t-b"]
    assert batcher([3]) == [6]
    batcher.close()
    assert not [t for t in threading.enumerate() if t.name == "t-b"]


def test_a_wrong_number_of_results_is_an_error_not_a_hang():
    batcher: MicroBatcher[int, int] = MicroBatcher(lambda xs: xs[:-1])
    with pytest.raises(RuntimeError, match="results for"):
        batcher([1, 2, 3])
    batcher.close()


def test_bad_settings_are_refused():
    with pytest.raises(ValueError):
        MicroBatcher(lambda xs: xs, max_batch=0)
    with pytest.raises(ValueError):
        MicroBatcher(lambda xs: xs, window_s=-1)
    with pytest.raises(ValueError):
        LruCache(-1)


def test_repeated_texts_come_from_the_cache():
    fake = CountingClassifier(delay=0)
    clf = BatchingClassifier(fake, cache_size=2)
    try:
        clf.predict(["x", "y", "x"])  # duplicates inside one call: classified once
        clf.predict("x")
        clf.predict("z")  # evicts y (x was used more recently)
        clf.predict("y")
    finally:
        clf.close()
    assert fake.batches == [["x", "y"], ["z"], ["y"]]
    assert clf.labels == ["a", "b"]


class CountingEncoder(HashingEncoder):
    def __init__(self) -> None:
        super().__init__(16)
        self.calls = 0

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        self.calls += 1
        time.sleep(0.01)
        return super().encode(texts, batch_size)


def test_batching_encoder_matches_the_encoder_and_batches_concurrent_calls():
    inner = CountingEncoder()
    enc = BatchingEncoder(inner, max_batch=8, window_s=0.005, cache_size=0)
    reference = HashingEncoder(16)
    try:
        out = run_concurrently(lambda i: enc.encode([f"query number {i}"], 1), 16)
    finally:
        enc.close()
    for i, vec in enumerate(out):
        np.testing.assert_allclose(vec, reference.encode([f"query number {i}"]), atol=1e-6)  # type: ignore[arg-type]
    assert inner.calls < 16
    assert enc.dim == 16
    assert enc.encode([]).shape == (0, 16)


def test_batching_encoder_caches_read_only_rows_and_passes_big_calls_through():
    inner = CountingEncoder()
    enc = BatchingEncoder(inner, max_batch=4, cache_size=8)
    try:
        a = enc.encode(["same text"])
        b = enc.encode(["same text"])
        assert inner.calls == 1
        np.testing.assert_array_equal(a, b)
        cached = enc.cache.get("same text")
        assert cached is not None and not cached.flags.writeable
        big = [f"bank item {i}" for i in range(10)]
        assert enc.encode(big, 64).shape == (10, 16)
        assert enc.batcher.calls == 1  # the big call did not go through the batcher
    finally:
        enc.close()
