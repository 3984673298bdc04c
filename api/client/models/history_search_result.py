from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.related_event import RelatedEvent


T = TypeVar("T", bound="HistorySearchResult")


@_attrs_define
class HistorySearchResult:
    """
    Attributes:
        customer_id (str):
        hits (list[RelatedEvent]): the customer's own events and conversations first, then other customers' resolved
            cases (wrap-ups, without their customer id)
        warnings (list[str] | Unset): what could not be searched
    """

    customer_id: str
    hits: list[RelatedEvent]
    warnings: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        customer_id = self.customer_id

        hits = []
        for hits_item_data in self.hits:
            hits_item = hits_item_data.to_dict()
            hits.append(hits_item)

        warnings: list[str] | Unset = UNSET
        if not isinstance(self.warnings, Unset):
            warnings = self.warnings

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "customer_id": customer_id,
                "hits": hits,
            }
        )
        if warnings is not UNSET:
            field_dict["warnings"] = warnings

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.related_event import RelatedEvent

        d = dict(src_dict)
        customer_id = d.pop("customer_id")

        hits = []
        _hits = d.pop("hits")
        for hits_item_data in _hits:
            hits_item = RelatedEvent.from_dict(hits_item_data)

            hits.append(hits_item)

        warnings = cast(list[str], d.pop("warnings", UNSET))

        history_search_result = cls(
            customer_id=customer_id,
            hits=hits,
            warnings=warnings,
        )

        history_search_result.additional_properties = d
        return history_search_result

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
