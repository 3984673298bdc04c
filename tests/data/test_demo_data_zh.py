"""The Chinese demo intent data in data/intents/zh/ (made by data/tools/convert_zh.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from intent.data import load_examples
from intent.language import detect
from intent.training_args import TrainingArgs

ROOT = Path(__file__).resolve().parents[2]
ZH = ROOT / "data" / "intents" / "zh"
CONVERTER = ROOT / "data" / "tools" / "convert_zh.py"
OUTPUTS = ("nlu.yml", "valid.csv", "test.csv", "README.md")


def test_the_converter_is_deterministic_and_its_output_is_current(tmp_path: Path) -> None:
    for out in (tmp_path / "a", tmp_path / "b"):
        subprocess.run([sys.executable, str(CONVERTER), "--out", str(out)], check=True)
    for name in OUTPUTS:
        made = (tmp_path / "a" / name).read_bytes()
        assert made == (tmp_path / "b" / name).read_bytes(), name
        assert made == (ZH / name).read_bytes(), f"{name} is stale: re-run the converter"


def test_every_intent_has_chinese_turns_in_every_split() -> None:
    english = {e.label for e in load_examples(ROOT / "data" / "intents" / "nlu.yml")}
    for name, least in (("nlu.yml", 30), ("valid.csv", 4), ("test.csv", 8)):
        chinese = Counter(e.label for e in load_examples(ZH / name) if detect(e.text) == "zh")
        assert set(chinese) == english, name
        assert min(chinese.values()) >= least, (name, chinese.most_common()[-3:])


def test_no_evaluation_turn_is_in_training() -> None:
    def norm(t: str) -> str:
        return "".join(t.lower().split())

    train = {norm(e.text) for e in load_examples(ZH / "nlu.yml")}
    for name in ("valid.csv", "test.csv"):
        assert [e.text for e in load_examples(ZH / name) if norm(e.text) in train] == []


def test_the_chinese_model_is_trained_on_the_multilingual_encoder() -> None:
    args = TrainingArgs.from_dict(json.loads((ZH / "training.json").read_text()))
    assert args.encoder == "multilingual-e5-small-q4"
    assert not args.fine_tuning_allowed
