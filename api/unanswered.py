"""What customers ask that the bot cannot do: the period's customer turns the classifier
called out of scope or was unsure of, clustered by meaning (the service's sentence
encoder, average-linkage agglomerative clustering on cosine distance), biggest first, each
with examples and its trend (first half of the period against the second). The list new
intents are made from.

Bounded: the `limit` most recent such turns (default 1,000), distinct texts embedded once;
a few seconds on 2 CPU cores for a thousand new texts, less when they repeat."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from api.storage.tables import ConversationTurnRow

Embed = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True, slots=True)
class Cluster:
    size: int  # turns
    examples: list[str]  # the most central distinct texts first
    intents: list[str]  # what the classifier said (out_of_scope, or its unsure guess)
    first_seen: datetime
    last_seen: datetime
    first_half: int  # turns in the first half of the period
    second_half: int
    conversation_ids: list[str]  # a few, to read them


def _unsure(turn: ConversationTurnRow, below: float) -> bool:
    a = turn.attributes or {}
    if a.get("out_of_scope"):
        return True
    confidence = a.get("confidence")
    return isinstance(confidence, int | float) and confidence < below


def unanswered(
    engine: Engine,
    embed: Embed,
    since: datetime,
    until: datetime,
    below: float = 0.5,
    similarity: float = 0.3,
    min_size: int = 2,
    limit: int = 1000,
) -> tuple[list[Cluster], int]:
    """(clusters of at least `min_size` turns, biggest first; how many turns were read).
    `below`: a turn classified with less confidence counts as unsure; `similarity`: the
    cosine two turns of a cluster share on average at least. 0.3 groups MiniLM vectors by
    topic: on the 180 hand-written out-of-scope lines (data/tools/handwritten) it makes
    weather (8 lines), questions about the bot (7) and jokes (6); 0.4 splits weather in two."""
    with Session(engine) as s:
        rows = list(
            s.scalars(
                select(ConversationTurnRow)
                .where(
                    ConversationTurnRow.role == "customer",
                    ConversationTurnRow.ts >= since,
                    ConversationTurnRow.ts < until,
                    ConversationTurnRow.intent.is_not(None),
                )
                .order_by(ConversationTurnRow.ts.desc())
                .limit(limit * 5)
            )
        )
    turns = [t for t in rows if _unsure(t, below) and t.text.strip()][:limit]
    if len(turns) < max(min_size, 2):
        return [], len(turns)
    texts = sorted({t.text.strip() for t in turns})
    vecs = np.asarray(embed(texts), dtype=np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True) + 1e-12
    labels = AgglomerativeClustering(
        n_clusters=None,
        metric="cosine",
        linkage="average",
        distance_threshold=1.0 - similarity,
    ).fit_predict(vecs)
    label_of = {text: int(label) for text, label in zip(texts, labels, strict=True)}
    row_of = {text: i for i, text in enumerate(texts)}
    middle = since + (until - since) / 2
    clusters: list[Cluster] = []
    for label in sorted(set(label_of.values())):
        members = [t for t in turns if label_of[t.text.strip()] == label]
        if len(members) < min_size:
            continue
        distinct = sorted({t.text.strip() for t in members})
        idx = [row_of[x] for x in distinct]
        centre = vecs[idx].mean(axis=0)
        order = np.argsort(-(vecs[idx] @ centre))
        seen = sorted(t.ts for t in members)
        clusters.append(
            Cluster(
                size=len(members),
                examples=[distinct[i] for i in order[:5]],
                intents=sorted({str(t.intent) for t in members}),
                first_seen=seen[0].replace(tzinfo=UTC),
                last_seen=seen[-1].replace(tzinfo=UTC),
                first_half=sum(t.ts < middle for t in members),
                second_half=sum(t.ts >= middle for t in members),
                conversation_ids=sorted({t.conversation_id for t in members})[:5],
            )
        )
    clusters.sort(key=lambda c: (-c.size, c.examples[0]))
    return clusters, len(turns)
