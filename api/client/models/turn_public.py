from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.turn_public_attributes import TurnPublicAttributes


T = TypeVar("T", bound="TurnPublic")


@_attrs_define
class TurnPublic:
    """
    Attributes:
        id (str):
        role (str): customer / bot / agent / system
        text (str):
        ts (datetime.datetime):
        attributes (TurnPublicAttributes | Unset):
        intent (None | str | Unset):
    """

    id: str
    role: str
    text: str
    ts: datetime.datetime
    attributes: TurnPublicAttributes | Unset = UNSET
    intent: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        role = self.role

        text = self.text

        ts = self.ts.isoformat()

        attributes: dict[str, Any] | Unset = UNSET
        if not isinstance(self.attributes, Unset):
            attributes = self.attributes.to_dict()

        intent: None | str | Unset
        if isinstance(self.intent, Unset):
            intent = UNSET
        else:
            intent = self.intent

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "role": role,
                "text": text,
                "ts": ts,
            }
        )
        if attributes is not UNSET:
            field_dict["attributes"] = attributes
        if intent is not UNSET:
            field_dict["intent"] = intent

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.turn_public_attributes import TurnPublicAttributes

        d = dict(src_dict)
        id = d.pop("id")

        role = d.pop("role")

        text = d.pop("text")

        ts = datetime.datetime.fromisoformat(d.pop("ts"))

        _attributes = d.pop("attributes", UNSET)
        attributes: TurnPublicAttributes | Unset
        if isinstance(_attributes, Unset):
            attributes = UNSET
        else:
            attributes = TurnPublicAttributes.from_dict(_attributes)

        def _parse_intent(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        intent = _parse_intent(d.pop("intent", UNSET))

        turn_public = cls(
            id=id,
            role=role,
            text=text,
            ts=ts,
            attributes=attributes,
            intent=intent,
        )

        turn_public.additional_properties = d
        return turn_public

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
