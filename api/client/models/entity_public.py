from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="EntityPublic")


@_attrs_define
class EntityPublic:
    """
    Attributes:
        end (int):
        start (int):
        type_ (str):
        value (str):
        normalized (None | str | Unset):
    """

    end: int
    start: int
    type_: str
    value: str
    normalized: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        end = self.end

        start = self.start

        type_ = self.type_

        value = self.value

        normalized: None | str | Unset
        if isinstance(self.normalized, Unset):
            normalized = UNSET
        else:
            normalized = self.normalized

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "end": end,
                "start": start,
                "type": type_,
                "value": value,
            }
        )
        if normalized is not UNSET:
            field_dict["normalized"] = normalized

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        end = d.pop("end")

        start = d.pop("start")

        type_ = d.pop("type")

        value = d.pop("value")

        def _parse_normalized(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        normalized = _parse_normalized(d.pop("normalized", UNSET))

        entity_public = cls(
            end=end,
            start=start,
            type_=type_,
            value=value,
            normalized=normalized,
        )

        entity_public.additional_properties = d
        return entity_public

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
