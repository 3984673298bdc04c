"""Skills: which queue a waiting conversation is in, from its intents. `data/queue.yml`'s
`skills` maps each queue (a skill agents have) to the intents it takes; an intent no
queue names goes to `general`, which every agent serves. Checked at start-up with the
rest of the file (`QueueWeights.load`: a malformed map stops the service, naming the
file); intents the running intent model does not know are only logged as warnings
(`SkillMap.unknown`): a retrained model may drop a label, and refusing to start then
would take the whole service down for a routing detail."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

GENERAL = "general"
log = logging.getLogger("api.skills")
QUEUE_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
# what a customer says on the way to a person, not what they need: never routes
NOT_A_TOPIC = frozenset(
    {
        "out_of_scope",
        "contact_human_agent",
        "contact_customer_service",
        "greet",
        "goodbye",
        "thank_you",
        "affirm",
        "deny",
    }
)


class SkillConfigError(ValueError):
    """The `skills` mapping of data/queue.yml is malformed."""


@dataclass(frozen=True, slots=True)
class SkillMap:
    """intent -> queue; `queues`: every queue name, `general` included, in file order."""

    by_intent: Mapping[str, str] = field(default_factory=dict)
    queues: tuple[str, ...] = (GENERAL,)

    @classmethod
    def from_dict(cls, doc: Any) -> SkillMap:
        """`{queue: [intent, ...]}`; raises SkillConfigError saying what is wrong."""
        if doc is None:
            return cls()
        if not isinstance(doc, dict):
            raise SkillConfigError("skills must map each queue to a list of intents")
        by_intent: dict[str, str] = {}
        queues: list[str] = []
        for queue, intents in doc.items():
            name = str(queue)
            if not QUEUE_NAME.match(name):
                raise SkillConfigError(
                    f"skills: queue name {name!r} must be 1-32 lower-case letters, digits, _ -"
                )
            if not isinstance(intents, list) or not all(isinstance(i, str) for i in intents):
                raise SkillConfigError(f"skills.{name} must be a list of intent names")
            for intent in intents:
                if intent in by_intent and by_intent[intent] != name:
                    raise SkillConfigError(
                        f"skills: intent {intent!r} is in both {by_intent[intent]!r} and {name!r}"
                    )
                by_intent[intent] = name
            queues.append(name)
        if GENERAL not in queues:
            queues.append(GENERAL)
        return cls(by_intent, tuple(queues))

    def queue_of(self, intents_latest_first: Iterable[str | None]) -> str:
        """The queue of the latest intent that names a topic a queue takes; else general
        (a customer who ends with "a person, please" after "my refund" waits in billing)."""
        for intent in intents_latest_first:
            if intent and intent not in NOT_A_TOPIC and intent in self.by_intent:
                return self.by_intent[intent]
        return GENERAL

    def unknown(self, labels: Iterable[str]) -> list[str]:
        """The mapped intents that are not labels of the intent model, sorted."""
        known = set(labels)
        return sorted(i for i in self.by_intent if i not in known)

    def warn_unknown(self, labels: Iterable[str]) -> list[str]:
        """Log (a warning, not a refusal) the mapped intents the model does not know."""
        unknown = self.unknown(labels)
        if unknown:
            log.warning(
                "data/queue.yml skills: %d intent(s) the intent model does not know, "
                "never routed: %s",
                len(unknown),
                ", ".join(unknown),
            )
        return unknown

    def check(self, queue: str) -> bool:
        return queue in self.queues
