from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.intent_public_language import IntentPublicLanguage
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.entity_public import EntityPublic
    from ..models.ranked_intent_public import RankedIntentPublic
    from ..models.sentiment_public import SentimentPublic


T = TypeVar("T", bound="IntentPublic")


@_attrs_define
class IntentPublic:
    """
    Attributes:
        confidence (float): calibrated probability of the top in-scope intent
        entities (list[EntityPublic]):
        intent (str): top intent, or the out-of-scope label
        out_of_scope (bool):
        ranking (list[RankedIntentPublic]):
        sentiment (SentimentPublic):
        text (str):
        language (IntentPublicLanguage | Unset): the turn's language, read from its script Default:
            IntentPublicLanguage.EN.
    """

    confidence: float
    entities: list[EntityPublic]
    intent: str
    out_of_scope: bool
    ranking: list[RankedIntentPublic]
    sentiment: SentimentPublic
    text: str
    language: IntentPublicLanguage | Unset = IntentPublicLanguage.EN
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        confidence = self.confidence

        entities = []
        for entities_item_data in self.entities:
            entities_item = entities_item_data.to_dict()
            entities.append(entities_item)

        intent = self.intent

        out_of_scope = self.out_of_scope

        ranking = []
        for ranking_item_data in self.ranking:
            ranking_item = ranking_item_data.to_dict()
            ranking.append(ranking_item)

        sentiment = self.sentiment.to_dict()

        text = self.text

        language: str | Unset = UNSET
        if not isinstance(self.language, Unset):
            language = self.language.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "confidence": confidence,
                "entities": entities,
                "intent": intent,
                "out_of_scope": out_of_scope,
                "ranking": ranking,
                "sentiment": sentiment,
                "text": text,
            }
        )
        if language is not UNSET:
            field_dict["language"] = language

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.entity_public import EntityPublic
        from ..models.ranked_intent_public import RankedIntentPublic
        from ..models.sentiment_public import SentimentPublic

        d = dict(src_dict)
        confidence = d.pop("confidence")

        entities = []
        _entities = d.pop("entities")
        for entities_item_data in _entities:
            entities_item = EntityPublic.from_dict(entities_item_data)

            entities.append(entities_item)

        intent = d.pop("intent")

        out_of_scope = d.pop("out_of_scope")

        ranking = []
        _ranking = d.pop("ranking")
        for ranking_item_data in _ranking:
            ranking_item = RankedIntentPublic.from_dict(ranking_item_data)

            ranking.append(ranking_item)

        sentiment = SentimentPublic.from_dict(d.pop("sentiment"))

        text = d.pop("text")

        _language = d.pop("language", UNSET)
        language: IntentPublicLanguage | Unset
        if isinstance(_language, Unset):
            language = UNSET
        else:
            language = IntentPublicLanguage(_language)

        intent_public = cls(
            confidence=confidence,
            entities=entities,
            intent=intent,
            out_of_scope=out_of_scope,
            ranking=ranking,
            sentiment=sentiment,
            text=text,
            language=language,
        )

        intent_public.additional_properties = d
        return intent_public

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
