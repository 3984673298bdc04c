from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RasaEntity")


@_attrs_define
class RasaEntity:
    """
    Attributes:
        end (int):
        entity (str):
        start (int):
        value (str):
        confidence_entity (float | Unset):  Default: 1.0.
        extractor (str | Unset):  Default: 'agent-assist'.
    """

    end: int
    entity: str
    start: int
    value: str
    confidence_entity: float | Unset = 1.0
    extractor: str | Unset = "agent-assist"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        end = self.end

        entity = self.entity

        start = self.start

        value = self.value

        confidence_entity = self.confidence_entity

        extractor = self.extractor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "end": end,
                "entity": entity,
                "start": start,
                "value": value,
            }
        )
        if confidence_entity is not UNSET:
            field_dict["confidence_entity"] = confidence_entity
        if extractor is not UNSET:
            field_dict["extractor"] = extractor

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        end = d.pop("end")

        entity = d.pop("entity")

        start = d.pop("start")

        value = d.pop("value")

        confidence_entity = d.pop("confidence_entity", UNSET)

        extractor = d.pop("extractor", UNSET)

        rasa_entity = cls(
            end=end,
            entity=entity,
            start=start,
            value=value,
            confidence_entity=confidence_entity,
            extractor=extractor,
        )

        rasa_entity.additional_properties = d
        return rasa_entity

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
