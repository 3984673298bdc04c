"""Suggested replies agents keep editing (issue #16 part 2): each one edited at least
`min_edits` times in a period, with how often it was shown, used as is and edited, and
the versions agents sent instead, the most frequent first (the same words up to case,
spaces and punctuation at the ends count as one version). The list from which an admin
makes new templates: `as_yaml` writes the top versions as items for
data/responses/knowledge.yml, to review and paste. Texts are PII-redacted when they are
stored (api/feedback.py), so nothing here needs redacting again."""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

import yaml
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from api.storage.tables import FeedbackRow

_SPACES = re.compile(r"\s+")
_ENDS = " .!?,;:"


def _same(text: str) -> str:
    return _SPACES.sub(" ", text).strip(_ENDS).casefold()


@dataclass(frozen=True, slots=True)
class Version:
    text: str  # as an agent sent it (the first one seen of its kind)
    count: int


@dataclass(frozen=True, slots=True)
class EditedSuggestion:
    suggestion_id: str
    suggestion_text: str  # as it was suggested (the last one seen: slots filled)
    intents: list[str]  # the customer turns' intents it was edited for, most frequent first
    shown: int
    used: int
    edited: int
    versions: list[Version]  # the most frequent first, at most `versions`


def edited_suggestions(
    engine: Engine,
    since: datetime,
    until: datetime,
    min_edits: int = 3,
    versions: int = 3,
    limit: int = 50,
) -> list[EditedSuggestion]:
    """Suggestions edited at least `min_edits` times in [since, until) (naive UTC), the
    most edited first."""
    with Session(engine) as s:
        rows = list(
            s.scalars(
                select(FeedbackRow)
                .where(
                    FeedbackRow.kind == "suggestion",
                    FeedbackRow.ts >= since,
                    FeedbackRow.ts < until,
                    FeedbackRow.suggestion_id.is_not(None),
                )
                .order_by(FeedbackRow.id)
            )
        )
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    said: dict[str, str] = {}
    intents: dict[str, Counter[str]] = defaultdict(Counter)
    edits: dict[str, Counter[str]] = defaultdict(Counter)
    first_seen: dict[tuple[str, str], str] = {}
    for r in rows:
        sid = str(r.suggestion_id)
        counts[sid][r.action] += 1
        if r.suggestion_text:
            said[sid] = r.suggestion_text
        if r.action == "edited" and r.edited_text:
            key = _same(r.edited_text)
            edits[sid][key] += 1
            first_seen.setdefault((sid, key), r.edited_text.strip())
            if r.predicted_intent:
                intents[sid][r.predicted_intent] += 1
    out = [
        EditedSuggestion(
            sid,
            said.get(sid, ""),
            [name for name, _ in intents[sid].most_common()],
            n["shown"],
            n["used"],
            n["edited"],
            [Version(first_seen[(sid, k)], c) for k, c in edits[sid].most_common(versions)],
        )
        for sid, n in counts.items()
        if n["edited"] >= min_edits
    ]
    out.sort(key=lambda e: (-e.edited, e.suggestion_id))
    return out[:limit]


def as_yaml(found: list[EditedSuggestion]) -> str:
    """The most frequent version of each as a data/responses/knowledge.yml item."""
    items = []
    for e in found:
        if not e.versions:
            continue
        digest = hashlib.sha256(f"{e.suggestion_id}\0{e.versions[0].text}".encode()).hexdigest()
        item = {
            "id": f"agent-edit-{digest[:10]}",
            "kind": "template",
            "title": f"agents' version of {e.suggestion_id}",
            "intents": e.intents[:3],
            "text": e.versions[0].text,
        }
        items.append(item)
    header = (
        "# Suggested replies agents kept editing, in the version they sent most often\n"
        "# (GET /v1/analytics/edited-suggestions?format=yaml). Review each, then add it to\n"
        "# the `items` of data/responses/knowledge.yml (or your own bank) and restart.\n"
    )
    return header + yaml.safe_dump({"items": items}, allow_unicode=True, sort_keys=False)
