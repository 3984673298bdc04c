"""The bot's NLU: the product's own intent classifier, so the bot and agent assist share
one model.

The API classifies every customer turn before it asks the bot, and sends that analysis in
the REST message's metadata (`intent`, `confidence`, `out_of_scope`, `intent_ranking`,
`entities`, `language`): this component then uses it as is, with no second model pass. A
message without it (Rasa's own HTTP API, `rasa shell`, `rasa test`) is classified by
`POST {AGENT_ASSIST_URL}/v1/intent`.

The analysis's `language` ("en" or "zh"; "en" when missing or not one the bot serves)
becomes a `language` entity, which fills the `language` slot that the responses and the
actions answer in (domain.yml, actions/wording.py).

If the intent service cannot be reached or fails, the message gets the intent
`nlu_fallback` with confidence 0 and an `nlu_error` entity saying why; the bot's fallback
action then hands the conversation to a person. This component never raises.
"""

from __future__ import annotations

import logging
import os
from typing import Any, Dict, List

import requests
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_RANKING_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

log = logging.getLogger(__name__)

FALLBACK_INTENT = "nlu_fallback"
OOS_INTENT = "out_of_scope"
ERROR_ENTITY = "nlu_error"
LANGUAGE_ENTITY = "language"
LANGUAGES = ("en", "zh")  # the languages the bot answers in (actions/wording.py LANGUAGES)
DEFAULT_LANGUAGE = "en"
SERVICE_DOWN = "intent service unavailable"
# product entity types the bot may see; card numbers never enter the tracker
ENTITY_TYPES = frozenset(
    {"order_number", "invoice_number", "tracking_number", "email", "date", "amount", "phone_number"}
)


def _intent(name: str, confidence: float) -> Dict[str, Any]:
    return {"name": name, "confidence": float(confidence)}


def language_of(analysis: Dict[str, Any]) -> str:
    """The analysis's language: "zh" for "zh" / "zh-CN" / "ZH_hans", the default ("en")
    when missing or not served."""
    code = str(analysis.get("language") or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def to_rasa(analysis: Dict[str, Any]) -> Dict[str, Any]:
    """The product's analysis (the API's metadata or its /v1/intent answer) as Rasa's
    `intent`, `intent_ranking` and `entities` (the product's, then the `language` one).

    An out-of-scope turn becomes Rasa's `out_of_scope` intent, with confidence 1 minus the
    best in-scope confidence, so the FallbackClassifier does not turn a clear "that is not
    something we do" into "I did not understand"."""
    name = str(analysis["intent"])
    confidence = float(analysis.get("confidence", 0.0))
    ranking = [
        _intent(str(r["name"]), float(r["confidence"]))
        for r in analysis.get("intent_ranking", analysis.get("ranking", [])) or []
    ]
    if analysis.get("out_of_scope") or name == OOS_INTENT:
        best = max((r["confidence"] for r in ranking), default=0.0)
        top = _intent(OOS_INTENT, max(0.0, 1.0 - best))
    else:
        top = _intent(name, confidence)
    ranking = [top] + [r for r in ranking if r["name"] != top["name"]]
    entities = []
    for e in analysis.get("entities", []) or []:
        kind = str(e.get("type") or e.get("entity") or "")
        if kind not in ENTITY_TYPES:
            continue
        entities.append(
            {
                "entity": kind,
                "value": e.get("normalized") or e.get("value"),
                "start": e.get("start"),
                "end": e.get("end"),
                "confidence_entity": 1.0,
                "extractor": "ProductIntentClassifier",
            }
        )
    entities.append(
        {
            "entity": LANGUAGE_ENTITY,
            "value": language_of(analysis),
            "confidence_entity": 1.0,
            "extractor": "ProductIntentClassifier",
        }
    )
    return {"intent": top, "intent_ranking": ranking, "entities": entities}


def unavailable(reason: str) -> Dict[str, Any]:
    """No analysis: `nlu_fallback` and the reason, and no language entity, so the
    conversation keeps the language it had."""
    return {
        "intent": _intent(FALLBACK_INTENT, 0.0),
        "intent_ranking": [_intent(FALLBACK_INTENT, 0.0)],
        "entities": [
            {
                "entity": ERROR_ENTITY,
                "value": reason,
                "confidence_entity": 1.0,
                "extractor": "ProductIntentClassifier",
            }
        ],
    }


@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER,
        DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR,
    ],
    is_trainable=False,
)
class ProductIntentClassifier(GraphComponent):
    """Intent, ranking and entities from the product's classifier (see module doc)."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "url": None,  # default: $AGENT_ASSIST_URL or http://127.0.0.1:8000
            "api_key": None,  # default: $AGENT_ASSIST_BOT_KEY or the demo key
            "timeout_s": 3.0,
        }

    def __init__(self, config: Dict[str, Any]) -> None:
        self.url = (
            config.get("url") or os.environ.get("AGENT_ASSIST_URL") or "http://127.0.0.1:8000"
        ).rstrip("/")
        self.api_key = (
            config.get("api_key") or os.environ.get("AGENT_ASSIST_BOT_KEY") or "demo-assist-key"
        )
        self.timeout_s = float(config.get("timeout_s") or 3.0)
        if self.timeout_s <= 0:
            raise ValueError("timeout_s must be positive")
        self._session: requests.Session | None = None

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ProductIntentClassifier:
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data  # nothing to learn: the product's model is trained elsewhere

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not text.strip():  # e.g. an /intent shortcut: Rasa parses those itself
                continue
            metadata = message.get("metadata") or {}
            if isinstance(metadata, dict) and metadata.get("intent"):
                parsed = to_rasa(metadata)
            else:
                parsed = self._classify(text)
            message.set(INTENT, parsed["intent"], add_to_output=True)
            message.set(INTENT_RANKING_KEY, parsed["intent_ranking"], add_to_output=True)
            message.set(
                ENTITIES, (message.get(ENTITIES) or []) + parsed["entities"], add_to_output=True
            )
        return messages

    def _classify(self, text: str) -> Dict[str, Any]:
        if self._session is None:
            self._session = requests.Session()
        try:
            r = self._session.post(
                f"{self.url}/v1/intent",
                json={"text": text[:2000]},
                headers={"Authorization": f"Bearer {self.api_key}"},
                timeout=self.timeout_s,
            )
            r.raise_for_status()
            return to_rasa(r.json())
        except (requests.RequestException, ValueError, KeyError, TypeError) as exc:
            log.warning("%s (%s): %s", SERVICE_DOWN, self.url, exc)
            return unavailable(SERVICE_DOWN)
