"""Build data/retrieval/language_direction.json: the direction in multilingual-e5-small's
space along which English and Chinese texts differ whatever they say (the mean Chinese
vector minus the mean English one, normalised). `intent.multilingual_encoder.
LanguageNeutralEncoder` projects it out, so a Chinese turn and an English note about the
same problem are no longer outranked by any Chinese text about something else
(bench/retrieval_related_zh.py measures it).

    .venv/bin/python -m data.tools.build_language_direction

Texts: the demo's TRAINING turns (data/intents/nlu.yml, data/intents/zh/nlu.yml), each
file's turns in its language (`intent.language.detect`), at most 1,500 per language,
drawn with a fixed seed. Never the test / validation files the benchmarks use.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np

from intent.data import load_examples
from intent.language import detect
from intent.multilingual_encoder import NAME, MultilingualEncoder

ROOT = Path(__file__).resolve().parents[2]
SOURCES = {"en": ROOT / "data/intents/nlu.yml", "zh": ROOT / "data/intents/zh/nlu.yml"}
OUT = ROOT / "data/retrieval/language_direction.json"
PER_LANGUAGE = 1500
SEED = 5


def texts(language: str) -> list[str]:
    seen = dict.fromkeys(
        ex.text for ex in load_examples(SOURCES[language]) if detect(ex.text) == language
    )
    items = sorted(seen)
    random.Random(SEED).shuffle(items)
    return items[:PER_LANGUAGE]


def main() -> None:
    encoder = MultilingualEncoder()
    means = {}
    counts = {}
    for lang in SOURCES:
        items = texts(lang)
        counts[lang] = len(items)
        means[lang] = encoder.encode(items, 64).mean(axis=0)
        print(f"{lang}: {len(items)} texts embedded")
    d = means["zh"] - means["en"]
    d = d / np.linalg.norm(d)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        json.dumps(
            {
                "encoder": NAME,
                "languages": ["en", "zh"],
                "texts": counts,
                "sources": {k: str(v.relative_to(ROOT)) for k, v in SOURCES.items()},
                "made_by": "data/tools/build_language_direction.py",
                "direction": [round(float(x), 7) for x in d],
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
