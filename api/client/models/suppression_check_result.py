from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.suppression_check_item import SuppressionCheckItem


T = TypeVar("T", bound="SuppressionCheckResult")


@_attrs_define
class SuppressionCheckResult:
    """One item per requested id, in the request's order.

    Attributes:
        allowed (int):
        checked_at (datetime.datetime):
        items (list[SuppressionCheckItem]):
        suppressed (int):
        unknown (int):
    """

    allowed: int
    checked_at: datetime.datetime
    items: list[SuppressionCheckItem]
    suppressed: int
    unknown: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        allowed = self.allowed

        checked_at = self.checked_at.isoformat()

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        suppressed = self.suppressed

        unknown = self.unknown

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "allowed": allowed,
                "checked_at": checked_at,
                "items": items,
                "suppressed": suppressed,
                "unknown": unknown,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.suppression_check_item import SuppressionCheckItem

        d = dict(src_dict)
        allowed = d.pop("allowed")

        checked_at = datetime.datetime.fromisoformat(d.pop("checked_at"))

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = SuppressionCheckItem.from_dict(items_item_data)

            items.append(items_item)

        suppressed = d.pop("suppressed")

        unknown = d.pop("unknown")

        suppression_check_result = cls(
            allowed=allowed,
            checked_at=checked_at,
            items=items,
            suppressed=suppressed,
            unknown=unknown,
        )

        suppression_check_result.additional_properties = d
        return suppression_check_result

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
