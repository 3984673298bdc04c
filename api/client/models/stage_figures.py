from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="StageFigures")


@_attrs_define
class StageFigures:
    """
    Attributes:
        conversations (int): started while the customer was in this stage
        customers (int): followed customers whose first conversation of the period started here
        left (int): of those, in another stage at the end
        stage (str):
        stayed (int): of those, still in this stage at the end of the period
    """

    conversations: int
    customers: int
    left: int
    stage: str
    stayed: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        conversations = self.conversations

        customers = self.customers

        left = self.left

        stage = self.stage

        stayed = self.stayed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "conversations": conversations,
                "customers": customers,
                "left": left,
                "stage": stage,
                "stayed": stayed,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        conversations = d.pop("conversations")

        customers = d.pop("customers")

        left = d.pop("left")

        stage = d.pop("stage")

        stayed = d.pop("stayed")

        stage_figures = cls(
            conversations=conversations,
            customers=customers,
            left=left,
            stage=stage,
            stayed=stayed,
        )

        stage_figures.additional_properties = d
        return stage_figures

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
