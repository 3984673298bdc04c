"""Build `data/background/background.csv`: generic out-of-domain utterances that the intent
trainer uses as an out-of-scope background class when a bot's data has no out-of-scope
examples (see `intent/background.py`).

    python data/tools/build_background.py [--hwu64 DIR] [--per-intent N] [--out FILE]

Input: HWU64's training split (`--hwu64`, default `../shared/datasets/hwu64/train`, a
`seq.in`/`label` directory; CC BY 4.0): 64 home-assistant intents (alarms, music, weather,
lists, calendar, jokes, small talk such as `general_quirky`, `general_praise`,
`general_negate`). Up to `--per-intent` utterances per intent (default 40) are drawn with a
fixed seed, so the output is deterministic. Only the training split is used: HWU64's
test split stays usable for evaluation.

Output: CSV `text,source` (source = `hwu64:<intent>`), sorted by source then text.

Standard library only.
"""

from __future__ import annotations

import argparse
import csv
import random
from collections import defaultdict
from pathlib import Path

SEED = 29


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--hwu64", type=Path, default=Path("../shared/datasets/hwu64/train"))
    p.add_argument("--per-intent", type=int, default=40)
    p.add_argument("--out", type=Path, default=Path("data/background/background.csv"))
    a = p.parse_args()
    texts = (a.hwu64 / "seq.in").read_text(encoding="utf-8").splitlines()
    labels = (a.hwu64 / "label").read_text(encoding="utf-8").splitlines()
    if len(texts) != len(labels):
        raise SystemExit(f"{a.hwu64}: seq.in and label differ in length")
    by_intent: dict[str, list[str]] = defaultdict(list)
    for text, label in zip(texts, labels, strict=True):
        text = " ".join(text.split())
        if text and text not in by_intent[label]:
            by_intent[label].append(text)
    rng = random.Random(SEED)
    rows = []
    for label in sorted(by_intent):
        items = sorted(by_intent[label])
        rng.shuffle(items)
        rows += [(t, f"hwu64:{label}") for t in sorted(items[: a.per_intent])]
    a.out.parent.mkdir(parents=True, exist_ok=True)
    with a.out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["text", "source"])
        w.writerows(rows)
    print(f"wrote {len(rows)} utterances from {len(by_intent)} intents to {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
