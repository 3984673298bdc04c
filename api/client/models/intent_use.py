from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="IntentUse")


@_attrs_define
class IntentUse:
    """
    Attributes:
        dismissed (int):
        edited (int):
        intent (str): the conversation's first request; (no topic): none named
        shown (int):
        used (int):
    """

    dismissed: int
    edited: int
    intent: str
    shown: int
    used: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        dismissed = self.dismissed

        edited = self.edited

        intent = self.intent

        shown = self.shown

        used = self.used

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "dismissed": dismissed,
                "edited": edited,
                "intent": intent,
                "shown": shown,
                "used": used,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        dismissed = d.pop("dismissed")

        edited = d.pop("edited")

        intent = d.pop("intent")

        shown = d.pop("shown")

        used = d.pop("used")

        intent_use = cls(
            dismissed=dismissed,
            edited=edited,
            intent=intent,
            shown=shown,
            used=used,
        )

        intent_use.additional_properties = d
        return intent_use

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
