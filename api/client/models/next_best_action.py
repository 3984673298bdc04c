from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.suppression_reason import SuppressionReason


T = TypeVar("T", bound="NextBestAction")


@_attrs_define
class NextBestAction:
    """
    Attributes:
        action (str):
        handoff (bool): the rule asks for a person
        marketing_allowed (bool):
        rule (str): id of the rule that decided it
        marketing_reasons (list[str] | Unset): why marketing is suppressed now
        marketing_until (datetime.datetime | None | Unset): as in the customer context; null: allowed or no end
        suppression_reasons (list[SuppressionReason] | Unset): the customer context's reasons plus the turn's
            frustration, typed
    """

    action: str
    handoff: bool
    marketing_allowed: bool
    rule: str
    marketing_reasons: list[str] | Unset = UNSET
    marketing_until: datetime.datetime | None | Unset = UNSET
    suppression_reasons: list[SuppressionReason] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action = self.action

        handoff = self.handoff

        marketing_allowed = self.marketing_allowed

        rule = self.rule

        marketing_reasons: list[str] | Unset = UNSET
        if not isinstance(self.marketing_reasons, Unset):
            marketing_reasons = self.marketing_reasons

        marketing_until: None | str | Unset
        if isinstance(self.marketing_until, Unset):
            marketing_until = UNSET
        elif isinstance(self.marketing_until, datetime.datetime):
            marketing_until = self.marketing_until.isoformat()
        else:
            marketing_until = self.marketing_until

        suppression_reasons: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.suppression_reasons, Unset):
            suppression_reasons = []
            for suppression_reasons_item_data in self.suppression_reasons:
                suppression_reasons_item = suppression_reasons_item_data.to_dict()
                suppression_reasons.append(suppression_reasons_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "handoff": handoff,
                "marketing_allowed": marketing_allowed,
                "rule": rule,
            }
        )
        if marketing_reasons is not UNSET:
            field_dict["marketing_reasons"] = marketing_reasons
        if marketing_until is not UNSET:
            field_dict["marketing_until"] = marketing_until
        if suppression_reasons is not UNSET:
            field_dict["suppression_reasons"] = suppression_reasons

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.suppression_reason import SuppressionReason

        d = dict(src_dict)
        action = d.pop("action")

        handoff = d.pop("handoff")

        marketing_allowed = d.pop("marketing_allowed")

        rule = d.pop("rule")

        marketing_reasons = cast(list[str], d.pop("marketing_reasons", UNSET))

        def _parse_marketing_until(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                marketing_until_type_0 = datetime.datetime.fromisoformat(data)

                return marketing_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        marketing_until = _parse_marketing_until(d.pop("marketing_until", UNSET))

        _suppression_reasons = d.pop("suppression_reasons", UNSET)
        suppression_reasons: list[SuppressionReason] | Unset = UNSET
        if _suppression_reasons is not UNSET:
            suppression_reasons = []
            for suppression_reasons_item_data in _suppression_reasons:
                suppression_reasons_item = SuppressionReason.from_dict(
                    suppression_reasons_item_data
                )

                suppression_reasons.append(suppression_reasons_item)

        next_best_action = cls(
            action=action,
            handoff=handoff,
            marketing_allowed=marketing_allowed,
            rule=rule,
            marketing_reasons=marketing_reasons,
            marketing_until=marketing_until,
            suppression_reasons=suppression_reasons,
        )

        next_best_action.additional_properties = d
        return next_best_action

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
