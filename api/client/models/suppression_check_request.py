from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="SuppressionCheckRequest")


@_attrs_define
class SuppressionCheckRequest:
    """
    Attributes:
        customer_ids (list[str]): up to 1000 customer ids (more: 413)
    """

    customer_ids: list[str]

    def to_dict(self) -> dict[str, Any]:
        customer_ids = self.customer_ids

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "customer_ids": customer_ids,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        customer_ids = cast(list[str], d.pop("customer_ids"))

        suppression_check_request = cls(
            customer_ids=customer_ids,
        )

        return suppression_check_request
