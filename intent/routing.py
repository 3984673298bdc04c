"""One classifier per language behind the `IntentClassifier` seam.

`LanguageRouter` sends each turn to the model of its language (`intent/language.py`):
English turns to the English model (MiniLM, fine-tuned), Chinese and mixed turns to the
multilingual one (multilingual-e5-small, which reads English too). Both models are trained
on the same intents, so the API, the bot and the hand-off policy see one label set; each
prediction carries the turn's language. A turn with no letters of either script ("12345",
"??") goes to the default language's model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from intent.language import DEFAULT_LANGUAGE, Language, detect
from intent.types import IntentClassifier, IntentPrediction

LANGUAGE_DIRS: dict[Language, str] = {"zh": "zh"}  # a language's model, inside the main one


class LanguageMismatch(ValueError):
    """The per-language models do not share their intents."""


class LanguageRouter:
    def __init__(
        self, models: Mapping[Language, IntentClassifier], default: Language = DEFAULT_LANGUAGE
    ) -> None:
        if default not in models:
            raise ValueError(f"no model for the default language {default!r}")
        base = list(models[default].labels)
        for lang, model in models.items():
            if list(model.labels) != base:
                missing = sorted(set(base) ^ set(model.labels)) or ["(same labels, other order)"]
                raise LanguageMismatch(
                    f"the {lang} model's intents differ from the {default} model's: {missing}"
                )
        self.models = dict(models)
        self.default = default

    @property
    def labels(self) -> list[str]:
        return self.models[self.default].labels

    @property
    def languages(self) -> list[Language]:
        return sorted(self.models)

    @property
    def config(self) -> Any:
        """The default language's model config (labels, out-of-scope label, operating point)."""
        return getattr(self.models[self.default], "config", None)

    def _groups(self, texts: Sequence[str]) -> tuple[list[Language], dict[Language, list[int]]]:
        """Each text's language (the default when it has none), and the rows of each model:
        a language without a model of its own goes to the default's."""
        langs = [detect(t) or self.default for t in texts]
        groups: dict[Language, list[int]] = {}
        for i, lang in enumerate(langs):
            groups.setdefault(lang if lang in self.models else self.default, []).append(i)
        return langs, groups

    def predict(self, texts: str | Sequence[str]) -> list[IntentPrediction]:
        items = [texts] if isinstance(texts, str) else list(texts)
        out: list[IntentPrediction | None] = [None] * len(items)
        langs, groups = self._groups(items)
        for model_lang, rows in groups.items():
            preds = self.models[model_lang].predict([items[i] for i in rows])
            for i, pred in zip(rows, preds, strict=True):
                out[i] = replace(pred, language=langs[i])
        return [p for p in out if p is not None]

    # -- evaluation (`intent.evaluate` over models that expose probabilities) -----------
    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Each turn's calibrated probabilities from its language's model (the models
        share the label order: sorted labels)."""
        out = np.zeros((len(texts), len(self.labels)), dtype=np.float64)
        for lang, rows in self._groups(texts)[1].items():
            model: Any = self.models[lang]
            out[rows] = model.probabilities([texts[i] for i in rows])
        return out

    def decide(
        self, texts: Sequence[str], probs: np.ndarray, top_k: int = 5
    ) -> list[IntentPrediction]:
        out: list[IntentPrediction | None] = [None] * len(texts)
        for lang, rows in self._groups(texts)[1].items():
            model: Any = self.models[lang]
            preds = model.decide([texts[i] for i in rows], probs[rows], top_k)
            for i, pred in zip(rows, preds, strict=True):
                out[i] = pred
        return [p for p in out if p is not None]

    @property
    def thresholds(self) -> dict[str, float]:
        """Each language's out-of-scope operating point."""
        return {
            lang: float(getattr(getattr(m, "config", None), "oos_threshold", 0.0))
            for lang, m in self.models.items()
        }

    def close(self) -> None:
        for model in self.models.values():
            close = getattr(model, "close", None)
            if callable(close):
                close()


def language_dirs(model_dir: Path) -> dict[Language, Path]:
    """The per-language models stored inside a model directory (`<dir>/zh/`, ...)."""
    return {
        lang: model_dir / sub
        for lang, sub in LANGUAGE_DIRS.items()
        if (model_dir / sub / "config.json").is_file()
    }


def load_models(model_dir: Path, threads: int | None = None) -> Any:
    """The model of `model_dir` for evaluation and the CLI (no batching): an `IntentModel`,
    or a `LanguageRouter` over it and the language models stored inside it."""
    from intent.modeling import IntentModel

    main = IntentModel.load(model_dir, threads=threads)
    others = {
        lang: IntentModel.load(d, threads=threads) for lang, d in language_dirs(model_dir).items()
    }
    if not others:
        return main
    return LanguageRouter({DEFAULT_LANGUAGE: main, **others})
