"""The demo intent data in data/intents/ (made by data/tools/convert_bitext.py)."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from intent.data import load_examples

ROOT = Path(__file__).resolve().parents[2]
INTENTS = ROOT / "data" / "intents"
CONVERTER = ROOT / "data" / "tools" / "convert_bitext.py"
HANDWRITTEN_DIR = ROOT / "data" / "tools" / "handwritten"
BITEXT = ROOT.parent / "shared" / "datasets" / "bitext"
HANDWRITTEN = {
    "activation_problem": 120,
    "greet": 50,
    "goodbye": 50,
    "affirm": 50,
    "deny": 50,
    "thank_you": 50,
    "out_of_scope": 150,
}
OUTPUTS = ("nlu.yml", "valid.csv", "test.csv", "README.md")


def _key(text: str) -> str:
    return " ".join(text.lower().split())


@pytest.fixture(scope="module")
def splits():
    return {
        "train": load_examples(INTENTS / "nlu.yml"),
        "valid": load_examples(INTENTS / "valid.csv"),
        "test": load_examples(INTENTS / "test.csv"),
    }


def test_nlu_is_rasa_3_yaml_without_entity_annotations() -> None:
    raw = (INTENTS / "nlu.yml").read_text(encoding="utf-8")
    doc = yaml.safe_load(raw)
    assert doc["version"] == "3.1"
    assert all(set(item) == {"intent", "examples"} for item in doc["nlu"])
    lines = [ln for item in doc["nlu"] for ln in item["examples"].splitlines()]
    assert all(ln.startswith("- ") and len(ln) > 2 for ln in lines)
    assert not any(ch in ln for ln in lines for ch in "[]{}")


def test_34_intents_in_every_split(splits) -> None:
    labels = {name: {e.label for e in examples} for name, examples in splits.items()}
    assert len(labels["train"]) == 34
    assert set(HANDWRITTEN) <= labels["train"]
    assert "contact_human_agent" in labels["train"]
    assert labels["test"] <= labels["train"]
    assert labels["valid"] <= labels["train"]
    assert labels["test"] == labels["train"]


def _supplement_keys() -> set[str]:
    return {
        _key(line)
        for path in (HANDWRITTEN_DIR / "supplements").glob("*.txt")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    }


def test_bitext_split_sizes(splits) -> None:
    handwritten, extra = set(HANDWRITTEN), _supplement_keys()
    bitext = {
        n: [e for e in ex if e.label not in handwritten and _key(e.text) not in extra]
        for n, ex in splits.items()
    }
    assert len(bitext["train"]) == 6480  # the whole official training split
    # The official 810 / 810, less the few case-only twins of training texts.
    assert 770 <= len(bitext["valid"]) <= 810
    assert 770 <= len(bitext["test"]) <= 810


@pytest.mark.parametrize(("intent", "minimum"), sorted(HANDWRITTEN.items()))
def test_handwritten_intents_are_big_enough_and_split(splits, intent: str, minimum: int) -> None:
    sources = (HANDWRITTEN_DIR / f"{intent}.txt").read_text(encoding="utf-8").splitlines()
    assert len([s for s in sources if s.strip()]) >= minimum
    counts = {name: Counter(e.label for e in ex)[intent] for name, ex in splits.items()}
    assert counts["train"] > counts["test"] > counts["valid"] > 0
    assert sum(counts.values()) == len([s for s in sources if s.strip()])


def test_supplements_extend_bitext_intents_in_every_split(splits) -> None:
    bitext_intents = {e.label for e in splits["train"]} - set(HANDWRITTEN)
    files = sorted((HANDWRITTEN_DIR / "supplements").glob("*.txt"))
    assert files and {f.stem for f in files} <= bitext_intents
    where = {_key(e.text): (name, e.label) for name, ex in splits.items() for e in ex}
    for f in files:
        lines = [ln for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip()]
        got = [where[_key(ln)] for ln in lines]
        assert {label for _, label in got} == {f.stem}
        assert {name for name, _ in got} == {"train", "valid", "test"}
    assert where[_key("where is my order?")] == ("train", "track_order")


def test_no_evaluation_text_is_in_training(splits) -> None:
    train = {_key(e.text) for e in splits["train"]}
    valid = {_key(e.text) for e in splits["valid"]}
    test = {_key(e.text) for e in splits["test"]}
    assert not test & train
    assert not valid & train
    assert not test & valid


def test_no_text_has_two_labels(splits) -> None:
    seen: dict[str, str] = {}
    for examples in splits.values():
        for e in examples:
            assert seen.setdefault(_key(e.text), e.label) == e.label, e.text


def test_demo_sentences_are_in_the_data(splits) -> None:
    texts = {e.text: e.label for examples in splits.values() for e in examples}
    demo = "my new phone STILL won't activate, I already called you yesterday!!"
    assert texts[demo] == "activation_problem"
    assert texts["what's the weather in Paris?"] == "out_of_scope"


@pytest.mark.skipif(not BITEXT.is_dir(), reason="Bitext source data not present")
def test_converter_is_deterministic(tmp_path: Path) -> None:
    for out in (tmp_path / "a", tmp_path / "b"):
        subprocess.run(
            [sys.executable, str(CONVERTER), "--bitext", str(BITEXT), "--out", str(out)],
            check=True,
            capture_output=True,
        )
    for name in OUTPUTS:
        made = (tmp_path / "a" / name).read_bytes()
        assert made == (tmp_path / "b" / name).read_bytes(), name
        assert made == (INTENTS / name).read_bytes(), f"{name} is stale: re-run the converter"


def test_converter_rejects_a_missing_bitext_folder(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(CONVERTER),
            "--bitext",
            str(tmp_path / "nope"),
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "not found" in result.stderr
    assert not (tmp_path / "nlu.yml").exists()


def test_attribution_and_license_present() -> None:
    attribution = (ROOT / "data" / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "CDLA-Sharing-1.0" in attribution and "e970229" in attribution
    license_text = (ROOT / "data" / "licenses" / "CDLA-Sharing-1.0.txt").read_text(encoding="utf-8")
    assert "Community Data License Agreement" in license_text
