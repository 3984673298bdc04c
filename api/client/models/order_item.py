from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="OrderItem")


@_attrs_define
class OrderItem:
    """
    Attributes:
        name (str):
        sku (str):
        category (None | str | Unset):
        price (float | Unset):  Default: 0.0.
        qty (int | Unset):  Default: 1.
    """

    name: str
    sku: str
    category: None | str | Unset = UNSET
    price: float | Unset = 0.0
    qty: int | Unset = 1

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        sku = self.sku

        category: None | str | Unset
        if isinstance(self.category, Unset):
            category = UNSET
        else:
            category = self.category

        price = self.price

        qty = self.qty

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "sku": sku,
            }
        )
        if category is not UNSET:
            field_dict["category"] = category
        if price is not UNSET:
            field_dict["price"] = price
        if qty is not UNSET:
            field_dict["qty"] = qty

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name")

        sku = d.pop("sku")

        def _parse_category(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        category = _parse_category(d.pop("category", UNSET))

        price = d.pop("price", UNSET)

        qty = d.pop("qty", UNSET)

        order_item = cls(
            name=name,
            sku=sku,
            category=category,
            price=price,
            qty=qty,
        )

        return order_item
