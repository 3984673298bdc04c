from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CustomerWrote")


@_attrs_define
class CustomerWrote:
    """A customer wrote in a conversation waiting for or owned by a person.

    Attributes:
        conversation_id (None | str | Unset):
        id (str | Unset): stable: receivers de-duplicate on it
        ts (datetime.datetime | Unset):
        type_ (Literal['customer_message'] | Unset):  Default: 'customer_message'.
    """

    conversation_id: None | str | Unset = UNSET
    id: str | Unset = UNSET
    ts: datetime.datetime | Unset = UNSET
    type_: Literal["customer_message"] | Unset = "customer_message"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        conversation_id: None | str | Unset
        if isinstance(self.conversation_id, Unset):
            conversation_id = UNSET
        else:
            conversation_id = self.conversation_id

        id = self.id

        ts: str | Unset = UNSET
        if not isinstance(self.ts, Unset):
            ts = self.ts.isoformat()

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if conversation_id is not UNSET:
            field_dict["conversation_id"] = conversation_id
        if id is not UNSET:
            field_dict["id"] = id
        if ts is not UNSET:
            field_dict["ts"] = ts
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_conversation_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        conversation_id = _parse_conversation_id(d.pop("conversation_id", UNSET))

        id = d.pop("id", UNSET)

        _ts = d.pop("ts", UNSET)
        ts: datetime.datetime | Unset
        if isinstance(_ts, Unset):
            ts = UNSET
        else:
            ts = datetime.datetime.fromisoformat(_ts)

        type_ = cast(Literal["customer_message"] | Unset, d.pop("type", UNSET))
        if type_ != "customer_message" and not isinstance(type_, Unset):
            raise ValueError(f"type must match const 'customer_message', got '{type_}'")

        customer_wrote = cls(
            conversation_id=conversation_id,
            id=id,
            ts=ts,
            type_=type_,
        )

        customer_wrote.additional_properties = d
        return customer_wrote

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
