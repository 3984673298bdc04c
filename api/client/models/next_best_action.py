from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

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
    """

    action: str
    handoff: bool
    marketing_allowed: bool
    rule: str
    marketing_reasons: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action = self.action

        handoff = self.handoff

        marketing_allowed = self.marketing_allowed

        rule = self.rule

        marketing_reasons: list[str] | Unset = UNSET
        if not isinstance(self.marketing_reasons, Unset):
            marketing_reasons = self.marketing_reasons

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

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        action = d.pop("action")

        handoff = d.pop("handoff")

        marketing_allowed = d.pop("marketing_allowed")

        rule = d.pop("rule")

        marketing_reasons = cast(list[str], d.pop("marketing_reasons", UNSET))

        next_best_action = cls(
            action=action,
            handoff=handoff,
            marketing_allowed=marketing_allowed,
            rule=rule,
            marketing_reasons=marketing_reasons,
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
