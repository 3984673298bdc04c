from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.item_result_public import ItemResultPublic


T = TypeVar("T", bound="BatchResultPublic")


@_attrs_define
class BatchResultPublic:
    """
    Attributes:
        created (int):
        duplicates (int): events already stored (idempotent on their id)
        errors (int):
        items (list[ItemResultPublic]): one per item, in the batch's order
        unchanged (int): customers / orders / tickets sent as already stored
        updated (int): customers / orders / tickets whose fields changed
    """

    created: int
    duplicates: int
    errors: int
    items: list[ItemResultPublic]
    unchanged: int
    updated: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created = self.created

        duplicates = self.duplicates

        errors = self.errors

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        unchanged = self.unchanged

        updated = self.updated

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created": created,
                "duplicates": duplicates,
                "errors": errors,
                "items": items,
                "unchanged": unchanged,
                "updated": updated,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.item_result_public import ItemResultPublic

        d = dict(src_dict)
        created = d.pop("created")

        duplicates = d.pop("duplicates")

        errors = d.pop("errors")

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = ItemResultPublic.from_dict(items_item_data)

            items.append(items_item)

        unchanged = d.pop("unchanged")

        updated = d.pop("updated")

        batch_result_public = cls(
            created=created,
            duplicates=duplicates,
            errors=errors,
            items=items,
            unchanged=unchanged,
            updated=updated,
        )

        batch_result_public.additional_properties = d
        return batch_result_public

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
