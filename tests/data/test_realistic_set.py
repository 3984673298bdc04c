"""The hand-written realistic test set (data/intents/realistic_test.csv): evaluation only,
so none of its turns may appear in the data the demo model trains, validates or is
tested on, and every label must be one the demo model knows."""

from __future__ import annotations

import re
from pathlib import Path

from intent.data import load_examples

INTENTS = Path(__file__).resolve().parents[2] / "data" / "intents"


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", "", text.lower()).split())


def test_realistic_turns_were_never_seen_and_use_known_labels():
    realistic = load_examples(INTENTS / "realistic_test.csv")
    seen = [e for f in ("nlu.yml", "valid.csv", "test.csv") for e in load_examples(INTENTS / f)]
    known = {_norm(e.text) for e in seen}
    assert len(realistic) >= 300
    assert [e.text for e in realistic if _norm(e.text) in known] == []
    assert len({_norm(e.text) for e in realistic}) == len(realistic)
    assert {e.label for e in realistic} == {e.label for e in seen}
