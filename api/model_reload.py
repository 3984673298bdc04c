"""Hot reload of the intent model. Everything that analyses turns (the intent routes,
`AssistBuilder`, so `services.turns` and the hand-off, and the feedback store's list of
intents) holds ONE `LiveAnalyzer`; a reload loads the new model fully on a worker thread
(its ONNX / int8 verification included) and then replaces what the live analyzer serves
in one assignment. A call already running finishes on the analyzer it started with; the
old analyzer is closed when its last call returns. A model that fails to load leaves the
old one serving (`ModelReloadFailed`, logged)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from api.background import every
from api.config import Settings
from api.errors import ModelReloadFailed
from intent.entities import EntityExtractor
from intent.pipeline import TurnAnalysis, TurnAnalyzer
from intent.registry import RegistryError, resolve_model_dir
from intent.sentiment import SentimentAnalyzer
from intent.types import IntentClassifier

log = logging.getLogger("api.model_reload")


@dataclass(frozen=True, slots=True)
class Served:
    analyzer: TurnAnalyzer
    version: str | None  # the registry version; None: model_dir without a registry, or given
    model_dir: Path | None  # None: an analyzer given to create_app (tests, embedding)
    loaded_at: datetime


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class LiveAnalyzer(TurnAnalyzer):
    """A `TurnAnalyzer` whose model can be replaced while it serves. `tracked`: it was
    loaded from the settings' model directory / registry, so the periodic check follows
    the registry (an analyzer given to `create_app` is not followed)."""

    def __init__(
        self,
        analyzer: TurnAnalyzer,
        version: str | None = None,
        model_dir: Path | None = None,
        tracked: bool = False,
    ) -> None:  # no super().__init__: classifier & co. are the served analyzer's
        self._served = Served(analyzer, version, model_dir, _now())
        self.tracked = tracked
        self._lock = threading.Lock()
        self._in_use: dict[int, int] = {}  # id(analyzer) -> calls running on it
        self._retired: dict[int, TurnAnalyzer] = {}  # replaced, closed after their last call

    @property
    def served(self) -> Served:
        return self._served

    @property
    def current(self) -> TurnAnalyzer:
        return self._served.analyzer

    # what TurnAnalyzer's attributes are: the served analyzer's (set only through swap)
    @property
    def classifier(self) -> IntentClassifier:
        return self._served.analyzer.classifier

    @classifier.setter
    def classifier(self, value: IntentClassifier) -> None:
        raise AttributeError("a LiveAnalyzer changes model through swap()")

    @property
    def extractor(self) -> EntityExtractor:
        return self._served.analyzer.extractor

    @extractor.setter
    def extractor(self, value: EntityExtractor) -> None:
        raise AttributeError("a LiveAnalyzer changes model through swap()")

    @property
    def sentiment(self) -> SentimentAnalyzer:
        return self._served.analyzer.sentiment

    @sentiment.setter
    def sentiment(self, value: SentimentAnalyzer) -> None:
        raise AttributeError("a LiveAnalyzer changes model through swap()")

    @contextlib.contextmanager
    def _using(self, analyzer: TurnAnalyzer) -> Iterator[None]:
        key = id(analyzer)
        with self._lock:
            self._in_use[key] = self._in_use.get(key, 0) + 1
        try:
            yield
        finally:
            done = None
            with self._lock:
                left = self._in_use[key] - 1
                if left:
                    self._in_use[key] = left
                else:
                    del self._in_use[key]
                    done = self._retired.pop(key, None)
            if done is not None:
                done.close()

    def analyze(self, texts: Sequence[str]) -> list[TurnAnalysis]:
        analyzer = self._served.analyzer  # read once: this call finishes on it
        with self._using(analyzer):
            return analyzer.analyze(texts)

    def swap(self, served: Served) -> Served:
        """Serve `served` from now on (one assignment); the previous analyzer is closed
        now if idle, else when its last running call returns. Returns the previous one."""
        with self._lock:
            old = self._served
            self._served = served
            idle = old.analyzer is not served.analyzer and id(old.analyzer) not in self._in_use
            if not idle and old.analyzer is not served.analyzer:
                self._retired[id(old.analyzer)] = old.analyzer
        if idle:
            old.analyzer.close()
        return old

    def close(self) -> None:
        with self._lock:
            retired, self._retired = list(self._retired.values()), {}
        for analyzer in [self._served.analyzer, *retired]:
            analyzer.close()


class ServedLabels(Collection[str]):
    """The intents (and the out-of-scope label) of whatever model `analyzer` serves now:
    what a feedback correction may name, following a reload."""

    def __init__(self, analyzer: TurnAnalyzer) -> None:
        self.analyzer = analyzer

    def _labels(self) -> list[str]:
        classifier = self.analyzer.classifier
        oos = getattr(getattr(classifier, "config", None), "oos_label", None)
        return [*classifier.labels, *([oos] if oos else [])]

    def __contains__(self, label: object) -> bool:
        return label in self._labels()

    def __iter__(self) -> Iterator[str]:
        return iter(self._labels())

    def __len__(self) -> int:
        return len(self._labels())


@dataclass(frozen=True, slots=True)
class ReloadOutcome:
    reloaded: bool
    version: str | None
    previous_version: str | None
    model_dir: str
    seconds: float


class ModelReloader:
    """Loads the model the settings point at (the registry's current version, else
    `model_dir`) with `load(directory)` and swaps it into `live`."""

    def __init__(
        self, live: LiveAnalyzer, settings: Settings, load: Callable[[Path], TurnAnalyzer]
    ) -> None:
        self.live = live
        self.settings = settings
        self.load = load
        self.failed: str | None = None  # a version that failed: the check does not retry it
        self._lock = asyncio.Lock()

    def target(self) -> tuple[Path, str | None]:
        return resolve_model_dir(self.settings.model_dir, self.settings.model_registry)

    def _serving(self) -> str:
        s = self.live.served
        return s.version or str(s.model_dir or "the model given at start")

    async def reload(self, force: bool = False) -> ReloadOutcome:
        """Load and switch to the current version; unchanged (reloaded False) when it is
        already served, unless `force` (or when there is no registry: model_dir is
        re-read)."""
        async with self._lock:
            try:
                directory, version = await asyncio.to_thread(self.target)
            except RegistryError as exc:
                raise ModelReloadFailed(
                    f"{exc}; still serving {self._serving()}", serving=self._serving()
                ) from exc
            before = self.live.served
            if not force and version is not None and version == before.version:
                return ReloadOutcome(False, version, before.version, str(directory), 0.0)
            started = time.perf_counter()
            try:
                analyzer = await asyncio.to_thread(self.load, directory)
            except Exception as exc:  # a broken model must not take the service down
                self.failed = version
                log.error(
                    "intent model %s (%s) could not be loaded: %s; still serving %s",
                    version or "-", directory, exc, self._serving(),
                )  # fmt: skip
                raise ModelReloadFailed(
                    f"the intent model {version or directory} could not be loaded ({exc}); "
                    f"still serving {self._serving()}",
                    serving=self._serving(),
                ) from exc
            # one assignment; closing an idle old analyzer joins its thread: off the loop
            await asyncio.to_thread(self.live.swap, Served(analyzer, version, directory, _now()))
            self.failed = None
            seconds = round(time.perf_counter() - started, 3)
            log.info(
                "intent model reloaded: %s -> %s (%s) in %.1f s",
                before.version or before.model_dir, version or "-", directory, seconds,
            )  # fmt: skip
            return ReloadOutcome(True, version, before.version, str(directory), seconds)

    async def check(self) -> ReloadOutcome | None:
        """The periodic check: reload when the registry names another current version than
        the one served. Reads one small JSON file; a version that failed to load is not
        tried again until the registry changes (or POST /v1/intent/model:reload)."""
        try:
            _, version = await asyncio.to_thread(self.target)
        except RegistryError as exc:
            log.warning("model registry unreadable, keeping %s: %s", self._serving(), exc)
            return None
        if version is None or version == self.live.served.version or version == self.failed:
            return None
        with contextlib.suppress(ModelReloadFailed):  # logged; the old model serves on
            return await self.reload()
        return None

    async def run(self, every_s: float, stop: asyncio.Event) -> None:
        await every(every_s, stop, self.check, "model reload check", wait_first=True)
