from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.order_batch_request_orders_item import OrderBatchRequestOrdersItem


T = TypeVar("T", bound="OrderBatchRequest")


@_attrs_define
class OrderBatchRequest:
    """
    Attributes:
        orders (list[OrderBatchRequestOrdersItem]): up to 1000 orders (OrderIn, id required); validated one by one
    """

    orders: list[OrderBatchRequestOrdersItem]

    def to_dict(self) -> dict[str, Any]:
        orders = []
        for orders_item_data in self.orders:
            orders_item = orders_item_data.to_dict()
            orders.append(orders_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "orders": orders,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.order_batch_request_orders_item import OrderBatchRequestOrdersItem

        d = dict(src_dict)
        orders = []
        _orders = d.pop("orders")
        for orders_item_data in _orders:
            orders_item = OrderBatchRequestOrdersItem.from_dict(orders_item_data)

            orders.append(orders_item)

        order_batch_request = cls(
            orders=orders,
        )

        return order_batch_request
