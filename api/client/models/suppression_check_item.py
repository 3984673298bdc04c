from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.suppression_check_item_status import SuppressionCheckItemStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.suppression_reason import SuppressionReason


T = TypeVar("T", bound="SuppressionCheckItem")


@_attrs_define
class SuppressionCheckItem:
    """
    Attributes:
        customer_id (str):
        marketing_allowed (bool | None): null when unknown
        status (SuppressionCheckItemStatus): unknown: no such customer in the history (nothing is known of them)
        reasons (list[SuppressionReason] | Unset):
        until (datetime.datetime | None | Unset): when suppressed: allowed again then if nothing new happens; null: a
            reason has no end of its own (consent, open ticket, stage)
    """

    customer_id: str
    marketing_allowed: bool | None
    status: SuppressionCheckItemStatus
    reasons: list[SuppressionReason] | Unset = UNSET
    until: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        customer_id = self.customer_id

        marketing_allowed: bool | None
        marketing_allowed = self.marketing_allowed

        status = self.status.value

        reasons: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.reasons, Unset):
            reasons = []
            for reasons_item_data in self.reasons:
                reasons_item = reasons_item_data.to_dict()
                reasons.append(reasons_item)

        until: None | str | Unset
        if isinstance(self.until, Unset):
            until = UNSET
        elif isinstance(self.until, datetime.datetime):
            until = self.until.isoformat()
        else:
            until = self.until

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "customer_id": customer_id,
                "marketing_allowed": marketing_allowed,
                "status": status,
            }
        )
        if reasons is not UNSET:
            field_dict["reasons"] = reasons
        if until is not UNSET:
            field_dict["until"] = until

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.suppression_reason import SuppressionReason

        d = dict(src_dict)
        customer_id = d.pop("customer_id")

        def _parse_marketing_allowed(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        marketing_allowed = _parse_marketing_allowed(d.pop("marketing_allowed"))

        status = SuppressionCheckItemStatus(d.pop("status"))

        _reasons = d.pop("reasons", UNSET)
        reasons: list[SuppressionReason] | Unset = UNSET
        if _reasons is not UNSET:
            reasons = []
            for reasons_item_data in _reasons:
                reasons_item = SuppressionReason.from_dict(reasons_item_data)

                reasons.append(reasons_item)

        def _parse_until(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                until_type_0 = datetime.datetime.fromisoformat(data)

                return until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        until = _parse_until(d.pop("until", UNSET))

        suppression_check_item = cls(
            customer_id=customer_id,
            marketing_allowed=marketing_allowed,
            status=status,
            reasons=reasons,
            until=until,
        )

        suppression_check_item.additional_properties = d
        return suppression_check_item

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
