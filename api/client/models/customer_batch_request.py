from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.customer_batch_request_customers_item import (
        CustomerBatchRequestCustomersItem,
    )


T = TypeVar("T", bound="CustomerBatchRequest")


@_attrs_define
class CustomerBatchRequest:
    """
    Attributes:
        customers (list[CustomerBatchRequestCustomersItem]): up to 1000 customers (CustomerIn, id required); validated
            one by one
    """

    customers: list[CustomerBatchRequestCustomersItem]

    def to_dict(self) -> dict[str, Any]:
        customers = []
        for customers_item_data in self.customers:
            customers_item = customers_item_data.to_dict()
            customers.append(customers_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "customers": customers,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.customer_batch_request_customers_item import (
            CustomerBatchRequestCustomersItem,
        )

        d = dict(src_dict)
        customers = []
        _customers = d.pop("customers")
        for customers_item_data in _customers:
            customers_item = CustomerBatchRequestCustomersItem.from_dict(
                customers_item_data
            )

            customers.append(customers_item)

        customer_batch_request = cls(
            customers=customers,
        )

        return customer_batch_request
