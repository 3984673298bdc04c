"""The hand-written realistic test sets (data/intents/realistic_test*.csv): evaluation
only, so none of their turns may appear in the data the demo model trains, validates or
is tested on (nor in the other realistic set), and every label must be one the demo model
knows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from intent.data import load_examples

INTENTS = Path(__file__).resolve().parents[2] / "data" / "intents"
SETS = ("realistic_test.csv", "realistic_test_2.csv")
TRAINED_ON = {name: INTENTS for name in SETS} | {"realistic_test_zh.csv": INTENTS / "zh"}


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", "", text.lower()).split())


@pytest.mark.parametrize("name", sorted(TRAINED_ON))
def test_realistic_turns_were_never_seen_and_use_known_labels(name: str):
    realistic = load_examples(INTENTS / name)
    data = TRAINED_ON[name]  # the data of the model that reads this set's language
    seen = [e for f in ("nlu.yml", "valid.csv", "test.csv") for e in load_examples(data / f)]
    known = {_norm(e.text) for e in seen}
    assert len(realistic) >= 280
    assert [e.text for e in realistic if _norm(e.text) in known] == []
    assert len({_norm(e.text) for e in realistic}) == len(realistic)
    assert {e.label for e in realistic} == {e.label for e in seen}


def test_the_two_realistic_sets_share_no_turn():
    first, second = (load_examples(INTENTS / name) for name in SETS)
    assert {_norm(e.text) for e in first} & {_norm(e.text) for e in second} == set()


def test_both_languages_have_the_same_intents():
    english = {e.label for e in load_examples(INTENTS / "nlu.yml")}
    chinese = {e.label for e in load_examples(INTENTS / "zh" / "nlu.yml")}
    assert chinese == english
