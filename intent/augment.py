"""Noisy copies of training turns, the way customers type them: lower case, no
punctuation, typos (swapped, dropped, doubled or neighbouring keys), a dropped word, chat
shorthand ("u", "pls"). The trainer adds one copy per example (`TrainingArgs.augment`), so
the heads see messy wording and the operating point is chosen on messy held-out turns too,
not only on clean templates."""

from __future__ import annotations

import random
import re

_KEYS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
_NEIGHBOURS: dict[str, str] = {}
for _r, _row in enumerate(_KEYS):
    for _c, _ch in enumerate(_row):
        near = [_row[i] for i in (_c - 1, _c + 1) if 0 <= i < len(_row)]
        for other in (_r - 1, _r + 1):
            if 0 <= other < len(_KEYS):
                near += [_KEYS[other][i] for i in (_c - 1, _c) if 0 <= i < len(_KEYS[other])]
        _NEIGHBOURS[_ch] = "".join(near)

_SHORTHAND = {
    "you": "u",
    "your": "ur",
    "please": "pls",
    "thanks": "thx",
    "are": "r",
    "because": "cuz",
    "i am": "im",
    "i'm": "im",
    "don't": "dont",
    "can't": "cant",
    "what is": "whats",
}
_PUNCT = re.compile(r"[^\w\s']")


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:  # swap
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:  # drop
        return word[:i] + word[i + 1 :]
    if kind == 2:  # double
        return word[:i] + word[i] + word[i:]
    near = _NEIGHBOURS.get(word[i].lower())
    return word[:i] + rng.choice(near) + word[i + 1 :] if near else word


def noisy(text: str, rng: random.Random) -> str:
    """One messy variant of `text` (may equal it for one-word turns)."""
    out = text
    if rng.random() < 0.7:
        out = out.lower()
    if rng.random() < 0.5:
        out = _PUNCT.sub(" ", out)
    if rng.random() < 0.4:
        low = out.lower()
        for long, short in _SHORTHAND.items():
            if re.search(rf"\b{re.escape(long)}\b", low):
                out = re.sub(rf"\b{re.escape(long)}\b", short, out, flags=re.IGNORECASE)
                break
    words = out.split()
    if len(words) >= 4 and rng.random() < 0.3:
        del words[rng.randrange(1, len(words))]
    n_typos = rng.choice((0, 1, 1, 2))
    for _ in range(n_typos):
        if words:
            j = rng.randrange(len(words))
            words[j] = _typo(words[j], rng)
    return " ".join(words) or text


def noisy_copies(texts: list[str], seed: int) -> list[str]:
    rng = random.Random(seed)
    return [noisy(t, rng) for t in texts]
