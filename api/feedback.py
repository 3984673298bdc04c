"""Agent feedback on assist: each suggestion shown / used / edited (with the edit) /
dismissed, and intent corrections; and the customers' 1-5 ratings the bot collects. Exported as training data: corrections as the intent
trainer's `text,label` CSV, everything as JSON lines."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from api.conversations.store import aware, utcnow
from api.errors import InvalidInput
from api.storage.tables import FeedbackRow

SUGGESTION_ACTIONS = frozenset({"shown", "used", "edited", "dismissed"})


@dataclass(frozen=True, slots=True)
class Feedback:
    id: int
    kind: str
    action: str
    conversation_id: str | None
    turn_id: str | None
    actor: str
    suggestion_id: str | None
    text: str
    suggestion_text: str | None
    edited_text: str | None
    predicted_intent: str | None
    corrected_intent: str | None
    ts: datetime
    rating: int | None = None
    resolved: bool | None = None
    position: int | None = None  # kind suggestion: its place in the list served (1-based)
    propensity: float | None = None  # ... and how likely the serving policy put it there


# a spreadsheet runs a cell that starts with one of these as a formula (CSV injection)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_TEXT_FIELDS = ("text", "suggestion_text", "edited_text")


def csv_cell(value: str) -> str:
    """`value` safe to open in a spreadsheet: a leading formula character is escaped with
    a quote (OWASP's advice), so `=HYPERLINK(...)` stays text."""
    return "'" + value if value.startswith(_FORMULA_START) else value


class FeedbackStore:
    """`redact` is applied to every free text before it is stored (the export then holds
    no PII); `labels`, when given, are the intents a correction may name."""

    def __init__(
        self,
        engine: Engine,
        redact: Callable[[str], str] | None = None,
        labels: Collection[str] | None = None,
    ) -> None:
        self.engine = engine
        self.redact = redact or (lambda text: text)
        self.labels = labels

    def record(self, actor: str, **fields: Any) -> int:
        kind = fields.get("kind")
        action = fields.get("action")
        if kind == "suggestion" and action not in SUGGESTION_ACTIONS:
            raise InvalidInput(f"action must be one of {sorted(SUGGESTION_ACTIONS)}")
        if kind == "suggestion" and action == "edited" and not fields.get("edited_text"):
            raise InvalidInput("an edited suggestion needs edited_text")
        if kind == "intent_correction" and not (
            fields.get("corrected_intent") and fields.get("text")
        ):
            raise InvalidInput("an intent correction needs corrected_intent and text (or turn_id)")
        if kind == "rating" and not (action == "rated" and fields.get("rating") is not None):
            raise InvalidInput('a rating needs action "rated" and rating (1-5)')
        if kind == "rating" and not fields.get("conversation_id"):
            raise InvalidInput("a rating needs the conversation_id it rates")
        if kind != "rating" and fields.get("rating") is not None:
            raise InvalidInput('rating is only for kind "rating"')
        placed = [fields.get("position") is not None, fields.get("propensity") is not None]
        if any(placed) and kind != "suggestion":
            raise InvalidInput('position and propensity are only for kind "suggestion"')
        if any(placed) and not all(placed):
            raise InvalidInput(
                "send position and propensity together, as the suggestion carried them"
            )
        corrected = fields.get("corrected_intent")
        if corrected is not None and self.labels is not None and corrected not in self.labels:
            raise InvalidInput(
                f"corrected_intent {corrected[:64]!r} is not one of the model's intents "
                "(GET /v1/intent/model lists them)"
            )
        for name in _TEXT_FIELDS:
            if fields.get(name):
                fields[name] = self.redact(fields[name])
        row = FeedbackRow(actor=actor, ts=utcnow(), **fields)
        with Session(self.engine) as s, s.begin():
            s.add(row)
            s.flush()
            return int(row.id)

    def all(self, kind: str | None = None) -> list[Feedback]:
        q = select(FeedbackRow).order_by(FeedbackRow.id)
        if kind:
            q = q.where(FeedbackRow.kind == kind)
        with Session(self.engine) as s:
            return [
                Feedback(
                    r.id,
                    r.kind,
                    r.action,
                    r.conversation_id,
                    r.turn_id,
                    r.actor,
                    r.suggestion_id,
                    r.text,
                    r.suggestion_text,
                    r.edited_text,
                    r.predicted_intent,
                    r.corrected_intent,
                    aware(r.ts) or r.ts,
                    r.rating,
                    r.resolved,
                    r.position,
                    r.propensity,
                )
                for r in s.scalars(q)
            ]

    def export_intents_csv(self) -> str:
        """Intent corrections as `text,label` (python -m intent train --data ...)."""
        out = io.StringIO()
        w = csv.writer(out)
        w.writerow(["text", "label"])
        for f in self.all("intent_correction"):
            if f.text.strip() and f.corrected_intent:
                w.writerow([csv_cell(f.text), csv_cell(f.corrected_intent)])
        return out.getvalue()

    def export_jsonl(self) -> str:
        return "".join(json.dumps(asdict(f) | {"ts": f.ts.isoformat()}) + "\n" for f in self.all())
