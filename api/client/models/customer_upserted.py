from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.customer_upserted_status import CustomerUpsertedStatus

if TYPE_CHECKING:
    from ..models.customer_public import CustomerPublic


T = TypeVar("T", bound="CustomerUpserted")


@_attrs_define
class CustomerUpserted:
    """
    Attributes:
        customer (CustomerPublic):
        status (CustomerUpsertedStatus): created (201), updated or unchanged (the same record was already stored)
    """

    customer: CustomerPublic
    status: CustomerUpsertedStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        customer = self.customer.to_dict()

        status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "customer": customer,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.customer_public import CustomerPublic

        d = dict(src_dict)
        customer = CustomerPublic.from_dict(d.pop("customer"))

        status = CustomerUpsertedStatus(d.pop("status"))

        customer_upserted = cls(
            customer=customer,
            status=status,
        )

        customer_upserted.additional_properties = d
        return customer_upserted

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
