"""Dynamic micro-batching (and an LRU of recent results) behind the classifier and encoder
seams.

The API runs each request's model call on a worker thread (`asyncio.to_thread`). With
`MicroBatcher` those threads only enqueue their texts and wait: one worker thread runs a
single batched forward pass for everything queued (up to `max_batch` texts) and hands each
caller its own rows, or its own exception. A forward pass costs far less per text in a
batch than one text at a time, and one pass at a time keeps the two CPU cores from
fighting over several concurrent ones.

Latency at low load: a caller that finds nothing queued and no pass running runs its own
texts at once, in its own thread (no hand-over to the worker: about 1 ms saved a turn).
Callers that arrive meanwhile queue for the worker, which waits up to `window_s` for more
texts only while the previous batch held several callers, i.e. while there is concurrency
to collect. Either way one forward pass runs at a time.

Observability: a `BatchObserver` (`set_observer`; the API's is api.metrics.BatchMetrics)
hears each queue length change and each forward pass (its size, its callers' queue waits,
its duration), so this package needs nothing of the API's.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

import numpy as np

from intent.encoder import Encoder, encoder_name
from intent.types import IntentClassifier, IntentPrediction

T = TypeVar("T")
R = TypeVar("R")


class BatchObserver(Protocol):
    def queued(self, name: str, length: int) -> None:
        """`name`'s queue now holds `length` callers."""
        ...

    def batch(self, name: str, size: int, waits: Sequence[float], seconds: float) -> None:
        """A forward pass of `size` texts took `seconds`; its callers had waited `waits`."""
        ...


class _Unobserved:
    def queued(self, name: str, length: int) -> None:
        pass

    def batch(self, name: str, size: int, waits: Sequence[float], seconds: float) -> None:
        pass


_observer: BatchObserver = _Unobserved()


def set_observer(observer: BatchObserver | None) -> None:
    """Where every MicroBatcher of this process reports (None: nowhere)."""
    global _observer
    _observer = observer if observer is not None else _Unobserved()


@dataclass(eq=False)
class _Job(Generic[T, R]):
    items: list[T]
    queued_at: float = field(default_factory=time.perf_counter)
    done: threading.Event = field(default_factory=threading.Event)
    result: list[R] | None = None
    error: BaseException | None = None


class MicroBatcher(Generic[T, R]):
    """Runs `fn(items) -> results` (one result per item, in order) on batches collected
    from concurrent callers. Thread-safe; the worker thread starts on first use and stops
    on `close()` (a later call starts it again)."""

    def __init__(
        self,
        fn: Callable[[list[T]], Sequence[R]],
        max_batch: int = 16,
        window_s: float = 0.002,
        name: str = "micro-batcher",
    ) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be at least 1")
        if window_s < 0:
            raise ValueError("window_s must not be negative")
        self.fn = fn
        self.max_batch = max_batch
        self.window_s = window_s
        self.name = name
        self.calls = 0  # forward passes run (for tests and reports)
        self._queue: deque[_Job[T, R]] = deque()
        self._cv = threading.Condition()
        self._worker: threading.Thread | None = None
        self._stopping = False
        self._busy = False  # the last batch held several callers: worth waiting for more
        self._running = False  # a forward pass is under way (worker's or a caller's own)

    def __call__(self, items: Sequence[T]) -> list[R]:
        if not items:
            return []
        job: _Job[T, R] = _Job(list(items))
        with self._cv:
            if self._worker is None:  # first use, or after close()
                self._stopping = False
                self._worker = threading.Thread(target=self._run, name=self.name, daemon=True)
                self._worker.start()
            inline = not self._queue and not self._running
            if inline:  # idle: run it here, no hand-over to the worker thread
                self._running = True
            else:
                self._queue.append(job)
                _observer.queued(self.name, len(self._queue))
                self._cv.notify()
        if inline:
            try:
                self._execute([job])
            finally:
                with self._cv:
                    self._running = False
                    self._cv.notify_all()
        job.done.wait()
        if job.error is not None:
            raise job.error
        assert job.result is not None
        return job.result

    def close(self, timeout: float = 10.0) -> None:
        """Finish what is queued, then stop the worker thread."""
        with self._cv:
            worker = self._worker
            self._stopping = True
            self._cv.notify_all()
        if worker is not None:
            worker.join(timeout)

    # ---------------------------------------------------------------- worker side
    def _take(self, batch: list[_Job[T, R]], size: int) -> int:
        while self._queue and size + len(self._queue[0].items) <= self.max_batch:
            job = self._queue.popleft()
            batch.append(job)
            size += len(job.items)
        return size

    def _next_batch(self) -> list[_Job[T, R]] | None:
        with self._cv:
            while not self._queue or self._running:
                if self._stopping and not self._queue:
                    self._worker = None  # under the lock: a later call starts a new one
                    return None
                self._cv.wait()
            first = self._queue.popleft()  # taken whole, even when larger than max_batch
            self._running = True  # from here: callers queue while the window collects
            batch = [first]
            size = self._take(batch, len(first.items))
            if self._busy and self.window_s > 0:
                deadline = time.monotonic() + self.window_s
                while size < self.max_batch and not self._stopping:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        break
                    if not self._queue:
                        self._cv.wait(left)
                    before = size
                    size = self._take(batch, size)
                    if size == before and self._queue:  # the next job does not fit
                        break
            self._busy = len(batch) > 1
            _observer.queued(self.name, len(self._queue))
            return batch

    def _run(self) -> None:
        while True:
            batch = self._next_batch()
            if batch is None:
                return
            try:
                self._execute(batch)
            finally:
                with self._cv:
                    self._running = False
                    self._cv.notify_all()

    def _execute(self, batch: list[_Job[T, R]]) -> None:
        flat = [item for job in batch for item in job.items]
        try:
            self.calls += 1
            start = time.perf_counter()
            results = list(self.fn(flat))
            _observer.batch(
                self.name,
                len(flat),
                [start - job.queued_at for job in batch],
                time.perf_counter() - start,
            )
            if len(results) != len(flat):
                raise RuntimeError(f"{self.name}: {len(results)} results for {len(flat)} inputs")
        except BaseException as exc:
            if len(batch) > 1:  # find whose input failed: each caller alone
                for job in batch:
                    self._execute([job])
                return
            batch[0].error = exc
            batch[0].done.set()
            return
        offset = 0
        for job in batch:
            job.result = results[offset : offset + len(job.items)]
            offset += len(job.items)
            job.done.set()


