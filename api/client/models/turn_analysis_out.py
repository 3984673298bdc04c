from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.turn_analysis_out_language import TurnAnalysisOutLanguage
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.entity_out import EntityOut
    from ..models.intent_info import IntentInfo
    from ..models.sentiment_out import SentimentOut


T = TypeVar("T", bound="TurnAnalysisOut")


@_attrs_define
class TurnAnalysisOut:
    """What the classifier read in one customer turn.

    Attributes:
        intent (IntentInfo):
        sentiment (SentimentOut):
        entities (list[EntityOut] | Unset):
        language (TurnAnalysisOutLanguage | Unset): the turn's language (its script): en or zh Default:
            TurnAnalysisOutLanguage.EN.
    """

    intent: IntentInfo
    sentiment: SentimentOut
    entities: list[EntityOut] | Unset = UNSET
    language: TurnAnalysisOutLanguage | Unset = TurnAnalysisOutLanguage.EN
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        intent = self.intent.to_dict()

        sentiment = self.sentiment.to_dict()

        entities: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.entities, Unset):
            entities = []
            for entities_item_data in self.entities:
                entities_item = entities_item_data.to_dict()
                entities.append(entities_item)

        language: str | Unset = UNSET
        if not isinstance(self.language, Unset):
            language = self.language.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "intent": intent,
                "sentiment": sentiment,
            }
        )
        if entities is not UNSET:
            field_dict["entities"] = entities
        if language is not UNSET:
            field_dict["language"] = language

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.entity_out import EntityOut
        from ..models.intent_info import IntentInfo
        from ..models.sentiment_out import SentimentOut

        d = dict(src_dict)
        intent = IntentInfo.from_dict(d.pop("intent"))

        sentiment = SentimentOut.from_dict(d.pop("sentiment"))

        _entities = d.pop("entities", UNSET)
        entities: list[EntityOut] | Unset = UNSET
        if _entities is not UNSET:
            entities = []
            for entities_item_data in _entities:
                entities_item = EntityOut.from_dict(entities_item_data)

                entities.append(entities_item)

        _language = d.pop("language", UNSET)
        language: TurnAnalysisOutLanguage | Unset
        if isinstance(_language, Unset):
            language = UNSET
        else:
            language = TurnAnalysisOutLanguage(_language)

        turn_analysis_out = cls(
            intent=intent,
            sentiment=sentiment,
            entities=entities,
            language=language,
        )

        turn_analysis_out.additional_properties = d
        return turn_analysis_out

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
