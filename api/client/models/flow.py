from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Flow")


@_attrs_define
class Flow:
    """
    Attributes:
        customers (int):
        from_stage (str): the stage of the customer's first conversation
        to_stage (str): the customer's stage at the end of the period
    """

    customers: int
    from_stage: str
    to_stage: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        customers = self.customers

        from_stage = self.from_stage

        to_stage = self.to_stage

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "customers": customers,
                "from_stage": from_stage,
                "to_stage": to_stage,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        customers = d.pop("customers")

        from_stage = d.pop("from_stage")

        to_stage = d.pop("to_stage")

        flow = cls(
            customers=customers,
            from_stage=from_stage,
            to_stage=to_stage,
        )

        flow.additional_properties = d
        return flow

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