class LruCache(Generic[T, R]):
    """A small thread-safe least-recently-used map (size 0: caches nothing)."""

    def __init__(self, size: int) -> None:
        if size < 0:
            raise ValueError("size must not be negative")
        self.size = size
        self.hits = 0
        self.misses = 0
        self._data: OrderedDict[T, R] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: T) -> R | None:
        with self._lock:
            value = self._data.get(key)
            if value is None:
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: T, value: R) -> None:
        if self.size == 0:
            return
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)


def _cached_map(
    texts: Sequence[str], cache: LruCache[str, R], compute: Callable[[list[str]], list[R]]
) -> list[R]:
    """`compute` only the distinct texts the cache does not hold; results in input order."""
    found: dict[str, R] = {}
    for t in texts:
        if t not in found:
            hit = cache.get(t)
            if hit is not None:
                found[t] = hit
    missing = list(dict.fromkeys(t for t in texts if t not in found))
    if missing:
        for t, value in zip(missing, compute(missing), strict=True):
            found[t] = value
            cache.put(t, value)
    return [found[t] for t in texts]


class BatchingClassifier:
    """An `IntentClassifier` whose `predict` calls from many threads share forward passes;
    predictions of recently seen texts come from an LRU (the agent panel refreshing the
    same turn does not classify it again)."""

    def __init__(
        self,
        classifier: IntentClassifier,
        max_batch: int = 16,
        window_s: float = 0.002,
        cache_size: int = 1024,
    ) -> None:
        self.classifier = classifier
        self.batcher: MicroBatcher[str, IntentPrediction] = MicroBatcher(
            classifier.predict, max_batch, window_s, "intent-batcher"
        )
        self.cache: LruCache[str, IntentPrediction] = LruCache(cache_size)

    @property
    def labels(self) -> list[str]:
        return self.classifier.labels

    def __getattr__(self, name: str) -> Any:
        """Anything else (the model's `config`, ...) is the wrapped classifier's."""
        if name == "classifier":  # not set yet (copy, unpickling): no recursion
            raise AttributeError(name)
        return getattr(self.classifier, name)

    def predict(self, texts: str | Sequence[str]) -> list[IntentPrediction]:
        items = [texts] if isinstance(texts, str) else list(texts)
        return _cached_map(items, self.cache, self.batcher)

    def close(self) -> None:
        self.batcher.close()


class BatchingEncoder:
    """An `Encoder` whose small `encode` calls from many threads share forward passes
    (large ones, e.g. a bank at start-up, go straight through); vectors of recently seen
    texts come from an LRU and are read-only."""

    def __init__(
        self,
        encoder: Encoder,
        max_batch: int = 16,
        window_s: float = 0.002,
        cache_size: int = 1024,
    ) -> None:
        self.encoder = encoder
        self.dim = encoder.dim
        self.name = encoder_name(encoder)  # same vectors: same caches
        self.batcher: MicroBatcher[str, np.ndarray] = MicroBatcher(
            self._rows, max_batch, window_s, "encoder-batcher"
        )
        self.cache: LruCache[str, np.ndarray] = LruCache(cache_size)

    def _rows(self, texts: list[str]) -> list[np.ndarray]:
        vecs = np.asarray(self.encoder.encode(texts, max(1, len(texts))), dtype=np.float32)
        rows = list(vecs)
        for r in rows:
            r.flags.writeable = False
        return rows

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if len(texts) > self.batcher.max_batch:
            return self.encoder.encode(texts, batch_size)
        rows: list[np.ndarray] = _cached_map(list(texts), self.cache, self.batcher)
        return np.stack(rows)

    def close(self) -> None:
        self.batcher.close()
