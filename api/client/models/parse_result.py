from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.rasa_entity import RasaEntity
    from ..models.rasa_intent import RasaIntent


T = TypeVar("T", bound="ParseResult")


@_attrs_define
class ParseResult:
    """Rasa 3.x's parse result: `intent`, `intent_ranking`, `entities`, `text`.

    Attributes:
        entities (list[RasaEntity]):
        intent (RasaIntent):
        intent_ranking (list[RasaIntent]):
        text (str):
        message_id (None | str | Unset):
    """

    entities: list[RasaEntity]
    intent: RasaIntent
    intent_ranking: list[RasaIntent]
    text: str
    message_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        entities = []
        for entities_item_data in self.entities:
            entities_item = entities_item_data.to_dict()
            entities.append(entities_item)

        intent = self.intent.to_dict()

        intent_ranking = []
        for intent_ranking_item_data in self.intent_ranking:
            intent_ranking_item = intent_ranking_item_data.to_dict()
            intent_ranking.append(intent_ranking_item)

        text = self.text

        message_id: None | str | Unset
        if isinstance(self.message_id, Unset):
            message_id = UNSET
        else:
            message_id = self.message_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "entities": entities,
                "intent": intent,
                "intent_ranking": intent_ranking,
                "text": text,
            }
        )
        if message_id is not UNSET:
            field_dict["message_id"] = message_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.rasa_entity import RasaEntity
        from ..models.rasa_intent import RasaIntent

        d = dict(src_dict)
        entities = []
        _entities = d.pop("entities")
        for entities_item_data in _entities:
            entities_item = RasaEntity.from_dict(entities_item_data)

            entities.append(entities_item)

        intent = RasaIntent.from_dict(d.pop("intent"))

        intent_ranking = []
        _intent_ranking = d.pop("intent_ranking")
        for intent_ranking_item_data in _intent_ranking:
            intent_ranking_item = RasaIntent.from_dict(intent_ranking_item_data)

            intent_ranking.append(intent_ranking_item)

        text = d.pop("text")

        def _parse_message_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        message_id = _parse_message_id(d.pop("message_id", UNSET))

        parse_result = cls(
            entities=entities,
            intent=intent,
            intent_ranking=intent_ranking,
            text=text,
            message_id=message_id,
        )

        parse_result.additional_properties = d
        return parse_result

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
