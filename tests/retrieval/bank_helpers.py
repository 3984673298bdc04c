"""A small response bank for the ranker's tests: `n` templates, one intent each (so the
per-intent cap keeps all of them), item i answering "question i about delivery"."""

from __future__ import annotations

from retrieval.responses import BankItem


def one_intent_items(n: int) -> list[BankItem]:
    return [
        BankItem(
            f"t{i}",
            "template",
            f"Reply number {i} about delivery and refunds.",
            (f"intent_{i}",),
            (),
            (f"question {i} about delivery",),
            f"t{i}",
            "s",
        )
        for i in range(n)
    ]
