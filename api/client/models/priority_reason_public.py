from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.priority_reason_public_name import PriorityReasonPublicName

T = TypeVar("T", bound="PriorityReasonPublic")


@_attrs_define
class PriorityReasonPublic:
    """One contribution to a waiting conversation's priority.

    Attributes:
        detail (str): for a person, e.g. "frustrated (0.82)", "gold tier"
        name (PriorityReasonPublicName):
        points (float): what it adds to the priority
    """

    detail: str
    name: PriorityReasonPublicName
    points: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        detail = self.detail

        name = self.name.value

        points = self.points

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "detail": detail,
                "name": name,
                "points": points,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        detail = d.pop("detail")

        name = PriorityReasonPublicName(d.pop("name"))

        points = d.pop("points")

        priority_reason_public = cls(
            detail=detail,
            name=name,
            points=points,
        )

        priority_reason_public.additional_properties = d
        return priority_reason_public

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
