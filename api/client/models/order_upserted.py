from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.order_upserted_status import OrderUpsertedStatus

if TYPE_CHECKING:
    from ..models.order_record import OrderRecord


T = TypeVar("T", bound="OrderUpserted")


@_attrs_define
class OrderUpserted:
    """
    Attributes:
        order (OrderRecord): An order as stored (`PUT /v1/orders/{id}` answers it).
        status (OrderUpsertedStatus): created (201), updated or unchanged (the same record was already stored)
    """

    order: OrderRecord
    status: OrderUpsertedStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        order = self.order.to_dict()

        status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "order": order,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.order_record import OrderRecord

        d = dict(src_dict)
        order = OrderRecord.from_dict(d.pop("order"))

        status = OrderUpsertedStatus(d.pop("status"))

        order_upserted = cls(
            order=order,
            status=status,
        )

        order_upserted.additional_properties = d
        return order_upserted

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
